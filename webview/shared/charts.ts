/**
 * Chart.js, set up once for every panel: only the pieces we use, and the axes Neurite draws.
 * Log axes are drawn as log10 of the data on a linear axis, labelled as powers: Chart.js's own
 * logarithmic scale draws nothing once the range reaches below ~1e-21, and SDR error rates go
 * far below that. Within less than two decades the log axis also ticks at 2× and 5×.
 */
import { Chart, Decimation, Filler, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';
import { formatNumber } from '../../kernel/protocol/metrics';
import { logTicks, powerLabel } from './ticks';
import type { ThemeColors } from './theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Filler, Decimation);
Chart.defaults.animation = false;

export { Chart };

/** Tick labels: 4 significant digits, exponents for tiny and huge values. */
export function compact(v: number): string {
  return formatNumber(Number(v.toPrecision(6)));
}

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

