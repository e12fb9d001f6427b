/**
 * One-call simulation of netlist text: parse, build, run to the end (the tests use it). The
 * CLI (`neurite sim`) drives a Transient itself to print the netlist's warnings before the run,
 * the `sfq.circuit` experiment to stream and be cancelled between chunks of steps, and the SFQ
 * models (models/sfq/measure.ts) to yield between chunks.
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
    get: (label) => sim.recorder.column(label),
  };
}
