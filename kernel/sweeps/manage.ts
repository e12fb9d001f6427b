/**
 * Looking at and steering a sweep from outside its controller: `status` (read only), `collect`
 * (re-derive the table; finalize when nothing runs it any more) and `cancel` (scancel its Slurm
 * tasks, or interrupt its local controller). All work while the sweep runs and after.
 */
import * as os from 'os';
import { InputError } from '../core/errors';
import { recordOrphans } from './execute';
import { activeTasks, scancel } from './slurm';
import { countStates, finalStatus, liveController, readSweep, snapshot, trialStates, writeSweep, type ControllerInfo, type LiveStatus, type SweepRecord, type SweepStatus, type TrialState } from './store';
import { buildTable, writeTable, type SweepTable } from './table';

export interface SweepReport {
  dir: string;
  record: SweepRecord;
  status: SweepStatus;
  controller?: ControllerInfo;
  /** Slurm array task index → squeue state, for tasks still queued or running. */
  slurmTasks: Map<number, string>;
  trials: (TrialState & { live: LiveStatus })[];
}

export async function sweepStatus(dir: string): Promise<SweepReport> {
  const record = readSweep(dir);
  const controller = liveController(dir);
  const slurmTasks = record.slurmJobs.length ? await activeTasks(record.slurmJobs) : new Map<number, string>();
  const running = controller !== undefined || slurmTasks.size > 0;
  const trials = trialStates(dir, record).map((s) => {
    const q = slurmTasks.get(s.index);
    const live: LiveStatus = s.status === 'incomplete' && running ? 'running' : s.status === 'pending' && q ? (q === 'PENDING' ? 'queued' : 'running') : s.status;
    return { ...s, live };
  });
  return { dir, record, status: running ? 'running' : record.status, controller, slurmTasks, trials };
}

/** Re-derive the table (and, once nothing runs the sweep, its final status) from the trials. */
export async function collectSweep(dir: string): Promise<SweepReport & { table: SweepTable; files: { json: string; csv: string } }> {
  const report = await sweepStatus(dir);
  const { record } = report;
  const running = report.status === 'running';
  if (!running) recordOrphans(dir, record, record.status === 'cancelled');
  const states = trialStates(dir, record);
  const table = buildTable(record, states);
  const files = writeTable(dir, table);
  if (!running) record.status = finalStatus(states, record.status === 'cancelled');
  writeSweep(dir, { ...record, trialStatus: snapshot(dir, states) });
  return { ...(running ? report : await sweepStatus(dir)), table, files };
}

/** Stop the sweep wherever it runs; returns what was done, one line each. */
export async function cancelSweep(dir: string, waitMs = 20_000): Promise<string[]> {
  const report = await sweepStatus(dir);
  const done: string[] = [];
  if (report.slurmTasks.size > 0) {
    const jobs = report.record.slurmJobs;
    await scancel(jobs);
    writeSweep(dir, { ...readSweep(dir), status: 'cancelled' });
    done.push(`scancel ${jobs.join(' ')} (${report.slurmTasks.size} tasks were queued or running)`);
  }
  const c = report.controller;
  if (c && c.by === 'cli' && c.host === os.hostname()) {
    process.kill(c.pid, 'SIGINT'); // the CLI controller cancels its workers and writes the final status
    const t0 = Date.now();
    while (liveController(dir) && Date.now() - t0 < waitMs) await new Promise((r) => setTimeout(r, 100));
    done.push(liveController(dir) ? `interrupted controller ${c.pid}; it is still stopping` : `interrupted controller ${c.pid}; it stopped`);
  } else if (c && c.by === 'kernel') {
    throw new InputError([`sweep ${report.record.id} is run by the Neurite kernel (pid ${c.pid}) in VS Code; cancel it from its notification there`]);
  } else if (c) {
    throw new InputError([`sweep ${report.record.id} is run by process ${c.pid} on ${c.host}; cancel it there`]);
  }
  if (done.length === 0) done.push(`nothing to cancel: sweep ${report.record.id} is ${report.status} (${summaryText(countStates(report.trials))})`);
  return done;
}

export function summaryText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}
