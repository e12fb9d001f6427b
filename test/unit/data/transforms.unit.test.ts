import * as assert from 'assert';
import * as path from 'path';
import { Rng } from '../../../kernel/core/rng';
import type { ImageSet } from '../../../kernel/data/dataset';
import { readPair } from '../../../kernel/data/folder';
import { LabelSwapStream, rotate } from '../../../kernel/data/transforms';
import { debianDir, golden } from './fixtures';

const single = (pixels: number[], rows: number, cols: number): ImageSet => ({ images: Uint8Array.from(pixels), labels: Uint8Array.of(0), count: 1, rows, cols });

describe('rotate', () => {
  let test: ImageSet;
  before(async () => {
    test = await readPair(path.join(debianDir, 't10k-images-idx3-ubyte.gz'), path.join(debianDir, 't10k-labels-idx1-ubyte.gz'), 10);
  });

  it('matches scipy.ndimage.rotate(order=1, grid-constant) on real Fashion-MNIST images, to the nearest byte', () => {
    const cases = golden.rotations.cases as { image: number; degrees: number; pixels: number[] }[];
    assert.ok(cases.length >= 12);
    let differing = 0;
    for (const c of cases) {
      const img: ImageSet = { ...test, count: 1, images: test.images.subarray(c.image * 784, (c.image + 1) * 784), labels: test.labels.subarray(c.image, c.image + 1) };
      const out = rotate(img, c.degrees).images;
      c.pixels.forEach((ref, p) => {
        // The golden keeps 4 decimals: where the reference is that close to a .5 tie, either rounding is right.
        const tie = Math.abs((ref % 1) - 0.5) < 2e-4;
        if (tie ? Math.abs(out[p] - ref) > 0.5 + 2e-4 : out[p] !== Math.round(ref)) differing++;
      });
    }
    assert.strictEqual(differing, 0);
  });

  it('is the identity at 0° and 360°', () => {
    const img = { ...test, count: 5, images: test.images.subarray(0, 5 * 784) };
    assert.ok(Buffer.from(rotate(img, 0).images).equals(img.images));
    assert.ok(Buffer.from(rotate(img, 360).images).equals(img.images));
  });

  it('turns 90° counter-clockwise into an exact transpose-flip: out[r][c] = in[c][n−1−r]', () => {
    const img = { ...test, count: 1, images: test.images.subarray(0, 784) };
    const out = rotate(img, 90).images;
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) assert.strictEqual(out[r * 28 + c], img.images[c * 28 + (27 - r)], `pixel ${r},${c}`);
    assert.ok(Buffer.from(rotate(rotate(img, 90), -90).images).equals(img.images));
  });

  it('keeps a centred dot centred at 45°, and moves an off-centre dot along the circle', () => {
    // 5×5 with a dot at the centre (2, 2).
    const dot = new Array(25).fill(0);
    dot[12] = 200;
    const spread = rotate(single(dot, 5, 5), 45).images;
    assert.strictEqual(spread[12], 200, 'the centre samples itself');
    let mass = 0, mr = 0, mc = 0;
    spread.forEach((v, p) => ((mass += v), (mr += v * Math.floor(p / 5)), (mc += v * (p % 5))));
    assert.deepStrictEqual([mr / mass, mc / mass], [2, 2], 'centre of mass stays at the centre');
    // Bilinear spreads it to the 4-neighbours: (1, 2) samples (r, c) = (2 − cos45, 2 + sin45), weight (1 − 0.707)² on the dot.
    assert.strictEqual(spread[1 * 5 + 2], Math.round(200 * (1 - Math.SQRT1_2) ** 2));
    // Dot at (row 2, col 4): 2 px right of centre. At 45° CCW it moves to (2 − √2, 2 + √2) = (0.586, 3.414),
    // so the output pixel (1, 3) samples the source at (2 + ..., ) — check the hand-computed bilinear value.
    const off = new Array(25).fill(0);
    off[2 * 5 + 4] = 255;
    const out = rotate(single(off, 5, 5), 45).images;
    // Output (1, 3): dr = −1, dc = 1 → c_src = 2 + cos45·1 − sin45·(−1) = 2 + √2, r_src = 2 + sin45·1 + cos45·(−1) = 2.
    // Bilinear between (2, 3) = 0 and (2, 4) = 255 with weight frac = √2 − 1 on (2, 4).
    assert.strictEqual(out[1 * 5 + 3], Math.round(255 * (Math.SQRT2 - 1)));
    assert.strictEqual(out[2 * 5 + 4], 0);
  });

  it('keeps labels and shape and fills with zeros outside the image', () => {
    const full = single(new Array(9).fill(255), 3, 3);
    const out = rotate(full, 45);
    assert.deepStrictEqual([out.count, out.rows, out.cols], [1, 3, 3]);
    assert.strictEqual(out.labels, full.labels);
    assert.strictEqual(out.images[4], 255);
    assert.ok(out.images[0] < 255, 'a corner samples partly outside the image');
  });
});

