/**
 * One-call simulation of netlist text: parse, build, run to the end. The CLI (`neurite sim`)
 * and tests use this; the `sfq.circuit` experiment drives a Transient itself so it can stream
 * and be cancelled between chunks of steps.
 */
import { Rng } from '../core/rng';
import type { Circuit } from './circuit';
import { buildCircuit } from './netlist/build';
import { Transient, type TransientOptions } from './transient';

export interface SimResult {
  circuit: Circuit;
  sim: Transient;
  /** Column by label, plus `time`. */
  get(label: string): Float64Array;
}

export function simulate(text: string, opts: { source?: string; seed?: number } & Partial<TransientOptions> = {}): SimResult {
  const circuit = buildCircuit(text, opts.source ?? 'netlist');
  const sim = new Transient(circuit, { ...opts, rng: opts.rng ?? new Rng(opts.seed ?? 1) });
  sim.advance(Infinity);
  return {
    circuit,
    sim,
    get(label: string) {
      const r = sim.recorder;
      if (label === 'time') return r.time.subarray(0, r.count);
      const k = r.labels.indexOf(label);
      if (k < 0) throw new Error(`no column ${label}; columns: ${r.labels.join(', ')}`);
      return r.columns[k].subarray(0, r.count);
    },
  };
}
