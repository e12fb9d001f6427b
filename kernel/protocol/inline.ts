/**
 * Inline facts of a spec from its finished run (`spec/facts`): what CodeLens and hovers show
 * beside each layer or population of a spec file or spec cell. Read from the run folder and its
 * stored attribution records, never recomputed; stale when the spec no longer resolves to the
 * run's spec; netlists (`*.cir`) get their junctions' pulses from the newest sfq.circuit run of
 * the file, stale when the netlist's text no longer matches the run's. Self-contained (zod and type-only imports).
 */
import { z } from 'zod';
import type { AttributionOutput } from './notebook';

export const specFactsParams = z.strictObject({
  workspace: z.string().min(1),
  /** The spec as the editor holds it (unsaved edits included). */
  text: z.string(),
  /** A spec file: its newest finished run is the one described. */
  specPath: z.string().min(1).optional(),
  /** A spec cell: the run its output names. */
  runDir: z.string().min(1).optional(),
  /** A netlist (`*.cir`; `text` is the netlist): its junctions, from the newest finished sfq.circuit run that simulated this file. */
  netlistPath: z.string().min(1).optional(),
});
export type SpecFactsParams = z.infer<typeof specFactsParams>;

export interface InlineFact {
  /** 0-based line of the key the fact sits on. */
  line: number;
  /** The CodeLens text, e.g. "hidden0: 37/256 active · top n12 n201 n77". */
  label: string;
  /** What the fact is about: a layer (`hidden0`), a population (`exc`), a junction (`B1|X1`). */
  subject: string;
  /** Dense layers: the record the heat map and the top units come from. */
  attribution?: AttributionOutput;
  /** Rows of the hover's table: name, value. */
  rows: [string, string][];
}

export interface SpecFactsResult {
  run?: { id: string; dir: string; status: string; createdAt?: string };
  /** The spec no longer resolves to the run's spec; `reason` names the first difference. */
  stale: boolean;
  reason?: string;
  /** Line of the stale note (the `kind:` line). */
  staleLine?: number;
  facts: InlineFact[];
}
