/** Runtime validation of metric declarations (metrics-meta.json, panel messages); shapes of ./metrics.ts. */
import { z } from 'zod';
import type { MetricTable } from './metrics';

const decl = z.strictObject({
  name: z.string().min(1),
  label: z.string(),
  unit: z.string().optional(),
  group: z.string(),
  scale: z.enum(['linear', 'log']).optional(),
  better: z.enum(['higher', 'lower']).optional(),
  percent: z.boolean().optional(),
  band: z.strictObject({ lo: z.string(), hi: z.string() }).optional(),
  key: z.boolean().optional(),
});

export const metricTableSchema = z.strictObject({
  series: z.record(z.string(), z.strictObject({ label: z.string().optional(), x: z.string() })).optional(),
  metrics: z.array(decl),
}) satisfies z.ZodType<MetricTable>;
