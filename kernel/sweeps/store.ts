/**
 * The sweep folder: `<workspace>/.neurite/sweeps/<id>/` holding
 *   sweep.json            the plan (base spec, trials and their overrides), executor, status
 *   runs/t007/<run>/      trial 7's runs: ordinary run folders, one per attempt
 *   table.json, table.csv the aggregate, re-derived from the trials' summary.json files
 *   logs/t007.log         a local worker's output; slurm/ holds the batch script and job output
 *   controller.json       present while a process drives the sweep (pid, host)
 * Each trial's summary.json is the source of truth: a trial is completed when one of its
 * attempts completed; the table and the status are always recomputed from those files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError } from '../core/errors';
import type { SweepStatus, SweepTrialStatus } from '../protocol/types';
import { listRuns, writeJsonAtomic, type RunSummary } from '../runs/store';
import type { SlurmBlock } from './block';
import type { SweepPlan } from './plan';

export type { SweepStatus };
/** A trial while a sweep runs: its state on disk, or queued / running in an executor. */
export type LiveStatus = SweepTrialStatus;
/** A trial's state as its run folders show it. */
export type TrialStatus = Exclude<LiveStatus, 'queued' | 'running'>;

export type ExecutorRecord =
  | { type: 'local'; jobs: number; threadsPerTrial: number }
  | { type: 'slurm'; jobIds: string[]; script: string; resources: SlurmBlock };

export interface SweepRecord extends SweepPlan {
  version: 1;
  createdAt: string;
  updatedAt: string;
  status: SweepStatus;
  /** The executor of the latest execution. */
  executor?: ExecutorRecord;
  /** Every Slurm job ever submitted for this sweep (a resume checks none is still queued). */
  slurmJobs: string[];
  /** A snapshot of the trials' states, as of updatedAt (the run folders are the truth). */
  trialStatus?: { index: number; status: TrialStatus; run?: string; attempts: number; error?: string }[];
}

export interface TrialState {
  index: number;
  status: TrialStatus;
  /** The attempt that decides the status (the completed one, else the newest). */
  runDir?: string;
  attempts: number;
  summary?: RunSummary;
}

/** `<workspace>/.neurite/sweeps` */
export function sweepsRoot(workspace: string): string {
  return path.join(workspace, '.neurite', 'sweeps');
}

/** `runs/t007`: the runs root of one trial (its attempts are run folders inside). */
export function trialRunsDir(sweepDir: string, index: number, total: number): string {
  return path.join(sweepDir, 'runs', `t${String(index).padStart(Math.max(3, String(total - 1).length), '0')}`);
}

export function trialLogFile(sweepDir: string, index: number, total: number): string {
  return path.join(sweepDir, 'logs', `${path.basename(trialRunsDir(sweepDir, index, total))}.log`);
}

export function readSweep(dir: string): SweepRecord {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8');
  } catch {
    throw new InputError([`${dir} is not a sweep folder (no readable sweep.json)`]);
  }
  const record = JSON.parse(text) as SweepRecord;
  if (record.version !== 1 || !Array.isArray(record.trials)) throw new InputError([`${dir}/sweep.json: not a version 1 sweep plan`]);
  return record;
}

export function writeSweep(dir: string, record: SweepRecord): void {
  writeJsonAtomic(path.join(dir, 'sweep.json'), { ...record, updatedAt: new Date().toISOString() });
}

/** One trial's state, read from its run folders. */
export function trialState(dir: string, index: number, total: number): TrialState {
  const attempts = listRuns(trialRunsDir(dir, index, total)); // newest first
  const decisive = attempts.find((a) => a.status === 'completed') ?? attempts[0];
  return { index, status: decisive?.status ?? 'pending', runDir: decisive?.dir, attempts: attempts.length, summary: decisive?.summary };
}

/** Every trial's state, read from its run folders. */
export function trialStates(dir: string, record: Pick<SweepRecord, 'trials'>): TrialState[] {
  return record.trials.map((t) => trialState(dir, t.index, record.trials.length));
}

export function countStates(states: { status: TrialStatus }[]): Record<TrialStatus, number> {
  const counts: Record<TrialStatus, number> = { pending: 0, incomplete: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const s of states) counts[s.status]++;
  return counts;
}

/** The status a finished execution leaves: completed only when every trial completed. */
export function finalStatus(states: { status: TrialStatus }[], cancelled: boolean): SweepStatus {
  const c = countStates(states);
  if (c.completed === states.length) return 'completed';
  if (cancelled) return 'cancelled';
  if (c.failed > 0) return 'failed';
  return c.cancelled > 0 ? 'cancelled' : 'incomplete';
}

export function snapshot(dir: string, states: TrialState[]): SweepRecord['trialStatus'] {
  return states.map((s) => ({
    index: s.index,
    status: s.status,
    run: s.runDir ? path.relative(dir, s.runDir) : undefined,
    attempts: s.attempts,
    error: s.summary?.error,
  }));
}

/** A sweep by folder, exact id, or unique id prefix. */
export function findSweep(ref: string, root: string): string {
  if (fs.existsSync(path.join(ref, 'sweep.json'))) return path.resolve(ref);
  let names: string[] = [];
  try {
    names = fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, 'sweep.json')));
  } catch {
    /* no sweeps yet */
  }
  const exact = names.filter((n) => n === ref);
  const hits = exact.length ? exact : names.filter((n) => n.startsWith(ref));
  if (hits.length === 1) return path.join(root, hits[0]);
  if (hits.length === 0) throw new InputError([`sweep "${ref}": no such sweep in ${root}`]);
  throw new InputError([`sweep "${ref}": ambiguous, matches ${hits.join(', ')}`]);
}

export interface ControllerInfo {
  pid: number;
  host: string;
  startedAt: string;
  executor: 'local' | 'slurm';
  /** `cli` controllers stop cleanly on SIGINT; the kernel is cancelled through its protocol. */
  by: 'cli' | 'kernel';
}

/** The process driving the sweep, if it is alive on this host. */
export function liveController(dir: string): ControllerInfo | undefined {
  let info: ControllerInfo;
  try {
    info = JSON.parse(fs.readFileSync(path.join(dir, 'controller.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (info.host !== os.hostname()) return info; // another machine's: it cannot be checked from here, so assume it is alive
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? info : undefined;
  }
}

/** Take the sweep: one controller at a time (an exclusive file); a dead one's claim is taken over. */
export function claimSweep(dir: string, executor: 'local' | 'slurm', by: 'cli' | 'kernel'): () => void {
  const file = path.join(dir, 'controller.json');
  const mine: ControllerInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), executor, by };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const holder = liveController(dir);
      if (holder) {
        const stale = holder.host === os.hostname() ? '' : `; if that process is gone, delete ${file}`;
        throw new InputError([`sweep ${path.basename(dir)} is already being run by process ${holder.pid} on ${holder.host} (since ${holder.startedAt}); wait for it or stop it with \`neurite sweep cancel ${path.basename(dir)}\`${stale}`]);
      }
      fs.rmSync(file, { force: true }); // the holder died without cleaning up
    }
  }
  return () => {
    try {
      const now = JSON.parse(fs.readFileSync(file, 'utf8')) as ControllerInfo;
      if (now.pid === mine.pid && now.host === mine.host && now.startedAt === mine.startedAt) fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}
