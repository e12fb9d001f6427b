/**
 * dendrite.sdr — Ahmad & Hawkins (2016), "How do neurons operate on sparse distributed
 * representations? A mathematical theory of sparsity, neurons and active dendrites"
 * (arXiv 1601.00720), PAPERS.md §6.
 *
 * Method: (1) compute the exact false-positive, false-negative and union error probabilities
 * of a dendritic segment at the check points; (2) estimate each by Monte Carlo with random
 * SDRs and segments and test that theory lies inside the simulation's confidence interval;
 * (3) trace the paper's sweeps (effect of n, of s, noise robustness, unions, the threshold
 * trade-off of one segment, and the optimal-threshold figure: median P_FP over the paper's grid).
 */
import * as fs from 'fs';
import { z } from 'zod';
import { falseNegative, falsePositive, unionFalsePositive, unionFalsePositiveExact } from '../models/dendrite/sdr-theory';
import { FalseNegativeSim, FalsePositiveSim, UnionSim, runChunked, type ChunkedSim, type SimResult } from '../models/dendrite/sdr-simulate';
import { paperSweeps, sweepIds, type Sweep } from '../models/dendrite/sdr-sweeps';
import type { RunContext } from '../runs/context';
import type { MetricTable } from '../protocol/metrics';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

const count = (what: string, max: number) => z.int().min(1).max(max).describe(what);
const segment = {
  n: count('Cells in the population.', 1_000_000),
  a: count('Active cells in each pattern.', 1_000_000),
  s: count('Synapses on the segment.', 10_000),
  theta: z.int().min(1, 'a threshold of 0 makes every pattern activate the segment; θ ≥ 1').max(10_000).describe('Segment threshold θ (1 ≤ θ ≤ s): it is active with ≥ θ active synapses.'),
};
const fp = z.strictObject(segment);
const fn = z.strictObject({ ...segment, v: z.int().min(0).max(1_000_000).describe('Active cells replaced by noise.') });
const union = z.strictObject({ ...segment, M: count('Patterns stored on one segment.', 100_000) });

/** Every check must describe a drawable configuration with a reachable threshold; say which number breaks it. */
const sane = <T extends z.infer<typeof fp>>(c: T, ctx: z.RefinementCtx) => {
  if (c.a > c.n) ctx.addIssue({ code: 'custom', path: ['a'], message: `a (${c.a}) cannot exceed n (${c.n})` });
  if (c.s > c.n) ctx.addIssue({ code: 'custom', path: ['s'], message: `s (${c.s}) cannot exceed n (${c.n})` });
  // θ > s: no pattern can reach the threshold, so every error rate is 0 or 1 by construction.
  if (c.theta > c.s) ctx.addIssue({ code: 'custom', path: ['theta'], message: `theta (${c.theta}) cannot exceed s (${c.s}): the segment never sees more than s active synapses` });
};

export const sdrSpec = defineSpec('dendrite.sdr', {
  checks: z
    .strictObject({
      falsePositive: z.array(fp.superRefine(sane)).max(50).default([
        { n: 300, a: 64, s: 24, theta: 12 },
        { n: 10000, a: 300, s: 24, theta: 12 },
      ]),
      falseNegative: z
        .array(fn.superRefine((c, ctx) => {
          sane(c, ctx);
          if (c.s > c.a) ctx.addIssue({ code: 'custom', path: ['s'], message: `s (${c.s}) cannot exceed a (${c.a}): the segment samples the pattern's active cells` });
          if (c.v > c.a) ctx.addIssue({ code: 'custom', path: ['v'], message: `v (${c.v}) cannot exceed a (${c.a})` });
          else if (c.a + c.v > c.n) ctx.addIssue({ code: 'custom', path: ['v'], message: `v (${c.v}) noise cells must come from the n − a = ${c.n - c.a} inactive cells` });
        }))
        .max(50)
        .default([{ n: 2048, a: 64, s: 24, theta: 12, v: 32 }]),
      union: z.array(union.superRefine(sane)).max(50).default([{ n: 2048, a: 40, s: 24, theta: 12, M: 20 }]),
    })
    .prefault({})
    .describe('Configurations where theory and simulation are compared.'),
  simulation: z
    .strictObject({
      trials: z.int().min(0).max(1e12).default(2_000_000).describe('Segment tests per false-positive and false-negative check (0: theory only).'),
      unionTrials: z.int().min(0).max(1e12).default(200_000).describe('Tests per union check; each draws a fresh union of M patterns, so they cost ~M times more.'),
      confidence: z.number().gt(0.5).lt(1).default(0.99).describe('Confidence level of the simulation intervals.'),
      chunk: z.int().min(1000).max(1e9).default(250_000).describe('Tests between progress reports and cancellation points.'),
    })
    .prefault({}),
  sweeps: z
    .array(z.enum(sweepIds))
    .default([...sweepIds])
    .describe('Which of the paper\'s sweeps to trace: ' + sweepIds.join(', ') + '.'),
});

