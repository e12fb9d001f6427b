/**
 * What a spiking run leaves behind: streamed traces kept small for the editor (a raster of at
 * most N spikes, curves of at most M points) and the full records as CSV files beside them in
 * traces/ (the views read only traces/*.json, so big files never flood them).
 */
import * as fs from 'fs';
import type { EngineContext } from '../core/engine-context';
import type { RasterTrace, XYTrace } from '../protocol/types';
import { thin, type SpikeMonitor, type StateMonitor } from './monitors';

/** Write rows to traces/<name> in chunks (no giant string). */
export function writeCsv(ctx: EngineContext, name: string, header: string, rows: number, row: (i: number) => string): string {
  const file = ctx.tracePath(name);
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, header + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      chunk.push(row(i));
      if (chunk.length === 10_000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Stream a downsampled raster and write every spike to traces/<name>.spikes.csv. */
export function emitRaster(ctx: EngineContext, mon: SpikeMonitor, dtMs: number, maxPoints: number): void {
  const all = mon.spikes();
  writeCsv(ctx, `${mon.name}.spikes.csv`, 't_ms,neuron', all.steps.length, (k) => `${round(all.steps[k] * dtMs)},${all.ids[k]}`);
  const r = mon.raster(maxPoints);
  const shown = r.neurons < mon.source.n ? ` (neurons 0–${r.neurons - 1} of ${mon.source.n}; all spikes in ${mon.name}.spikes.csv)` : '';
  const trace: RasterTrace = { type: 'raster', title: `${mon.name} spikes${shown}`, timeUnit: 'ms', times: r.steps.map((s) => round(s * dtMs)), ids: r.ids };
  ctx.trace(`${mon.name}.raster`, trace);
}

/** Stream a thinned state trace and write the full one to traces/<label>.csv. */
export function emitState(ctx: EngineContext, label: string, mon: StateMonitor, dtMs: number, maxPoints: number): void {
  const steps = mon.steps.view();
  const series = mon.neurons.map((_, k) => mon.series(k));
  writeCsv(ctx, `${label}.csv`, ['t_ms', ...mon.neurons.map((n) => `n${n}`)].join(','), steps.length, (i) => [round(steps[i] * dtMs), ...series.map((s) => s[i])].join(','));
  const t = thin(Array.from(steps, (s) => round(s * dtMs)), maxPoints);
  const trace: XYTrace = {
    type: 'xy',
    title: label,
    xLabel: 'time (ms)',
    yLabel: label.split('.').pop(),
    series: mon.neurons.map((n, k) => ({ name: `neuron ${n}`, x: t, y: thin(Array.from(series[k]), maxPoints) })),
  };
  ctx.trace(label, trace);
}

export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Histogram of values in [lo, hi] with `bins` equal bins (the top edge counts in the last bin). */
export function histogram(xs: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < xs.length; i++) {
    const b = Math.floor(((xs[i] - lo) / (hi - lo)) * bins);
    counts[Math.min(bins - 1, Math.max(0, b))]++;
  }
  return counts;
}
