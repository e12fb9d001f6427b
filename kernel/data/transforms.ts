/**
 * Transforms the papers use: rotation by an angle (Dopamine, PAPERS.md §4: MNIST at 0° and
 * 45°) and label-swap streams (homeostatic concept shift, PAPERS.md §2).
 */
import type { Rng } from '../core/rng';
import type { ImageSet } from './dataset';

/** cos and sin of an angle in degrees, exact at multiples of 90° (so 90° is an exact transpose-flip). */
function cosSinDeg(degrees: number): [number, number] {
  const quarter = degrees / 90;
  if (Number.isInteger(quarter)) {
    const q = ((quarter % 4) + 4) % 4;
    return [[1, 0, -1, 0][q], [0, 1, 0, -1][q]];
  }
  const rad = (degrees * Math.PI) / 180;
  return [Math.cos(rad), Math.sin(rad)];
}

/**
 * Rotate every image by `degrees` counter-clockwise (as displayed, row 0 at the top) about
 * its centre ((cols−1)/2, (rows−1)/2), with bilinear interpolation and zeros outside the
 * image — the same as `scipy.ndimage.rotate(img, degrees, reshape=False, order=1,
 * mode='grid-constant')`, rounded to the nearest byte. Labels are shared, not copied.
 *
 * For an output pixel (r, c), with dr = r − cy and dc = c − cx, the source point is
 *   c_src = cx + cos θ · dc − sin θ · dr      (inverse rotation, x to the right)
 *   r_src = cy + sin θ · dc + cos θ · dr      (y downward, hence the signs)
 * and its value is the bilinear mix of the four pixels around it (0 beyond the edges).
 */
export function rotate(set: ImageSet, degrees: number): ImageSet {
  if (!Number.isFinite(degrees)) throw new RangeError(`rotate: degrees must be finite, got ${degrees}`);
  const { rows, cols, count } = set;
  const pixels = rows * cols;
  const out = new Uint8Array(count * pixels);
  const [cos, sin] = cosSinDeg(degrees);
  const cx = (cols - 1) / 2;
  const cy = (rows - 1) / 2;
  // The sampling pattern is the same for every image: precompute 4 corner offsets and weights per pixel.
  const at = new Int32Array(pixels * 4).fill(-1);
  const weight = new Float64Array(pixels * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const dr = r - cy;
      const dc = c - cx;
      const cs = cx + cos * dc - sin * dr;
      const rs = cy + sin * dc + cos * dr;
      const c0 = Math.floor(cs);
      const r0 = Math.floor(rs);
      const fc = cs - c0;
      const fr = rs - r0;
      const k = (r * cols + c) * 4;
      const corners: [number, number, number][] = [
        [r0, c0, (1 - fr) * (1 - fc)],
        [r0, c0 + 1, (1 - fr) * fc],
        [r0 + 1, c0, fr * (1 - fc)],
        [r0 + 1, c0 + 1, fr * fc],
      ];
      corners.forEach(([rr, cc, w], j) => {
        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols && w !== 0) {
          at[k + j] = rr * cols + cc;
          weight[k + j] = w;
        }
      });
    }
  }
  for (let n = 0; n < count; n++) {
    const base = n * pixels;
    for (let p = 0; p < pixels; p++) {
      let v = 0;
      for (let j = p * 4; j < p * 4 + 4; j++) if (at[j] >= 0) v += weight[j] * set.images[base + at[j]];
      out[base + p] = Math.min(255, Math.round(v));
    }
  }
  return { ...set, images: out };
}

/**
 * Concept shift as in Man, Damasio & Neven (2022), PAPERS.md §2: `swapsPerEpoch` times per
 * epoch, evenly spaced, two random classes swap labels — for training and validation alike.
 * Swaps compose: a swap exchanges the two classes' *current* labels, so the mapping from true
 * to current label is a product of transpositions that persists across epochs.
 *
 * Schedule: in an epoch of N samples with S swaps, swap k (k = 1…S) happens just before
 * sample round(k·N/S); the last one falls at the end of the epoch (before the validation
 * pass and the next epoch), as in the authors' code, whose swaps fall after batches ending
 * at multiples of N/S. S = 0 leaves every label unchanged.
 *
 * The rate may change over time (the paper varies it): `swapsPerEpoch` is then a function of
 * the epoch (0-based), asked once at the start of each epoch.
 *
 * Use: `label(i, y)` (or `relabel` for a batch) with non-decreasing sample positions i within
 * the epoch, `current(y)` for validation (after `advanceTo(i)` for a point inside the epoch),
 * `endEpoch()` after the last sample.
 */
