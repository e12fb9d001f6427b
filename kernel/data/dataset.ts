/**
 * The in-memory shape of an image classification data set. Pixels stay bytes (0…255) from
 * disk to the batch: a full Fashion-MNIST is ~55 MB this way, four times less than as floats.
 * Batches (batches.ts) scale to [0, 1] floats only for the few images in flight.
 */

/** Images and labels of one part (train or test) of a data set. */
export interface ImageSet {
  /** Pixels as bytes, row-major, image after image: `count * rows * cols` values. */
  images: Uint8Array;
  /** One class index per image, in `[0, classes)`. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A data set as `loadData` returns it. */
export interface LoadedData {
  name: string;
  train: ImageSet;
  test: ImageSet;
  classes: number;
  classNames?: string[];
  /** Where it was read from: a folder, a cache folder, or the npm package. */
  source: string;
}

/** The first `limit` images of a set, as views on the same bytes (no copy). */
export function take(set: ImageSet, limit: number | undefined): ImageSet {
  if (limit === undefined || limit >= set.count) return set;
  const pixels = set.rows * set.cols;
  return { ...set, count: limit, images: set.images.subarray(0, limit * pixels), labels: set.labels.subarray(0, limit) };
}
