/**
 * Download on demand into a cache, `${NEURITE_CACHE:-~/.cache/neurite}/datasets/<name>/`.
 *
 * Each file is streamed into a temporary file next to its final name while its sha256 is
 * computed; only a file of the expected size and hash is renamed into place (an atomic step),
 * so an interrupted, truncated or substituted download never leaves a file that looks valid.
 * Mirrors are tried in order; when all fail, every attempt is reported.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, InputError } from '../core/errors';
import { idxRoles, type DatasetEntry, type OfficialFile } from './registry';

/** The cache root: $NEURITE_CACHE, else ~/.cache/neurite. */
export function cacheRoot(): string {
  return process.env.NEURITE_CACHE || path.join(os.homedir(), '.cache', 'neurite');
}

/** Where a data set's downloaded files live. */
export function datasetCacheDir(name: string, root = cacheRoot()): string {
  return path.join(root, 'datasets', name);
}

export interface DownloadOptions {
  /** A base URL to use instead of the registry's mirrors. */
  mirror?: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** Make sure all four official files of `entry` are in `dir`, downloading the missing ones. */
export async function ensureDownloaded(entry: DatasetEntry, dir: string, opts: DownloadOptions = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const bases = opts.mirror ? [opts.mirror] : entry.mirrors;
  const where = opts.mirror ? 'data.mirror' : 'data.download';
  for (const role of idxRoles) {
    const want = entry.files[role];
    const dest = path.join(dir, want.file);
    if (fs.existsSync(dest)) continue;
    const problems: string[] = [];
    for (const base of bases) {
      const url = `${base.replace(/\/+$/, '')}/${want.file}`;
      try {
        opts.log?.(`downloading ${url} (${(want.bytes / 1e6).toFixed(1)} MB)`);
        await fetchVerified(url, dest, want, opts.signal);
        opts.log?.(`${want.file}: sha256 verified, saved to ${dest}`);
        break;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        problems.push(`${where}: ${want.file} from ${url}: ${(e as Error).message}`);
      }
    }
    if (!fs.existsSync(dest)) throw new InputError(problems);
  }
}

/** Fetch `url` into `dest` through a temporary file; throws (and removes the temp file) unless size and sha256 match. */
export async function fetchVerified(url: string, dest: string, want: OfficialFile, signal?: AbortSignal): Promise<void> {
  const temp = `${dest}.part-${process.pid}-${randomBytes(4).toString('hex')}`;
  let out: fs.promises.FileHandle | undefined;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal, redirect: 'follow' });
    } catch (e) {
      throw networkError(e, signal);
    }
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    out = await fs.promises.open(temp, 'wx');
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (bytes > want.bytes) throw new Error(`server sent more than the expected ${want.bytes} bytes`);
        hash.update(chunk);
        await out.write(chunk);
      }
    } catch (e) {
      if ((e as Error).message.startsWith('server sent')) throw e;
      throw networkError(e, signal, `after ${bytes} of ${want.bytes} bytes`);
    }
    await out.close();
    out = undefined;
    if (bytes !== want.bytes) throw new Error(`truncated download: expected ${want.bytes} bytes, got ${bytes}`);
    const actual = hash.digest('hex');
    if (actual !== want.sha256) throw new Error(`sha256 mismatch: expected ${want.sha256}, got ${actual}`);
    fs.renameSync(temp, dest);
  } finally {
    await out?.close();
    fs.rmSync(temp, { force: true });
  }
}

/** A fetch failure as a short reason (connection refused, reset, cancelled…). */
function networkError(e: unknown, signal: AbortSignal | undefined, when = ''): Error {
  if (signal?.aborted) return new CancelledError();
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const reason = [cause?.code, cause?.message].filter(Boolean).join(': ') || (e as Error).message;
  return new Error(`connection failed${when ? ' ' + when : ''} (${reason})`);
}