export class LabelSwapStream {
  /** mapping[trueLabel] = current label. */
  readonly mapping: Int32Array;
  /** Every swap so far, in order. */
  readonly history: { epoch: number; at: number; classes: [number, number] }[] = [];
  private epoch = 0;
  private done = 0; // swaps made in this epoch
  private position = 0; // highest sample position seen in this epoch
  private rate: number; // swaps in this epoch

  constructor(private readonly opts: { classes: number; epochSize: number; swapsPerEpoch: number | ((epoch: number) => number); rng: Rng }) {
    const { classes, epochSize } = opts;
    if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`LabelSwapStream: classes must be an integer ≥ 2, got ${classes}`);
    if (!Number.isInteger(epochSize) || epochSize < 1) throw new RangeError(`LabelSwapStream: epochSize must be a positive integer, got ${epochSize}`);
    this.mapping = new Int32Array(classes).map((_, i) => i);
    this.rate = this.rateOf(0);
  }

  /** Swaps in the current epoch. */
  get swapsThisEpoch(): number {
    return this.rate;
  }

  /** Sample position (within an epoch) before which swap k (1-based) happens. */
  swapPoint(k: number): number {
    return Math.round((k * this.opts.epochSize) / this.rate);
  }

  /** The current label of a training sample at position `index` of this epoch. */
  label(index: number, trueLabel: number): number {
    this.advance(index);
    return this.mapping[trueLabel];
  }

  /** Relabel a batch in place: `y[b]` is the sample at position `first + b` of this epoch. */
  relabel(y: Int32Array, first: number, size = y.length): void {
    for (let b = 0; b < size; b++) y[b] = this.label(first + b, y[b]);
  }

  /** The label under the mapping in force now (for validation and test sets). */
  current(trueLabel: number): number {
    return this.mapping[trueLabel];
  }

  /** Make the swaps due before sample `index` of this epoch (for a validation point between samples). */
  advanceTo(index: number): void {
    this.advance(index);
  }

  /** Finish the epoch: make the swaps still due (those at its end) and start the next one. */
  endEpoch(): void {
    this.advance(this.opts.epochSize);
    this.epoch++;
    this.done = 0;
    this.position = 0;
    this.rate = this.rateOf(this.epoch);
  }

  get epochIndex(): number {
    return this.epoch;
  }

  private advance(index: number): void {
    if (!(index >= this.position && index <= this.opts.epochSize)) {
      throw new RangeError(`LabelSwapStream: sample position ${index} is out of order (last ${this.position}, epoch size ${this.opts.epochSize}); call endEpoch() between epochs`);
    }
    this.position = index;
    const { classes, rng } = this.opts;
    while (this.done < this.rate && this.swapPoint(this.done + 1) <= index) {
      const a = rng.int(classes);
      let b = rng.int(classes - 1);
      if (b >= a) b++; // two distinct classes, uniformly
      // Exchange the two classes' current labels wherever they appear in the mapping.
      for (let t = 0; t < classes; t++) {
        if (this.mapping[t] === a) this.mapping[t] = b;
        else if (this.mapping[t] === b) this.mapping[t] = a;
      }
      this.done++;
      this.history.push({ epoch: this.epoch, at: this.swapPoint(this.done), classes: [a, b] });
    }
  }

  private rateOf(epoch: number): number {
    const s = this.opts.swapsPerEpoch;
    const rate = typeof s === 'number' ? s : s(epoch);
    if (!Number.isInteger(rate) || rate < 0) throw new RangeError(`LabelSwapStream: swapsPerEpoch must be a non-negative integer, got ${rate}${typeof s === 'number' ? '' : ` for epoch ${epoch}`}`);
    return rate;
  }
}
