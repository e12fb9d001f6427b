/** The contract every experiment kind fulfils: a schema, a method (`run`), and a one-line pitch. */
import type { z } from 'zod';
import type { RunContext } from '../runs/context';
import type { AttributionSubject } from './attribution';
import type { BaseSpec } from './spec';

/** What `run` returns: flat numeric metrics (sweep tables aggregate these) and a kind-specific result. */
export interface ExperimentResult {
  metrics: Record<string, number>;
  result?: unknown;
}

export interface Experiment<S extends BaseSpec = any> {
  /** Dotted identifier, e.g. `dendrite.sdr`. */
  readonly kind: string;
  /** Short human title. */
  readonly title: string;
  /** One line: what the experiment shows. */
  readonly description: string;
  /** The paper it reproduces, if any (PAPERS.md section). */
  readonly paper?: string;
  /** Engines: 'event' kinds run in TypeScript on the CPU; 'dense' kinds run ONNX graphs. */
  readonly engine: 'event' | 'dense';
  /** The single source of truth for the spec: validation, defaults, JSON Schema, forms. */
  readonly schema: z.ZodType<S>;
  /**
   * Checks of what the spec names rather than holds (a netlist file and its contents): run by
   * loadSpec before any run folder exists; throws InputError with located problems. `resolvePath`
   * makes a spec path absolute as the run will.
   */
  check?(spec: S, resolvePath: (p: string) => string): void;
  /** The method section, top to bottom. */
  run(spec: S, ctx: RunContext): Promise<ExperimentResult>;
  /** Dense kinds the attribution engine can explain: a finished run's model, rebuilt from its checkpoint, with its data. */
  readonly attribution?: {
    load(spec: S, run: FinishedRun): Promise<AttributionSubject>;
  };
}

/** A run folder as spec.json describes it. */
export interface FinishedRun {
  id: string;
  dir: string;
  /** Folder that relative paths in the spec are resolved against. */
  baseDir: string;
}
