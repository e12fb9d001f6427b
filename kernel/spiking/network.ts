/**
 * The event engine: fixed-step integration of neuron groups plus event-driven synapses with
 * delays. Everything lives in typed arrays allocated up front; a step allocates nothing.
 *
 * Step n (t_n = n·dt), Brian2's schedule:
 *   state monitors sample            the state at t_n (Brian2 records at the start of a step)
 *   sources emit                     spike arrays, Poisson trains, external input
 *   groups step                      integrate t_n → t_n + dt, threshold: spikes stamped t_n
 *   projections propagate            delays, transmission, plasticity
 *   groups reset                     v ← v_reset, refractory starts
 *   spike monitors record            this step's spikes
 */
import type { NeuronGroup } from './neurons/types';
import type { Projection } from './projection';
import type { Emitter, Source } from './sources';

/** A named neuron group and its spikes of the current step. */
export class Population implements Emitter {
  readonly spikes: Int32Array;
  count = 0;
  constructor(readonly name: string, readonly group: NeuronGroup) {
    this.spikes = new Int32Array(group.n);
  }
  get n(): number {
    return this.group.n;
  }
}

export interface Monitor {
  /** At the start of step n: the state at t_n. */
  sample?(step: number): void;
  /** At the end of step n: its spikes. */
  record?(step: number): void;
}

export class Network {
  /** The next step to simulate. */
  step = 0;
  readonly populations: Population[] = [];
  readonly sources: (Source & { name: string })[] = [];
  readonly projections: Projection[] = [];
  private readonly samplers: Monitor[] = [];
  private readonly recorders: Monitor[] = [];

  constructor(readonly dtMs: number) {}

  addPopulation(name: string, group: NeuronGroup): Population {
    const p = new Population(name, group);
    this.populations.push(p);
    return p;
  }

  addSource<S extends Source>(name: string, source: S): S & { name: string } {
    const s = Object.assign(source, { name });
    this.sources.push(s);
    return s;
  }

  addProjection(p: Projection): Projection {
    this.projections.push(p);
    return p;
  }

  addMonitor<M extends Monitor>(m: M): M {
    if (m.sample) this.samplers.push(m);
    if (m.record) this.recorders.push(m);
    return m;
  }

  /** Simulate `steps` steps. */
  run(steps: number): void {
    const { sources, populations, projections, samplers, recorders } = this;
    const end = this.step + steps;
    for (let n = this.step; n < end; n++) {
      for (let m = 0; m < samplers.length; m++) samplers[m].sample!(n);
      for (let s = 0; s < sources.length; s++) sources[s].emit(n);
      for (let p = 0; p < populations.length; p++) {
        const pop = populations[p];
        pop.count = pop.group.step(n, pop.spikes);
      }
      for (let j = 0; j < projections.length; j++) projections[j].propagate(n);
      for (let p = 0; p < populations.length; p++) {
        const pop = populations[p];
        if (pop.count > 0) pop.group.reset(pop.spikes, pop.count, n);
      }
      for (let m = 0; m < recorders.length; m++) recorders[m].record!(n);
    }
    this.step = end;
  }

  /** Rewind to step 0: neuron state cleared, queues and traces emptied; weights are kept. */
  rewind(): void {
    this.step = 0;
    for (const p of this.populations) {
      p.group.clear();
      p.count = 0;
    }
    for (const s of this.sources) s.clear();
    for (const j of this.projections) j.clear();
  }
}