export type SdrSpec = z.infer<typeof sdrSpec>;

interface Check {
  id: string;
  kind: 'falsePositive' | 'falseNegative' | 'union';
  params: Record<string, number>;
  /** The exact probability the simulation estimates. */
  theory: number;
  /** Unions only: the paper's formula, which uses the rounded mean union size s'. */
  paper?: number;
  trials: number;
  sim?: SimResult;
  /** theory ∈ [lo, hi] of the simulation interval */
  agrees?: boolean;
}

/** What dendrite.sdr emits: each check's estimate converging (one series per check), then the checks. */
export const sdrMetrics: MetricTable = {
  series: { '{check}': { label: '{check}', x: 'segment tests' } },
  metrics: [
    { name: 'checks_agreeing', label: 'checks whose theory lies in the interval', group: 'Agreement', percent: true, better: 'higher', key: true },
    { name: 'estimate', label: 'simulated rate', group: 'Error rate', scale: 'log', band: { lo: 'lo', hi: 'hi' } },
    { name: 'theory', label: 'theory', group: 'Error rate', scale: 'log' },
    { name: 'lo', label: 'interval, lower bound', group: 'Error rate', scale: 'log' },
    { name: 'hi', label: 'interval, upper bound', group: 'Error rate', scale: 'log' },
    { name: '{check}_sim', label: '{check} simulated', group: 'Error rates', scale: 'log', band: { lo: '{check}_lo', hi: '{check}_hi' } },
    { name: '{check}_theory', label: '{check} theory', group: 'Error rates', scale: 'log' },
    { name: '{check}_paper', label: "{check} paper's formula", group: 'Error rates', scale: 'log' },
    { name: '{check}_lo', label: '{check} interval, lower bound', group: 'Error rates', scale: 'log' },
    { name: '{check}_hi', label: '{check} interval, upper bound', group: 'Error rates', scale: 'log' },
    { name: '{check}_agrees', label: '{check} theory in the interval (1 yes, 0 no)', group: 'Agreement', better: 'higher' },
  ],
};

