/**
 * A spike raster at any zoom: the spikes of a window one by one when they are few enough to
 * draw, else their counts on a grid of pixel columns × neuron rows; with the population rate
 * of each column, and exact counts and rates between two cursors.
 */
import type { RasterReading, RasterWindow } from '../protocol/waveforms';
import { lowerBound, upperBound } from './series';

/** Most spikes sent one by one; beyond this a window is sent as counts. */
export const maxSpikesDrawn = 20_000;

export class SpikeRaster {
  readonly times: Float64Array;
  readonly ids: Int32Array;
  readonly neurons: number;

  /** Spikes as (time, neuron) pairs, in any order; `neurons` defaults to the largest id + 1. */
  constructor(times: ArrayLike<number>, ids: ArrayLike<number>, neurons?: number) {
    const order = Array.from({ length: times.length }, (_, i) => i);
    let sorted = true;
    for (let i = 1; i < times.length && sorted; i++) sorted = times[i] >= times[i - 1];
    if (!sorted) order.sort((a, b) => times[a] - times[b]);
    this.times = Float64Array.from(order, (i) => times[i]);
    this.ids = Int32Array.from(order, (i) => ids[i]);
    let top = -1;
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] > top) top = this.ids[i];
    this.neurons = Math.max(neurons ?? 0, top + 1);
  }

  get length(): number {
    return this.times.length;
  }

  window(id: number, t0: number, t1: number, bins: number, rows: number, neuronRange?: [number, number]): RasterWindow {
    const [n0, n1] = clampRange(neuronRange, this.neurons);
    const i0 = lowerBound(this.times, this.length, t0);
    const i1 = upperBound(this.times, this.length, t1);
    const w = (t1 - t0) / bins;
    const column = (t: number) => Math.min(bins - 1, Math.floor((t - t0) / w));
    const perColumn = new Array<number>(bins).fill(0);
    let shown = 0;
    for (let i = i0; i < i1; i++) {
      const n = this.ids[i];
      if (n < n0 || n >= n1) continue;
      perColumn[column(this.times[i])]++;
      shown++;
    }
    const rate = perColumn.map((c) => c / (Math.max(1, n1 - n0) * w));
    if (shown <= maxSpikesDrawn) {
      const t: number[] = [];
      const n: number[] = [];
      for (let i = i0; i < i1; i++) {
        if (this.ids[i] < n0 || this.ids[i] >= n1) continue;
        t.push(this.times[i]);
        n.push(this.ids[i]);
      }
      return { id, mode: 'spikes', t, n, rate };
    }
    const r = Math.max(1, Math.min(rows, n1 - n0));
    const counts = new Array<number>(bins * r).fill(0);
    for (let i = i0; i < i1; i++) {
      const n = this.ids[i];
      if (n < n0 || n >= n1) continue;
      const row = Math.min(r - 1, Math.floor(((n - n0) * r) / (n1 - n0)));
      counts[row * bins + column(this.times[i])]++;
    }
    return { id, mode: 'density', rows: r, counts, rate };
  }

  /** Spikes in [a, b], ends included (either order), and the mean rate per neuron over that time. */
  reading(id: number, a: number, b: number): RasterReading {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const spikes = upperBound(this.times, this.length, hi) - lowerBound(this.times, this.length, lo);
    return { id, spikes, rate: hi > lo && this.neurons > 0 ? spikes / (this.neurons * (hi - lo)) : 0 };
  }
}

function clampRange(r: [number, number] | undefined, neurons: number): [number, number] {
  if (!r) return [0, Math.max(1, neurons)];
  const n0 = Math.max(0, Math.min(r[0], neurons - 1));
  return [n0, Math.max(n0 + 1, Math.min(r[1], neurons))];
}
