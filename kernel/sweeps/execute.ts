/**
 * Running a planned sweep: claim its folder (one controller at a time), mark attempts left
 * unfinished by an earlier controller, skip completed trials (resume), hand the rest to an
 * executor, and re-derive the table and status from the trials' run folders at the end.
 * Used in process by the CLI and by the kernel server.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cores } from '../core/cores';
import { InputError } from '../core/errors';
import { markFailed } from '../runs/store';
import type { SlurmBlock } from './block';
import { runLocal, workerEntry, type TrialUpdate } from './local';
import type { SweepPlan } from './plan';
import { activeTasks, batchScript, sbatch, scancel } from './slurm';
import { claimSweep, countStates, finalStatus, readSweep, snapshot, trialState, trialStates, writeSweep, type ExecutorRecord, type LiveStatus, type SweepRecord, type SweepStatus, type TrialStatus } from './store';
import { buildTable, writeTable } from './table';
import { recordFailedAttempt } from './trial';

export interface ExecuteOptions {
  executor: 'local' | 'slurm';
  /** local: parallel workers (default: the number of cores); slurm: most array tasks at once. */
  jobs?: number;
  /** Slurm resources from flags, over the spec's `sweep.slurm`. */
  slurm?: Partial<SlurmBlock>;
  /** slurm: return once the job array is submitted. */
  detach?: boolean;
  /** The CLI script workers run (default: the one next to this code). */
  entry?: string;
  /** How often the Slurm route polls squeue and the run folders. */
  pollMs?: number;
  /** Who drives the sweep (how `neurite sweep cancel` can stop it). */
  by?: 'cli' | 'kernel';
}

export interface SweepProgress {
  sweepId: string;
  total: number;
  counts: Record<LiveStatus, number>;
  /** Finished trials plus the running ones' own progress, over all trials. */
  fraction: number;
  trial?: TrialUpdate;
}

export interface SweepSink {
  progress(p: SweepProgress): void;
  log(message: string): void;
}

export interface SweepOutcome {
  sweepId: string;
  dir: string;
  status: SweepStatus;
  total: number;
  /** Trials already completed by an earlier execution. */
  skipped: number;
  counts: Record<TrialStatus, number>;
  table: { json: string; csv: string };
  jobIds?: string[];
}

export interface OpenedSweep {
  sweepId: string;
  dir: string;
  total: number;
  skipped: number;
  pending: number[];
  executor: ExecutorRecord;
  run(sink: SweepSink, signal: AbortSignal): Promise<SweepOutcome>;
}

/** Slurm resources: flags over the spec's block over defaults. */
export function slurmResources(block: SlurmBlock | undefined, flags: Partial<SlurmBlock> = {}, jobs?: number): SlurmBlock {
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const r: SlurmBlock = { cpus: 1, options: [], setup: [], ...block, ...defined };
  if (jobs !== undefined) r.maxParallel = jobs;
  return r;
}

/** Claim the sweep folder and work out what is left to run; nothing runs yet. */
export async function openSweep(plan: SweepPlan, root: string, opts: ExecuteOptions): Promise<OpenedSweep> {
  const dir = path.join(root, plan.id);
  fs.mkdirSync(dir, { recursive: true });
  const existing = fs.existsSync(path.join(dir, 'sweep.json')) ? readSweep(dir) : undefined;
  const release = claimSweep(dir, opts.executor, opts.by ?? 'cli');
  try {
    const slurmJobs = existing?.slurmJobs ?? [];
    if (slurmJobs.length && (await activeTasks(slurmJobs)).size > 0) {
      throw new InputError([`sweep ${plan.id} still has Slurm tasks queued or running (jobs ${slurmJobs.join(', ')}); follow them with \`neurite sweep status ${plan.id}\` or stop them with \`neurite sweep cancel ${plan.id}\``]);
    }
    const jobs = opts.jobs ?? cores();
    const executor: ExecutorRecord =
      opts.executor === 'local'
        ? { type: 'local', jobs, threadsPerTrial: Math.max(1, Math.floor(cores() / jobs)) }
        : { type: 'slurm', jobIds: [], script: '', resources: slurmResources(plan.block.slurm, opts.slurm, opts.jobs) };
    const record: SweepRecord = { ...plan, version: 1, createdAt: existing?.createdAt ?? new Date().toISOString(), updatedAt: '', status: 'running', executor, slurmJobs };
    // Nothing else runs this sweep now, so an unfinished attempt was interrupted: record it.
    let states = trialStates(dir, record);
    const interrupted = states.filter((s) => s.status === 'incomplete' && s.runDir);
    for (const s of interrupted) markFailed(s.runDir!, 'interrupted: the sweep running this trial stopped before it finished');
    if (interrupted.length) states = trialStates(dir, record); // read again only when something changed
    const pending = states.filter((s) => s.status !== 'completed').map((s) => s.index);
    writeSweep(dir, { ...record, trialStatus: snapshot(dir, states) });
    return {
      sweepId: plan.id,
      dir,
      total: plan.trials.length,
      skipped: plan.trials.length - pending.length,
      pending,
      executor,
      run: (sink, signal) =>
        execute(dir, record, executor, pending, opts, sink, signal)
          .catch((e) => {
            finish(dir, record, plan.trials.length - pending.length, undefined, true, signal.aborted); // leave a true status and table
            throw e;
          })
          .finally(release),
    };
  } catch (e) {
    release();
    throw e;
  }
}

