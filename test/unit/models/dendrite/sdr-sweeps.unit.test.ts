import * as assert from 'node:assert/strict';
import {
  allSweeps, paperSweeps, sweepIds, effectOfN, effectOfS, noiseRobustness, optimalThresholdSweep,
  unionProperty, type Series, type Sweep,
} from '../../../../kernel/models/dendrite/sdr-sweeps';
import { falseNegative, falsePositive, unionFalsePositive, unionFalsePositiveExact } from '../../../../kernel/models/dendrite/sdr-theory';
import { Xoshiro128 } from './xoshiro';

const ys = (series: Series) => series.points.map((p) => p.y);
const xs = (series: Series) => series.points.map((p) => p.x);
const byName = (sweep: Sweep, name: string) => {
  const found = sweep.series.find((s) => s.name === name);
  assert.ok(found, `no series "${name}" in ${sweep.id}`);
  return found;
};
const near = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.abs(b);
function assertMonotone(values: number[], direction: 'up' | 'down', strict: boolean, what: string): void {
  for (let i = 1; i < values.length; i++) {
    const d = direction === 'up' ? values[i] - values[i - 1] : values[i - 1] - values[i];
    assert.ok(strict ? d > 0 : d >= 0, `${what} not ${strict ? 'strictly ' : ''}${direction} at ${i}: ${values[i - 1]} → ${values[i]}`);
  }
}

