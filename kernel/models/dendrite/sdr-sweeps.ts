/**
 * The parameter sweeps of Ahmad & Hawkins (2016, arXiv 1601.00720) as plot-ready data:
 * theory from sdr-theory.ts, and, when asked, Monte Carlo points with their intervals.
 *
 * Parameter ranges follow the paper's plotting scripts in numenta/htmresearch
 * projects/sdr_paper (read, not copied): plot_effect_of_n.py, plot_effect_of_s.py,
 * plot_noise_results.py, sdr_paper_unions.py, and for the optimal-threshold figure
 * compute_optimal_threshold.py and plot_optimal_threshold.py (sdr-threshold-figure.ts). Where
 * they leave a choice open, the comment at that sweep says what was chosen.
 */
import {
  falseNegative, falsePositive, thresholdTradeoff, unionFalsePositive,
  unionFalsePositiveExact, type FalseNegativeParams, type FalsePositiveParams, type UnionParams,
} from './sdr-theory';
import { FalseNegativeSim, FalsePositiveSim, UnionSim, runChunked, type ChunkedSim, type Uniform } from './sdr-simulate';
import { thresholdMedianSweep } from './sdr-threshold-figure';

/** One plotted point; lo/hi bound a simulated point (its confidence interval). */
export interface Point { x: number; y: number; lo?: number; hi?: number }
export interface Series {
  name: string;
  x: string; // variable on the x axis
  y: string; // variable on the y axis
  kind: 'theory' | 'simulation';
  points: Point[];
  params: Record<string, number>; // parameters held fixed along the series
}
export interface Sweep {
  id: SweepId; title: string; xLabel: string; yLabel: string; logY: boolean; series: Series[];
  /** Numbers behind the plot beyond its series (written as traces/sweep-<id>.csv by the experiment). */
  table?: { columns: string[]; rows: number[][] };
}
/** The sweeps, in the paper's order (a tuple, so schemas can enumerate it). */
export const sweepIds = ['n', 's', 'noise', 'union', 'threshold', 'threshold-median'] as const;
export type SweepId = (typeof sweepIds)[number];

/** Simulate the points whose theory predicts at least minExpectedHits (default 10) in `trials` tests. */
export interface SimulateOptions { rng: Uniform; trials: number; minExpectedHits?: number; level?: number }

const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * A theory series over `items` (x and the parameters at x) and, with `simulate`, its simulated
 * twin. Points whose probability is exactly 0 are left out: every sweep has a log y axis.
 */
function seriesPair<P>(
  name: string, axes: { x: string; y: string }, params: Record<string, number>, items: { x: number; p: P }[],
  theory: (p: P) => number, simulate?: SimulateOptions, makeSim?: (p: P, rng: Uniform) => ChunkedSim,
): Series[] {
  const withY = items.map((it) => ({ ...it, y: theory(it.p) })).filter((it) => it.y > 0);
  const out: Series[] = [{ name, ...axes, kind: 'theory', params, points: withY.map(({ x, y }) => ({ x, y })) }];
  if (simulate && makeSim) {
    const points: Point[] = [];
    for (const it of withY) {
      if (it.y * simulate.trials < (simulate.minExpectedHits ?? 10)) continue; // too rare to see
      const r = runChunked(makeSim(it.p, simulate.rng), simulate.trials, { level: simulate.level ?? 0.95 });
      points.push({ x: it.x, y: r.p, lo: r.ci[0], hi: r.ci[1] });
    }
    out.push({ name: `${name} (simulated)`, ...axes, kind: 'simulation', params, points });
  }
  return out;
}

const fpSim = (p: FalsePositiveParams, rng: Uniform) => new FalsePositiveSim(p, rng);

/**
 * (1) Effect of n: P_FP vs population size for s = 24, θ = 12 and a ∈ {64, 128, 256}.
 * n = 300…19,900 in steps of 200, the grid of plot_effect_of_n.py (99 points; the curves are
 * smooth on a log axis, so step 100 adds nothing). n < a is skipped.
 */
export function effectOfN(opts: { aValues?: number[]; nValues?: number[]; s?: number; theta?: number; simulate?: SimulateOptions } = {}): Sweep {
  const { aValues = [64, 128, 256], nValues = range(300, 19900, 200), s = 24, theta = 12 } = opts;
  return {
    id: 'n', title: 'False positives vs population size', xLabel: 'Cell population size (n)',
    yLabel: 'Probability of false positives', logY: true,
    series: aValues.flatMap((a) => seriesPair(`a = ${a}`, { x: 'n', y: 'P_FP' }, { a, s, theta },
      nValues.filter((n) => n >= a && n >= s).map((n) => ({ x: n, p: { n, a, s, theta } })), falsePositive, opts.simulate, fpSim)),
  };
}

/**
 * (2) Effect of s: P_FP vs synapses per segment with θ = s/2, s = 2…30 in steps of 2, for the
 * four (n, a) pairs that plot_effect_of_s.py draws: (2000, 32), (4000, 32), (16000, 512) and
 * the dense, dashed (16000, 4000) that shows what is lost without sparsity.
 */
