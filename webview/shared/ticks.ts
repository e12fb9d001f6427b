/** Tick positions and labels of log axes (drawn as log10 of the data), free of Chart.js and the DOM. */
import { formatNumber } from '../../kernel/protocol/metrics';

const LOG_SUB = [Math.log10(2), Math.log10(5)];

/**
 * Tick positions (log10 units) between lo and hi: whole decades (thinned to ~10) over a wide
 * range; 1-2-5 steps within two decades; within less than one, evenly spaced round values.
 */
export function logTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const out: number[] = [];
  if (span < 1) return niceTicks(10 ** lo, 10 ** hi, 5).map(Math.log10);
  if (span < 2) {
    for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) for (const s of [0, ...LOG_SUB]) if (d + s >= lo - 1e-9 && d + s <= hi + 1e-9) out.push(d + s);
    return out;
  }
  const step = Math.max(1, Math.ceil(span / 10));
  for (let d = Math.ceil(lo); d <= hi; d++) if (d % step === 0) out.push(d);
  return out;
}

/** About `n` round values (1, 2 or 5 × 10^k apart) within [a, b]. */
export function niceTicks(a: number, b: number, n: number): number[] {
  const raw = (b - a) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(a / step - 1e-9) * step; v <= b + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 10^v as a tick label: 1e-3, 2e-3, 0.5, 100. */
export function powerLabel(v: number): string {
  const x = 10 ** v;
  if (Math.abs(v - Math.round(v)) < 1e-9) {
    const e = Math.round(v);
    return e >= -2 && e <= 3 ? String(10 ** e) : `1e${e}`;
  }
  return formatNumber(Number(x.toPrecision(6)));
}
