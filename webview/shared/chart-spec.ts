/**
 * What a chart shows, free of Chart.js and the DOM (so it is built and tested in plain Node):
 * its series, axes and their units. Traces from the kernel and metric records both become this.
 */
import type { RasterTrace, XYTrace } from '../../kernel/protocol/types';

export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
  /** Lower and upper bounds of an interval around y, drawn as a band. */
  lo?: ArrayLike<number | null>;
  hi?: ArrayLike<number | null>;
  /** Markers only, no line (measured points, categories). */
  points?: boolean;
  /** Palette index (a comparison gives each run its colour); default: the series' position. */
  color?: number;
}

export interface ChartSpec {
  /** Stable id: export file names, test hooks, redraw keys. */
  id: string;
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Unit of x and y values in tooltips ("ps", "GHz"); percent: y is a fraction shown ×100 %. */
  xUnit?: string;
  yUnit?: string;
  yPercent?: boolean;
  logX?: boolean;
  logY?: boolean;
  /** x = i stands for category i. */
  xCategories?: string[];
  series: ChartSeries[];
  /** The section a dashboard shows it under (a declared metric group). */
  group?: string;
  /** A noisy curve over steps: the panel's smoothing applies to it. */
  smoothable?: boolean;
  /** Changes whenever its data changed (views skip redraws of unchanged charts). */
  version?: number;
  /** A spike raster instead of curves: one dot per (time, id). */
  raster?: { times: ArrayLike<number>; ids: ArrayLike<number>; timeUnit?: string };
}

/** "voltage (mV)" → "mV": the unit an axis label ends with, for tooltips. */
export function unitInLabel(label: string | undefined): string | undefined {
  const m = label?.match(/\(([^()]+)\)\s*$/);
  return m?.[1];
}

/** A kernel trace as a chart. */
export function traceSpec(name: string, trace: XYTrace | RasterTrace): ChartSpec {
  if (trace.type === 'raster') {
    return { id: `trace:${name}`, title: trace.title ?? name, xLabel: `time${trace.timeUnit ? ` (${trace.timeUnit})` : ''}`, yLabel: 'neuron', xUnit: trace.timeUnit, series: [], raster: { times: trace.times, ids: trace.ids, timeUnit: trace.timeUnit } };
  }
  return {
    id: `trace:${name}`,
    title: trace.title ?? name,
    xLabel: trace.xLabel,
    yLabel: trace.yLabel,
    xUnit: unitInLabel(trace.xLabel),
    yUnit: unitInLabel(trace.yLabel),
    logX: trace.logX,
    logY: trace.logY,
    xCategories: trace.xCategories,
    series: trace.series.map((s) => ({ name: s.name, x: s.x, y: s.y, lo: s.lo, hi: s.hi, points: s.points || (trace.xCategories !== undefined && s.x.length <= trace.xCategories.length) })),
  };
}
