/**
 * The paper's optimal-threshold figure (Ahmad & Hawkins 2016, arXiv 1601.00720):
 * the median false-positive rate over a grid of populations, sparsities and segment sizes,
 * against the threshold θ = 3…24. Numenta's htmresearch `projects/sdr_paper` has two scripts
 * for it (read, not copied):
 *
 * - compute_optimal_threshold.py computes P_FP(n, a = round(sparsity·n), s, θ) on a grid and
 *   writes, per θ, the mean, standard deviation, min, max and median over the grid;
 * - plot_optimal_threshold.py plots the medians of such a table, which it quotes in full.
 *
 * The committed compute script's grid (n = 1,000…17,000, `scriptGrid`) does not give the quoted
 * table (median at θ = 3: 0.017326 against 0.018156949). The grid that does is `figureGrid`:
 * n = 10,000…190,000 in steps of 20,000 with the script's sparsities and segment sizes. On it,
 * all 22 quoted medians and means agree with the exact formula to every printed digit, and so
 * do the quoted extremes (min at n = 10,000, a = 50, s = 20; max at n = 190,000, a = 5,700,
 * s = 50). test/golden/sdr/optimal_threshold.py recomputes the grid with exact rationals.
 */
import { mean, median } from '../../core/stats';
import { falsePositiveCurve } from './sdr-theory';
import type { Point, Series, Sweep } from './sdr-sweeps';

/** P_FP is computed at every (n, a = round(sparsity·n), s) of a grid. */
export interface ThresholdGrid {
  name: string;
  n: number[];
  sparsity: number[];
  s: number[];
}

const steps = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
/** 0.5 %, 1 %, …, 3 %: the script's `sparsity = 0.005; while sparsity < 0.035: … sparsity += 0.005` (six values). */
const sparsities = steps(1, 6, 1).map((k) => k / 200);
const segmentSizes = steps(20, 50, 5); // range(20, 51, 5)

/** compute_optimal_threshold.py as committed: n in range(1000, 21000, 4000). */
export const scriptGrid: ThresholdGrid = { name: 'script grid (n = 1,000…17,000)', n: steps(1000, 17000, 4000), sparsity: sparsities, s: segmentSizes };
/** The grid of the published figure's table: n in range(10000, 210000, 20000). */
export const figureGrid: ThresholdGrid = { name: 'figure grid (n = 10,000…190,000)', n: steps(10000, 190000, 20000), sparsity: sparsities, s: segmentSizes };
/** The figure's thresholds. */
export const figureThetas = steps(3, 24, 1);

/**
 * The medians plot_optimal_threshold.py plots (its `errors` list), θ = 3…24, as printed there
 * (3 to 8 significant digits): reference data to compare with, never used to compute.
 */
export const publishedMedians: readonly number[] = [
  0.018156949, 0.002227752, 0.000210173, 1.58e-5, 9.6e-7, 4.83e-8, 2.04e-9, 7.4e-11, 2.49e-12, 7.63e-14, 2.05e-15,
  4.88e-17, 1.03e-18, 1.95e-20, 3.28e-22, 4.9e-24, 5.32e-26, 4.11e-28, 2.68e-30, 2.91e-32, 2.9e-34, 2.6e-36,
];

/** The (n, a, s) of a grid in the script's loop order: n, then sparsity, then s. */
export function gridConfigs(grid: ThresholdGrid): { n: number; a: number; s: number }[] {
  // sparsity·n is a whole multiple of 5 on these grids, so rounding (Python 2's or ours) cannot differ.
  return grid.n.flatMap((n) => grid.sparsity.flatMap((sparsity) => grid.s.map((s) => ({ n, a: Math.round(sparsity * n), s }))));
}

/** P_FP at every configuration (rows, in gridConfigs order) and threshold (columns); 0 where θ > s. */
export function gridFalsePositives(grid: ThresholdGrid, thetas = figureThetas): number[][] {
  return gridConfigs(grid).map(({ n, a, s }) => {
    const curve = falsePositiveCurve(n, a, s);
    return thetas.map((t) => (t <= s ? curve[t] : 0));
  });
}

/** Per threshold, what the compute script tabulates over the grid (numpy's median: mean of the middle two). */
export interface ThetaStats {
  theta: number;
  median: number;
  mean: number;
  min: number;
  max: number;
}

export function falsePositiveStats(grid: ThresholdGrid, thetas = figureThetas): ThetaStats[] {
  const values = gridFalsePositives(grid, thetas);
  return thetas.map((theta, j) => {
    const column = values.map((row) => row[j]);
    return { theta, median: median(column), mean: mean(column), min: Math.min(...column), max: Math.max(...column) };
  });
}

/** The median curve of a grid, as plotted. */
export function medianFalsePositiveByTheta(grid: ThresholdGrid = figureGrid, thetas = figureThetas): Point[] {
  return falsePositiveStats(grid, thetas).map((r) => ({ x: r.theta, y: r.median }));
}

/**
 * (6) The figure: the median P_FP over the figure's grid, the medians as published, and the
 * median over the committed script's grid for contrast; the table holds every statistic.
 */
export function thresholdMedianSweep(): Sweep {
  const figure = falsePositiveStats(figureGrid);
  const script = falsePositiveStats(scriptGrid);
  const axes = { x: 'θ', y: 'median P_FP' };
  const series = (name: string, points: Point[]): Series => ({ name, ...axes, kind: 'theory', params: {}, points });
  return {
    id: 'threshold-median',
    title: 'Median false positives vs threshold over the paper\'s grid',
    xLabel: 'Synapses required for a dendritic spike (θ)',
    yLabel: 'Median probability of false positives',
    logY: true,
    series: [
      series(`median, ${figureGrid.name}`, figure.map((r) => ({ x: r.theta, y: r.median }))),
      series('median as published (plot_optimal_threshold.py)', figureThetas.map((theta, i) => ({ x: theta, y: publishedMedians[i] }))),
      series(`median, ${scriptGrid.name}`, script.map((r) => ({ x: r.theta, y: r.median }))),
    ],
    table: {
      columns: ['theta', 'median', 'mean', 'min', 'max', 'published_median', 'script_grid_median'],
      rows: figure.map((r, i) => [r.theta, r.median, r.mean, r.min, r.max, publishedMedians[i], script[i].median]),
    },
  };
}
