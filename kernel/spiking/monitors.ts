/**
 * Monitors record what a run produced: every spike, sampled state variables, binned rates.
 * Their buffers grow by doubling (amortised, not per spike). `raster()` returns a downsampled
 * view and `thin()` a thinned series for streaming to the editor; the full records (`spikes()`,
 * `series()`) go to traces/ files.
 */
import type { Monitor, Population } from './network';
import type { NeuronGroup } from './neurons/types';
import type { Emitter } from './sources';

/** A growable typed buffer. */
class Grow<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as { new (n: number): T })(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class SpikeMonitor implements Monitor {
  private readonly steps = new Grow(new Int32Array(1024));
  private readonly ids = new Grow(new Int32Array(1024));
  constructor(readonly name: string, readonly source: Emitter) {}

  record(step: number): void {
    const { spikes, count } = this.source;
    for (let k = 0; k < count; k++) {
      this.steps.push(step);
      this.ids.push(spikes[k]);
    }
  }

  get count(): number {
    return this.steps.length;
  }

  /** Every spike: the step it was stamped at and the neuron. */
  spikes(): { steps: Int32Array; ids: Int32Array } {
    return { steps: this.steps.view(), ids: this.ids.view() };
  }

  /**
   * At most `maxPoints` spikes for display: all spikes of the neurons 0 … m−1, with m the
   * largest count that fits (a raster of fewer neurons reads better than a thinned one).
   */
  raster(maxPoints: number): { steps: number[]; ids: number[]; neurons: number } {
    const { steps, ids } = this.spikes();
    const perNeuron = new Int32Array(this.source.n);
    for (let k = 0; k < ids.length; k++) perNeuron[ids[k]]++;
    let m = 0;
    for (let total = 0; m < this.source.n && total + perNeuron[m] <= maxPoints; m++) total += perNeuron[m];
    const outSteps: number[] = [];
    const outIds: number[] = [];
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] < m) {
        outSteps.push(steps[k]);
        outIds.push(ids[k]);
      }
    }
    return { steps: outSteps, ids: outIds, neurons: m };
  }

  clear(): void {
    this.steps.length = 0;
    this.ids.length = 0;
  }
}

/** A state variable of some neurons at the start of every `every`-th step. */
export class StateMonitor implements Monitor {
  readonly steps = new Grow(new Int32Array(256));
  private readonly values: Grow<Float64Array>[];
  constructor(
    readonly name: string,
    private readonly group: NeuronGroup,
    private readonly variable: string,
    readonly neurons: readonly number[],
    private readonly every = 1,
  ) {
    group.get(variable, 0); // fail now on an unknown variable
    this.values = neurons.map(() => new Grow(new Float64Array(256)));
  }

  sample(step: number): void {
    if (step % this.every !== 0) return;
    this.steps.push(step);
    for (let k = 0; k < this.neurons.length; k++) this.values[k].push(this.group.get(this.variable, this.neurons[k]));
  }

  /** Values of the k-th recorded neuron. */
  series(k: number): Float64Array {
    return this.values[k].view();
  }
}

/** Population spike counts per bin → mean rate per neuron (Hz). */
export class RateMonitor implements Monitor {
  private readonly counts = new Grow(new Float64Array(64));
  /** Spikes over the whole run, complete bins or not. */
  total = 0;
  private inBin = 0;
  private binFill = 0;
  constructor(readonly name: string, readonly source: Emitter | Population, readonly binSteps: number, private readonly dtMs: number) {}

  record(): void {
    this.total += this.source.count;
    this.inBin += this.source.count;
    if (++this.binFill === this.binSteps) {
      this.counts.push(this.inBin);
      this.inBin = 0;
      this.binFill = 0;
    }
  }

  /** Completed bins: mean rate per neuron in Hz. */
  rates(): number[] {
    return Array.from(this.counts.view(), (c) => this.rate(c));
  }

  /** The last completed bin's rate (Hz), without rebuilding every bin's. */
  lastRate(): number {
    return this.rate(this.counts.data[this.counts.length - 1]);
  }

  private rate(count: number): number {
    return count / this.source.n / ((this.binSteps * this.dtMs) / 1000);
  }
}

/** Keep at most `max` points of a series by taking every k-th. */
export function thin<T>(xs: ArrayLike<T>, max: number): T[] {
  const k = Math.max(1, Math.ceil(xs.length / max));
  const out: T[] = [];
  for (let i = 0; i < xs.length; i += k) out.push(xs[i]);
  return out;
}
