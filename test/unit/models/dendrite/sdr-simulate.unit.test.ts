import * as assert from 'node:assert/strict';
import {
  FalseNegativeSim, FalsePositiveSim, UnionSim, normalQuantile, runChunked, runChunkedAsync, wilsonInterval,
  type ChunkedSim, type SimResult,
} from '../../../../kernel/models/dendrite/sdr-simulate';
import { falseNegative, falsePositive, unionFalsePositiveExact } from '../../../../kernel/models/dendrite/sdr-theory';
import { Xoshiro128 } from './xoshiro';

function run(sim: ChunkedSim, trials: number): SimResult {
  return runChunked(sim, trials, { chunk: 1 << 24, level: 0.99 });
}

function assertCovers(r: SimResult, expected: number, what: string): void {
  assert.ok(r.ci[0] <= expected && expected <= r.ci[1], `${what}: ${expected} outside [${r.ci[0]}, ${r.ci[1]}] (p̂=${r.p}, hits=${r.hits}/${r.trials})`);
}

describe('dendrite.sdr simulation', () => {
  describe('intervals', () => {
    it('normal quantiles match tabulated values', () => {
      assert.ok(Math.abs(normalQuantile(0.975) - 1.959963985) < 1e-8);
      assert.ok(Math.abs(normalQuantile(0.995) - 2.575829304) < 1e-8);
      assert.ok(Math.abs(normalQuantile(0.01) + 2.326347874) < 1e-8);
    });
    it('Wilson intervals match textbook values and stay inside [0, 1]', () => {
      const [lo, hi] = wilsonInterval(50, 100);
      assert.ok(Math.abs(lo - 0.4038) < 1e-4 && Math.abs(hi - 0.5962) < 1e-4);
      const [zlo, zhi] = wilsonInterval(0, 100);
      assert.equal(zlo, 0);
      assert.ok(Math.abs(zhi - 0.0370) < 1e-4);
      assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
      assert.ok(wilsonInterval(100, 100)[1] <= 1);
    });
  });

  describe('false positives', () => {
    it('agree with theory within the 99% CI at n=300, a=64, s=24, θ=12, as does the paper\'s 1.0932e-3', () => {
      const params = { n: 300, a: 64, s: 24, theta: 12 };
      const r = run(new FalsePositiveSim(params, new Xoshiro128(1)), 2e7);
      assertCovers(r, falsePositive(params), 'theory');
      assertCovers(r, 1.0932e-3, 'paper simulation');
    });
    it('agree with theory within the 99% CI for a rare event (n=700, a=64, P ≈ 1.4e-7, 2e8 tests)', () => {
      const params = { n: 700, a: 64, s: 24, theta: 12 };
      const r = run(new FalsePositiveSim(params, new Xoshiro128(5)), 2e8);
      assert.ok(r.hits >= 5, `too few hits (${r.hits}) to say anything`);
      assertCovers(r, falsePositive(params), 'theory');
      assert.ok(r.ci[1] < 1e-6, 'the interval is tight enough to exclude 1e-6');
    });
    it('are certain for θ ≤ 0 or a = n, and impossible for θ > s or a = 0', () => {
      const rng = new Xoshiro128(2);
      assert.equal(run(new FalsePositiveSim({ n: 300, a: 64, s: 24, theta: 0 }, rng), 1000).hits, 1000);
      assert.equal(run(new FalsePositiveSim({ n: 300, a: 300, s: 24, theta: 24 }, rng), 1000).hits, 1000);
      assert.equal(run(new FalsePositiveSim({ n: 300, a: 64, s: 24, theta: 25 }, rng), 1000).hits, 0);
      assert.equal(run(new FalsePositiveSim({ n: 300, a: 0, s: 24, theta: 1 }, rng), 1000).hits, 0);
    });
    it('count exactly the trials asked for, also in partial rounds of 32', () => {
      const sim = new FalsePositiveSim({ n: 300, a: 300, s: 24, theta: 1 }, new Xoshiro128(3));
      sim.runChunk(5);
      sim.runChunk(33);
      assert.deepEqual([sim.trials, sim.hits], [38, 38]);
    });
    it('reject impossible parameters', () => {
      assert.throws(() => new FalsePositiveSim({ n: 10, a: 11, s: 2, theta: 1 }, new Xoshiro128(1)), RangeError);
      assert.throws(() => new FalsePositiveSim({ n: 0, a: 0, s: 0, theta: 1 }, new Xoshiro128(1)), RangeError);
    });
  });

  describe('false negatives', () => {
    for (const [theta, v, trials] of [[12, 64, 1e6], [8, 64, 4e6], [16, 26, 2e7]]) {
      it(`agree with theory within the 99% CI at a=128, s=30, θ=${theta}, v=${v}`, () => {
        const r = run(new FalseNegativeSim({ n: 4000, a: 128, s: 30, theta, v }, new Xoshiro128(theta * 1000 + v)), trials);
        assertCovers(r, falseNegative({ a: 128, s: 30, theta, v }), 'theory');
      });
    }
    it('never happen without noise and always happen for θ > s', () => {
      assert.equal(run(new FalseNegativeSim({ n: 4000, a: 128, s: 30, theta: 30, v: 0 }, new Xoshiro128(4)), 10000).hits, 0);
      assert.equal(run(new FalseNegativeSim({ n: 4000, a: 128, s: 30, theta: 31, v: 10 }, new Xoshiro128(4)), 10000).hits, 10000);
    });
    it('reject noise that does not fit outside the pattern', () => {
      assert.throws(() => new FalseNegativeSim({ n: 150, a: 128, s: 30, theta: 8, v: 64 }, new Xoshiro128(1)), RangeError);
    });
  });

  describe('unions', () => {
    for (const [n, M, trials] of [[10000, 15, 2e5], [1000, 2, 2e5]]) {
      it(`agree with the exact union theory within the 99% CI at n=${n}, a=200, s=25, θ=15, M=${M}`, () => {
        const params = { n, a: 200, s: 25, theta: 15, M };
        const r = run(new UnionSim(params, new Xoshiro128(n + M)), trials);
        assertCovers(r, unionFalsePositiveExact(params), 'theory');
      });
    }
  });

  describe('reproducibility and chunking', () => {
    it('gives identical results for the same seed and different ones for another seed', () => {
      const make = (seed: number) => [
        run(new FalsePositiveSim({ n: 300, a: 64, s: 24, theta: 10 }, new Xoshiro128(seed)), 1e5).hits,
        run(new FalseNegativeSim({ n: 1000, a: 64, s: 24, theta: 12, v: 32 }, new Xoshiro128(seed)), 1e5).hits,
        run(new UnionSim({ n: 1000, a: 100, s: 20, theta: 5, M: 3 }, new Xoshiro128(seed)), 1e4).hits,
      ];
      assert.deepEqual(make(42), make(42));
      assert.notDeepEqual(make(42), make(43));
    });
    it('reports progress after every chunk and stops when asked', () => {
      const seen: number[] = [];
      const sim = new FalsePositiveSim({ n: 300, a: 64, s: 24, theta: 12 }, new Xoshiro128(7));
      const r = runChunked(sim, 10000, { chunk: 3000, onProgress: (done) => seen.push(done), shouldStop: () => seen.length >= 2 });
      assert.deepEqual(seen, [3000, 6000]);
      assert.equal(r.trials, 6000);
      assert.equal(r.level, 0.95);
    });
    it('yields to the event loop between chunks, so a cancel scheduled meanwhile takes effect', async () => {
      let cancelled = false;
      const sim = new FalsePositiveSim({ n: 300, a: 64, s: 24, theta: 12 }, new Xoshiro128(8));
      const pending = runChunkedAsync(sim, 1e6, { chunk: 1000, shouldStop: () => cancelled });
      setImmediate(() => { cancelled = true; });
      const r = await pending;
      assert.ok(r.trials >= 1000 && r.trials < 1e6 && r.trials % 1000 === 0, `ran ${r.trials}`);
    });
  });
});
