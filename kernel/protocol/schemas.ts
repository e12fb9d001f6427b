/**
 * Runtime validation of every protocol message, on arrival, on both sides.
 * Shapes mirror ./types.ts; the `satisfies` checks keep the two in step.
 */
import { z } from 'zod';
import { attributionGetParams } from './attribution';
import { specFactsParams } from './inline';
import { cellExecuteParams, cellOutputParams, notebookParams } from './notebook';
import { deviceRequests, type Notifications, type Requests } from './types';

const empty = z.union([z.strictObject({}), z.undefined(), z.null()]);
const device = z.enum(deviceRequests);
const status = z.enum(['completed', 'failed', 'cancelled']);
const metricRecord = z.object({ t: z.number(), step: z.number(), series: z.string().optional(), values: z.record(z.string(), z.number().nullable()) });
const summary = z.looseObject({ id: z.string(), kind: z.string(), status, metrics: z.record(z.string(), z.number().nullable()) });
const xy = z.object({
  type: z.literal('xy'),
  series: z.array(z.object({ name: z.string(), x: z.array(z.number()), y: z.array(z.number().nullable()) }).loose()),
}).loose();
const trialStatus = z.enum(['queued', 'running', 'pending', 'incomplete', 'completed', 'failed', 'cancelled']);
const raster = z.object({ type: z.literal('raster'), times: z.array(z.number()), ids: z.array(z.number()) }).loose();

export const requestParamSchemas = {
  'kernel/info': empty,
  'experiments/list': empty,
  'experiments/schema': z.strictObject({ kind: z.string() }),
  'run/start': z
    .strictObject({
      workspace: z.string().min(1),
      specPath: z.string().min(1).optional(),
      spec: z.unknown().optional(),
      overrides: z.array(z.string()).optional(),
      seed: z.int().min(0).max(0xffffffff).optional(),
      device: device.optional(),
      outDir: z.string().min(1).optional(),
      baseDir: z.string().min(1).optional(),
    })
    .refine((p) => (p.specPath === undefined) !== (p.spec === undefined), { message: 'give exactly one of specPath or spec' }),
  'run/cancel': z.strictObject({ runId: z.string().min(1) }),
  'runs/list': z.strictObject({ workspace: z.string().min(1).optional(), root: z.string().min(1).optional() }),
  'runs/get': z.strictObject({ dir: z.string().min(1) }),
  'sweep/start': z
    .strictObject({
      workspace: z.string().min(1),
      specPath: z.string().min(1).optional(),
      spec: z.unknown().optional(),
      overrides: z.array(z.string()).optional(),
      executor: z.enum(['local', 'slurm']).optional(),
      jobs: z.int().min(1).max(10_000).optional(),
      slurm: z.strictObject({ partition: z.string().optional(), time: z.string().optional(), cpus: z.int().optional(), memory: z.string().optional() }).optional(),
      outDir: z.string().min(1).optional(),
    })
    .refine((p) => (p.specPath === undefined) !== (p.spec === undefined), { message: 'give exactly one of specPath or spec' }),
  'sweep/cancel': z.strictObject({ sweepId: z.string().min(1) }),
  'spec/validate': z.strictObject({ text: z.string().max(5_000_000), specPath: z.string().min(1).optional(), workspace: z.string().min(1).optional() }),
  'attribution/get': attributionGetParams,
  'cell/execute': cellExecuteParams,
  'cell/interrupt': notebookParams,
  'notebook/restart': notebookParams,
  'spec/facts': specFactsParams,
} satisfies { [M in keyof Requests]: z.ZodType };

export const notificationSchemas = {
  'run/progress': z.object({ runId: z.string(), fraction: z.number().min(0).max(1), message: z.string().optional() }),
  'run/metric': z.object({ runId: z.string(), record: metricRecord }),
  'run/trace': z.object({ runId: z.string(), name: z.string(), trace: z.discriminatedUnion('type', [xy, raster]) }),
  'run/log': z.object({ runId: z.string().optional(), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  'run/end': z.object({ runId: z.string(), status, summary }),
  'sweep/progress': z.object({
    sweepId: z.string(),
    total: z.int().min(0),
    fraction: z.number().min(0).max(1),
    counts: z.record(trialStatus, z.int().min(0)),
    trial: z.object({ index: z.int().min(0), status: trialStatus, fraction: z.number().optional(), runDir: z.string().optional(), error: z.string().optional() }).optional(),
  }),
  'sweep/end': z.object({
    sweepId: z.string(),
    dir: z.string(),
    status: z.enum(['running', 'submitted', 'completed', 'failed', 'cancelled', 'incomplete']),
    counts: z.record(z.string(), z.int().min(0)),
    table: z.object({ json: z.string(), csv: z.string() }).optional(),
    error: z.string().optional(),
  }),
  'attribution/progress': z.object({ progressToken: z.string(), fraction: z.number().min(0).max(1), message: z.string().optional() }),
  'cell/output': cellOutputParams,
} satisfies { [M in keyof Notifications]: z.ZodType };

/** `path: message` lines for a protocol message that failed validation. */
export function protocolProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`);
}
