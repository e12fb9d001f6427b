/**
 * Homeostatic weight scaling: one scalar h multiplies every weight of a network, searched so
 * that a stimulus gives a target spike count (Davies et al.: the smallest h at which the
 * trained pattern makes the output fire). With spike counts that grow with h:
 *
 *   1. grow:    h = start, start·growth, … until count(h) ≥ target (give up at `limit`)
 *   2. bisect:  on (lowest, h] keep the upper end firing, until the bracket is ≤ resolution
 *   3. accept:  h = the upper end if count(h) equals the target exactly, else no scale exists;
 *      or, with `scanStep`, walk a grid instead (Davies et al.'s linear search): from the
 *      bracket's ends rounded to the decimals of the step and widened by one step, upwards, the
 *      first h with exactly `target` spikes (none: no scale). The grid is numpy.arange's:
 *      h_i = a + i·((a + step) − a), so h carries the same rounding as the authors' values.
 *
 * (Intrinsic homeostasis — each neuron adapting its own threshold — is `thresholdAdaptation`
 * on a population, see neurons/types.ts.)
 */
export interface ScaleSearch {
  target: number;
  start: number;
  growth: number;
  limit: number;
  lowest: number;
  resolution: number;
  /** Step of the final linear search (a power of ten); without it the bracket's upper end is taken. */
  scanStep?: number;
}

export interface ScaleResult {
  /** The scale, or undefined when no h below `limit` gives exactly `target` spikes. */
  h?: number;
  /** Spikes at the returned h (or at the last h tried). */
  spikes: number;
  evaluations: number;
}

export function searchScale(count: (h: number) => number, o: ScaleSearch): ScaleResult {
  let evaluations = 0;
  const at = (h: number) => {
    evaluations++;
    return count(h);
  };
  let hi = o.start;
  let n = at(hi);
  while (n < o.target) {
    hi *= o.growth;
    if (hi >= o.limit) return { spikes: n, evaluations };
    n = at(hi);
  }
  let lo = o.lowest;
  let nHi = n;
  while (hi - lo > o.resolution) {
    const mid = (lo + hi) / 2;
    const m = at(mid);
    if (m >= o.target) {
      hi = mid;
      nHi = m;
    } else lo = mid;
  }
  if (o.scanStep === undefined) return nHi === o.target ? { h: hi, spikes: nHi, evaluations } : { spikes: nHi, evaluations };
  const step = o.scanStep;
  const decimals = Math.max(0, Math.round(-Math.log10(step)));
  const round = (x: number) => Number(x.toFixed(decimals)); // Python's round(x, decimals) but for exact ties
  const a = round(lo) - step;
  const end = round(hi) + step + step;
  const delta = a + step - a;
  let spikes = nHi;
  for (let i = 0, len = Math.ceil((end - a) / step); i < len; i++) {
    const h = i === 1 ? a + step : a + i * delta;
    spikes = at(h);
    if (spikes === o.target) return { h, spikes, evaluations };
  }
  return { spikes, evaluations };
}
