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
  /**
   * The refractory neurons in the order they spiked: a circular FIFO (a neuron is in it at most
   * once, so n places suffice), `joined[s mod refSteps]` of them from step s; and a flag per
   * neuron. The oldest step's neurons leave from the front when their period ends, so a step
   * touches each held neuron once (v ← v_reset) and reads nothing else about it.
   */
  private readonly held: Int32Array;
  private heldFirst = 0;
  private heldCount = 0;
  private readonly joined: Int32Array;
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
    this.joined = new Int32Array(Math.max(1, this.refSteps));
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
    const { v, held, isHeld, joined } = this;
    const size = held.length;
    if (this.heldCount > 0) {
      // Those that spiked at n − refSteps are released: this step's update stands.
      const slot = n % this.refSteps;
      let first = this.heldFirst;
      for (let r = joined[slot]; r > 0; r--) {
        isHeld[held[first]] = 0;
        if (++first === size) first = 0;
      }
      this.heldCount -= joined[slot];
      this.heldFirst = first;
      joined[slot] = 0;
      // The rest stay at v_reset (in two runs where the FIFO wraps around).
      const vReset = this.vResetMv;
      const end = first + this.heldCount;
      for (let j = first, stop = Math.min(end, size); j < stop; j++) v[held[j]] = vReset;
      for (let j = 0, stop = end - size; j < stop; j++) v[held[j]] = vReset;
    }
    if (this.thetaStep !== 0) return this.adaptiveThreshold(n, out);
    if (this.heldCount === 0) return count;
    let c = 0;
    for (let s = 0; s < count; s++) if (!isHeld[out[s]]) out[c++] = out[s]; // their crossings are dropped
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
    const size = this.held.length;
    let joined = 0;
    for (let k = 0; k < count; k++) {
      const i = spikes[k];
      this.v[i] = this.vResetMv; // v ← v_reset
      this.lastSpike[i] = step;
      this.theta[i] += this.thetaStep; // θ ← θ + Δθ
      if (hold && !this.isHeld[i]) {
        this.isHeld[i] = 1;
        const at = this.heldFirst + this.heldCount + joined++;
        this.held[at < size ? at : at - size] = i;
      }
    }
    if (joined > 0) {
      this.heldCount += joined;
      this.joined[step % this.refSteps] = joined; // released at step + refSteps
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
    this.joined.fill(0);
    this.heldFirst = 0;
    this.heldCount = 0;
  }
}
