/**
 * What the leaky integrate-and-fire models share: a membrane potential v, a fixed threshold
 * (plus optional adaptation θ), reset to v_reset, and an absolute refractory period during which
 * v is held (Brian2's `(unless refractory)`) and delta inputs are dropped (NEST, sPyNNaker).
 *
 *   spike at step n        when v > v_th + θ and n − lastSpike ≥ refSteps
 *   v ← v_reset            at the spike
 *   refractory             for steps lastSpike + 1 … lastSpike + refSteps − 1
 */
import { stepsOf, type NeuronGroup, type Receptor, type ThresholdAdaptation } from './types';

/** Long enough ago that no neuron starts refractory. */
const NEVER = -(2 ** 30);

export abstract class LifGroup implements NeuronGroup {
  readonly v: Float64Array;
  readonly drive: Float64Array;
  readonly lastSpike: Int32Array;
  /** Threshold adaptation θ (all zero when adaptation is off). */
  readonly theta: Float64Array;
  protected readonly refSteps: number;
  private readonly thetaDecay: number;
  private readonly thetaStep: number;

  constructor(
    readonly n: number,
    protected readonly vThreshMv: number,
    protected readonly vResetMv: number,
    tRefMs: number,
    protected readonly dtMs: number,
    adaptation?: ThresholdAdaptation,
  ) {
    this.v = new Float64Array(n);
    this.drive = new Float64Array(n);
    this.lastSpike = new Int32Array(n).fill(NEVER);
    this.theta = new Float64Array(n);
    this.refSteps = stepsOf(tRefMs, dtMs);
    this.thetaDecay = adaptation ? Math.exp(-dtMs / adaptation.tauMs) : 1;
    this.thetaStep = adaptation ? adaptation.incrementMv : 0;
  }

  abstract integrate(step: number): void;
  abstract receptor(name: string): Receptor;
  protected abstract variables(): Record<string, Float64Array>;

  /** Not refractory at this step (Brian2: timestep(t − lastspike) ≥ timestep(refractory)). */
  protected active(i: number, step: number): boolean {
    return step - this.lastSpike[i] >= this.refSteps;
  }

  threshold(step: number, out: Int32Array): number {
    const { v, theta, lastSpike, refSteps, vThreshMv } = this;
    let count = 0;
    if (this.thetaStep === 0) {
      for (let i = 0; i < this.n; i++) if (v[i] > vThreshMv && step - lastSpike[i] >= refSteps) out[count++] = i;
    } else {
      const decay = this.thetaDecay;
      for (let i = 0; i < this.n; i++) {
        theta[i] *= decay; // τθ dθ/dt = −θ, exact over one step
        if (v[i] > vThreshMv + theta[i] && step - lastSpike[i] >= refSteps) out[count++] = i; // v > v_th + θ
      }
    }
    return count;
  }

  reset(spikes: Int32Array, count: number, step: number): void {
    for (let k = 0; k < count; k++) {
      const i = spikes[k];
      this.v[i] = this.vResetMv; // v ← v_reset
      this.lastSpike[i] = step;
      this.theta[i] += this.thetaStep; // θ ← θ + Δθ
    }
  }

  variable(name: string): Float64Array {
    const found = name === 'theta' ? this.theta : this.variables()[name];
    if (!found) throw new Error(`no variable "${name}"`);
    return found;
  }

  clear(): void {
    for (const a of Object.values(this.variables())) a.fill(0);
    this.theta.fill(0);
    this.lastSpike.fill(NEVER);
  }

  protected noReceptor(name: string): never {
    throw new Error(`no receptor "${name}"`);
  }
}