export const sdrExperiment: Experiment<SdrSpec> = {
  kind: 'dendrite.sdr',
  title: 'Active dendrites on sparse distributed representations',
  description: 'Exact and Monte Carlo error rates of dendritic segments on SDRs (Ahmad & Hawkins 2016)',
  paper: 'PAPERS.md §6 — arXiv 1601.00720',
  engine: 'event',
  schema: sdrSpec,
  metrics: sdrMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Theory at every check point.
    const checks: Check[] = [
      ...spec.checks.falsePositive.map((p, i) => ({ id: `fp${i}`, kind: 'falsePositive' as const, params: p, theory: falsePositive(p), trials: spec.simulation.trials })),
      ...spec.checks.falseNegative.map((p, i) => ({ id: `fn${i}`, kind: 'falseNegative' as const, params: p, theory: falseNegative(p), trials: spec.simulation.trials })),
      // The union's size is random; the simulation measures the average over it, which the
      // paper's formula approximates with the rounded mean size. Both are reported.
      ...spec.checks.union.map((p, i) => ({ id: `union${i}`, kind: 'union' as const, params: p, theory: unionFalsePositiveExact(p), paper: unionFalsePositive(p), trials: spec.simulation.unionTrials })),
    ];
    for (const c of checks) ctx.log(`${c.id} ${c.kind} ${JSON.stringify(c.params)}: theory ${c.theory.toExponential(7)}${c.paper !== undefined ? ` (paper's formula ${c.paper.toExponential(7)})` : ''}`);

    // (2) Simulation: random SDRs and segments, in chunks (progress + cancellation between them).
    const totalTrials = checks.reduce((s, c) => s + c.trials, 0);
    const work = totalTrials + spec.sweeps.length * spec.simulation.chunk; // sweeps weigh one chunk each
    let done = 0;
    for (const c of checks) {
      if (c.trials === 0) continue;
      const sim = simulator(c, ctx);
      for (let left = c.trials; left > 0;) {
        const k = Math.min(spec.simulation.chunk, left);
        runChunked(sim, k, { chunk: k });
        left -= k;
        done += k;
        const r = sim.result(spec.simulation.confidence);
        ctx.metric(r.trials, { estimate: r.p, lo: r.ci[0], hi: r.ci[1], theory: c.theory }, c.id);
        ctx.progress(done / work, `${c.id}: ${r.trials.toExponential(1)} tests, ${r.hits} hits`);
        await ctx.yieldOrThrowIfCancelled();
      }
      c.sim = sim.result(spec.simulation.confidence);
      c.agrees = c.theory >= c.sim.ci[0] && c.theory <= c.sim.ci[1];
      ctx.log(`${c.id}: simulated ${c.sim.p.toExponential(4)} [${c.sim.ci.map((x) => x.toExponential(3)).join(', ')}] vs theory ${c.theory.toExponential(4)} → ${c.agrees ? 'agrees' : 'DISAGREES'}`);
    }

    // (3) The paper's sweeps, as data series.
    const sweeps: Sweep[] = [];
    for (const id of spec.sweeps) {
      const sweep = paperSweeps[id]();
      sweeps.push(sweep);
      ctx.trace(`sweep-${id}`, {
        type: 'xy',
        title: sweep.title,
        xLabel: sweep.xLabel,
        yLabel: sweep.yLabel,
        logY: sweep.logY,
        // simulated points carry their confidence interval: views draw it as a band
        series: sweep.series.map((s) => ({ name: s.name, x: s.points.map((p) => p.x), y: s.points.map((p) => p.y), ...(s.points.some((p) => p.lo !== undefined) ? { lo: s.points.map((p) => p.lo ?? p.y), hi: s.points.map((p) => p.hi ?? p.y), points: true } : {}) })),
      });
      if (sweep.table) {
        const { columns, rows } = sweep.table;
        fs.writeFileSync(ctx.tracePath(`sweep-${id}.csv`), [columns.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
      }
      done += spec.simulation.chunk;
      ctx.progress(done / work, `sweep ${id}`);
      await ctx.yieldOrThrowIfCancelled();
    }

    return { metrics: summaryMetrics(checks), result: { checks, sweeps: sweeps.map((s) => ({ id: s.id, title: s.title, series: s.series.length })) } };
  },
};

function simulator(c: Check, ctx: RunContext): ChunkedSim {
  const rng = ctx.rng.fork(c.id);
  const p = c.params as any;
  if (c.kind === 'falsePositive') return new FalsePositiveSim(p, rng);
  if (c.kind === 'falseNegative') return new FalseNegativeSim(p, rng);
  return new UnionSim(p, rng);
}

/** Flat metrics for tables and sweeps: per check its theory, estimate, interval and agreement. */
function summaryMetrics(checks: Check[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const c of checks) {
    m[`${c.id}_theory`] = c.theory;
    if (c.paper !== undefined) m[`${c.id}_paper`] = c.paper;
    if (c.sim) {
      m[`${c.id}_sim`] = c.sim.p;
      m[`${c.id}_lo`] = c.sim.ci[0];
      m[`${c.id}_hi`] = c.sim.ci[1];
      m[`${c.id}_agrees`] = c.agrees ? 1 : 0;
    }
  }
  if (checks.some((c) => c.sim)) m.checks_agreeing = checks.filter((c) => c.agrees).length / checks.length;
  return m;
}
