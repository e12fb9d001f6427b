/**
 * Messages between the extension and its webview panels (postMessage), validated on arrival on
 * both sides: the host checks what a webview asks for, and a webview checks what it is given.
 * Shared by the extension and the webviews; imports nothing but zod and the protocol.
 */
import { z } from 'zod';
import type { MetricTable } from './metrics';
import { metricTableSchema } from './metrics-schema';
import { metricRecord, raster, status, summary, xy } from './schemas';
import type { MetricRecord, RunDetails, RunInfo, RunNotes, RunSummary, Trace } from './types';

const trace = z.discriminatedUnion('type', [xy, raster]);
const notes = z.strictObject({ note: z.string(), tags: z.array(z.string()) });
const runStatus = z.enum(['completed', 'failed', 'cancelled', 'incomplete']);
const runInfo = z.looseObject({ id: z.string(), dir: z.string(), kind: z.string().optional(), name: z.string().optional(), status: runStatus, summary: summary.optional(), notes: notes.optional() });
const runDetails = z.looseObject({
  info: runInfo,
  spec: z.unknown(),
  metrics: z.array(metricRecord),
  traces: z.record(z.string(), trace),
  log: z.array(z.string()),
  meta: metricTableSchema.optional(),
  files: z.array(z.string()),
});
const active = z.strictObject({ fraction: z.number().min(0).max(1), message: z.string().optional() });

/** Host → run panel. */
export type RunPanelInbound =
  | { type: 'details'; details: RunDetails; active: { fraction: number; message?: string } | null }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'metric'; record: MetricRecord }
  | { type: 'trace'; name: string; trace: Trace }
  | { type: 'log'; level: string; message: string }
  | { type: 'end'; summary: RunSummary }
  | { type: 'notes'; notes: RunNotes | null };

export const runPanelInbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('details'), details: runDetails, active: active.nullable() }),
  z.strictObject({ type: z.literal('progress'), fraction: z.number().min(0).max(1), message: z.string().optional() }),
  z.strictObject({ type: z.literal('metric'), record: metricRecord }),
  z.strictObject({ type: z.literal('trace'), name: z.string(), trace }),
  z.strictObject({ type: z.literal('log'), level: z.string(), message: z.string() }),
  z.strictObject({ type: z.literal('end'), summary }),
  z.strictObject({ type: z.literal('notes'), notes: notes.nullable() }),
]);

/** The run records a panel links to; artifacts and trace files are named by their run-relative path. */
export const runPanelFiles = ['spec.json', 'summary.json', 'metrics.jsonl', 'log.txt'] as const;

/** A file of the run folder: a record, or something under artifacts/ or traces/ (never outside the folder). */
const runFile = z
  .string()
  .max(300)
  .refine((f) => (runPanelFiles as readonly string[]).includes(f) || (/^(artifacts|traces)\/[^\\\0]+$/.test(f) && !f.split('/').includes('..')), { message: 'not a file of the run folder' });

/** A chart saved by the user: PNG as a data URL, or CSV text (at most 20 MB). */
const exportRequest = z.strictObject({
  type: z.literal('export'),
  format: z.enum(['png', 'csv']),
  name: z.string().min(1).max(120).regex(/^[\w.-]+$/),
  data: z.string().max(20_000_000),
});

/** Run panel → host. */
export const runPanelOutbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('reveal'), file: runFile }),
  z.strictObject({ type: z.literal('editNotes') }),
  exportRequest,
  /** Open the run's waveforms and rasters, at full resolution, in the waveform viewer. */
  z.strictObject({ type: z.literal('openWaveforms') }),
  /** Animate the run's swimmer (ncap.swimmer's pose) in the swimmer view. */
  z.strictObject({ type: z.literal('openSwimmer') }),
]);
export type RunPanelOutbound = z.infer<typeof runPanelOutbound>;

/** One run in a comparison. */
export interface CompareRun {
  /** Unique within the comparison (the run id, prefixed by its folder where two runs share one). */
  id: string;
  /** The run's id (its folder name). */
  runId: string;
  /** Its folder (the host opens it; the webview asks by id). */
  dir: string;
  name: string;
  kind?: string;
  status: RunInfo['status'] | 'running';
  /** Legend text: the run's name (when names differ) and the parameters that differ. */
  label: string;
  /** Palette index: one colour per run. */
  color: number;
  /** Index of its configuration (runs that differ only in seed share one). */
  config: number;
  seed?: number;
  summary: Record<string, number | null>;
  metrics: MetricRecord[];
  meta?: MetricTable;
  tags: string[];
  durationMs?: number;
}

/** What the comparison dashboard shows. */
export interface CompareModel {
  title: string;
  /** Set when the comparison is a sweep's trials. */
  sweep?: { id: string; status?: string; total: number };
  runs: CompareRun[];
  /** Resolved-spec paths whose values differ between the runs, with each run's value. */
  diff: { path: string; values: unknown[] }[];
  /** How many resolved-spec paths are the same in every run. */
  same: number;
  /** Configurations: the differing parameters other than seed, the runs that share them, and their summary statistics over the completed ones. */
  configs: { label: string; params: Record<string, unknown>; runs: number[]; stats: Record<string, { mean: number | null; sd: number | null; n: number }> }[];
}

/** What a comparison panel shows, kept in its state to come back after a reload. */
export interface CompareTarget {
  dirs?: string[];
  sweepDir?: string;
}

const compareRun = z.looseObject({
  id: z.string(),
  runId: z.string(),
  dir: z.string(),
  name: z.string(),
  kind: z.string().optional(),
  status: z.enum(['completed', 'failed', 'cancelled', 'incomplete', 'running']),
  label: z.string(),
  color: z.int().min(0),
  config: z.int().min(0),
  seed: z.number().optional(),
  summary: z.record(z.string(), z.number().nullable()),
  metrics: z.array(metricRecord),
  meta: metricTableSchema.optional(),
  tags: z.array(z.string()),
  durationMs: z.number().optional(),
});
const compareModel = z.looseObject({
  title: z.string(),
  sweep: z.object({ id: z.string(), status: z.string().optional(), total: z.int().min(0) }).optional(),
  runs: z.array(compareRun),
  diff: z.array(z.object({ path: z.string(), values: z.array(z.unknown()) })),
  same: z.int().min(0),
  configs: z.array(
    z.object({
      label: z.string(),
      params: z.record(z.string(), z.unknown()),
      runs: z.array(z.int().min(0)),
      stats: z.record(z.string(), z.object({ mean: z.number().nullable(), sd: z.number().nullable(), n: z.int().min(0) })),
    }),
  ),
});
const target = z.strictObject({ dirs: z.array(z.string()).max(1000).optional(), sweepDir: z.string().optional() });

/** Host → comparison dashboard. */
export type CompareInbound =
  | { type: 'model'; model: CompareModel; target: CompareTarget }
  | { type: 'metric'; run: string; record: MetricRecord }
  | { type: 'end'; run: string; summary: RunSummary };

export const compareInbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('model'), model: compareModel, target }),
  z.strictObject({ type: z.literal('metric'), run: z.string(), record: metricRecord }),
  z.strictObject({ type: z.literal('end'), run: z.string(), summary: summary.extend({ status }) }),
]);

/** Comparison dashboard → host. */
export const compareOutbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('openRun'), run: z.string().min(1).max(300) }),
  exportRequest,
]);
export type CompareOutbound = z.infer<typeof compareOutbound>;