async function execute(dir: string, record: SweepRecord, executor: ExecutorRecord, pending: number[], opts: ExecuteOptions, sink: SweepSink, signal: AbortSignal): Promise<SweepOutcome> {
  const total = record.trials.length;
  const skipped = total - pending.length;
  const todo = new Set(pending);
  const live = new Map<number, { status: LiveStatus; fraction: number }>();
  for (const t of record.trials) live.set(t.index, { status: todo.has(t.index) ? 'queued' : 'completed', fraction: 0 });
  const update = (u?: TrialUpdate) => {
    if (u) live.set(u.index, { status: u.status, fraction: u.fraction ?? 0 });
    const counts: Record<LiveStatus, number> = { queued: 0, running: 0, pending: 0, incomplete: 0, completed: 0, failed: 0, cancelled: 0 };
    let done = 0;
    for (const s of live.values()) {
      counts[s.status]++;
      done += s.status === 'running' ? s.fraction : s.status === 'queued' || s.status === 'pending' ? 0 : 1;
    }
    sink.progress({ sweepId: record.id, total, counts, fraction: total ? done / total : 1, trial: u });
  };
  update();
  if (pending.length === 0) return finish(dir, record, skipped, undefined, true);
  const entry = opts.entry ?? workerEntry();
  if (executor.type === 'local') {
    sink.log(`${pending.length} trials on ${executor.jobs} local workers (NEURITE_THREADS=${executor.threadsPerTrial})`);
    await runLocal({ dir, record, indices: pending, jobs: executor.jobs, threads: executor.threadsPerTrial, entry }, update, signal);
    return finish(dir, record, skipped, undefined, true, signal.aborted);
  }
  const script = batchScript({ dir, sweepId: record.id, indices: pending, resources: executor.resources, entry, node: process.execPath });
  fs.mkdirSync(path.join(dir, 'slurm'), { recursive: true });
  executor.script = path.join('slurm', `submit-${record.slurmJobs.length + 1}.sbatch`);
  fs.writeFileSync(path.join(dir, executor.script), script, { mode: 0o755 });
  const jobIds = [await sbatch(path.join(dir, executor.script))];
  executor.jobIds.push(...jobIds);
  record.slurmJobs.push(...jobIds);
  record.status = opts.detach ? 'submitted' : 'running';
  writeSweep(dir, record); // the job id is on disk before anything else can go wrong
  sink.log(`submitted Slurm job array ${jobIds[0]} (${pending.length} tasks; script ${executor.script})`);
  if (opts.detach) return finish(dir, record, skipped, jobIds, false);
  await followSlurm(dir, record, jobIds, pending, update, signal, opts.pollMs ?? 1000);
  return finish(dir, record, skipped, jobIds, true, signal.aborted);
}

/** Poll squeue and the run folders until no task of `jobIds` is left; scancel on abort. */
async function followSlurm(dir: string, record: SweepRecord, jobIds: string[], indices: number[], update: (u: TrialUpdate) => void, signal: AbortSignal, pollMs: number): Promise<void> {
  const seen = new Map<number, string>();
  const onAbort = () => void scancel(jobIds).catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  try {
    for (let quiet = 0; quiet < 2; ) {
      const queue = await activeTasks(jobIds);
      for (const i of indices) {
        const state = trialState(dir, i, record.trials.length);
        const disk = state.status;
        const q = queue.get(i);
        const status: LiveStatus = disk === 'incomplete' || (disk === 'pending' && q && q !== 'PENDING') ? 'running' : disk === 'pending' && q ? 'queued' : disk;
        const key = `${status}|${state.runDir ?? ''}`;
        if (seen.get(i) !== key && !(status === 'pending' && !seen.has(i))) {
          seen.set(i, key);
          update({ index: i, status, runDir: state.runDir, error: state.summary?.error });
        }
      }
      quiet = queue.size === 0 ? quiet + 1 : 0; // twice empty: no task is between states
      if (quiet < 2) await new Promise((r) => setTimeout(r, quiet ? Math.min(pollMs, 300) : pollMs));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * When nothing runs the sweep any more: an attempt without a summary was cut off, and a Slurm
 * task that left output but no run folder failed before the run could start. Both are recorded.
 */
export function recordOrphans(dir: string, record: SweepRecord, cancelled: boolean): void {
  for (const s of trialStates(dir, record)) {
    if (s.status === 'incomplete' && s.runDir) {
      markFailed(s.runDir, cancelled ? 'cancelled: the sweep was cancelled while this trial ran' : 'the trial process ended before the run finished (killed, time limit, memory or node failure?)', cancelled ? 'cancelled' : 'failed');
    } else if (s.status === 'pending' && !cancelled) {
      const out = record.slurmJobs.map((j) => path.join(dir, 'slurm', `${j}_${s.index}.out`)).filter((f) => fs.existsSync(f)).pop();
      if (out) recordFailedAttempt(dir, record, s.index, `the Slurm task ended before the run started; its output (${path.relative(dir, out)}) ends with:\n${tail(out)}`);
    }
  }
}

function tail(file: string, lines = 8): string {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Re-derive states and table from disk; record the final status when the execution is over. */
function finish(dir: string, record: SweepRecord, skipped: number, jobIds: string[] | undefined, finished: boolean, cancelled = false): SweepOutcome {
  if (finished) recordOrphans(dir, record, cancelled);
  const states = trialStates(dir, record);
  const table = writeTable(dir, buildTable(record, states));
  if (finished) record.status = finalStatus(states, cancelled);
  writeSweep(dir, { ...record, trialStatus: snapshot(dir, states) });
  return { sweepId: record.id, dir, status: record.status, total: record.trials.length, skipped, counts: countStates(states), table, jobIds };
}
