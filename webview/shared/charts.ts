/**
 * Chart.js, set up once for every panel: only the pieces we use, and the axes Neurite draws.
 * Log axes are drawn as log10 of the data on a linear axis, labelled as powers: Chart.js's own
 * logarithmic scale draws nothing once the range reaches below ~1e-21, and SDR error rates go
 * far below that. Within less than two decades the log axis also ticks at 2× and 5×.
 */
import { Chart, Decimation, Filler, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';
import { formatNumber } from '../../kernel/protocol/metrics';
import type { ThemeColors } from './theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Filler, Decimation);
Chart.defaults.animation = false;

export { Chart };

/** Tick labels: 4 significant digits, exponents for tiny and huge values. */
export function compact(v: number): string {
  return formatNumber(Number(v.toPrecision(6)));
}

const LOG_SUB = [Math.log10(2), Math.log10(5)];

export interface AxisOptions {
  title?: string;
  log?: boolean;
  integers?: boolean;
  categories?: string[];
  percent?: boolean;
  theme: ThemeColors;
}

/** Options of one linear axis as Neurite draws it. */
export function axisOptions(o: AxisOptions) {
  const base = {
    type: 'linear' as const,
    title: { display: !!o.title, text: o.title ?? '', color: o.theme.foreground },
    grid: { color: o.theme.grid },
    border: { color: o.theme.grid },
  };
  if (o.categories) {
    const cats = o.categories;
    return {
      ...base,
      min: -0.5,
      max: cats.length - 0.5,
      ticks: { color: o.theme.foreground, autoSkip: false, callback: (v: number | string) => cats[Number(v)] ?? '' },
      afterBuildTicks: (scale: { ticks: { value: number }[]; min: number; max: number }) => {
        const lo = Math.ceil(scale.min);
        const hi = Math.floor(scale.max);
        scale.ticks = Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => ({ value: lo + i })).filter((t) => t.value >= 0 && t.value < cats.length);
      },
    };
  }
  if (o.log) {
    return {
      ...base,
      ticks: { color: o.theme.foreground, callback: (v: number | string) => powerLabel(Number(v)) },
      afterBuildTicks: (scale: { ticks: { value: number }[]; min: number; max: number }) => {
        scale.ticks = logTicks(scale.min, scale.max).map((value) => ({ value }));
      },
    };
  }
  return {
    ...base,
    ticks: { color: o.theme.foreground, callback: (v: number | string) => (o.percent ? `${compact(Number(v) * 100)}%` : compact(Number(v))), precision: o.integers ? 0 : undefined },
  };
}

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
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 10^v as a tick label: 1e-3, 2e-3, 0.5, 100. */
export function powerLabel(v: number): string {
  const x = 10 ** v;
  if (Math.abs(v - Math.round(v)) < 1e-9) {
    const e = Math.round(v);
    return e >= -2 && e <= 3 ? String(10 ** e) : `1e${e}`;
  }
  return compact(x);
}