export function effectOfS(opts: { configs?: { n: number; a: number }[]; sValues?: number[]; simulate?: SimulateOptions } = {}): Sweep {
  const { configs = [{ n: 2000, a: 32 }, { n: 4000, a: 32 }, { n: 16000, a: 512 }, { n: 16000, a: 4000 }], sValues = range(2, 30, 2) } = opts;
  return {
    id: 's', title: 'False positives vs number of synapses (θ = s/2)', xLabel: 'Number of synapses on segment (s)',
    yLabel: 'Probability of false positives', logY: true,
    series: configs.flatMap(({ n, a }) => seriesPair(`a = ${a}, n = ${n}`, { x: 's', y: 'P_FP' }, { n, a },
      sValues.map((s) => ({ x: s, p: { n, a, s, theta: Math.floor(s / 2) } })), falsePositive, opts.simulate, fpSim)),
  };
}

/**
 * (3) Noise robustness: P_FN vs the fraction of the a active cells replaced by noise, for
 * a = 128, s = 30, θ ∈ {8, 12, 16}; v = round(f·a) for f = 0.05…0.80 (plot_noise_results.py).
 * n (4000, as in run_simulations.py) only matters to the simulation, which needs n − a ≥ v.
 */
export function noiseRobustness(opts: { n?: number; a?: number; s?: number; thetas?: number[]; fractions?: number[]; simulate?: SimulateOptions } = {}): Sweep {
  const { n = 4000, a = 128, s = 30, thetas = [8, 12, 16], fractions = range(1, 16, 1).map((k) => k / 20) } = opts;
  const vs = [...new Set(fractions.map((f) => Math.round(f * a)))];
  return {
    id: 'noise', title: 'False negatives vs noise', xLabel: 'Noise (fraction of a replaced)',
    yLabel: 'Probability of false negatives', logY: true,
    series: thetas.flatMap((theta) => seriesPair(`θ = ${theta}`, { x: 'v/a', y: 'P_FN' }, { n, a, s, theta },
      vs.map((v) => ({ x: v / a, p: { n, a, s, theta, v } })), (p: FalseNegativeParams) => falseNegative(p), opts.simulate,
      (p, rng) => new FalseNegativeSim(p, rng))),
  };
}

/**
 * (4) Union property: P_FP vs the number M of patterns stored on one segment, a = 200, s = 25,
 * θ = 15, M = 1…19, n ∈ {1000, 10000, 20000} (sdr_paper_unions.py), with the paper's rounded
 * mean union size. `exact` adds the average over the random union size, which is what the
 * simulation measures.
 */
export function unionProperty(opts: { nValues?: number[]; a?: number; s?: number; theta?: number; Ms?: number[]; exact?: boolean; simulate?: SimulateOptions } = {}): Sweep {
  const { nValues = [1000, 10000, 20000], a = 200, s = 25, theta = 15, Ms = range(1, 19, 1), exact = false } = opts;
  const items = (n: number) => Ms.map((M) => ({ x: M, p: { n, a, s, theta, M } }));
  const unionSim = (p: UnionParams, rng: Uniform) => new UnionSim(p, rng);
  return {
    id: 'union', title: 'False positives vs number of stored patterns', xLabel: 'Number of combined patterns (M)',
    yLabel: 'Probability of false positives', logY: true,
    series: nValues.flatMap((n) => [
      ...seriesPair(`n = ${n}`, { x: 'M', y: 'P_FP' }, { n, a, s, theta }, items(n), unionFalsePositive, opts.simulate, unionSim),
      ...(exact ? seriesPair(`n = ${n}, exact over |U|`, { x: 'M', y: 'P_FP' }, { n, a, s, theta }, items(n), unionFalsePositiveExact) : []),
    ]),
  };
}

/**
 * (5) Optimal threshold: P_FP, P_FN and their sum vs θ for one segment — defaults n = 4000,
 * a = 128, s = 30 and half of the active cells replaced by noise (v = 64), the setting of the
 * noise sweep. The paper's figure, a median over a grid, is sweep (6) in sdr-threshold-figure.ts.
 */
export function optimalThresholdSweep(opts: { n?: number; a?: number; s?: number; noise?: number; simulate?: SimulateOptions } = {}): Sweep {
  const { n = 4000, a = 128, s = 30, noise = 0.5 } = opts;
  const v = Math.round(noise * a);
  const t = thresholdTradeoff({ n, a, s, v });
  const items = t.thetas.map((theta, i) => ({ x: theta, p: { n, a, s, theta, v, i } }));
  const params = { n, a, s, v };
  const axes = (y: string) => ({ x: 'θ', y });
  const series: Series[] = [
    ...seriesPair('P_FP', axes('P_FP'), params, items, (p) => t.fp[p.i], opts.simulate, fpSim),
    ...seriesPair('P_FN', axes('P_FN'), params, items, (p) => t.fn[p.i], opts.simulate, (p, rng) => new FalseNegativeSim(p, rng)),
    ...seriesPair('P_FP + P_FN', axes('P_FP+P_FN'), params, items, (p) => t.total[p.i]),
  ];
  return {
    id: 'threshold', title: `Errors vs threshold (best θ = ${t.best})`, xLabel: 'Synapses required for a dendritic spike (θ)',
    yLabel: 'Probability of error', logY: true, series,
  };
}

/** The sweeps by id: an explicit table. */
export const paperSweeps: Record<SweepId, (opts?: { simulate?: SimulateOptions }) => Sweep> = {
  n: effectOfN,
  s: effectOfS,
  noise: noiseRobustness,
  union: unionProperty,
  threshold: optimalThresholdSweep,
  'threshold-median': thresholdMedianSweep,
};

/** All six sweeps with their default parameters. */
export function allSweeps(simulate?: SimulateOptions): Sweep[] {
  return sweepIds.map((id) => paperSweeps[id]({ simulate }));
}
