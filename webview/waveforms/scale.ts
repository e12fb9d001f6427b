/**
 * Numbers on the waveform viewer's axes and in its readings: SI prefixes chosen per axis
 * (a 40 ps window reads in ps, 0.6 mV in mV), nice tick steps, and the view's zoom and pan.
 * Free of the DOM so it can be tested in plain Node.
 */

const prefixes: [number, string][] = [
  [1e-15, 'f'],
  [1e-12, 'p'],
  [1e-9, 'n'],
  [1e-6, 'µ'],
  [1e-3, 'm'],
  [1, ''],
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'G'],
];

/** The prefix that shows `magnitude` as a number of at least 0.5 (and below 500) in that prefix. */
export function prefixFor(magnitude: number): { factor: number; symbol: string } {
  const m = Math.abs(magnitude);
  if (!(m > 0) || !Number.isFinite(m)) return { factor: 1, symbol: '' };
  let best = prefixes[0];
  for (const p of prefixes) if (m / p[0] >= 0.5) best = p;
  return { factor: best[0], symbol: best[1] };
}

/**
 * `value` in `unit` with an SI prefix fitting it (or the `prefix` given), `digits` significant;
 * with `decimals`, that many after the point instead (a column of one trace's values).
 */
export function si(value: number, unit: string, digits = 4, prefix = unit ? prefixFor(value) : { factor: 1, symbol: '' }, decimals?: number): string {
  if (!Number.isFinite(value)) return '—';
  const v = value / prefix.factor;
  const text =
    decimals !== undefined ? (v.toFixed(decimals) === (-0).toFixed(decimals) ? (0).toFixed(decimals) : v.toFixed(decimals))
    : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
  return `${text}${unit || prefix.symbol ? ' ' : ''}${prefix.symbol}${unit}`;
}

/** Tick values in [lo, hi] at the widest 1-2-5 step that still gives at least `count` of them. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const fits = (s: number) => Math.floor(hi / s + 1e-9) - Math.ceil(lo / s - 1e-9) + 1 >= count;
  const step = [5, 2, 1, 0.5, 0.2, 0.1].map((m) => m * mag).find(fits) ?? mag / 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A visible interval of a full range [lo, hi], zoomed and panned within it. */
export interface View {
  t0: number;
  t1: number;
}

/** The shortest window a view may shrink to, relative to the full range (single samples of 10⁶ and more). */
export const minSpanFraction = 1e-9;

/** Keep a view inside [lo, hi], at least minSpanFraction of it wide, its width kept when it is pushed back in. */
export function clampView(v: View, lo: number, hi: number): View {
  const full = hi - lo;
  const span = Math.min(full, Math.max(v.t1 - v.t0, full * minSpanFraction));
  let t0 = v.t0;
  if (t0 < lo) t0 = lo;
  if (t0 + span > hi) t0 = hi - span;
  return { t0, t1: t0 + span };
}

/** Zoom by `factor` (< 1 zooms in) keeping time `at` at the same place. */
export function zoom(v: View, factor: number, at: number, lo: number, hi: number): View {
  return clampView({ t0: at - (at - v.t0) * factor, t1: at + (v.t1 - at) * factor }, lo, hi);
}

/** Move by `fraction` of the view's width (negative: earlier). */
export function pan(v: View, fraction: number, lo: number, hi: number): View {
  const d = (v.t1 - v.t0) * fraction;
  return clampView({ t0: v.t0 + d, t1: v.t1 + d }, lo, hi);
}
