/**
 * What the leaky integrate-and-fire models share: a membrane potential v, a fixed threshold
 * (plus optional adaptation θ), reset to v_reset, and an absolute refractory period during which
 * v is held (Brian2's `(unless refractory)`) and delta inputs are dropped (NEST, sPyNNaker).
 *
 *   spike at step n        when v > v_th + θ and n − lastSpike ≥ refSteps (Brian2:
 *                          timestep(t − lastspike) ≥ timestep(refractory))
 *   v ← v_reset            at the spike
 *   refractory             for steps lastSpike + 1 … lastSpike + refSteps − 1
 *
 * The models' loops update every neuron without a refractory test (the test costs ~40% of
 * the loop); `settle` then puts the few refractory neurons back at v_reset and drops their
 * threshold crossings, which is the same as not having updated them.
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
  /** The neurons that are refractory, and a flag per neuron. */
  private readonly held: Int32Array;
  private heldCount = 0;
  private readonly isHeld: Uint8Array;
  private readonly thetaDecay: number;
  private readonly thetaStep: number;

  constructor(
    readonly n: number,
    protected readonly vThreshMv: number,
    protected readonly vResetMv: number,
    tRefMs: number,
    protected readonly dtMs: number,
    adaptation?: ThresholdAdaptation,
    v?: Float64Array,
  ) {
    this.v = v ?? new Float64Array(n);
    this.drive = new Float64Array(n);
    this.lastSpike = new Int32Array(n).fill(NEVER);
    this.theta = new Float64Array(n);
    this.held = new Int32Array(n);
    this.isHeld = new Uint8Array(n);
    this.refSteps = stepsOf(tRefMs, dtMs);
    this.thetaDecay = adaptation ? Math.exp(-dtMs / adaptation.tauMs) : 1;
    this.thetaStep = adaptation ? adaptation.incrementMv : 0;
  }

  /** Where excitatory and inhibitory events land (set up by each model). */
  protected abstract readonly exc: Receptor;
  protected abstract readonly inh: Receptor;

  /** Integrate every neuron, collect v > v_th into `out`, then `settle`. */
  abstract step(n: number, out: Int32Array): number;
  protected abstract variables(): Record<string, Float64Array>;
  /** Called when the drive changes (models may precompute from it). */
  protected driveChanged(): void {}

  /**
   * After the loop: refractory neurons go back to v_reset (held) and their crossings are
   * dropped; those whose period ended this step keep their update. With adaptation the
   * threshold is then v > v_th + θ, θ decaying first.
   */
  protected settle(n: number, out: Int32Array, count: number): number {
    const { v, held, isHeld, lastSpike, refSteps } = this;
    let kept = 0;
    for (let j = 0; j < this.heldCount; j++) {
      const i = held[j];
      if (n - lastSpike[i] >= refSteps) isHeld[i] = 0; // released: this step's update stands
      else {
        v[i] = this.vResetMv; // v held at reset
        held[kept++] = i;
      }
    }
    this.heldCount = kept;
    if (this.thetaStep !== 0) return this.adaptiveThreshold(n, out);
    if (kept === 0) return count;
    let c = 0;
    for (let s = 0; s < count; s++) if (!isHeld[out[s]]) out[c++] = out[s];
    return c;
  }

  private adaptiveThreshold(n: number, out: Int32Array): number {
    const { v, theta, lastSpike, refSteps, vThreshMv } = this;
    const decay = this.thetaDecay;
    let count = 0;
    for (let i = 0; i < this.n; i++) {
      theta[i] *= decay; // τθ dθ/dt = −θ, exact over one step
      if (v[i] > vThreshMv + theta[i] && n - lastSpike[i] >= refSteps) out[count++] = i; // v > v_th + θ
    }
    return count;
  }

  reset(spikes: Int32Array, count: number, step: number): void {
    const hold = this.refSteps > 1; // refractory during the next step?
    for (let k = 0; k < count; k++) {
      const i = spikes[k];
      this.v[i] = this.vResetMv; // v ← v_reset
      this.lastSpike[i] = step;
      this.theta[i] += this.thetaStep; // θ ← θ + Δθ
      if (hold && !this.isHeld[i]) {
        this.isHeld[i] = 1;
        this.held[this.heldCount++] = i;
      }
    }
  }

  receptor(name: string): Receptor {
    if (name === 'exc') return this.exc;
    if (name === 'inh') return this.inh;
    throw new Error(`no receptor "${name}"`);
  }

  get(name: string, i: number): number {
    return this.storage(name)[i];
  }

  set(name: string, values: ArrayLike<number> | number): void {
    const a = this.storage(name);
    if (typeof values === 'number') a.fill(values);
    else a.set(values);
    if (name === 'drive') this.driveChanged();
  }

  protected storage(name: string): Float64Array {
    const found = name === 'theta' ? this.theta : name === 'drive' ? this.drive : this.variables()[name];
    if (!found) throw new Error(`no variable "${name}"`);
    return found;
  }

  clear(): void {
    for (const a of Object.values(this.variables())) a.fill(0);
    this.theta.fill(0);
    this.lastSpike.fill(NEVER);
    this.isHeld.fill(0);
    this.heldCount = 0;
  }
}
