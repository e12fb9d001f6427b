/**
 * The sweep's aggregate table: one row per configuration (trials that differ only in seed),
 * and for each summary metric its mean, sample standard deviation and n over the completed
 * trials. Always re-derived from the trials' summary.json files, never edited in place.
 *
 *   mean = x₁ + Σ (xᵢ − x₁) / n                  (= Σ xᵢ / n; exact when all xᵢ are equal)
 *   sd   = sqrt( Σ (xᵢ − mean)² / (n − 1) )     (null when n < 2)
 * Non-finite values (NaN, ±Infinity; JSON null) are left out of n.
 */
import * as path from 'path';
import { writeFileAtomic } from '../core/files';
import { writeJsonAtomic } from '../runs/store';
import type { SweepRecord, TrialState } from './store';

export interface MetricStat {
  mean: number | null;
  sd: number | null;
  n: number;
}

export interface TableRow {
  config: number;
  /** The configuration's overrides (everything swept except seed). */
  overrides: Record<string, unknown>;
  trials: number;
  completed: number;
  failed: number;
  /** Seeds of the completed trials. */
  seeds: number[];
  metrics: Record<string, MetricStat>;
}

export interface SweepTable {
  sweep: string;
  kind: string;
  /** Swept paths other than seed: the table's parameter columns. */
  params: string[];
  metrics: string[];
  rows: TableRow[];
}

export function buildTable(record: Pick<SweepRecord, 'id' | 'kind' | 'params' | 'trials' | 'configs'>, states: TrialState[]): SweepTable {
  const metrics: string[] = [];
  const rows: TableRow[] = record.configs.map((overrides, config) => {
    const mine = record.trials.filter((t) => t.config === config).map((t) => states[t.index]);
    const done = mine.filter((s) => s.status === 'completed' && s.summary);
    const values = new Map<string, number[]>();
    for (const s of done) {
      for (const [k, v] of Object.entries(s.summary!.metrics)) {
        if (!metrics.includes(k)) metrics.push(k);
        if (!values.has(k)) values.set(k, []);
        if (typeof v === 'number' && Number.isFinite(v)) values.get(k)!.push(v);
      }
    }
    return {
      config,
      overrides,
      trials: mine.length,
      completed: done.length,
      failed: mine.filter((s) => s.status === 'failed').length,
      seeds: done.map((s) => s.summary!.seed),
      metrics: Object.fromEntries([...values].map(([k, xs]) => [k, stat(xs)])),
    };
  });
  for (const row of rows) for (const m of metrics) row.metrics[m] ??= { mean: null, sd: null, n: 0 };
  return { sweep: record.id, kind: record.kind, params: record.params.filter((p) => p !== 'seed'), metrics, rows };
}

export function stat(xs: number[]): MetricStat {
  const n = xs.length;
  if (n === 0) return { mean: null, sd: null, n };
  const shift = xs[0]; // summing offsets keeps the mean of equal values exact (sd exactly 0)
  const mean = shift + xs.reduce((a, x) => a + (x - shift), 0) / n;
  if (n < 2) return { mean, sd: null, n };
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}

/** `config, <params…>, trials, completed, failed, <metric>_mean, <metric>_sd, <metric>_n, …` */
function tableCsv(table: SweepTable): string {
  const header = ['config', ...table.params, 'trials', 'completed', 'failed', ...table.metrics.flatMap((m) => [`${m}_mean`, `${m}_sd`, `${m}_n`])];
  const lines = [header.map(csvCell).join(',')];
  for (const r of table.rows) {
    const cells: unknown[] = [r.config, ...table.params.map((p) => r.overrides[p]), r.trials, r.completed, r.failed];
    for (const m of table.metrics) cells.push(r.metrics[m].mean, r.metrics[m].sd, r.metrics[m].n);
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Write table.json and table.csv (atomically); returns their paths. */
export function writeTable(dir: string, table: SweepTable): { json: string; csv: string } {
  const json = path.join(dir, 'table.json');
  const csv = path.join(dir, 'table.csv');
  writeJsonAtomic(json, table);
  writeFileAtomic(csv, tableCsv(table));
  return { json, csv };
}
