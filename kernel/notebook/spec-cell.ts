/**
 * A spec cell: its YAML is an experiment spec. Running it runs the spec (a run folder like any
 * other, under the workspace's .neurite/runs) with live progress in the cell, and leaves the
 * run as a rich output. A `sweep` block runs the sweep (local workers) and leaves its table.
 * The same functions serve the `neurite` API's `run()` and `sweep()` in code cells.
 */
import { InputError, CancelledError } from '../core/errors';
import { resolveSpec } from '../experiments/registry';
import { parseSpecText } from '../experiments/spec';
import { NeuriteMime, type CellOutput, type TableOutput } from '../protocol/notebook';
import type { RunSummary } from '../protocol/types';
import { startRun } from '../runs/runner';
import { logText } from '../runs/store';
import { openSweep } from '../sweeps/execute';
import { planSweep } from '../sweeps/plan';
import { sweepsRoot } from '../sweeps/store';
import type { SweepTable } from '../sweeps/table';
import { display, fmt, runDisplay, tableText } from './outputs';

/** What a cell's work can reach: where runs go, how to show things, and its cancellation. */
export interface CellEnv {
  workspace: string;
  baseDir: string;
  signal: AbortSignal;
  emit(output: CellOutput): void;
  /** Live progress (replaced in place, never saved). */
  progress(fraction: number, message?: string, runId?: string): void;
  /** A run the cell made. */
  ranRun(run: { id: string; dir: string }): void;
  /** The folder of the last run any cell of this notebook made. */
  lastRun?(): string | undefined;
  /** `[kind:]path=value` overrides of every spec run here. */
  overrides?: string[];
}

/** The overrides of `env` that apply to a spec of `kind` (`kind:path=value`, or `path=value` for every kind). */
export function overridesFor(kind: unknown, overrides: string[] = []): string[] {
  return overrides.flatMap((o) => {
    const m = /^([a-z][\w.-]*):(.+)$/.exec(o);
    if (!m) return [o];
    return m[1] === kind ? [m[2]] : [];
  });
}

export interface SpecRunOptions {
  /** `path=value` overrides, as `--set` takes them. */
  set?: string[];
  seed?: number;
  /** Print the run's log lines into the cell (default: warnings and errors only). */
  log?: 'all' | 'warnings';
}

/** Run one spec (an object, or YAML/JSON text) as a run folder; resolves with its summary once it ends. */
export async function runSpec(spec: unknown, env: CellEnv, opts: SpecRunOptions = {}, source = 'spec'): Promise<{ dir: string; summary: RunSummary }> {
  let raw = spec;
  if (typeof spec === 'string') {
    const parsed = parseSpecText(spec, source);
    resolveSpec(parsed.value, parsed, source); // located problems (line numbers in the cell) before any work
    raw = parsed.value;
  }
  const emitLog = (level: 'info' | 'warn' | 'error', message: string) => {
    if (level === 'info' && opts.log !== 'all') return;
    env.emit({ type: 'stream', name: level === 'info' ? 'stdout' : 'stderr', text: logText(level, message) + '\n' });
  };
  let runId = '';
  const set = [...overridesFor((raw as { kind?: unknown } | null)?.kind, env.overrides), ...(opts.set ?? [])];
  const started = startRun(
    { workspace: env.workspace, spec: raw, baseDir: env.baseDir, overrides: set, seed: opts.seed },
    { progress: (f, m) => env.progress(f, m, runId), metric() {}, trace() {}, log: emitLog },
    env.signal,
  );
  runId = started.runId;
  env.ranRun({ id: started.runId, dir: started.dir });
  env.progress(0, 'starting', runId);
  const summary = await started.done;
  return { dir: started.dir, summary };
}

/** A spec cell: a run (or a sweep) and its rich output. Throws CancelledError when interrupted, after showing what was done. */
export async function runSpecCell(source: string, env: CellEnv, cellName: string): Promise<void> {
  const parsed = parseSpecText(source, cellName);
  const raw = parsed.value as { sweep?: unknown } | null;
  if (raw && typeof raw === 'object' && raw.sweep !== undefined) {
    await runSweepCell(parsed.value, env);
    return;
  }
  const { dir, summary } = await runSpec(source, env, {}, cellName);
  env.emit(runDisplay(dir));
  if (summary.status === 'cancelled') throw new CancelledError('run cancelled');
  if (summary.status === 'failed') throw new InputError([`run ${summary.id} failed: ${summary.error ?? 'unknown error'}`]);
}

/** A sweep from a spec with a `sweep` block: trials in local workers, then the aggregate table. */
export async function runSweepCell(spec: unknown, env: CellEnv, set: string[] = []): Promise<TableOutput> {
  const plan = planSweep({ spec, overrides: [...overridesFor((spec as { kind?: unknown } | null)?.kind, env.overrides), ...set] });
  const opened = await openSweep(plan, sweepsRoot(env.workspace), { executor: 'local', by: 'kernel' });
  env.emit({ type: 'stream', name: 'stdout', text: `sweep ${opened.sweepId}: ${opened.total} trials${opened.skipped ? ` (${opened.skipped} done before)` : ''}\n` });
  const outcome = await opened.run(
    {
      progress: (p) => env.progress(p.fraction, `${p.counts.completed ?? 0}/${p.total} trials completed`),
      log: (m) => env.emit({ type: 'stream', name: 'stderr', text: `${m}\n` }),
    },
    env.signal,
  );
  const table = sweepTable(JSON.parse(outcome.table.json) as SweepTable, `sweep ${outcome.sweepId} · ${outcome.status}`);
  env.emit(display(NeuriteMime.table, table, tableText(table)));
  if (outcome.status === 'cancelled') throw new CancelledError('sweep cancelled');
  return table;
}

/** One row per configuration: the swept values, trials completed, each metric's mean ± sd. */
export function sweepTable(t: SweepTable, caption: string): TableOutput {
  const meanSd = (m: { mean: number | null; sd: number | null }) => (m.mean === null ? null : m.sd === null ? fmt(m.mean) : `${fmt(m.mean)} ± ${fmt(m.sd)}`);
  return {
    caption,
    columns: [...t.params, 'completed', ...t.metrics],
    rows: t.rows.map((r) => [
      ...t.params.map((p) => {
        const v = r.overrides[p];
        return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
      }),
      `${r.completed}/${r.trials}`,
      ...t.metrics.map((m) => (r.metrics[m] ? meanSd(r.metrics[m]) : null)),
    ]),
  };
}
