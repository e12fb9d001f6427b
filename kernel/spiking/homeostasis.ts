/**
 * Homeostatic weight scaling: one scalar h multiplies every weight of a network, searched so
 * that a stimulus gives a target spike count (Davies et al.: the smallest h at which the
 * trained pattern makes the output fire). With spike counts that grow with h:
 *
 *   1. grow:    h = start, start·growth, … until count(h) ≥ target (give up at `limit`)
 *   2. bisect:  on (lowest, h] keep the upper end firing, until the bracket is < resolution
 *   3. accept:  h = the upper end if count(h) equals the target exactly, else no scale exists
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
  return nHi === o.target ? { h: hi, spikes: nHi, evaluations } : { spikes: nHi, evaluations };
}
