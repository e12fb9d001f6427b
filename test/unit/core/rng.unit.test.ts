import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    assert.deepStrictEqual(Array.from({ length: 100 }, () => b.next()), xs);
    assert.notDeepStrictEqual(Array.from({ length: 100 }, () => c.next()), xs);
  });

  it('produces uniform floats in [0,1) with the right mean and variance', () => {
    const r = new Rng(1);
    let s = 0, s2 = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const x = r.float();
      assert.ok(x >= 0 && x < 1);
      s += x;
      s2 += x * x;
    }
    assert.ok(Math.abs(s / n - 0.5) < 0.005);
    assert.ok(Math.abs(s2 / n - s * s / n / n - 1 / 12) < 0.002);
  });

  it('draws unbiased integers below n', () => {
    const r = new Rng(7);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `count ${c}`);
    assert.throws(() => r.int(0), RangeError);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const r = new Rng(3);
    let s = 0, s2 = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    assert.ok(Math.abs(s / n) < 0.02);
    assert.ok(Math.abs(s2 / n - 1) < 0.02);
  });

  it('forks independent, reproducible streams by label', () => {
    const a = new Rng(5).fork('data'), b = new Rng(5).fork('data'), c = new Rng(5).fork('model');
    assert.strictEqual(a.next(), b.next());
    assert.notStrictEqual(new Rng(5).fork('data').next(), c.next());
  });

  it('shuffles into a permutation', () => {
    const arr = Int32Array.from({ length: 50 }, (_, i) => i);
    new Rng(9).shuffle(arr);
    assert.deepStrictEqual([...arr].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepStrictEqual([...arr], Array.from({ length: 50 }, (_, i) => i));
  });
});
