/**
 * The kernel protocol's message types, shared type-only by the kernel, the extension and the
 * webviews. Runtime validation of the same shapes lives in ./schemas.ts.
 */
import type { AttributionGetParams, AttributionGetResult, AttributionProgressParams } from './attribution';
import type { CellExecuteParams, CellExecuteResult, CellOutputParams } from './notebook';
import type { SpecFactsParams, SpecFactsResult } from './inline';

export type RunStatus = 'completed' | 'failed' | 'cancelled';

/** What a spec's `device`, a run request or `--device` may ask for (`auto`: the best available). */
export const deviceRequests = ['auto', 'cpu', 'cuda', 'webgpu'] as const;
export type DeviceRequest = (typeof deviceRequests)[number];

export interface RunSummary {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  seed: number;
  device: string;
  metrics: Record<string, number>;
  result?: unknown;
  error?: string;
}

export interface MetricRecord {
  /** Seconds since the run started. */
  t: number;
  step: number;
  series?: string;
  values: Record<string, number>;
}

export interface RunInfo {
  id: string;
  dir: string;
  kind?: string;
  name?: string;
  createdAt?: string;
  status: RunStatus | 'incomplete';
  summary?: RunSummary;
}

export interface KernelInfo {
  version: string;
  pid: number;
  node: string;
  platform: string;
  kinds: string[];
  /** Execution providers usable on this machine for dense models. */
  devices: string[];
}

export interface ExperimentListItem {
  kind: string;
  title: string;
  description: string;
  paper?: string;
  engine: 'event' | 'dense';
}

export interface RunStartParams {
  /** Where the run store lives: runs go to `<workspace>/.neurite/runs` unless `outDir` is set. */
  workspace: string;
  /** A spec file to read (YAML or JSON)… */
  specPath?: string;
  /** …or the spec object itself. */
  spec?: unknown;
  overrides?: string[];
  seed?: number;
  device?: DeviceRequest;
  /** Runs root to use instead of `<workspace>/.neurite/runs`. */
  outDir?: string;
  /** Folder that relative paths in the spec (data.dir, netlist…) are resolved against; default: the spec file's folder, else the workspace. */
  baseDir?: string;
}

export interface RunStartResult {
  runId: string;
  dir: string;
  kind: string;
}

/** Curves: x/y series, optionally with a confidence band. */
export interface XYTrace {
  type: 'xy';
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  series: { name: string; x: number[]; y: number[]; lo?: number[]; hi?: number[]; points?: boolean }[];
}

/** Spike rasters: one dot per (time, neuron). */
export interface RasterTrace {
  type: 'raster';
  title?: string;
  timeUnit?: string;
  times: number[];
  ids: number[];
}

export type Trace = XYTrace | RasterTrace;

export interface RunDetails {
  info: RunInfo;
  spec: unknown;
  metrics: MetricRecord[];
  traces: Record<string, Trace>;
  /** The last lines of the run's log.txt. */
  log: string[];
}

export interface SweepStartParams {
  /** Sweeps go to `<workspace>/.neurite/sweeps/<id>/` unless `outDir` (a sweeps root) is set. */
  workspace: string;
  /** A spec file with a `sweep` block (YAML or JSON)… */
  specPath?: string;
  /** …or the spec object itself. */
  spec?: unknown;
  /** `path=value` overrides of the base spec. */
  overrides?: string[];
  executor?: 'local' | 'slurm';
  /** local: parallel workers (default: the number of cores); slurm: most array tasks at once. */
  jobs?: number;
  /** Slurm resources over the spec's `sweep.slurm`. */
  slurm?: { partition?: string; time?: string; cpus?: number; memory?: string };
  outDir?: string;
}

export interface SweepStartResult {
  sweepId: string;
  dir: string;
  total: number;
  /** Trials completed by an earlier execution (a resumed sweep skips them). */
  skipped: number;
  pending: number;
}

export type SweepTrialStatus = 'queued' | 'running' | 'pending' | 'incomplete' | 'completed' | 'failed' | 'cancelled';
export type SweepStatus = 'running' | 'submitted' | 'completed' | 'failed' | 'cancelled' | 'incomplete';

/** A place in a text: 0-based line and character, as editors count them (LSP). */
export interface TextPosition {
  line: number;
  character: number;
}

