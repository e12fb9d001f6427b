/**
 * Leaky integrate-and-fire neuron with exponentially decaying synaptic currents (PyNN
 * `IF_curr_exp`; the neuron of Brian2's CUBA benchmark). Integrated exactly.
 *
 *   τm dv/dt = (v_rest − v) + Ie − Ii + D   currents as the voltage they drive (mV, R·I)
 *   τe dIe/dt = −Ie                         excitatory current decays
 *   τi dIi/dt = −Ii                         inhibitory current decays
 *   Ie ← Ie + w,  Ii ← Ii + w               at each arriving spike (w ≥ 0, mV)
 *
 * The linear system has the exact one-step solution (Brian2's `method='linear'`):
 *   v(t+dt) = v∞ + (v − v∞)·Pm + Ie·Pe − Ii·Pi     v∞ = v_rest + D, Pm = e^(−dt/τm)
 *   Px = τx/(τx − τm)·(e^(−dt/τx) − e^(−dt/τm))     (dt/τm·e^(−dt/τm) when τx = τm)
 *   Ie ← Ie·e^(−dt/τe),  Ii ← Ii·e^(−dt/τi)
 * While refractory v is held; the currents keep decaying.
 */
import { LifGroup } from './lif-base';
import type { NeuronModel, Receptor, ThresholdAdaptation } from './types';

export interface LifExpParams {
  tauMemMs: number;
  tauExcMs: number;
  tauInhMs: number;
  vRestMv: number;
  vResetMv: number;
  vThreshMv: number;
  tRefMs: number;
}

/** Response of v after dt to a unit current decaying with τx (exact). */
export function currentPropagator(dtMs: number, tauMemMs: number, tauSynMs: number): number {
  const pm = Math.exp(-dtMs / tauMemMs);
  if (Math.abs(tauSynMs - tauMemMs) < 1e-12 * tauMemMs) return (dtMs / tauMemMs) * pm;
  return (tauSynMs / (tauSynMs - tauMemMs)) * (Math.exp(-dtMs / tauSynMs) - pm);
}

class LifExpGroup extends LifGroup {
  readonly ie: Float64Array;
  readonly ii: Float64Array;
  private readonly pm: number;
  private readonly pe: number;
  private readonly pi: number;
  private readonly de: number;
  private readonly di: number;
  private readonly exc: Receptor;
  private readonly inh: Receptor;

  constructor(n: number, private readonly p: LifExpParams, dtMs: number, adaptation?: ThresholdAdaptation) {
    super(n, p.vThreshMv, p.vResetMv, p.tRefMs, dtMs, adaptation);
    this.ie = new Float64Array(n);
    this.ii = new Float64Array(n);
    this.pm = Math.exp(-dtMs / p.tauMemMs);
    this.pe = currentPropagator(dtMs, p.tauMemMs, p.tauExcMs);
    this.pi = currentPropagator(dtMs, p.tauMemMs, p.tauInhMs);
    this.de = Math.exp(-dtMs / p.tauExcMs);
    this.di = Math.exp(-dtMs / p.tauInhMs);
    this.exc = { array: this.ie, sign: 1 };
    this.inh = { array: this.ii, sign: 1 };
  }

  integrate(step: number): void {
    const { v, ie, ii, drive, lastSpike, refSteps, pm, pe, pi, de, di } = this;
    const vRest = this.p.vRestMv;
    for (let i = 0; i < this.n; i++) {
      const e = ie[i];
      const h = ii[i];
      if (step - lastSpike[i] >= refSteps) {
        const vInf = vRest + drive[i]; // v∞ = v_rest + D
        v[i] = vInf + (v[i] - vInf) * pm + e * pe - h * pi; // exact v(t+dt)
      }
      ie[i] = e * de; // Ie ← Ie·e^(−dt/τe)
      ii[i] = h * di; // Ii ← Ii·e^(−dt/τi)
    }
  }

  receptor(name: string): Receptor {
    return name === 'exc' ? this.exc : name === 'inh' ? this.inh : this.noReceptor(name);
  }

  protected variables(): Record<string, Float64Array> {
    return { v: this.v, ie: this.ie, ii: this.ii };
  }
}

export const lifExp: NeuronModel<LifExpParams> = {
  name: 'lif-exp',
  title: 'LIF, exponential current synapses',
  defaults: { tauMemMs: 20, tauExcMs: 5, tauInhMs: 10, vRestMv: -65, vResetMv: -65, vThreshMv: -50, tRefMs: 2 },
  receptors: ['exc', 'inh'],
  variables: ['v', 'ie', 'ii'],
  driveUnit: 'mV (R·I)',
  refractoryMs: (p) => p.tRefMs,
  create: (n, p, dtMs, adaptation) => new LifExpGroup(n, p, dtMs, adaptation),
};
