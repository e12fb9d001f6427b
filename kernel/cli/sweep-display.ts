/** What `neurite sweep` prints: a line per trial event, a redrawn bar of trials, the table. */
import * as path from 'path';
import type { OpenedSweep, SweepProgress, SweepSink } from '../sweeps/execute';
import type { SweepReport } from '../sweeps/manage';
import { summaryText } from '../sweeps/manage';
import { overridesText } from '../sweeps/plan';
import { trialRunsDir } from '../sweeps/store';
import type { SweepTable } from '../sweeps/table';
import { ProgressDisplay } from './progress';

export class SweepDisplay implements SweepSink {
  private readonly bar: ProgressDisplay;
  private readonly said = new Map<number, string>();

  constructor(out: NodeJS.WriteStream, private readonly sweep: OpenedSweep, private readonly quiet: boolean) {
    this.bar = new ProgressDisplay(out, sweep.sweepId);
    const how = sweep.executor.type === 'local' ? `${sweep.executor.jobs} local workers` : 'Slurm';
    this.line(`sweep ${sweep.sweepId} → ${sweep.dir}`);
    this.line(`${sweep.total} trials, ${sweep.skipped} already completed${sweep.skipped ? ' (resuming)' : ''}, ${sweep.pending.length} to run on ${how}`);
  }

  progress(p: SweepProgress): void {
    if (this.quiet) return;
    const t = p.trial;
    // One line when a trial starts its run and when it ends; the bar carries the rest.
    if (t && (t.status === 'running' ? t.runDir !== undefined : t.status !== 'queued')) {
      const key = `${t.status}|${t.runDir ?? ''}`;
      if (this.said.get(t.index) !== key) {
        this.said.set(t.index, key);
        const where = t.runDir ? `  ${path.relative(this.sweep.dir, t.runDir)}` : '';
        const why = t.error ? `: ${t.error.split('\n')[0]}` : '';
        const pid = t.status === 'running' && t.pid ? ` (pid ${t.pid})` : '';
        this.line(`  trial ${t.index} ${t.status}${pid}${why}${t.status === 'running' ? where : ''}`);
      }
    }
    const c = p.counts;
    this.bar.update(p.fraction, `${c.completed}/${p.total} done, ${c.running} running${c.failed ? `, ${c.failed} failed` : ''}${c.cancelled ? `, ${c.cancelled} cancelled` : ''}`);
  }

  log(message: string): void {
    this.line(message);
  }

  line(text: string): void {
    if (!this.quiet) this.bar.line(text);
  }

  end(): void {
    this.bar.end();
  }
}

/** `neurite sweep status`: the sweep, its counts, and one line per trial. */
export function printReport(out: NodeJS.WritableStream, r: SweepReport): void {
  const ex = r.record.executor;
  const how = ex?.type === 'local' ? `local, ${ex.jobs} workers` : ex?.type === 'slurm' ? `slurm, jobs ${r.record.slurmJobs.join(' ')}` : 'not run yet';
  const counts: Record<string, number> = {};
  for (const t of r.trials) counts[t.live] = (counts[t.live] ?? 0) + 1;
  out.write(`sweep   ${r.record.id}  ${r.record.kind}  ${r.record.trials.length} trials in ${r.record.configs.length} configurations (${how})\n`);
  out.write(`folder  ${r.dir}\n`);
  out.write(`status  ${r.status}: ${summaryText(counts)}${r.controller ? ` (controller pid ${r.controller.pid} on ${r.controller.host})` : ''}\n`);
  for (const t of r.trials) {
    const name = path.basename(trialRunsDir(r.dir, t.index, r.trials.length));
    const run = t.runDir ? `  ${path.relative(r.dir, t.runDir)}` : '';
    const err = t.summary?.error && t.live !== 'completed' ? `\n${' '.repeat(name.length + 4)}error: ${t.summary.error.split('\n')[0]}` : '';
    out.write(`  ${name}  ${t.live.padEnd(10)} ${overridesText(r.record.trials[t.index].overrides)}${run}${err}\n`);
  }
}

/** The table in long form: per configuration, each metric's mean ± sd (n). */
export function printTable(out: NodeJS.WritableStream, table: SweepTable, csv: string): void {
  const fmt = (x: number | null) => (x === null ? '—' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(5) : x.toExponential(4));
  out.write(`table   ${csv}\n`);
  if (table.rows.length > 20) {
    out.write(`        (${table.rows.length} configurations; open the CSV)\n`);
    return;
  }
  const w = Math.max(6, ...table.metrics.map((m) => m.length));
  for (const row of table.rows) {
    out.write(`  config ${row.config}: ${overridesText(row.overrides)}  (${row.completed}/${row.trials} completed${row.failed ? `, ${row.failed} failed` : ''}; seeds ${row.seeds.join(', ') || '—'})\n`);
    for (const m of table.metrics) {
      const s = row.metrics[m];
      out.write(`    ${m.padEnd(w)}  ${fmt(s.mean)}${s.sd === null ? '' : ` ± ${fmt(s.sd)}`}  (n=${s.n})\n`);
    }
  }
}
