/** The statistics helpers reproduce tabulated values of the t distribution and a known Welch test. */
import * as assert from 'assert';
import { incompleteBeta, logGamma, tTwoSided, welch } from '../../../kernel/core/stats';

describe('statistics', () => {
  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-12);
    assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-12);
  });

  it('the incomplete beta has its closed forms: I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    for (const x of [0.1, 0.37, 0.9]) {
      assert.ok(Math.abs(incompleteBeta(x, 1, 1) - x) < 1e-13);
      assert.ok(Math.abs(incompleteBeta(x, 3.5, 1) - x ** 3.5) < 1e-13);
    }
  });

  it('two-sided t p-values match the tables (t₀.₉₇₅ with 10 df = 2.228139, with 3 df = 3.182446)', () => {
    assert.ok(Math.abs(tTwoSided(2.228138852, 10) - 0.05) < 1e-8);
    assert.ok(Math.abs(tTwoSided(3.182446305, 3) - 0.05) < 1e-8);
    assert.ok(Math.abs(tTwoSided(2.575829304, 1e7) - 0.01) < 1e-6); // → normal
    assert.strictEqual(tTwoSided(0, 5), 1);
  });

  it('Welch\'s test matches scipy.stats.ttest_ind(equal_var=False) on two small samples', () => {
    // scipy 1.x: statistic −3.09264851023464, pvalue 0.009149963320062276, df 12.205532405670752
    const a = [19.1, 21.2, 18.6, 20.4, 19.8, 20.9, 21.0, 19.0];
    const b = [22.3, 20.1, 24.5, 21.9, 23.0, 19.8, 22.6, 21.8];
    const r = welch(a, b);
    assert.ok(Math.abs(r.t - -3.09264851023464) < 1e-12, `t = ${r.t}`);
    assert.ok(Math.abs(r.df - 12.205532405670752) < 1e-9, `df = ${r.df}`);
    assert.ok(Math.abs(r.p - 0.009149963320062276) < 1e-12, `p = ${r.p}`);
  });
});
