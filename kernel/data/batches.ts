/**
 * Minibatches of an ImageSet as floats in [0, 1].
 *
 * Memory contract: one generator owns one `x` buffer (batchSize·rows·cols floats) and one
 * `y` buffer (batchSize ints), allocated when it starts; every batch it yields overwrites
 * them. The last, partial batch is a view on the first `size` rows of the same buffers.
 * So a consumer must use (or copy) a batch before asking for the next one; nothing is
 * allocated per batch.
 */
import type { Rng } from '../core/rng';
import type { ImageSet } from './dataset';

/** byte → byte/255, so scaling is a table look-up. */
const scale = new Float32Array(256).map((_, b) => b / 255);

export interface Batch {
  /** `size · rows · cols` pixels in [0, 1], row-major, image after image. */
  x: Float32Array;
  /** `size` class labels. */
  y: Int32Array;
  size: number;
}

/**
 * Iterate `indices` of `set` in batches of `batchSize` (the last one may be smaller).
 * With `rng`, iterates a shuffled copy of `indices` (the caller's array is not changed).
 */
export function* batches(set: ImageSet, indices: Int32Array, batchSize: number, rng?: Rng): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const pixels = set.rows * set.cols;
  for (const i of indices) if (!(i >= 0 && i < set.count)) throw new RangeError(`batches: index ${i} is outside the set (0…${set.count - 1})`);
  const order = rng ? rng.shuffle(indices.slice()) : indices;
  const x = new Float32Array(Math.min(batchSize, Math.max(order.length, 1)) * pixels);
  const y = new Int32Array(x.length / pixels);
  const full: Batch = { x, y, size: y.length };
  const images = set.images;
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    for (let b = 0; b < size; b++) {
      const i = order[start + b];
      const from = i * pixels;
      const to = b * pixels;
      for (let p = 0; p < pixels; p++) x[to + p] = scale[images[from + p]];
      y[b] = set.labels[i];
    }
    yield size === full.size ? full : { x: x.subarray(0, size * pixels), y: y.subarray(0, size), size };
  }
}
