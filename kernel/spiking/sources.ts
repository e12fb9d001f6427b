/**
 * Spike sources: populations without dynamics that emit spikes into projections.
 *   SpikeTimesSource   given spike times per neuron (PyNN SpikeSourceArray, Brian2 SpikeGeneratorGroup)
 *   PoissonSource      independent Poisson trains (Brian2 PoissonGroup: each neuron spikes in a
 *                      step with probability rate·dt)
 * and `encodeBits`, the bit-pattern encoder of the supervised STDP paper.
 */
import type { Rng } from '../core/rng';
import { stepsOf } from './neurons/types';

/** Anything that emits spikes: this step's spiking indices are spikes[0 … count−1]. */
export interface Emitter {
  readonly n: number;
  readonly spikes: Int32Array;
  count: number;
}

export interface Source extends Emitter {
  /** Fill `spikes`/`count` for this step. */
  emit(step: number): void;
  /** Back to the start (step 0). */
  clear(): void;
}

export class SpikeTimesSource implements Source {
  readonly spikes: Int32Array;
  count = 0;
  private eventStep = new Int32Array(0);
  private eventId = new Int32Array(0);
  private next = 0;

  /** `timesMs[i]`: the spike times of neuron i (ms). Times are rounded to the step grid. */
  constructor(readonly n: number, timesMs: readonly (readonly number[])[], private readonly dtMs: number) {
    this.spikes = new Int32Array(n);
    this.setTimes(timesMs);
  }

  /** Replace the spike times (and rewind). */
  setTimes(timesMs: readonly (readonly number[])[]): void {
    // Events sorted by (step, neuron) as one number each, step·n + neuron, in a typed array
    // (a million spikes sort natively, without an array per event).
    const n = this.n;
    let total = 0;
    for (const times of timesMs) total += times.length;
    const keys = new Float64Array(total);
    let k = 0;
    timesMs.forEach((times, i) => {
      for (const t of times) keys[k++] = Math.round(t / this.dtMs) * n + i;
    });
    keys.sort();
    this.eventStep = new Int32Array(total);
    this.eventId = new Int32Array(total);
    for (let e = 0; e < total; e++) {
      if (e > 0 && keys[e] === keys[e - 1]) {
        throw new RangeError(`neuron ${keys[e] % n} has two spikes in the step at ${Math.floor(keys[e] / n) * this.dtMs} ms`);
      }
      const step = Math.floor(keys[e] / n);
      this.eventStep[e] = step;
      this.eventId[e] = keys[e] - step * n;
    }
    this.next = 0;
  }

  emit(step: number): void {
    let count = 0;
    while (this.next < this.eventStep.length && this.eventStep[this.next] < step) this.next++;
    while (this.next < this.eventStep.length && this.eventStep[this.next] === step) this.spikes[count++] = this.eventId[this.next++];
    this.count = count;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}

/**
 * n independent Poisson trains at rateHz, between startMs and stopMs. Each (step, neuron) slot
 * is a Bernoulli trial with p = rate·dt; instead of one draw per slot we draw the geometric gap
 * to the next success across the slots laid end to end (step-major), which is the same process
 * at the cost of one draw per spike.
 */
export class PoissonSource implements Source {
  readonly spikes: Int32Array;
  count = 0;
  private readonly p: number;
  private readonly logQ: number;
  private readonly startStep: number;
  private readonly stopStep: number;
  /** The next slot that fires (a typed array: it passes 2^30, beyond V8's small integers). */
  private readonly next = new Float64Array(1);

  constructor(readonly n: number, readonly rateHz: number, dtMs: number, private readonly rng: Rng, startMs = 0, stopMs = Infinity) {
    this.spikes = new Int32Array(n);
    this.p = Math.min(1, (rateHz * dtMs) / 1000);
    this.logQ = Math.log1p(-this.p);
    this.startStep = stepsOf(startMs, dtMs);
    this.stopStep = stopMs === Infinity ? Infinity : stepsOf(stopMs, dtMs);
    this.clear();
  }

  /** Slots to skip before the next success. */
  private gap(): number {
    if (this.p >= 1) return 0;
    if (this.p <= 0) return Infinity;
    return Math.floor(Math.log(1 - this.rng.float()) / this.logQ); // 1 − U ∈ (0, 1]
  }

  emit(step: number): void {
    let count = 0;
    if (step >= this.startStep && step < this.stopStep) {
      const n = this.n;
      const base = step * n;
      let slot = this.next[0];
      if (slot < base) slot = base + this.gap(); // first active step
      const end = base + n;
      while (slot < end) {
        this.spikes[count++] = slot - base;
        slot += 1 + this.gap();
      }
      this.next[0] = slot;
    }
    this.count = count;
  }

  clear(): void {
    this.count = 0;
    this.next[0] = -1;
  }
}

/**
 * Bit-pattern encoder (Davies et al.): a word of `bits` bits drives two banks of `bits` inputs,
 * neuron k of each bank standing for bit (bits − 1 − k), most significant first. A bit set to 1
 * makes its "ones" input spike at `onesMs`, a bit 0 makes its "zeros" input spike at `zerosMs`;
 * the other input stays silent.
 */
export function encodeBits(word: number, bits: number, onesMs: readonly number[], zerosMs: readonly number[]): { ones: number[][]; zeros: number[][] } {
  const ones: number[][] = [];
  const zeros: number[][] = [];
  for (let k = 0; k < bits; k++) {
    const set = (word >> (bits - 1 - k)) & 1;
    ones.push(set ? [...onesMs] : []);
    zeros.push(set ? [] : [...zerosMs]);
  }
  return { ones, zeros };
}