describe('LabelSwapStream (concept shift)', () => {
  const stream = (swapsPerEpoch: number, seed = 1, epochSize = 100) => new LabelSwapStream({ classes: 10, epochSize, swapsPerEpoch, rng: new Rng(seed) });
  const identity = Array.from({ length: 10 }, (_, i) => i);

  it('with 0 swaps per epoch is the identity', () => {
    const s = stream(0);
    for (let e = 0; e < 3; e++) {
      for (let i = 0; i < 100; i++) assert.strictEqual(s.label(i, i % 10), i % 10);
      s.endEpoch();
    }
    assert.strictEqual(s.history.length, 0);
  });

  it('makes swapsPerEpoch swaps per epoch at evenly spaced positions, the last at the epoch end', () => {
    const s = stream(4);
    for (let e = 0; e < 3; e++) {
      for (let i = 0; i < 100; i++) s.label(i, 0);
      s.endEpoch();
    }
    assert.strictEqual(s.history.length, 12);
    assert.deepStrictEqual(s.history.map((h) => h.at), [25, 50, 75, 100, 25, 50, 75, 100, 25, 50, 75, 100]);
    assert.deepStrictEqual(s.history.map((h) => h.epoch), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    for (const h of s.history) assert.notStrictEqual(h.classes[0], h.classes[1]);
  });

  it('swaps two classes exactly when the swap point is reached', () => {
    const s = stream(2);
    for (let i = 0; i < 50; i++) assert.deepStrictEqual(identity.map((y) => s.label(i, y)), identity, `before the first swap (sample ${i})`);
    const after = identity.map((y) => s.label(50, y));
    const [a, b] = s.history[0].classes;
    const want = identity.map((y) => (y === a ? b : y === b ? a : y));
    assert.deepStrictEqual(after, want);
  });

  it('composes swaps: the mapping is the product of the transpositions so far, a permutation', () => {
    const s = stream(5, 9);
    for (let e = 0; e < 4; e++) s.endEpoch();
    const want = [...identity];
    for (const { classes: [a, b] } of s.history) for (let t = 0; t < 10; t++) want[t] = want[t] === a ? b : want[t] === b ? a : want[t];
    assert.deepStrictEqual(Array.from(s.mapping), want);
    assert.deepStrictEqual([...s.mapping].sort((x, y) => x - y), identity);
    assert.notDeepStrictEqual(Array.from(s.mapping), identity);
    assert.deepStrictEqual(identity.map((y) => s.current(y)), want, 'validation sees the same mapping');
  });

  it('is seeded: same seed, same swaps; another seed, other swaps', () => {
    const run = (seed: number) => {
      const s = stream(5, seed);
      for (let e = 0; e < 3; e++) s.endEpoch();
      return s.history.map((h) => h.classes.join('-'));
    };
    assert.deepStrictEqual(run(4), run(4));
    assert.notDeepStrictEqual(run(4), run(5));
  });

  it('relabels a batch sample by sample, switching mid-batch at a swap point', () => {
    const s = stream(1, 2, 10); // one swap, before sample 10 = the end of a 10-sample epoch
    const y = Int32Array.from(identity);
    s.relabel(y, 0);
    assert.deepStrictEqual(Array.from(y), identity);
    s.endEpoch();
    const [a, b] = s.history[0].classes;
    const s2 = new LabelSwapStream({ classes: 10, epochSize: 8, swapsPerEpoch: 2, rng: new Rng(2) }); // swaps before samples 4 and 8
    const batch = Int32Array.from([a, a, a, a, a, a]);
    s2.relabel(batch, 1);
    assert.deepStrictEqual(Array.from(batch).slice(0, 3), [a, a, a]);
    assert.deepStrictEqual(Array.from(batch).slice(3), [b, b, b], 'same seed: the first swap is (a, b), from sample 4 on');
  });

  it('follows a rate that changes with the epoch, asked once per epoch', () => {
    const asked: number[] = [];
    const s = new LabelSwapStream({ classes: 10, epochSize: 100, swapsPerEpoch: (e) => (asked.push(e), [0, 2, 5][e] ?? 1), rng: new Rng(3) });
    for (let e = 0; e < 4; e++) {
      for (let i = 0; i < 100; i++) s.label(i, 0);
      s.endEpoch();
    }
    assert.deepStrictEqual(asked, [0, 1, 2, 3, 4]);
    assert.deepStrictEqual(s.history.map((h) => `${h.epoch}@${h.at}`), ['1@50', '1@100', '2@20', '2@40', '2@60', '2@80', '2@100', '3@100']);
    assert.throws(() => new LabelSwapStream({ classes: 10, epochSize: 5, swapsPerEpoch: () => 1.5, rng: new Rng(1) }), /swapsPerEpoch must be a non-negative integer, got 1.5 for epoch 0/);
  });

  it('makes the swaps due before a point between samples when asked (a validation point)', () => {
    const s = stream(4); // swaps before samples 25, 50, 75, 100
    for (let i = 0; i < 50; i++) s.label(i, 0);
    assert.strictEqual(s.history.length, 1);
    s.advanceTo(50);
    assert.strictEqual(s.history.length, 2);
    assert.strictEqual(s.label(50, 0), s.current(0));
  });

  it('refuses positions that go backwards within an epoch and bad settings', () => {
    const s = stream(2);
    s.label(30, 1);
    assert.throws(() => s.label(10, 1), /out of order.*call endEpoch/);
    assert.throws(() => new LabelSwapStream({ classes: 1, epochSize: 5, swapsPerEpoch: 1, rng: new Rng(1) }), /classes must be an integer ≥ 2/);
    assert.throws(() => new LabelSwapStream({ classes: 10, epochSize: 5, swapsPerEpoch: -1, rng: new Rng(1) }), /swapsPerEpoch/);
  });
});
