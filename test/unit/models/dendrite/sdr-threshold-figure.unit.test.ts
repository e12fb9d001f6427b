/**
 * The optimal-threshold figure: Neurite's exact formulas on the figure's grid against an
 * independent computation with exact rationals (test/golden/sdr/optimal_threshold.py), and the
 * medians as plot_optimal_threshold.py publishes them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  falsePositiveStats, figureGrid, figureThetas, gridConfigs, gridFalsePositives, publishedMedians, scriptGrid, thresholdMedianSweep,
} from '../../../../kernel/models/dendrite/sdr-threshold-figure';
import { repoRoot } from '../../helpers';

interface Golden {
  thetas: number[];
  figure: { n: number[]; configs: number[][]; p_fp: number[][]; median: number[]; mean: number[]; min: number[]; max: number[] };
  script: { n: number[]; median: number[] };
}
const golden: Golden = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'sdr', 'optimal_threshold.json'), 'utf8'));

/** Largest relative difference (0 must be exactly 0). */
function worstRelative(got: number[], want: number[]): number {
  assert.equal(got.length, want.length);
  return Math.max(...got.map((g, i) => (want[i] === 0 ? (g === 0 ? 0 : Infinity) : Math.abs(g - want[i]) / Math.abs(want[i]))));
}

/** `x` printed with as many significant digits as `quoted` has (at least 3) gives `quoted`. */
function printsAs(x: number, quoted: number): boolean {
  const digits = Math.max(3, quoted.toExponential().split('e')[0].replace(/[.-]/g, '').replace(/^0+|0+$/g, '').length);
  return Number(x.toExponential(digits - 1)) === quoted;
}

describe('dendrite.sdr optimal-threshold figure', () => {
  const stats = falsePositiveStats(figureGrid);

  it('uses the grid the golden was made on: 420 configurations in the script\'s loop order, θ = 3…24', () => {
    assert.deepEqual(figureThetas, golden.thetas);
    assert.deepEqual(figureGrid.n, golden.figure.n);
    assert.deepEqual(scriptGrid.n, golden.script.n);
    assert.deepEqual(gridConfigs(figureGrid).map(({ n, a, s }) => [n, a, s]), golden.figure.configs);
  });

  it('every P_FP on the figure grid agrees with the exact rational computation within 1e-12 relative', () => {
    const values = gridFalsePositives(figureGrid);
    const worst = Math.max(...values.map((row, k) => worstRelative(row, golden.figure.p_fp[k])));
    assert.ok(worst <= 1e-12, `worst relative difference ${worst}`);
  });

  it('the median, mean, min and max per θ agree with the exact ones within 1e-12 relative', () => {
    for (const key of ['median', 'mean', 'min', 'max'] as const) {
      const worst = worstRelative(stats.map((r) => r[key]), golden.figure[key]);
      assert.ok(worst <= 1e-12, `${key}: worst relative difference ${worst}`);
    }
  });

  it('reproduces the published medians to every printed digit; the committed script\'s grid does not', () => {
    const off = stats.filter((r, i) => !printsAs(r.median, publishedMedians[i])).map((r) => `θ=${r.theta}: ${r.median}`);
    assert.deepEqual(off, []);
    const script = falsePositiveStats(scriptGrid);
    assert.ok(worstRelative(script.map((r) => r.median), golden.script.median) <= 1e-12);
    assert.ok(!printsAs(script[0].median, publishedMedians[0]), `script grid median at θ = 3: ${script[0].median}`);
  });

  it('as a sweep: three falling median curves and a table of every statistic, crossing 1e-9 between θ = 9 and 10', () => {
    const sweep = thresholdMedianSweep();
    assert.equal(sweep.series.length, 3);
    const [figure] = sweep.series;
    assert.deepEqual(figure.points.map((p) => p.y), stats.map((r) => r.median));
    for (const s of sweep.series) for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i].y < s.points[i - 1].y, `${s.name} at ${i}`);
    assert.ok(figure.points[6].y > 1e-9 && figure.points[7].y < 1e-9);
    assert.equal(sweep.table!.rows.length, 22);
    assert.deepEqual(sweep.table!.columns, ['theta', 'median', 'mean', 'min', 'max', 'published_median', 'script_grid_median']);
  });
});
