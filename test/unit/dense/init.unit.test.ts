/** Initialisers, including custom tensors and rank-controlled matrices. */
import * as assert from 'assert';
import { InputError } from '../../../kernel/core/errors';
import { Rng } from '../../../kernel/core/rng';
import { initialize } from '../../../kernel/dense/init';
import { svd } from '../../../kernel/dense/linalg';

const std = (x: Float32Array) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
};
const frob = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((a, b) => a + b * b, 0));

describe('dense initialisers', () => {
  it('he, xavier and torch have the spread of their formulas (fan-in 400, fan-out 250)', () => {
    const shape = [250, 400];
    const rng = new Rng(5);
    const close = (got: number, want: number) => assert.ok(Math.abs(got / want - 1) < 0.02, `${got} vs ${want}`);
    close(std(initialize({ kind: 'he' }, shape, rng, 'w')), Math.sqrt(2 / 400));
    close(std(initialize({ kind: 'he', distribution: 'uniform' }, shape, rng, 'w')), Math.sqrt(6 / 400) / Math.sqrt(3));
    close(std(initialize({ kind: 'xavier' }, shape, rng, 'w')), Math.sqrt(2 / 650));
    close(std(initialize({ kind: 'torch' }, shape, rng, 'w')), 1 / Math.sqrt(400) / Math.sqrt(3));
    const c = initialize({ kind: 'constant', value: 0.25 }, [3], rng, 'b');
    assert.deepStrictEqual(Array.from(c), [0.25, 0.25, 0.25]);
  });

  it('a custom tensor is used as given; a wrong length or a non-number is located', () => {
    const rng = new Rng(1);
    assert.deepStrictEqual(Array.from(initialize({ kind: 'tensor', values: [1, 2, 3, 4] }, [2, 2], rng, 'model.init.values')), [1, 2, 3, 4]);
    assert.throws(() => initialize({ kind: 'tensor', values: [1, 2, 3] }, [2, 2], rng, 'model.init.values'), (e: Error) => e instanceof InputError && e.message === 'model.init.values: 3 values for shape [2, 2], which needs 4');
    assert.throws(() => initialize({ kind: 'tensor', values: [1, NaN, 3, 4] }, [2, 2], rng, 'model.init.values'), (e: Error) => e instanceof InputError && e.message.startsWith('model.init.values[1]: NaN'));
  });

  it('svd reconstructs tall and wide matrices with orthonormal factors', () => {
    for (const [r, c] of [[7, 4], [3, 6]]) {
      const rng = new Rng(r * 10 + c);
      const a = Float64Array.from({ length: r * c }, () => rng.normal());
      const { s, us, vs } = svd(a, r, c);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < c; j++) {
          const v = s.reduce((acc, sk, k) => acc + sk * us[k][i] * vs[k][j], 0);
          assert.ok(Math.abs(v - a[i * c + j]) < 1e-10);
        }
      for (let k = 1; k < s.length; k++) assert.ok(s[k] <= s[k - 1]);
      assert.ok(Math.abs(us[0].reduce((acc, x, i) => acc + x * us[1][i], 0)) < 1e-10);
    }
  });

  it('lowRank keeps exactly `rank` singular values and the Frobenius norm of the full Gaussian draw', () => {
    for (const rank of [1, 3]) {
      const w = initialize({ kind: 'lowRank', rank, gain: 1.25 }, [20, 20], new Rng(9), 'w_rec');
      const { s } = svd(Float64Array.from(w), 20, 20);
      assert.ok(s[rank - 1] > 0.1 && s[rank] < 1e-5 * s[0], `singular values ${Array.from(s.slice(0, rank + 1))}`);
      const full = initialize({ kind: 'normal', std: 1.25 / Math.sqrt(20) }, [20, 20], new Rng(9), 'w');
      assert.ok(Math.abs(frob(w) / frob(full) - 1) < 1e-5, `norm ${frob(w)} vs ${frob(full)}`);
    }
    assert.throws(() => initialize({ kind: 'lowRank', rank: 30 }, [20, 20], new Rng(1), 'model.recurrentInit'), /model.recurrentInit: rank must be a whole number from 1 to 20, got 30/);
  });
});
