/**
 * The run store: `<root>/<yyyymmdd-hhmmss>-<name>/` holding spec.json, metrics.jsonl (appended
 * and flushed per record), traces/, artifacts/ and summary.json (written last, atomically).
 * A run folder is created exclusively, so an existing run is never overwritten; a run without
 * summary.json is incomplete and is listed as such.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { writeFileAtomic } from '../core/files';
import type { MetricRecord, RunInfo, RunSummary } from '../protocol/types';

export type { MetricRecord, RunInfo, RunStatus, RunSummary } from '../protocol/types';

/** `<workspace>/.neurite/runs` */
export function runsRoot(workspace: string): string {
  return path.join(workspace, '.neurite', 'runs');
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Writes one run folder. Every write goes straight to disk, so a crash loses nothing written. */
export class RunWriter {
  private metricsFd: number;
  private closed = false;

  private constructor(readonly id: string, readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'traces'));
    fs.mkdirSync(path.join(dir, 'artifacts'));
    this.metricsFd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'a');
  }

  /** Create a new run folder under `root`; never reuses an existing one. */
  static create(root: string, name: string, now = new Date()): RunWriter {
    fs.mkdirSync(root, { recursive: true });
    const base = `${stamp(now)}-${name}`;
    for (let i = 1; i < 1000; i++) {
      const id = i === 1 ? base : `${base}-${i}`;
      const dir = path.join(root, id);
      try {
        fs.mkdirSync(dir); // exclusive: fails if it exists
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      return new RunWriter(id, dir);
    }
    throw new Error(`cannot create a run folder for ${base} in ${root}`);
  }

  writeSpec(record: unknown): void {
    writeJsonAtomic(path.join(this.dir, 'spec.json'), record);
  }

  appendMetric(rec: MetricRecord): void {
    fs.writeSync(this.metricsFd, JSON.stringify(rec) + '\n');
  }

  /** Write a trace (waveforms, rasters, curves) as traces/<name>.json. */
  writeTrace(name: string, data: unknown): string {
    const file = this.tracePath(`${name}.json`);
    writeJsonAtomic(file, data);
    return file;
  }

  /** A file in traces/ (full records such as CSV files go beside the streamed JSON traces). */
  tracePath(name: string): string {
    return path.join(this.dir, 'traces', safeName(name));
  }

  artifactPath(name: string): string {
    return path.join(this.dir, 'artifacts', safeName(name));
  }

  /** Write summary.json last and atomically; after this the run is complete. */
  finish(summary: RunSummary): void {
    this.close();
    writeJsonAtomic(path.join(this.dir, 'summary.json'), summary);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.metricsFd);
  }
}

export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._=-]+/g, '_').replace(/^\.+/, '_');
  return s.slice(0, 120) || '_';
}

/** `data` as indented JSON, written atomically (writeFileAtomic). */
export function writeJsonAtomic(file: string, data: unknown): void {
  writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** One run's status from its folder. */
export function runInfo(dir: string): RunInfo {
  const summary = readJson<RunSummary>(path.join(dir, 'summary.json'));
  const spec = readJson<{ spec?: { kind?: string; name?: string }; createdAt?: string }>(path.join(dir, 'spec.json'));
  return {
    id: path.basename(dir),
    dir,
    kind: summary?.kind ?? spec?.spec?.kind,
    name: summary?.name ?? spec?.spec?.name,
    createdAt: spec?.createdAt ?? summary?.startedAt,
    status: summary?.status ?? 'incomplete',
    summary,
  };
}

/** Every run under `root`, newest first. */
export function listRuns(root: string): RunInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d{8}-\d{6}-/.test(n) && fs.statSync(path.join(root, n)).isDirectory())
    .sort()
    .reverse()
    .map((n) => runInfo(path.join(root, n)));
}

/** A run by folder path, exact id, or unique id prefix/suffix among the runs under `root`. */
export function findRun(ref: string, root: string): string {
  if (fs.existsSync(path.join(ref, 'spec.json'))) return path.resolve(ref);
  const runs = listRuns(root);
  const hits = runs.filter((r) => r.id === ref);
  const loose = hits.length ? hits : runs.filter((r) => r.id.startsWith(ref) || r.id.endsWith(ref));
  if (loose.length === 1) return loose[0].dir;
  if (loose.length === 0) throw new InputError([`run "${ref}": no such run in ${root}`]);
  throw new InputError([`run "${ref}": ambiguous, matches ${loose.map((r) => r.id).join(', ')}`]);
}

/** Read the metrics of a run; a torn last line (a crash mid-write) is skipped. */
export function readMetrics(dir: string): MetricRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* a partial line from an interrupted write */
    }
  }
  return out;
}

/**
 * Mark a run that died without finishing (kernel crash) as failed (or cancelled, when it was
 * killed on purpose). Only writes when there is no summary yet: a finished run is never overwritten.
 */
export function markFailed(dir: string, error: string, status: 'failed' | 'cancelled' = 'failed'): boolean {
  const file = path.join(dir, 'summary.json');
  if (fs.existsSync(file)) return false;
  const spec = readJson<{ spec?: { kind?: string; name?: string; seed?: number }; createdAt?: string; device?: string }>(path.join(dir, 'spec.json'));
  const now = new Date();
  const startedAt = spec?.createdAt ?? now.toISOString();
  writeJsonAtomic(file, {
    id: path.basename(dir),
    kind: spec?.spec?.kind ?? 'unknown',
    name: spec?.spec?.name ?? path.basename(dir),
    status,
    startedAt,
    endedAt: now.toISOString(),
    durationMs: now.getTime() - new Date(startedAt).getTime(),
    seed: spec?.spec?.seed ?? 0,
    device: spec?.device ?? 'unknown',
    metrics: {},
    error,
  } satisfies RunSummary);
  return true;
}

/** Everything a view needs to show one run, read from its folder. */
export function readRunDetails(dir: string): { info: RunInfo; spec: unknown; metrics: MetricRecord[]; traces: Record<string, unknown>; log: string[] } {
  const spec = readJson<unknown>(path.join(dir, 'spec.json'));
  if (spec === undefined) throw new Error(`${dir} is not a run folder (no readable spec.json)`);
  const traces: Record<string, unknown> = {};
  const traceDir = path.join(dir, 'traces');
  for (const f of fs.existsSync(traceDir) ? fs.readdirSync(traceDir).sort() : []) {
    if (!f.endsWith('.json')) continue;
    const t = readJson<unknown>(path.join(traceDir, f)); // a trace being written right now reads as undefined
    if (t !== undefined) traces[f.slice(0, -5)] = t;
  }
  return { info: runInfo(dir), spec, metrics: readMetrics(dir), traces, log: readLogTail(dir, 200) };
}

/** A run's log line as people read it (the CLI, the run panel): info plain, others prefixed by their level. */
export function logText(level: 'info' | 'warn' | 'error', message: string): string {
  return `${level === 'info' ? '' : `${level}: `}${message}`;
}

/** The last `lines` lines of log.txt, without their timestamps. */
function readLogTail(dir: string, lines: number): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'log.txt'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .slice(-lines)
    .map((l) => l.replace(/^\S+ (info|warn|error) (.*)$/s, (_, level: 'info' | 'warn' | 'error', message: string) => logText(level, message)));
}