describe('dendrite.sdr sweeps', () => {
  it('lists the six sweeps in the paper\'s order, each a log-y plot of probabilities in (0, 1]', () => {
    const sweeps = allSweeps();
    assert.deepEqual(sweeps.map((s) => s.id), ['n', 's', 'noise', 'union', 'threshold', 'threshold-median']);
    assert.deepEqual([...sweepIds], sweeps.map((s) => s.id));
    assert.deepEqual(Object.keys(paperSweeps).sort(), [...sweepIds].sort());
    for (const sweep of sweeps) {
      assert.ok(sweep.logY && sweep.title && sweep.xLabel && sweep.yLabel && sweep.series.length > 0);
      for (const series of sweep.series) {
        assert.equal(series.kind, 'theory');
        assert.ok(series.points.length > 0, `${sweep.id}/${series.name} is empty`);
        assertMonotone(xs(series), 'up', true, `${sweep.id}/${series.name} x`);
        assert.ok(ys(series).every((y) => y > 0 && y <= 1), `${sweep.id}/${series.name} y outside (0, 1]`);
      }
    }
  });

  it('effect of n: 99 values of n from 300 to 19,900 per a, P_FP falling with n and rising with a', () => {
    const sweep = effectOfN();
    assert.deepEqual(sweep.series.map((s) => s.name), ['a = 64', 'a = 128', 'a = 256']);
    for (const series of sweep.series) {
      assert.equal(series.points.length, 99);
      assert.deepEqual([series.points[0].x, series.points[98].x], [300, 19900]);
      assertMonotone(ys(series), 'down', true, series.name);
    }
    const [a64, a128, a256] = sweep.series.map(ys);
    assert.ok(a64.every((y, i) => y < a128[i] && a128[i] < a256[i]));
    assert.ok(near(a64[0], falsePositive({ n: 300, a: 64, s: 24, theta: 12 })));
    assert.ok(near(byName(sweep, 'a = 128').points[49].y, falsePositive({ n: 10100, a: 128, s: 24, theta: 12 })));
  });

  it('effect of s: θ = s/2, s = 2…30, P_FP falling with s for sparse codes and staying above 1e-3 for the dense one', () => {
    const sweep = effectOfS();
    for (const series of sweep.series) assert.deepEqual(xs(series), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
    for (const name of ['a = 32, n = 2000', 'a = 32, n = 4000', 'a = 512, n = 16000']) assertMonotone(ys(byName(sweep, name)), 'down', true, name);
    assert.ok(near(byName(sweep, 'a = 32, n = 2000').points[0].y, 0.0317518759379690, 1e-9)); // plot_effect_of_s.py
    assert.ok(near(byName(sweep, 'a = 512, n = 16000').points[11].y, falsePositive({ n: 16000, a: 512, s: 24, theta: 12 })));
    assert.ok(byName(sweep, 'a = 4000, n = 16000').points[14].y > 1e-3); // 25% activity: no sharp recognition
  });

  it('noise: P_FN rises with noise and with θ, zero-probability points are left out', () => {
    const sweep = noiseRobustness();
    const [t8, t12, t16] = sweep.series;
    assert.deepEqual(sweep.series.map((s) => s.name), ['θ = 8', 'θ = 12', 'θ = 16']);
    assert.equal(t16.points.length, 14); // v = 6 and 13 cannot remove s − θ + 1 = 15 segment cells
    for (const series of sweep.series) assertMonotone(ys(series), 'up', true, series.name);
    const at = (series: Series, x: number) => series.points.find((p) => p.x === x)!.y;
    for (const p of t8.points) assert.ok(p.y <= at(t12, p.x) && at(t12, p.x) <= at(t16, p.x));
    assert.ok(near(at(t12, 64 / 128), falseNegative({ a: 128, s: 30, theta: 12, v: 64 })));
    assert.ok(near(at(t8, 102 / 128), 0.770861966941236, 1e-9)); // plot_noise_results.py
  });

  it('union: P_FP rises with the number of stored patterns and falls with n', () => {
    const sweep = unionProperty();
    const series = sweep.series.map(ys);
    for (const [i, s] of sweep.series.entries()) {
      assert.deepEqual(xs(s), Array.from({ length: 19 }, (_, k) => k + 1));
      assertMonotone(series[i], 'up', false, s.name);
    }
    for (let m = 0; m < 19; m++) assert.ok(series[0][m] >= series[1][m] && series[1][m] >= series[2][m]);
    assert.ok(near(series[1][14], unionFalsePositive({ n: 10000, a: 200, s: 25, theta: 15, M: 15 })));
    const exact = unionProperty({ nValues: [10000], Ms: [5, 15], exact: true });
    assert.deepEqual(exact.series.map((s) => s.name), ['n = 10000', 'n = 10000, exact over |U|']);
  });

  it('optimal threshold: P_FP falls and P_FN rises with θ, their sum is smallest at the reported θ', () => {
    const sweep = optimalThresholdSweep();
    const fp = byName(sweep, 'P_FP'), fn = byName(sweep, 'P_FN'), total = byName(sweep, 'P_FP + P_FN');
    assertMonotone(ys(fp), 'down', true, 'P_FP');
    assertMonotone(ys(fn), 'up', true, 'P_FN');
    const best = total.points.reduce((b, p) => (p.y < b.y ? p : b));
    assert.ok(sweep.title.includes(`best θ = ${best.x}`), sweep.title);
    const at = (s: Series, x: number) => s.points.find((p) => p.x === x)!.y;
    assert.ok(near(at(total, best.x), at(fp, best.x) + at(fn, best.x)));
    assert.ok(near(at(fp, 10), falsePositive({ n: 4000, a: 128, s: 30, theta: 10 })));
    assert.ok(near(at(fn, 10), falseNegative({ a: 128, s: 30, theta: 10, v: 64 })));
  });

  it('adds simulated points only where hits are expected, each with an interval around the theory', () => {
    const simulate = { rng: new Xoshiro128(11), trials: 20000, level: 0.999 };
    const sweeps = [
      effectOfS({ simulate }),
      noiseRobustness({ simulate }),
      unionProperty({ nValues: [1000], Ms: [1, 2, 3, 4], simulate }),
      optimalThresholdSweep({ simulate }),
    ];
    for (const sweep of sweeps) {
      const theory = sweep.series.filter((s) => s.kind === 'theory' && !s.name.startsWith('P_FP +'));
      for (const t of theory) {
        const sim = byName(sweep, `${t.name} (simulated)`);
        assert.equal(sim.kind, 'simulation');
        assert.ok(sim.points.length > 0, `${sweep.id}/${sim.name} has no points`);
        for (const p of sim.points) {
          const plotted = t.points.find((q) => q.x === p.x)!.y;
          assert.ok(plotted * simulate.trials >= 10, `${sweep.id}/${sim.name} simulated a too-rare point`);
          // A simulated union has a random size: it measures the exact average, not the paper's rounded mean.
          const expected = sweep.id === 'union' ? unionFalsePositiveExact({ ...(t.params as { n: number; a: number; s: number; theta: number }), M: p.x }) : plotted;
          assert.ok(p.lo! <= p.y && p.y <= p.hi!);
          assert.ok(p.lo! <= expected && expected <= p.hi!, `${sweep.id}/${sim.name} x=${p.x}: ${expected} ∉ [${p.lo}, ${p.hi}]`);
        }
      }
    }
  });
});
