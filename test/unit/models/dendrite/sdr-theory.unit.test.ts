import * as assert from 'node:assert/strict';
import {
  binomial, falseNegative, falseNegativeCurve, falsePositive, falsePositiveCurve, optimalThreshold,
  ratioToNumber, thresholdTradeoff, unionFalsePositive, unionFalsePositiveExact, unionSizeDistribution,
  unionSynapses,
} from '../../../../kernel/models/dendrite/sdr-theory';

function assertRel(actual: number, expected: number, rel = 1e-6, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what} ${actual} ≠ ${expected} (rel ${rel})`);
}

describe('dendrite.sdr theory', () => {
  describe('binomial', () => {
    it('matches small values and Pascal\'s rule', () => {
      assert.equal(binomial(0, 0), 1n);
      assert.equal(binomial(5, 2), 10n);
      assert.equal(binomial(52, 5), 2598960n);
      assert.equal(binomial(300, 64), binomial(299, 63) + binomial(299, 64));
      assert.equal(binomial(20000, 1999) + binomial(20000, 2000), binomial(20001, 2000));
    });
    it('is zero outside 0 ≤ k ≤ n and symmetric inside', () => {
      assert.equal(binomial(10, -1), 0n);
      assert.equal(binomial(10, 11), 0n);
      assert.equal(binomial(10000, 300), binomial(10000, 9700));
    });
    it('rejects negative or fractional arguments', () => {
      assert.throws(() => binomial(-1, 0), RangeError);
      assert.throws(() => binomial(10, 2.5), RangeError);
    });
  });

  describe('ratioToNumber', () => {
    it('rounds simple and huge ratios correctly', () => {
      assert.equal(ratioToNumber(1n, 3n), 1 / 3);
      assert.equal(ratioToNumber(2n, 3n), 2 / 3);
      assert.equal(ratioToNumber(-1n, 3n), -1 / 3);
      assert.equal(ratioToNumber(10n ** 400n, 10n ** 399n), 10);
      assert.equal(ratioToNumber(0n, 7n), 0);
    });
    it('keeps results near 1e-300 instead of flushing them to zero', () => {
      assertRel(ratioToNumber(3n, 10n ** 300n), 3e-300, 1e-15);
      assertRel(ratioToNumber(7n * 10n ** 500n, 10n ** 805n), 7e-305, 1e-15);
    });
  });

  describe('falsePositive', () => {
    it('reproduces the paper\'s check values to 1e-6', () => {
      assertRel(falsePositive({ n: 300, a: 64, s: 24, theta: 12 }), 1.0946166e-3);
      assertRel(falsePositive({ n: 10000, a: 300, s: 24, theta: 12 }), 8.375845e-13);
    });
    it('reproduces numenta sdr_paper values for the effect of n and of s', () => {
      // plot_effect_of_n.py (a=64: n=500 and n=19900) and plot_effect_of_s.py (θ = s/2).
      assertRel(falsePositive({ n: 500, a: 64, s: 24, theta: 12 }), 5.69571108769533e-6);
      assertRel(falsePositive({ n: 19900, a: 64, s: 24, theta: 12 }), 1.07499989501613e-24);
      assertRel(falsePositive({ n: 300, a: 128, s: 24, theta: 12 }), 0.292078213737764);
      assertRel(falsePositive({ n: 2000, a: 32, s: 2, theta: 1 }), 0.0317518759379690);
      assertRel(falsePositive({ n: 16000, a: 4000, s: 30, theta: 15 }), 0.00272515634577904);
    });
    it('reproduces Table 1 of the sdr_math_neuron_paper notebook (n = 100000, a = 2000)', () => {
      assertRel(falsePositive({ n: 100000, a: 2000, s: 6, theta: 6 }), 6.35308872941916e-11);
      assertRel(falsePositive({ n: 100000, a: 2000, s: 12, theta: 6 }), 5.29386836275369e-8);
      // The notebook prints 1.0485e-15 from a lossy symbolic form; exact rationals (Python fractions) give:
      assertRel(falsePositive({ n: 10000, a: 300, s: 30, theta: 15 }), 1.0491918252123693e-15, 1e-12);
    });
    it('is 1 for θ ≤ 0, 0 for θ > s or θ > a, and 1 when every cell is active', () => {
      assert.equal(falsePositive({ n: 300, a: 64, s: 24, theta: 0 }), 1);
      assert.equal(falsePositive({ n: 300, a: 64, s: 24, theta: -3 }), 1);
      assert.equal(falsePositive({ n: 300, a: 64, s: 24, theta: 25 }), 0);
      assert.equal(falsePositive({ n: 300, a: 5, s: 24, theta: 6 }), 0);
      assert.equal(falsePositive({ n: 300, a: 300, s: 24, theta: 24 }), 1);
      assert.equal(falsePositive({ n: 300, a: 0, s: 24, theta: 1 }), 0);
    });
    it('is symmetric in the roles of the pattern (a) and the segment (s)', () => {
      assertRel(falsePositive({ n: 500, a: 40, s: 24, theta: 9 }), falsePositive({ n: 500, a: 24, s: 40, theta: 9 }), 1e-12);
    });
    it('rejects a > n, s > n and non-integers', () => {
      assert.throws(() => falsePositive({ n: 10, a: 11, s: 2, theta: 1 }), RangeError);
      assert.throws(() => falsePositive({ n: 10, a: 2, s: 11, theta: 1 }), RangeError);
      assert.throws(() => falsePositive({ n: 10, a: 2.5, s: 2, theta: 1 }), RangeError);
    });
    it('stays finite and in [0, 1] at n = 20000, a = 2000', () => {
      for (const [s, theta] of [[24, 12], [500, 100], [2000, 150], [2000, 1500]]) {
        const p = falsePositive({ n: 20000, a: 2000, s, theta });
        assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `s=${s} θ=${theta}: ${p}`);
      }
      assertRel(falsePositive({ n: 20000, a: 2000, s: 24, theta: 12 }), 8.296932410179047e-7, 1e-12); // Python fractions
    });
    it('curve over θ equals pointwise values and decreases', () => {
      const curve = falsePositiveCurve(1000, 100, 24);
      for (let theta = 0; theta <= 24; theta++) assertRel(curve[theta], falsePositive({ n: 1000, a: 100, s: 24, theta }), 1e-12);
      for (let theta = 1; theta <= 24; theta++) assert.ok(curve[theta] <= curve[theta - 1]);
    });
  });

  describe('falseNegative', () => {
    it('reproduces numenta sdr_paper noise values (a=128, s=30)', () => {
      // plot_noise_results.py, "theoretical" columns; v = round(noise·a).
      assertRel(falseNegative({ a: 128, s: 30, theta: 8, v: 102 }), 0.770861966941236);
      assertRel(falseNegative({ a: 128, s: 30, theta: 12, v: 19 }), 2.48810797387309e-15);
      assertRel(falseNegative({ a: 128, s: 30, theta: 16, v: 26 }), 1.97277260559420e-5);
    });
    it('is 0 for θ ≤ 0 or no noise, and 1 for θ > s or all cells replaced with θ ≥ 1', () => {
      assert.equal(falseNegative({ a: 128, s: 30, theta: 0, v: 128 }), 0);
      assert.equal(falseNegative({ a: 128, s: 30, theta: 12, v: 0 }), 0);
      assert.equal(falseNegative({ a: 128, s: 30, theta: 31, v: 0 }), 1);
      assert.equal(falseNegative({ a: 128, s: 30, theta: 1, v: 128 }), 1);
    });
    it('grows with noise and with θ', () => {
      const curve = falseNegativeCurve(128, 30, 64);
      for (let theta = 1; theta <= 30; theta++) assert.ok(curve[theta] >= curve[theta - 1]);
      let last = 0;
      for (let v = 0; v <= 128; v += 8) {
        const p = falseNegative({ a: 128, s: 30, theta: 12, v });
        assert.ok(p >= last);
        last = p;
      }
    });
    it('rejects s > a and v > a', () => {
      assert.throws(() => falseNegative({ a: 10, s: 11, theta: 1, v: 1 }), RangeError);
      assert.throws(() => falseNegative({ a: 10, s: 5, theta: 1, v: 11 }), RangeError);
    });
  });

  describe('unions', () => {
    it('counts s synapses for one pattern and saturates at n', () => {
      assert.equal(unionSynapses(10000, 25, 1), 25);
      assert.equal(unionSynapses(10000, 25, 0), 0);
      assert.equal(unionSynapses(1000, 25, 1000), 1000);
      assert.equal(unionSynapses(10000, 25, 15), Math.round(10000 * (1 - 0.9975 ** 15)));
    });
    it('reproduces numenta sdr_paper union values (a=200, s=25, θ=15)', () => {
      // sdr_paper_unions.py: errorsN10000[0], errorsN20000[18], errorsN1000[2].
      assertRel(unionFalsePositive({ n: 10000, a: 200, s: 25, theta: 15, M: 1 }), 5.30352419025194e-20);
      assertRel(unionFalsePositive({ n: 20000, a: 200, s: 25, theta: 15, M: 19 }), 8.14089056445047e-5);
      assertRel(unionFalsePositive({ n: 1000, a: 200, s: 25, theta: 15, M: 3 }), 0.501650232353378);
    });
    it('union size distribution sums to 1 and has the formula\'s mean', () => {
      const dist = unionSizeDistribution(10000, 25, 15);
      let total = 0, mean = 0;
      dist.forEach((p, k) => { total += p; mean += p * k; });
      assertRel(total, 1, 1e-9);
      assertRel(mean, 10000 * (1 - 0.9975 ** 15), 1e-9);
    });
    it('exact union error equals P_FP for one pattern and is close to the rounded-mean formula', () => {
      assertRel(unionFalsePositiveExact({ n: 10000, a: 200, s: 25, theta: 15, M: 1 }), 5.30352419025194e-20, 1e-8);
      const exact = unionFalsePositiveExact({ n: 10000, a: 200, s: 25, theta: 15, M: 15 });
      assertRel(exact, unionFalsePositive({ n: 10000, a: 200, s: 25, theta: 15, M: 15 }), 0.03);
    });
  });

  describe('threshold trade-off', () => {
    it('lists both errors for θ = 1…s and picks the θ with the smallest sum', () => {
      const t = thresholdTradeoff({ n: 4000, a: 128, s: 30, v: 64 });
      assert.equal(t.thetas.length, 30);
      assert.deepEqual([t.thetas[0], t.thetas[29]], [1, 30]);
      const i = t.thetas.indexOf(t.best);
      assert.ok(t.total.every((x) => x >= t.total[i]));
      assertRel(t.fp[i], falsePositive({ n: 4000, a: 128, s: 30, theta: t.best }), 1e-12);
      assertRel(t.fn[i], falseNegative({ a: 128, s: 30, theta: t.best, v: 64 }), 1e-12);
      assert.equal(optimalThreshold({ n: 4000, a: 128, s: 30, v: 64 }), t.best);
    });
    it('moves the optimal θ down as noise grows', () => {
      const low = optimalThreshold({ n: 4000, a: 128, s: 30, v: 16 });
      const high = optimalThreshold({ n: 4000, a: 128, s: 30, v: 80 });
      assert.ok(high < low, `${high} < ${low}`);
    });
  });
});
