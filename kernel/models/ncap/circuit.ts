/**
 * The NCAP swimmer circuit (Bhattasali, Zador & Engel, NeurIPS 2022; PAPERS.md §3), after the
 * authors' `neurobo/ncap/swimmer.py`, for N − 1 joints, joint 0 at the head:
 *
 *   q̂ᵢ   = clip(qᵢ / (2π/N), −1, 1)                   joint angle over its limit
 *   sᵈᵢ  = [q̂ᵢ]₊,  sᵛᵢ = [−q̂ᵢ]₊                       dorsal / ventral proprioception
 *   Oᵈ   = 1 if (t mod T) < T/2 else 0,  Oᵛ = 1 − Oᵈ    head oscillator, T = 60 control steps
 *   Bᵈᵢ  = clip01(w_prop · sᵈᵢ₋₁ [i>0] + w_osc · Oᵈ [i=0])     B-neurons (ventral alike)
 *   Mᵈᵢ  = clip01(w_ipsi · Bᵈᵢ + w_contra · Bᵛᵢ)                muscles (ventral alike)
 *   τᵢ   = Mᵈᵢ − Mᵛᵢ                                              joint torque command
 *
 * Signs: w_prop, w_osc, w_ipsi are excitatory (used as max(w, 0)), w_contra inhibitory
 * (min(w, 0)); without the constraint ("unsigned") the raw weights are used. Weights are shared
 * across joints (4 parameters) or per joint and side (6 per joint). Initialisation: +1 / −1
 * (constrained) or ±1 at random (unsigned), or uniform in [0, 1] / [−1, 0] (unsigned: [−1, 1]).
 *
 * As a System: the state is the oscillator's clock t (control steps since the episode began);
 * the readout is the circuit at that clock, a map from the body's joint angles to torques.
 * A readout that is a map lets the wiring apply it to the body's current readout, so the torque
 * of step t answers the joints of step t as in the paper; a Moore machine that took the joints
 * as input would answer one step late.
 */
import type { Rng } from '../../core/rng';
import type { System } from '../../core/system';

export interface NcapOptions {
  /** Actuated joints (links − 1). */
  joints: number;
  /** One weight per role for all joints (4 parameters) instead of one per joint and side. */
  shared: boolean;
  /** Sign constraints: excitatory ≥ 0, inhibitory ≤ 0. */
  signed: boolean;
  /** Head oscillator period, control steps. */
  period: number;
}

/** A controller's readout: the motor command for the body's current joint angles (and velocities, which the MLP uses). */
export type Policy = (obs: { joints: ArrayLike<number>; bodyVelocities: ArrayLike<number> }) => Float64Array;

/** Which weights are excitatory (+1) or inhibitory (−1), in parameter order. */
export function ncapSigns(o: Pick<NcapOptions, 'joints' | 'shared'>): number[] {
  if (o.shared) return [1, 1, 1, -1]; // prop, osc, ipsi, contra
  const signs: number[] = [];
  for (let i = 0; i < o.joints; i++) {
    signs.push(1, 1); // i > 0: prop dorsal, ventral; i = 0: osc dorsal, ventral
    signs.push(1, -1, 1, -1); // muscle d←d (ipsi), d←v (contra), v←v (ipsi), v←d (contra)
  }
  return signs;
}

export function ncapParameterCount(o: Pick<NcapOptions, 'joints' | 'shared'>): number {
  return ncapSigns(o).length;
}

/** Initial weights: constant ±1 by sign (or ±1 at random when unsigned), or uniform. */
export function ncapInit(o: Pick<NcapOptions, 'joints' | 'shared' | 'signed'>, init: 'constant' | 'random', rng: Rng): Float64Array {
  return Float64Array.from(ncapSigns(o), (sign) => {
    if (init === 'constant') return o.signed ? sign : rng.float() < 0.5 ? 1 : -1;
    const u = rng.float();
    return o.signed ? sign * u : 2 * u - 1;
  });
}

/** The circuit's torques for joint angles `q` at oscillator clock `t` (weights in ncapSigns order). */
export function ncapTorques(o: NcapOptions, w: ArrayLike<number>, q: ArrayLike<number>, t: number): Float64Array {
  const n = o.joints;
  const limit = (2 * Math.PI) / (n + 1);
  const exc = o.signed ? (x: number) => Math.max(x, 0) : (x: number) => x;
  const inh = o.signed ? (x: number) => Math.min(x, 0) : (x: number) => x;
  const clip01 = (x: number) => Math.min(1, Math.max(0, x));
  const dorsalOn = t % o.period < Math.floor(o.period / 2);
  const torque = new Float64Array(n);
  let prevD = 0, prevV = 0; // proprioception of joint i − 1
  for (let i = 0; i < n; i++) {
    const k = o.shared ? 0 : 6 * i; // this joint's weights
    let bd: number, bv: number;
    if (i === 0) {
      const wOscD = exc(w[k + (o.shared ? 1 : 0)]), wOscV = exc(w[k + 1]);
      bd = clip01(dorsalOn ? wOscD : 0);
      bv = clip01(dorsalOn ? 0 : wOscV);
    } else {
      bd = clip01(prevD * exc(w[k]));
      bv = clip01(prevV * exc(w[o.shared ? k : k + 1]));
    }
    const [ipsiD, contraD, ipsiV, contraV] = o.shared ? [w[2], w[3], w[2], w[3]] : [w[k + 2], w[k + 3], w[k + 4], w[k + 5]];
    const md = clip01(bd * exc(ipsiD) + bv * inh(contraD));
    const mv = clip01(bv * exc(ipsiV) + bd * inh(contraV));
    torque[i] = md - mv;
    const s = Math.min(1, Math.max(-1, q[i] / limit));
    prevD = Math.max(s, 0);
    prevV = Math.max(-s, 0);
  }
  return torque;
}

/** The circuit as a System: state the oscillator clock, readout the policy at that clock. */
export function ncapSystem(o: NcapOptions, weights: ArrayLike<number>): System<number, unknown, Policy> {
  const w = Float64Array.from(weights);
  if (w.length !== ncapParameterCount(o)) throw new Error(`NCAP: ${w.length} weights for ${ncapParameterCount(o)} parameters`);
  return {
    name: 'ncap',
    init: () => 0,
    readout: (t) => (obs) => ncapTorques(o, w, obs.joints, t),
    update: (t) => t + 1,
  };
}
