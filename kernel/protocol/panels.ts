/**
 * Messages between the extension and its webview panels (postMessage). Types are shared with
 * the webview (type-only); the zod schemas validate what a webview sends, on arrival.
 */
import { z } from 'zod';
import type { MetricRecord, RunDetails, RunSummary, Trace } from './types';

/** Host → run panel. */
export type RunPanelInbound =
  | { type: 'details'; details: RunDetails; active: { fraction: number; message?: string } | null }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'metric'; record: MetricRecord }
  | { type: 'trace'; name: string; trace: Trace }
  | { type: 'log'; level: string; message: string }
  | { type: 'end'; summary: RunSummary };

export const runPanelFiles = ['spec.json', 'summary.json', 'metrics.jsonl', 'log.txt'] as const;

/** Run panel → host. */
export const runPanelOutbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('reveal'), file: z.enum(runPanelFiles) }),
  /** Open the run's waveforms and rasters, at full resolution, in the waveform viewer. */
  z.strictObject({ type: z.literal('openWaveforms') }),
  /** Animate the run's swimmer (ncap.swimmer's pose) in the swimmer view. */
  z.strictObject({ type: z.literal('openSwimmer') }),
]);
export type RunPanelOutbound = z.infer<typeof runPanelOutbound>;
