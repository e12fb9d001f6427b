/**
 * PyNN's `IF_curr_delta` as sPyNNaker runs it on SpiNNaker: s1615 fixed point, 16-bit ring
 * buffers per receptor (see ../spinnaker.ts for the weights, shifts and wrap-arounds), and the
 * membrane update of neuron_model_lif_impl.h in the version the authors of PAPERS.md §7 ran:
 *
 *   I = exc − inh                          each: ring buffer << its shift (nA)
 *   α = I·R + v_rest                       R = τm/cm (MΩ)
 *   v ← α − e^(−dt/τm)·(α − v)             the exact step for I held over dt
 *   spike when v ≥ v_th; v ← v_reset, then ⌈τ_ref/dt⌉ steps without update (inputs dropped)
 *
 * every + − × in s1615, wrapping at 32 bits (plain accum ×: later sPyNNaker rounds and saturates
 * with MULT_ROUND_NEAREST_ACCUM, which the authors' rows rule out). e^(−dt/τm) is rounded to the
 * nearest 2^−15 (31170/2^15 for 1 ms / 20 ms; cut down instead, most of their h move by 6·10^−4).
 * A weight w (nA) therefore moves v by w·R·(1 − e^(−dt/τm)), as ./lif-delta.ts does in floating
 * point with w in mV.
 *
 * The projections onto a group must transmit 16-bit integer weights: map them with
 * `quantiseInputs` (../spinnaker.ts), which also sets the shifts.
 */
import { mulS1615, ringToInput, toS1615, wrap32, S1615_ONE, type FixedPointGroup } from '../spinnaker';
import type { LifDeltaParams } from './lif-delta';
import type { NeuronGroup, NeuronModel, Receptor } from './types';

export interface LifDeltaSpinnakerParams extends LifDeltaParams {
  /** Membrane capacitance (nF); R = τm/cm. */
  cmNf: number;
}

class LifDeltaSpinnakerGroup implements NeuronGroup, FixedPointGroup {
  /** v in mV (read-only mirror of the s1615 state, for monitors). */
  readonly v: Float64Array;
  private readonly vFixed: Int32Array;
  private readonly refractory: Int32Array;
  /** Ring buffers: the 16-bit weights due this step, per receptor. */
  private readonly exc: Receptor;
  private readonly inh: Receptor;
  private excShift = 0;
  private inhShift = 0;
  private readonly r: number;
  private readonly expTc: number;
  private readonly vRest: number;
  private readonly vReset: number;
  private readonly vThresh: number;
  private readonly refSteps: number;

  constructor(readonly n: number, p: LifDeltaSpinnakerParams, dtMs: number) {
    this.v = new Float64Array(n);
    this.vFixed = new Int32Array(n);
    this.refractory = new Int32Array(n);
    this.exc = { array: new Float64Array(n), sign: 1, scale: Float64Array.of(1) };
    this.inh = { array: new Float64Array(n), sign: 1, scale: Float64Array.of(1) }; // subtracted below
    this.r = toS1615(p.tauMemMs / p.cmNf);
    this.expTc = toS1615(Math.exp(-dtMs / p.tauMemMs));
    this.vRest = toS1615(p.vRestMv);
    this.vReset = toS1615(p.vResetMv);
    this.vThresh = toS1615(p.vThreshMv);
    this.refSteps = Math.ceil(p.tRefMs / dtMs - 1e-9); // lif_ceil_accum(τ_ref/dt)
  }

  setShift(receptor: string, shift: number): void {
    if (receptor === 'exc') this.excShift = shift;
    else if (receptor === 'inh') this.inhShift = shift;
    else throw new Error(`no receptor "${receptor}"`);
  }

  step(_n: number, out: Int32Array): number {
    const { vFixed, refractory, r, expTc, vRest, vThresh } = this;
    const exc = this.exc.array, inh = this.inh.array;
    let count = 0;
    for (let i = 0; i < this.n; i++) {
      const input = wrap32(ringToInput(exc[i], this.excShift) - ringToInput(inh[i], this.inhShift)); // I = exc − inh
      exc[i] = 0;
      inh[i] = 0;
      if (refractory[i] > 0) {
        refractory[i]--;
        continue;
      }
      const alpha = wrap32(mulS1615(input, r) + vRest); // α = I·R + v_rest
      const v = wrap32(alpha - mulS1615(expTc, wrap32(alpha - vFixed[i]))); // v ← α − e^(−dt/τm)(α − v)
      vFixed[i] = v;
      this.v[i] = v / S1615_ONE;
      if (v >= vThresh) out[count++] = i; // spike when v ≥ v_th
    }
    return count;
  }

  reset(spikes: Int32Array, count: number): void {
    for (let k = 0; k < count; k++) {
      const i = spikes[k];
      this.vFixed[i] = this.vReset;
      this.v[i] = this.vReset / S1615_ONE;
      this.refractory[i] = this.refSteps;
    }
  }

  receptor(name: string): Receptor {
    if (name === 'exc') return this.exc;
    if (name === 'inh') return this.inh;
    throw new Error(`no receptor "${name}"`);
  }

  get(name: string, i: number): number {
    if (name !== 'v') throw new Error(`no variable "${name}"`);
    return this.v[i];
  }

  set(name: string, values: ArrayLike<number> | number): void {
    if (name !== 'v') throw new Error(`no variable "${name}"`);
    for (let i = 0; i < this.n; i++) {
      this.vFixed[i] = toS1615(typeof values === 'number' ? values : values[i]);
      this.v[i] = this.vFixed[i] / S1615_ONE;
    }
  }

  clear(): void {
    this.v.fill(0);
    this.vFixed.fill(0);
    this.refractory.fill(0);
    this.exc.array.fill(0);
    this.inh.array.fill(0);
  }
}

/** Not in the spec registry: its projections need `quantiseInputs`, which only models call. */
export const lifDeltaSpinnaker = {
  name: 'lif-delta-spinnaker',
  title: 'LIF, delta synapses, in SpiNNaker fixed point (sPyNNaker IF_curr_delta)',
  defaults: { tauMemMs: 20, cmNf: 1, vRestMv: -65, vResetMv: -65, vThreshMv: -50, tRefMs: 0 },
  receptors: ['exc', 'inh'],
  variables: ['v'],
  driveUnit: 'none (no constant drive)',
  refractoryMs: (p: LifDeltaSpinnakerParams) => p.tRefMs,
  create: (n: number, p: LifDeltaSpinnakerParams, dtMs: number): NeuronGroup & FixedPointGroup => new LifDeltaSpinnakerGroup(n, p, dtMs),
} satisfies NeuronModel<LifDeltaSpinnakerParams>;
