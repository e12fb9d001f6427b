/**
 * The `sweep` block every spec may carry: which trials to run (a grid, explicit cases, random
 * samples, combined as a product) and, for the Slurm executor, what each trial needs.
 *
 * ```yaml
 * sweep:
 *   cases:                                  # explicit override sets (outermost factor)
 *     - { name: small, model.hidden: 8 }
 *     - { name: large, model.hidden: 64 }
 *   random:                                 # n samples, drawn with the spec's seed
 *     n: 10
 *     params:
 *       train.lr: { log: [1.0e-4, 1.0e-1] }
 *       model.layers: { int: [1, 4] }
 *   grid:                                   # every combination (innermost factor)
 *     seed: [1, 2, 3]
 *   slurm: { partition: debug, time: "00:10:00", cpus: 1, memory: 2G }
 * ```
 * Trials are cases × random samples × grid points; a path set twice in one trial is an error.
 * Paths are dotted spec paths; list elements as `checks.falsePositive[0].s` (or `.0.s`).
 */
import { z } from 'zod';

/** `a.b`, `a[0].b`, `a.0.b` — what `--set` accepts, plus brackets for list elements. */
const PATH_RE = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_TRIALS = 10_000;

/** The segments of a sweep path: `a[0].b` → ['a', '0', 'b']. */
export function pathSegments(p: string): string[] {
  return p.replace(/\[(\d+)\]/g, '.$1').split('.');
}

/** Why `p` cannot be swept, or undefined when it can. */
function pathProblem(p: string): string | undefined {
  if (!PATH_RE.test(p)) return `"${p}" is not a spec path (write e.g. model.hidden or checks.falsePositive[0].s)`;
  const segs = pathSegments(p);
  if (segs.some((s) => FORBIDDEN.has(s))) return `"${p}" is not a valid path`;
  if (segs[0] === 'sweep' || segs[0] === 'kind') return `"${segs[0]}" cannot be swept: a sweep runs trials of one spec of one kind`;
  return undefined;
}

/** A record keyed by spec paths; bad keys are reported at the key. */
function byPath<V extends z.ZodType>(value: V) {
  return z.record(z.string(), value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      const problem = pathProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });
}

const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo < hi, 'expected [low, high] with low < high');

const distributionSchema = z
  .strictObject({
    uniform: range.optional().describe('Uniform real number in [low, high).'),
    log: range
      .refine(([lo]) => lo > 0, 'log-uniform needs low > 0')
      .optional()
      .describe('Log-uniform in [low, high) (low > 0): for rates, scales and other positive magnitudes.'),
    int: z
      .tuple([z.int(), z.int()])
      .refine(([lo, hi]) => lo <= hi, 'expected [low, high] with low ≤ high')
      .optional()
      .describe('Uniform integer in [low, high], both ends included.'),
    choice: z.array(z.unknown()).min(1).max(1000).optional().describe('One of these values, equally likely.'),
  })
  .refine((d) => Object.keys(d).length === 1, 'give exactly one of uniform, log, int or choice')
  .describe('How to draw one parameter: { uniform: [lo, hi] }, { log: [lo, hi] }, { int: [lo, hi] } or { choice: [a, b, …] }.');
export type Distribution = z.infer<typeof distributionSchema>;

/** `--time` values Slurm accepts: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
const SLURM_TIME_RE = /^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/;
/** `--mem` values: a number with an optional K, M, G or T suffix. */
const SLURM_MEM_RE = /^\d+[KMGT]?$/;

export const slurmSchema = z
  .strictObject({
    partition: z.string().regex(/^[\w.,-]+$/, 'letters, digits, "_", "-", "." and "," only').optional().describe('Slurm partition (sbatch --partition); the cluster default when unset.'),
    time: z.string().regex(SLURM_TIME_RE, 'a Slurm time limit: minutes, MM:SS, HH:MM:SS or D-HH:MM:SS').optional().describe('Time limit of each trial (sbatch --time), e.g. "00:30:00".'),
    cpus: z.int().min(1).max(1024).default(1).describe('CPUs per trial (sbatch --cpus-per-task); the trial gets NEURITE_THREADS equal to it.'),
    memory: z.string().regex(SLURM_MEM_RE, 'a Slurm memory size such as 2G or 500M').optional().describe('Memory per trial (sbatch --mem), e.g. "4G".'),
    maxParallel: z.int().min(1).max(100_000).optional().describe('Most trials running at once (the job array\'s %N throttle).'),
    options: z
      .array(z.string().regex(/^--[a-z][\w-]*(=\S.*)?$/, 'an sbatch option such as --account=lab or --qos=short'))
      .max(50)
      .default([])
      .describe('More sbatch options, each written into the batch script as an #SBATCH line, e.g. ["--account=lab"].'),
    setup: z
      .array(z.string().max(1000))
      .max(50)
      .default([])
      .describe('Shell lines run before each trial on the compute node, e.g. ["module load nodejs/20"].'),
  })
  .describe('Resources of each trial under the Slurm executor (`neurite sweep --executor slurm`); flags override them.');
export type SlurmBlock = z.infer<typeof slurmSchema>;

export const sweepSchema = z
  .strictObject({
    grid: byPath(z.array(z.unknown()).min(1, 'give at least one value').max(10_000))
      .superRefine((grid, ctx) => {
        for (const [key, values] of Object.entries(grid)) {
          const seen = new Map<string, number>();
          values.forEach((v, i) => {
            const text = JSON.stringify(v);
            const first = seen.get(text);
            if (first !== undefined) ctx.addIssue({ code: 'custom', path: [key, i], message: `duplicate of the value at [${first}] (it would run the same trial twice)` });
            else seen.set(text, i);
          });
        }
      })
      .optional()
      .describe('Every combination of these values: { path: [v1, v2, …] }, e.g. { seed: [1, 2, 3], model.hidden: [8, 16, 32] }.'),
    cases: z
      .array(byPath(z.unknown()))
      .min(1)
      .max(MAX_TRIALS)
      .optional()
      .describe('Explicit override sets, each { path: value, … }, e.g. [{ name: small, model.hidden: 8 }, { name: large, model.hidden: 64 }].'),
    random: z
      .strictObject({
        n: z.int().min(1).max(MAX_TRIALS).describe('How many samples to draw.'),
        params: byPath(distributionSchema).refine((p) => Object.keys(p).length > 0, 'give at least one parameter').describe('{ path: distribution } for each sampled parameter.'),
      })
      .optional()
      .describe("n random samples of the parameters, drawn from the spec's seed (same seed, same samples)."),
    slurm: slurmSchema.optional(),
  })
  .refine((s) => s.grid !== undefined || s.cases !== undefined || s.random !== undefined, 'give at least one of grid, cases or random')
  .describe(
    'Many trials of this spec (`neurite sweep <spec>`): cases × random samples × grid points, each an ordinary run with its overrides applied. `neurite run` ignores this block.',
  );
export type SweepBlock = z.infer<typeof sweepSchema>;
