/**
 * What every image experiment does first: load its data set (a `data.dir` relative to the spec,
 * cancellable, logged) and, once the real image count is known, check the split and the batch.
 */
import { InputError } from '../core/errors';
import { loadData, splitProblems, splitSizes, type DataSpec, type ImageSet, type LoadedData } from '../data';
import type { RunContext } from '../runs/context';

/** A batch larger than the training part would silently train on fewer images per step than asked. */
export function batchProblems(train: number, batchSize: number): { path: string[]; message: string }[] {
  return batchSize > train ? [{ path: ['train', 'batchSize'], message: `a batch of ${batchSize} is more than the ${train} training images (after the validation split)` }] : [];
}

/** A data.dir folder's size is known only once read (the built-in sets are checked with the spec). */
export function checkSplit(train: ImageSet, validation: number, batchSize: number, source: string): void {
  const problems = splitProblems(train.count, validation).map((p) => ({ path: ['data', ...p.path], message: p.message }));
  if (!problems.length) problems.push(...batchProblems(splitSizes(train.count, validation).train, batchSize));
  if (problems.length) throw new InputError(problems.map((p) => `${p.path.join('.')}: ${p.message} (${train.count} training images in ${source})`));
}

export function loadRunData(data: DataSpec, ctx: RunContext): Promise<LoadedData> {
  const dir = data.dir === undefined ? undefined : ctx.resolvePath(data.dir);
  return loadData({ ...data, dir }, { signal: ctx.signal, log: (m) => ctx.log(m) });
}
