/**
 * One sampled trace at any zoom: the samples of a window when they fit its pixels, else each
 * pixel column's min and max (so a pulse one sample wide still shows at full height), and exact
 * readings between two cursors (values, ∫y dt by the trapezoid rule, min, max, mean) from the
 * full-resolution samples.
 */
import type { TraceReading, TraceWindow } from '../protocol/waveforms';
import { MinMaxPyramid } from './pyramid';

/** First index i with x[i] >= t (n when none). */
export function lowerBound(x: ArrayLike<number>, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with x[i] > t (n when none). */
export function upperBound(x: ArrayLike<number>, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SampledTrace {
  private readonly pyramid: MinMaxPyramid;
  /** cumulative[i] = ∫ y dt from x[0] to x[i] (trapezoid rule). */
  private readonly cumulative: Float64Array;

  constructor(readonly x: Float64Array, readonly y: Float32Array) {
    this.pyramid = new MinMaxPyramid(y);
    this.cumulative = new Float64Array(y.length);
    for (let i = 1; i < y.length; i++) this.cumulative[i] = this.cumulative[i - 1] + 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
  }

  get length(): number {
    return this.y.length;
  }

  /**
   * What to draw of [t0, t1] at `bins` pixel columns: the samples (with one beyond each end, so
   * lines run to the edges) when there are at most two per column, else per column min and max.
   */
  window(id: number, t0: number, t1: number, bins: number): TraceWindow {
    const { x, y } = this;
    const n = y.length;
    const i0 = Math.max(0, lowerBound(x, n, t0) - 1);
    const i1 = Math.min(n, upperBound(x, n, t1) + 1);
    if (i1 - i0 <= 2 * bins) return { id, mode: 'samples', x: Array.from(x.subarray(i0, i1)), y: Array.from(y.subarray(i0, i1)) };
    const min: (number | null)[] = new Array(bins);
    const max: (number | null)[] = new Array(bins);
    const w = (t1 - t0) / bins;
    let a = lowerBound(x, n, t0);
    for (let b = 0; b < bins; b++) {
      const c = b === bins - 1 ? upperBound(x, n, t1) : lowerBound(x, n, t0 + (b + 1) * w);
      if (c > a) {
        const [lo, hi] = this.pyramid.range(a, c);
        min[b] = lo;
        max[b] = hi;
      } else min[b] = max[b] = null;
      a = c;
    }
    return { id, mode: 'minmax', min, max };
  }

  /** The trace's value at t, linear between samples, held at the ends. */
  valueAt(t: number): number {
    const { x, y } = this;
    const n = y.length;
    const i = lowerBound(x, n, t);
    if (i === 0) return y[0];
    if (i === n) return y[n - 1];
    const f = (t - x[i - 1]) / (x[i] - x[i - 1]);
    return y[i - 1] + f * (y[i] - y[i - 1]);
  }

  /** ∫ y dt from x[0] to t, over the same linear interpolation. */
  private integralTo(t: number): number {
    const { x, y } = this;
    const n = y.length;
    const i = lowerBound(x, n, t);
    if (i === 0) return 0;
    if (i === n) return this.cumulative[n - 1];
    const dt = t - x[i - 1];
    return this.cumulative[i - 1] + dt * (y[i - 1] + 0.5 * dt * ((y[i] - y[i - 1]) / (x[i] - x[i - 1])));
  }

  /** Exact readings between cursors a and b (either order), from every sample in between. */
  reading(id: number, a: number, b: number): TraceReading {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const atA = this.valueAt(a);
    const atB = this.valueAt(b);
    const inside = this.pyramid.range(lowerBound(this.x, this.length, lo), lowerBound(this.x, this.length, hi));
    const ends = [this.valueAt(lo), this.valueAt(hi)];
    const min = Math.min(...ends, ...(Number.isNaN(inside[0]) ? [] : [inside[0]]));
    const max = Math.max(...ends, ...(Number.isNaN(inside[1]) ? [] : [inside[1]]));
    const integral = this.integralTo(hi) - this.integralTo(lo);
    return { id, atA, atB, integral, min, max, mean: hi > lo ? integral / (hi - lo) : atA };
  }
}
