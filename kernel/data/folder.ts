/**
 * An MNIST-format folder: find its four IDX(.gz) files, read them, and check that they make
 * a data set (as many labels as images, every label a class, train and test the same size).
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import type { ImageSet } from './dataset';
import { readIdx } from './idx';
import { idxBaseNames, idxRoles, type IdxRole } from './registry';

const roleText: Record<IdxRole, string> = {
  trainImages: 'training images',
  trainLabels: 'training labels',
  testImages: 'test images',
  testLabels: 'test labels',
};

/** File names tried for a role, in order: the original names, gzipped or not, and the dotted variant some mirrors use. */
export function candidateNames(role: IdxRole): string[] {
  const base = idxBaseNames[role];
  const dotted = base.replace(/-(idx\d)-/, '.$1-');
  return [`${base}.gz`, base, `${dotted}.gz`, dotted];
}

/** The path of each role's file in `dir`; every missing piece is one problem line. */
export function locateFiles(dir: string, what = 'data.dir'): Record<IdxRole, string> {
  let entries: Set<string>;
  try {
    if (!fs.statSync(dir).isDirectory()) throw new InputError([`${what}: ${dir} is not a folder`]);
    entries = new Set(fs.readdirSync(dir));
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const looked = idxRoles.map((r) => idxBaseNames[r] + '[.gz]').join(', ');
    throw new InputError([`${what}: folder ${dir} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; it should hold ${looked}`]);
  }
  const found = {} as Record<IdxRole, string>;
  const problems: string[] = [];
  for (const role of idxRoles) {
    const name = candidateNames(role).find((n) => entries.has(n));
    if (name) found[role] = path.join(dir, name);
    else problems.push(`${what}: no ${roleText[role]} in ${dir} (looked for ${candidateNames(role).join(', ')})`);
  }
  if (problems.length) throw new InputError(problems);
  return found;
}

/** Read an images file and its labels file into one checked set. */
export async function readPair(imagesFile: string, labelsFile: string, classes: number, signal?: AbortSignal): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdx(imagesFile, 'images', { signal }), readIdx(labelsFile, 'labels', { signal })]);
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new InputError([`${labelsFile}: ${labels.dims[0]} labels, but ${imagesFile} holds ${count} images`]);
  }
  const bad = labels.data.findIndex((y) => y >= classes);
  if (bad >= 0) {
    throw new InputError([`${labelsFile}: label ${labels.data[bad]} at index ${bad} is not a class (expected 0…${classes - 1})`]);
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/** Read a whole MNIST-format folder. */
export async function readFolder(dir: string, classes: number, opts: { signal?: AbortSignal; what?: string } = {}): Promise<{ train: ImageSet; test: ImageSet }> {
  const files = locateFiles(dir, opts.what);
  const [train, test] = await Promise.all([
    readPair(files.trainImages, files.trainLabels, classes, opts.signal),
    readPair(files.testImages, files.testLabels, classes, opts.signal),
  ]);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new InputError([`${files.testImages}: test images are ${test.rows}×${test.cols} but training images are ${train.rows}×${train.cols}`]);
  }
  return { train, test };
}
