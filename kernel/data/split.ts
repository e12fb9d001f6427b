/** Seeded train/validation split of a training set's indices. */
import type { Rng } from '../core/rng';

/** How many of n training images the split holds out (round(n · fraction)) and how many it keeps. */
export function splitSizes(n: number, fraction: number): { validation: number; train: number } {
  const validation = Math.round(n * fraction);
  return { validation, train: n - validation };
}

/**
 * Hold out `round(n · fraction)` of the indices 0…n−1 for validation, chosen by a seeded
 * shuffle; the rest are for training. Both lists are returned in ascending order (the order
 * of the file, good for memory locality); `batches` shuffles them per epoch.
 * Same `n`, `fraction` and RNG state → same split. Disjoint and together they cover 0…n−1.
 */
export function splitTrainValidation(n: number, fraction: number, rng: Rng): { train: Int32Array; validation: Int32Array } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`splitTrainValidation: n must be a non-negative integer, got ${n}`);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`splitTrainValidation: fraction must be in [0, 1], got ${fraction}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  rng.shuffle(order);
  const nValidation = splitSizes(n, fraction).validation;
  return {
    validation: order.slice(0, nValidation).sort(),
    train: order.slice(nValidation).sort(),
  };
}
