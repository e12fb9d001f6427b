/**
 * What a comparison of runs shows, read from their folders: each run's curves and summary, the
 * resolved-spec paths whose values differ (the diff, and each run's legend label), and the
 * configurations — runs whose specs differ only in the seed — over which the dashboard gives
 * mean ± sd. A sweep is compared as its trials' runs.
 */
import * as path from 'path';
import type { CompareModel, CompareRun } from '../protocol/panels';
import type { RunDetails } from '../protocol/types';
import { readSweep, trialStates } from '../sweeps/store';
import { stat } from '../sweeps/table';
import { readRunDetails } from './store';

/** Paths that tell runs apart but are not part of what was run. */
const NOT_CONFIG = new Set(['seed']);

/**
 * A resolved spec as dotted paths to leaves. A list of plain values is one leaf (layer widths
 * [256, 128]); a list of objects is walked by index (checks.falsePositive.0.theta), so a sweep
 * over one field of a list entry differs in that field only.
 */
export function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  const walk = Array.isArray(v) ? v.some((x) => x !== null && typeof x === 'object') : v !== null && typeof v === 'object';
  if (walk) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0 && prefix) out[prefix] = v;
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = v;
  return out;
}

/** A parameter value as a legend shows it: numbers to 4 digits, lists as [a, b]. */
export function valueText(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') return String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v).replace(/,/g, ', ');
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The resolved spec a run folder records (spec.json's `spec`), or its whole spec.json for older folders. */
function resolvedSpec(d: RunDetails): unknown {
  const s = d.spec as { spec?: unknown } | undefined;
  return s && typeof s === 'object' && 'spec' in s ? s.spec : s;
}

export interface CompareOptions {
  title?: string;
  sweep?: CompareModel['sweep'];
  /** Whether a run is in progress now (its status shows "running"). */
  running?(runId: string): boolean;
}

/** The comparison of the runs in `dirs` (in that order; unreadable folders are left out). */
export function compareRuns(dirs: string[], opts: CompareOptions = {}): CompareModel {
  const details: RunDetails[] = [];
  for (const dir of dirs) {
    try {
      details.push(readRunDetails(dir));
    } catch {
      /* deleted or not a run folder: nothing to compare */
    }
  }
  const flat = details.map((d) => flatten(resolvedSpec(d)));
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  const diff = paths.filter((p) => flat.some((f) => !same(f[p], flat[0][p]))).map((p) => ({ path: p, values: flat.map((f) => f[p]) }));
  const names = details.map((d) => d.info.name ?? d.info.id);
  const namesDiffer = new Set(names).size > 1;
  // Legends name what was set first and the seed last: "train.lr=0.1, seed=2".
  const shown = diff.filter((d) => d.path !== 'name').sort((a, b) => Number(NOT_CONFIG.has(a.path)) - Number(NOT_CONFIG.has(b.path)));

  const configKeys: string[] = [];
  const configs: CompareModel['configs'] = [];
  const runs: CompareRun[] = details.map((d, i) => {
    const params = Object.fromEntries(shown.filter((x) => !NOT_CONFIG.has(x.path)).map((x) => [x.path, x.values[i]]));
    const key = JSON.stringify([namesDiffer ? names[i] : '', params]);
    let config = configKeys.indexOf(key);
    if (config < 0) {
      config = configKeys.push(key) - 1;
      const text = Object.entries(params).map(([k, v]) => `${k}=${valueText(v)}`).join(', ');
      configs.push({ label: [namesDiffer ? names[i] : '', text].filter(Boolean).join(' · ') || 'all runs', params, runs: [], stats: {} });
    }
    configs[config].runs.push(i);
    const parts = shown.map((x) => `${x.path}=${valueText(x.values[i])}`);
    const label = [namesDiffer ? names[i] : '', parts.join(', ')].filter(Boolean).join(' · ') || d.info.id;
    const summary = d.info.summary;
    return {
      id: d.info.id,
      runId: d.info.id,
      dir: d.info.dir,
      name: names[i],
      kind: d.info.kind,
      status: opts.running?.(d.info.id) ? 'running' : d.info.status,
      label,
      color: i,
      config,
      seed: typeof flat[i].seed === 'number' ? (flat[i].seed as number) : undefined,
      summary: summary?.metrics ?? {},
      metrics: d.metrics,
      ...(d.meta ? { meta: d.meta } : {}),
      tags: d.info.notes?.tags ?? [],
      ...(summary ? { durationMs: summary.durationMs } : {}),
    };
  });
  // Run ids are folder names: two trials of a sweep started in the same second share one, in
  // folders of their own (runs/t002/…, runs/t003/…). The comparison names each run uniquely.
  const ids = new Map<string, number>();
  for (const r of runs) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
  runs.forEach((r, i) => {
    if (ids.get(r.runId)! > 1) r.id = `${path.basename(path.dirname(details[i].info.dir))}/${r.runId}`;
  });
  // Two runs with the same label (repeats of one spec) are told apart by their ids.
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  for (const r of runs) if (counts.get(r.label)! > 1 && r.label !== r.id) r.label = `${r.label} (${r.id})`;
  for (const c of configs) c.stats = configStats(c.runs.map((i) => runs[i]));
  const title = opts.title ?? (new Set(names).size === 1 ? `${names[0]}: ${runs.length} runs` : `${runs.length} runs`);
  return { title, ...(opts.sweep ? { sweep: opts.sweep } : {}), runs, diff, same: paths.length - diff.length, configs };
}

/** Mean, sd and n of each summary metric over a configuration's completed runs (the sweep table's rule). */
function configStats(runs: CompareRun[]): CompareModel['configs'][number]['stats'] {
  const done = runs.filter((r) => r.status === 'completed');
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.summary)))];
  return Object.fromEntries(names.map((n) => [n, stat(done.map((r) => r.summary[n]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))]));
}

/** A sweep's trials as run folders (the attempt that decides each trial; trials not run yet are left out). */
export function sweepRunDirs(sweepDir: string): { dirs: string[]; sweep: NonNullable<CompareModel['sweep']> } {
  const record = readSweep(sweepDir);
  const dirs = trialStates(sweepDir, record).flatMap((s) => (s.runDir ? [s.runDir] : []));
  return { dirs, sweep: { id: record.id ?? path.basename(sweepDir), status: record.status, total: record.trials.length } };
}
