import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { batches, byteBatches } from '../../../kernel/data/batches';
import type { ImageSet } from '../../../kernel/data/dataset';
import { splitTrainValidation } from '../../../kernel/data/split';

/** A set whose image i has every pixel = i % 256 and label i % 10, so a batch shows which images it holds. */
function numbered(count: number, rows = 2, cols = 3): ImageSet {
  const pixels = rows * cols;
  const images = new Uint8Array(count * pixels);
  for (let i = 0; i < count; i++) images.fill(i % 256, i * pixels, (i + 1) * pixels);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count, rows, cols };
}

describe('train/validation split', () => {
  it('is disjoint, covers every index once, and holds out round(n · fraction)', () => {
    for (const [n, f] of [[1000, 0.1], [17, 0.5], [10, 0], [7, 0.25]] as const) {
      const { train, validation } = splitTrainValidation(n, f, new Rng(3));
      assert.strictEqual(validation.length, Math.round(n * f));
      const all = [...train, ...validation].sort((a, b) => a - b);
      assert.deepStrictEqual(all, Array.from({ length: n }, (_, i) => i));
    }
  });

  it('is the same for the same seed and different for another', () => {
    const a = splitTrainValidation(1000, 0.2, new Rng(7));
    const b = splitTrainValidation(1000, 0.2, new Rng(7));
    const c = splitTrainValidation(1000, 0.2, new Rng(8));
    assert.deepStrictEqual(Array.from(a.validation), Array.from(b.validation));
    assert.notDeepStrictEqual(Array.from(a.validation), Array.from(c.validation));
  });

  it('draws validation from the whole range, not a block at one end', () => {
    const { validation } = splitTrainValidation(10000, 0.1, new Rng(1));
    const mean = validation.reduce((s, v) => s + v, 0) / validation.length;
    assert.ok(Math.abs(mean - 4999.5) < 300, `mean validation index ${mean}`);
    assert.ok(validation[0] < 100 && validation[validation.length - 1] > 9900);
  });
});

describe('batches', () => {
  const set = numbered(10);
  const all = Int32Array.from({ length: 10 }, (_, i) => i);

  it('yields batches of size × rows × cols floats and size labels, the last one partial', () => {
    const sizes: number[] = [];
    for (const b of batches(set, all, 4)) {
      sizes.push(b.size);
      assert.strictEqual(b.x.length, b.size * 6);
      assert.strictEqual(b.y.length, b.size);
    }
    assert.deepStrictEqual(sizes, [4, 4, 2]);
  });

  it('scales bytes to [0, 1] and keeps images with their labels, in index order without an rng', () => {
    const idx = Int32Array.from([9, 3, 5]);
    const [b] = [...batches(numbered(300), Int32Array.from([255, 0, 128]), 3)];
    assert.deepStrictEqual(Array.from(b.x.subarray(0, 6)), new Array(6).fill(1));
    assert.deepStrictEqual(Array.from(b.x.subarray(6, 12)), new Array(6).fill(0));
    assert.strictEqual(b.x[12], Math.fround(128 / 255));
    assert.deepStrictEqual(Array.from(b.y), [5, 0, 8]);
    const got: number[] = [];
    for (const c of batches(set, idx, 2)) for (let k = 0; k < c.size; k++) got.push(Math.round(c.x[k * 6] * 255));
    assert.deepStrictEqual(got, [9, 3, 5]);
  });

  it('with an rng, visits a seeded permutation of the indices and leaves the caller\'s array alone', () => {
    const visit = (seed: number) => {
      const got: number[] = [];
      for (const b of batches(set, all, 3, new Rng(seed))) for (let k = 0; k < b.size; k++) {
        const i = Math.round(b.x[k * 6] * 255);
        assert.strictEqual(b.y[k], i % 10, 'label travels with its image');
        got.push(i);
      }
      return got;
    };
    const a = visit(1);
    assert.deepStrictEqual([...a].sort((x, y) => x - y), Array.from(all));
    assert.notDeepStrictEqual(a, Array.from(all));
    assert.deepStrictEqual(visit(1), a);
    assert.notDeepStrictEqual(visit(2), a);
    assert.deepStrictEqual(Array.from(all), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reuses one buffer for every full batch (documented: use a batch before taking the next)', () => {
    const bufs = new Set<ArrayBufferLike>();
    const xs = new Set<Float32Array>();
    for (const b of batches(set, all, 3)) {
      bufs.add(b.x.buffer);
      if (b.size === 3) xs.add(b.x);
    }
    assert.strictEqual(bufs.size, 1);
    assert.strictEqual(xs.size, 1);
  });

  it('gives byte/255 as float32 for every byte value, as float32 division does', () => {
    const every = numbered(256, 1, 1);
    const [b] = [...batches(every, Int32Array.from({ length: 256 }, (_, i) => i), 256)];
    const f32 = new Float32Array(1);
    for (let v = 0; v < 256; v++) {
      f32[0] = v / 255;
      assert.strictEqual(b.x[v], f32[0], `byte ${v}`);
    }
  });

  it('byteBatches yields the same images and labels as bytes, in the same seeded order', () => {
    const floats = [...batches(set, all, 4, new Rng(5))].map((b) => ({ x: Array.from(b.x, (v) => Math.round(v * 255)), y: Array.from(b.y) }));
    const bytes = [...byteBatches(set, all, 4, new Rng(5))].map((b) => ({ x: Array.from(b.x), y: Array.from(b.y) }));
    assert.deepStrictEqual(bytes, floats);
    assert.ok([...byteBatches(set, all, 4)][0].x instanceof Uint8Array);
  });

  it('rejects a bad batch size and indices outside the set', () => {
    assert.throws(() => batches(set, all, 0).next(), /batchSize must be a positive integer/);
    assert.throws(() => batches(set, Int32Array.from([10]), 2).next(), /index 10 is outside the set/);
  });
});
