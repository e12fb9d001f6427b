/**
 * Notebook cells in the kernel: the `cell/execute`, `cell/interrupt` and `notebook/restart`
 * requests, the `cell/output` notification, and the outputs a cell leaves. Outputs follow
 * Jupyter's kinds (nbformat 4: stream, display_data, execute_result, error) so they map 1:1 onto
 * both a `.neuronb` file and VS Code's notebook outputs; rich outputs are JSON under Neurite's own
 * MIME types, each with a `text/plain` fallback for Jupyter and GitHub. Self-contained (zod and
 * type-only imports), so the extension and the notebook renderer can import it.
 */
import { z } from 'zod';
import type { AttributionRecord } from './attribution';
import type { MetricRecord, RunStatus, Trace, XYTrace } from './types';

/** Neurite's output MIME types (the notebook renderer draws these). */
export const NeuriteMime = {
  /** A run: its summary table, metric curves and traces (a spec cell's result, `show(run)`). */
  run: 'application/vnd.neurite.run+json',
  /** One chart: an xy trace or a spike raster. */
  chart: 'application/vnd.neurite.chart+json',
  table: 'application/vnd.neurite.table+json',
  /** One stored attribution record, summarised: heat map and top units. */
  attribution: 'application/vnd.neurite.attribution+json',
  /** Circuit waveforms (node voltages, junction phases) over time. */
  waveform: 'application/vnd.neurite.waveform+json',
  /** A running cell's progress (live only: never saved). */
  progress: 'application/vnd.neurite.progress+json',
} as const;
export const neuriteMimes = Object.values(NeuriteMime);

export interface TableOutput {
  caption?: string;
  columns: string[];
  rows: (string | number | null)[][];
}

export interface RunOutput {
  run: { id: string; dir: string; kind: string; name?: string; status: RunStatus | 'incomplete'; durationMs?: number; seed?: number; device?: string; error?: string };
  /** The summary's flat metrics. */
  metrics: Record<string, number | null>;
  /** Metric records, thinned to at most a few hundred per series (curves only need their shape). */
  records: MetricRecord[];
  /** The run's traces, thinned the same way. */
  traces: Record<string, Trace>;
  /** Stored attribution records, summarised (dense kinds with an `attribution:` block). */
  attributions: AttributionOutput[];
  /** A sweep's aggregate table, when the cell ran a sweep. */
  table?: TableOutput;
}

/** What a view needs of an attribution record: values per unit, rank, and where it came from. */
export interface AttributionOutput {
  run?: string;
  layer: string;
  method: string;
  definition: string;
  unit: string;
  units: number;
  shape: number[];
  items: number;
  neuron?: AttributionRecord['neuron'];
  mean: number[];
  meanAbs: number[];
  fractionActive?: number[];
  /** The top units by meanAbs (at most 16). */
  top: number[];
}

export interface ProgressOutput {
  fraction: number;
  message?: string;
  runId?: string;
}

export type WaveformOutput = XYTrace;

/** One output of a cell, as nbformat 4 names them. `data` maps MIME type → payload. */
export type CellOutput =
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; data: Record<string, unknown>; id?: string }
  | { type: 'result'; data: Record<string, unknown> }
  | { type: 'error'; ename: string; evalue: string; traceback: string[] };

export const cellLanguages = ['yaml', 'javascript', 'typescript'] as const;
export type CellLanguage = (typeof cellLanguages)[number];

export interface CellExecuteParams {
  /** The notebook's identity (its URI or path): one code context per notebook. */
  notebook: string;
  /** Chosen by the caller; `cell/output` notifications carry it. */
  executionId: string;
  language: CellLanguage;
  source: string;
  /** Where runs go (`<workspace>/.neurite/runs`). */
  workspace: string;
  /** Folder that relative paths resolve against (the notebook's folder). */
  baseDir?: string;
  /** A display name for the cell in tracebacks (`cell 3`). */
  cellName?: string;
  /** `[kind:]path=value` overrides of every spec the cell runs (those with a kind only of that kind): how `neurite notebook run --set` shortens a notebook. */
  overrides?: string[];
}

export interface CellExecuteResult {
  status: 'ok' | 'error' | 'interrupted';
  /** Every output the cell left, in order (live progress left out): what the file keeps. */
  outputs: CellOutput[];
  durationMs: number;
  /** The runs the cell made (a spec cell: one). */
  runs: { id: string; dir: string }[];
}

/** `cell/output`: one output as it happens; a display with an `id` replaces the earlier one with that id. */
export interface CellOutputParams {
  executionId: string;
  output: CellOutput;
}

export const cellExecuteParams = z.strictObject({
  notebook: z.string().min(1),
  executionId: z.string().min(1),
  language: z.enum(cellLanguages),
  source: z.string(),
  workspace: z.string().min(1),
  baseDir: z.string().min(1).optional(),
  cellName: z.string().max(200).optional(),
  overrides: z.array(z.string()).optional(),
});

const outputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('stream'), name: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.strictObject({ type: z.literal('display'), data: z.record(z.string(), z.unknown()), id: z.string().optional() }),
  z.strictObject({ type: z.literal('result'), data: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('error'), ename: z.string(), evalue: z.string(), traceback: z.array(z.string()) }),
]);
export const cellOutputParams = z.strictObject({ executionId: z.string(), output: outputSchema });
export const cellExecuteResult = z.strictObject({
  status: z.enum(['ok', 'error', 'interrupted']),
  outputs: z.array(outputSchema),
  durationMs: z.number(),
  runs: z.array(z.strictObject({ id: z.string(), dir: z.string() })),
});
export const notebookParams = z.strictObject({ notebook: z.string().min(1) });

/** Outputs as they accumulate: consecutive stream text joined, a display with an id replacing the earlier one. */
export function addOutput(list: CellOutput[], o: CellOutput): void {
  const lastOne = list[list.length - 1];
  if (o.type === 'stream' && lastOne?.type === 'stream' && lastOne.name === o.name) {
    list[list.length - 1] = { ...lastOne, text: lastOne.text + o.text };
    return;
  }
  if (o.type === 'display' && o.id) {
    const i = list.findIndex((x) => x.type === 'display' && x.id === o.id);
    if (i >= 0) {
      list[i] = o;
      return;
    }
  }
  list.push(o);
}

/** What a file keeps: everything but live progress. */
export function savedOutputs(list: CellOutput[]): CellOutput[] {
  return list.filter((o) => !(o.type === 'display' && NeuriteMime.progress in o.data));
}

/** A stored attribution record as views show it (kept small: no histograms, no per-item values). */
export function attributionOutput(r: AttributionRecord, run?: string): AttributionOutput {
  return {
    run,
    layer: r.layer,
    method: r.request.method,
    definition: r.definition,
    unit: r.unit,
    units: r.units,
    shape: r.shape,
    items: r.items,
    ...(r.neuron ? { neuron: r.neuron } : {}),
    mean: r.values.mean,
    meanAbs: r.values.meanAbs,
    ...(r.values.fractionActive ? { fractionActive: r.values.fractionActive } : {}),
    top: r.rank.slice(0, 16),
  };
}

/** Host → attribution panel: a run's stored records, and the layer (and neuron) to show first. */
export type AttributionPanelInbound = { type: 'records'; run: string; records: AttributionOutput[]; focus: { layer?: string; neuron?: number } };
/** Attribution panel → host (validated on arrival). */
export const attributionPanelOutbound = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('ready') })]);
/** Notebook renderer → host (validated on arrival): open a run's panel. */
export const rendererMessage = z.strictObject({ type: z.literal('openRun'), dir: z.string().min(1) });
