/**
 * Current-based leaky integrate-and-fire neuron with delta synapses (PyNN `IF_curr_delta`,
 * NEST `iaf_psc_delta`). Integrated exactly.
 *
 *   τm dv/dt = (v_rest − v) + D        D: constant drive (mV, i.e. R·I)
 *   v ← v + Σ w                        each arriving spike adds its weight w (mV) at once
 *
 * Exact step (the drive is constant over a step):
 *   v(t+dt) = v∞ + (v(t) − v∞)·e^(−dt/τm) + J      v∞ = v_rest + D; J = jumps that arrived at t
 * A jump is added at the end of the step after it arrives, undecayed, so the threshold sees all
 * of it (as NEST and sPyNNaker do). Brian2's `on_pre='v += w'` instead adds w before the step's
 * decay: the two agree when Brian2's weights are ours × e^(dt/τm). Jumps arriving while the
 * neuron is refractory are dropped.
 */
import { LifGroup } from './lif-base';
import type { NeuronModel, Receptor, ThresholdAdaptation } from './types';

export interface LifDeltaParams {
  tauMemMs: number;
  vRestMv: number;
  vResetMv: number;
  vThreshMv: number;
  tRefMs: number;
}

class LifDeltaGroup extends LifGroup {
  /** Jumps received this step, applied at the next integration. */
  readonly jump: Float64Array;
  private readonly decay: number;
  protected readonly exc: Receptor;
  protected readonly inh: Receptor;

  constructor(n: number, private readonly p: LifDeltaParams, dtMs: number, adaptation?: ThresholdAdaptation) {
    super(n, p.vThreshMv, p.vResetMv, p.tRefMs, dtMs, adaptation);
    this.jump = new Float64Array(n);
    this.decay = Math.exp(-dtMs / p.tauMemMs);
    this.exc = { array: this.jump, sign: 1, scale: Float64Array.of(1) };
    this.inh = { array: this.jump, sign: -1, scale: Float64Array.of(1) };
  }

  step(n: number, out: Int32Array): number {
    const { v, jump, drive, decay, vThreshMv } = this;
    const vRest = this.p.vRestMv;
    let count = 0;
    for (let i = 0, size = this.n; i < size; i++) {
      const vInf = vRest + drive[i]; // v∞ = v_rest + D
      const x = vInf + (v[i] - vInf) * decay + jump[i]; // v ← v∞ + (v − v∞)e^(−dt/τm) + J
      v[i] = x;
      jump[i] = 0;
      if (x > vThreshMv) out[count++] = i; // spike when v > v_th
    }
    return this.settle(n, out, count); // refractory: held at v_reset, jumps dropped
  }

  protected variables(): Record<string, Float64Array> {
    return { v: this.v, jump: this.jump };
  }
}

export const lifDelta: NeuronModel<LifDeltaParams> = {
  name: 'lif-delta',
  title: 'LIF, delta synapses (current-based)',
  defaults: { tauMemMs: 20, vRestMv: -65, vResetMv: -65, vThreshMv: -50, tRefMs: 0 },
  receptors: ['exc', 'inh'],
  variables: ['v', 'theta'],
  driveUnit: 'mV (R·I)',
  refractoryMs: (p) => p.tRefMs,
  create: (n, p, dtMs, adaptation) => new LifDeltaGroup(n, p, dtMs, adaptation),
};
