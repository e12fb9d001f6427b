/**
 * The local executor: trials in parallel worker processes on this machine, each the same CLI
 * (`node cli.js sweep trial <dir> <index>`), at most `jobs` at once, each told its share of the
 * cores through NEURITE_THREADS. Cancel sends SIGINT (the run stops at its next cancellation point and
 * writes a cancelled summary); a worker still alive after the grace period is killed.
 */
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { markFailed } from '../runs/store';
import { recordFailedAttempt, type WorkerMessage } from './trial';
import { trialLogFile, trialState, type LiveStatus, type SweepRecord } from './store';

/** What executors report about one trial as it moves. */
export interface TrialUpdate {
  index: number;
  status: LiveStatus;
  fraction?: number;
  runDir?: string;
  pid?: number;
  error?: string;
}

export interface LocalOptions {
  dir: string;
  record: SweepRecord;
  indices: number[];
  jobs: number;
  /** NEURITE_THREADS of each worker. */
  threads: number;
  /** The CLI script the workers run. */
  entry: string;
  /** How long a cancelled worker may take to stop before it is killed. */
  graceMs?: number;
}

/** The CLI script next to this code: dist/cli.js when bundled, out/kernel/cli.js under tsc. */
export function workerEntry(): string {
  const candidates = [path.join(__dirname, 'cli.js'), path.join(__dirname, '..', 'cli.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`cannot find the neurite CLI script next to ${__dirname}; run \`npm run build\``);
  return found;
}

export function runLocal(opts: LocalOptions, onUpdate: (u: TrialUpdate) => void, signal: AbortSignal): Promise<void> {
  const { dir, record, jobs, threads, entry } = opts;
  const total = record.trials.length;
  const queue = [...opts.indices];
  const running = new Map<number, ChildProcess>();
  const killTimers: NodeJS.Timeout[] = [];
  for (const index of queue) onUpdate({ index, status: 'queued' });

  return new Promise<void>((resolve) => {
    const fill = () => {
      while (!signal.aborted && running.size < jobs && queue.length > 0) start(queue.shift()!);
      if (running.size === 0 && (signal.aborted || queue.length === 0)) {
        killTimers.forEach(clearTimeout);
        signal.removeEventListener('abort', onAbort);
        resolve();
      }
    };

    const start = (index: number) => {
      const attemptsBefore = trialState(dir, index, total).attempts;
      const log = trialLogFile(dir, index, total);
      fs.mkdirSync(path.dirname(log), { recursive: true });
      const fd = fs.openSync(log, 'a');
      let child: ChildProcess;
      try {
        child = fork(entry, ['sweep', 'trial', dir, String(index)], {
          stdio: ['ignore', fd, fd, 'ipc'],
          env: { ...process.env, NEURITE_THREADS: String(threads) },
          execArgv: [],
        });
      } finally {
        fs.closeSync(fd);
      }
      running.set(index, child);
      let runDir: string | undefined;
      let ended = false;
      onUpdate({ index, status: 'running', pid: child.pid });
      child.on('message', (m: WorkerMessage) => {
        if (m?.type === 'started') {
          runDir = m.dir;
          onUpdate({ index, status: 'running', runDir, pid: child.pid });
        } else if (m?.type === 'progress') {
          onUpdate({ index, status: 'running', runDir, pid: child.pid, fraction: m.fraction });
        }
      });
      const end = (how: string) => {
        if (ended) return;
        ended = true;
        running.delete(index);
        onUpdate(settle(opts, index, attemptsBefore, how, signal.aborted));
        fill();
      };
      child.on('exit', (code, sig) => end(sig ? `signal ${sig}` : `exit code ${code}`));
      child.on('error', (e) => end(`error ${e.message}`));
    };

    const onAbort = () => {
      for (const child of running.values()) child.kill('SIGINT');
      killTimers.push(
        setTimeout(() => {
          for (const child of running.values()) child.kill('SIGKILL');
        }, opts.graceMs ?? 10_000),
      );
      fill();
    };
    signal.addEventListener('abort', onAbort);
    fill();
  });
}

/** After a worker exits: its trial's state on disk, with an unfinished attempt recorded as such. */
function settle(opts: LocalOptions, index: number, attemptsBefore: number, how: string, cancelled: boolean): TrialUpdate {
  const { dir, record } = opts;
  const total = record.trials.length;
  const log = path.relative(dir, trialLogFile(dir, index, total));
  let state = trialState(dir, index, total);
  if (state.status === 'incomplete' && state.runDir) {
    markFailed(state.runDir, `the worker process ended (${how}) before the run finished; its output is in ${log}`, cancelled ? 'cancelled' : 'failed');
    state = trialState(dir, index, total);
  } else if (state.attempts === attemptsBefore && state.status !== 'completed' && !cancelled) {
    recordFailedAttempt(dir, record, index, `the worker process ended (${how}) before the run started; its output is in ${log}`);
    state = trialState(dir, index, total);
  }
  return { index, status: state.status, runDir: state.runDir, error: state.summary?.error };
}