/**
 * One problem of a spec text, located for editors. `origin` says what found it: the YAML
 * parser, the part of the zod schema a JSON Schema also states (types, ranges, enums, unknown
 * keys), a relation between fields that only the kernel checks (superRefine: θ ≤ s, one of
 * netlist/netlistText), a file the spec names, or the device the run would use.
 */
export interface SpecProblem {
  path: (string | number)[];
  message: string;
  origin: 'syntax' | 'schema' | 'semantic' | 'file' | 'device';
  range: { start: TextPosition; end: TextPosition };
}

export interface SpecValidateParams {
  /** The spec's text (YAML or JSON), as the editor holds it. */
  text: string;
  /** Where the text lives: relative paths in it (netlist, data.dir) resolve against its folder. */
  specPath?: string;
  workspace?: string;
}

export interface SpecValidateResult {
  /** The spec's kind, when it names a known one. */
  kind?: string;
  problems: SpecProblem[];
}

export interface Requests {
  'kernel/info': [Record<string, never> | undefined, KernelInfo];
  'experiments/list': [Record<string, never> | undefined, { experiments: ExperimentListItem[] }];
  'experiments/schema': [{ kind: string }, { schema: Record<string, unknown> }];
  'run/start': [RunStartParams, RunStartResult];
  'run/cancel': [{ runId: string }, { cancelled: boolean }];
  'runs/list': [{ workspace?: string; root?: string }, { runs: RunInfo[] }];
  'runs/get': [{ dir: string }, RunDetails];
  'sweep/start': [SweepStartParams, SweepStartResult];
  'sweep/cancel': [{ sweepId: string }, { cancelled: boolean }];
  'spec/validate': [SpecValidateParams, SpecValidateResult];
  /** Attributions of a run's model (computed, or read when a stored record answers the request); cancel with JSON-RPC's $/cancelRequest. */
  'attribution/get': [AttributionGetParams, AttributionGetResult];
  /** Run one notebook cell (spec or code) in its notebook's context; outputs stream as `cell/output`. */
  'cell/execute': [CellExecuteParams, CellExecuteResult];
  /** Interrupt the notebook's running cell (its context survives unless the cell will not stop). */
  'cell/interrupt': [{ notebook: string }, { interrupted: boolean; restarted: boolean }];
  /** End a notebook's code context (its variables). */
  'notebook/restart': [{ notebook: string }, { restarted: boolean }];
  /** Inline facts of a spec (file or cell) from its finished run: attribution per layer, rates per population, or why they are stale. */
  'spec/facts': [SpecFactsParams, SpecFactsResult];
}

export interface ProgressParams {
  runId: string;
  fraction: number;
  message?: string;
}
export interface MetricParams {
  runId: string;
  record: MetricRecord;
}
export interface TraceParams {
  runId: string;
  name: string;
  trace: Trace;
}
export interface LogParams {
  runId?: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}
export interface EndParams {
  runId: string;
  status: RunStatus;
  summary: RunSummary;
}

export interface SweepProgressParams {
  sweepId: string;
  total: number;
  /** Finished trials plus the running ones' own progress, over all trials. */
  fraction: number;
  counts: Record<SweepTrialStatus, number>;
  /** The trial whose change caused this notification. */
  trial?: { index: number; status: SweepTrialStatus; fraction?: number; runDir?: string; error?: string };
}
export interface SweepEndParams {
  sweepId: string;
  dir: string;
  status: SweepStatus;
  counts: Record<string, number>;
  /** The aggregate table (absent when the sweep could not run at all). */
  table?: { json: string; csv: string };
  error?: string;
}

export interface Notifications {
  'run/progress': ProgressParams;
  'run/metric': MetricParams;
  'run/trace': TraceParams;
  'run/log': LogParams;
  'run/end': EndParams;
  'sweep/progress': SweepProgressParams;
  'sweep/end': SweepEndParams;
  'attribution/progress': AttributionProgressParams;
  'cell/output': CellOutputParams;
}

/** JSON-RPC error codes beyond the standard ones. */
export const KernelErrorCodes = {
  /** A spec or other user input is invalid; `data.problems` lists `path: message` lines. */
  BadInput: -32001,
  /** No run (or sweep) with that id is active. */
  UnknownRun: -32002,
  /** The request was cancelled ($/cancelRequest); JSON-RPC's RequestCancelled. */
  Cancelled: -32800,
} as const;
