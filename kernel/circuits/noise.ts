/**
 * Johnson noise: a current source across every resistor and every junction's subgap
 * resistance whose temperature (`.temp`, or the element's `temp=`) is above zero:
 *
 *   S_I(f) = 4·k·T/R                      // one-sided current noise density, A²/Hz
 *   i_n    = σ·N(0,1), held for `hold` steps  // sample-and-hold white noise
 *   σ²     = 4kT/R / (2·hold·h)            // so that the held samples have density 4kT/R
 *
 * A new sample comes every 1/neb (JoSIM's noise bandwidth; default 1 THz, a sample per
 * picosecond) rounded to whole steps. JoSIM puts sources on resistors only; a junction's
 * own subgap resistance also dissipates, so Neurite includes it (it is R0/area, usually
 * ten times the shunt, so it adds ≈ 10% to the noise current variance).
 */
import type { Rng } from '../core/rng';
import type { Circuit } from './circuit';
import { KB } from './netlist/expr';

export const DEFAULT_NEB = 1e12;

export interface NoiseSources {
  p: Int32Array;
  q: Int32Array;
  /** Element index of each source's resistor or junction. */
  elem: Int32Array;
  sigma: Float64Array;
  hold: Int32Array;
  left: Int32Array;
  value: Float64Array;
  rng: Rng;
}

export function noiseSources(c: Circuit, slotOf: Int32Array, h: number, rng: Rng): NoiseSources {
  const rows: number[][] = [];
  c.elements.forEach((e, i) => {
    if (e.type !== 'R' && e.type !== 'B') return;
    const T = e.temp ?? c.temp;
    if (!(T > 0)) return;
    const R = e.type === 'R' ? e.value : 1 / e.jj!.g0;
    const neb = e.neb ?? c.neb ?? DEFAULT_NEB;
    const hold = Math.max(1, Math.round(1 / neb / h));
    rows.push([slotOf[e.n1], slotOf[e.n2], i, Math.sqrt((4 * KB * T) / R / (2 * hold * h)), hold]);
  });
  return {
    p: Int32Array.from(rows, (r) => r[0]),
    q: Int32Array.from(rows, (r) => r[1]),
    elem: Int32Array.from(rows, (r) => r[2]),
    sigma: Float64Array.from(rows, (r) => r[3]),
    hold: Int32Array.from(rows, (r) => r[4]),
    left: new Int32Array(rows.length),
    value: new Float64Array(rows.length),
    rng,
  };
}

/** Draw new samples where a hold ran out; add every source's current to rhs (p → q). */
export function addNoise(nz: NoiseSources, eq: Int32Array, rhs: Float64Array): void {
  for (let k = 0; k < nz.p.length; k++) {
    if (nz.left[k] === 0) {
      nz.value[k] = nz.sigma[k] * nz.rng.normal();
      nz.left[k] = nz.hold[k];
    }
    nz.left[k]--;
    const e1 = eq[nz.p[k]], e2 = eq[nz.q[k]];
    if (e1 >= 0) rhs[e1] -= nz.value[k];
    if (e2 >= 0) rhs[e2] += nz.value[k];
  }
}
