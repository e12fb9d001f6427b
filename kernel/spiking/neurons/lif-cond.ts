/**
 * Conductance-based leaky integrate-and-fire neuron with exponentially decaying conductances
 * (PyNN `IF_cond_exp`; the neuron of Brian2's COBA benchmark).
 *
 *   cm dv/dt = gL(v_rest − v) + ge(Ee − v) + gi(Ei − v) + I     gL = cm/τm, I: drive (nA)
 *   τe dge/dt = −ge                                               conductances in µS
 *   τi dgi/dt = −gi
 *   ge ← ge + w,  gi ← gi + w                                     at each arriving spike (w ≥ 0)
 *
 * v's equation is linear in v but its coefficients vary with ge, gi, so there is no closed
 * form: we use exponential Euler (Brian2's `exponential_euler`), exact for conductances frozen
 * over the step; the conductances themselves decay exactly.
 *   G = gL + ge + gi,  v∞ = (gL·v_rest + ge·Ee + gi·Ei + I)/G
 *   v(t+dt) = v∞ + (v − v∞)·e^(−G·dt/cm)
 */
import { LifGroup } from './lif-base';
import type { NeuronModel, Receptor, ThresholdAdaptation } from './types';

export interface LifCondParams {
  cmNf: number;
  tauMemMs: number;
  tauExcMs: number;
  tauInhMs: number;
  eExcMv: number;
  eInhMv: number;
  vRestMv: number;
  vResetMv: number;
  vThreshMv: number;
  tRefMs: number;
}

class LifCondGroup extends LifGroup {
  readonly ge: Float64Array;
  readonly gi: Float64Array;
  private readonly gL: number;
  private readonly de: number;
  private readonly di: number;
  protected readonly exc: Receptor;
  protected readonly inh: Receptor;

  constructor(n: number, private readonly p: LifCondParams, dtMs: number, adaptation?: ThresholdAdaptation) {
    super(n, p.vThreshMv, p.vResetMv, p.tRefMs, dtMs, adaptation);
    this.ge = new Float64Array(n);
    this.gi = new Float64Array(n);
    this.gL = p.cmNf / p.tauMemMs;
    this.de = Math.exp(-dtMs / p.tauExcMs);
    this.di = Math.exp(-dtMs / p.tauInhMs);
    this.exc = { array: this.ge, sign: 1, scale: Float64Array.of(1) };
    this.inh = { array: this.gi, sign: 1, scale: Float64Array.of(1) };
  }

  step(n: number, out: Int32Array): number {
    const { v, ge, gi, drive, gL, de, di, vThreshMv } = this;
    const { cmNf, vRestMv, eExcMv, eInhMv } = this.p;
    const dt = this.dtMs;
    let count = 0;
    for (let i = 0, size = this.n; i < size; i++) {
      const e = ge[i];
      const h = gi[i];
      const g = gL + e + h; // G = gL + ge + gi
      const vInf = (gL * vRestMv + e * eExcMv + h * eInhMv + drive[i]) / g; // v∞
      const x = vInf + (v[i] - vInf) * Math.exp((-g * dt) / cmNf); // v ← v∞ + (v − v∞)e^(−G·dt/cm)
      v[i] = x;
      if (x > vThreshMv) out[count++] = i; // spike when v > v_th
      ge[i] = e * de; // ge ← ge·e^(−dt/τe)
      gi[i] = h * di; // gi ← gi·e^(−dt/τi)
    }
    return this.settle(n, out, count); // refractory neurons held at v_reset
  }

  protected variables(): Record<string, Float64Array> {
    return { v: this.v, ge: this.ge, gi: this.gi };
  }
}

export const lifCond: NeuronModel<LifCondParams> = {
  name: 'lif-cond',
  title: 'LIF, exponential conductance synapses',
  defaults: { cmNf: 0.2, tauMemMs: 20, tauExcMs: 5, tauInhMs: 10, eExcMv: 0, eInhMv: -80, vRestMv: -60, vResetMv: -60, vThreshMv: -50, tRefMs: 5 },
  receptors: ['exc', 'inh'],
  variables: ['v', 'ge', 'gi', 'theta'],
  driveUnit: 'nA',
  refractoryMs: (p) => p.tRefMs,
  create: (n, p, dtMs, adaptation) => new LifCondGroup(n, p, dtMs, adaptation),
};
