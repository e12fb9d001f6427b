/**
 * Episodes spread over worker threads, one per core by default. Every episode is a pure
 * function of its task (controller, parameters, seed of the random start, steps), so the
 * results, gathered by task index, are the same whatever the number of workers and whichever
 * worker ran which episode. With one worker the episodes run in this thread (no thread to
 * start, and a cancellation point between episodes).
 *
 * Each thread loads MuJoCo once and keeps one swimmer body per link count, reused episode
 * after episode (each episode starts with mj_resetData, so a body's history does not matter).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CancelledError } from '../../core/errors';
import { Swimmer } from '../../bodies/swimmer';
import { runEpisode, type EpisodeTask } from './episode';

/** What a worker sends back for one task. */
export interface EpisodeOutcome {
  return: number;
  meanForwardVelocity: number;
}

export interface WorkerRequest {
  id: number;
  task: EpisodeTask;
}

export type WorkerReply = { id: number; outcome: EpisodeOutcome } | { id: number; error: string };

/** Swimmer bodies of one thread, one per link count. */
export class BodyCache {
  private readonly bodies = new Map<number, Swimmer>();

  async get(links: number): Promise<Swimmer> {
    let b = this.bodies.get(links);
    if (!b) this.bodies.set(links, (b = await Swimmer.create(links)));
    return b;
  }

  dispose(): void {
    for (const b of this.bodies.values()) b.dispose();
    this.bodies.clear();
  }
}

export async function runTask(task: EpisodeTask, bodies: BodyCache): Promise<EpisodeOutcome> {
  const r = runEpisode(task, await bodies.get(task.links));
  return { return: r.return, meanForwardVelocity: r.meanForwardVelocity };
}

export interface EpisodeRunner {
  readonly workers: number;
  /** The outcome of every task, in task order; rejects with CancelledError when `signal` aborts (the runner is then spent). */
  run(tasks: EpisodeTask[], signal?: AbortSignal): Promise<EpisodeOutcome[]>;
  close(): Promise<void>;
}

/** A runner on `workers` threads (1: this thread, yielding to `between` after each episode). */
export function episodeRunner(workers: number, between: () => Promise<void> = async () => {}): EpisodeRunner {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`episode workers: expected a whole number ≥ 1, got ${workers}`);
  return workers === 1 ? new InThread(between) : new ThreadPool(workers);
}

class InThread implements EpisodeRunner {
  readonly workers = 1;
  private readonly bodies = new BodyCache();
  constructor(private readonly between: () => Promise<void>) {}

  async run(tasks: EpisodeTask[], signal?: AbortSignal): Promise<EpisodeOutcome[]> {
    const out: EpisodeOutcome[] = [];
    for (const t of tasks) {
      if (signal?.aborted) throw new CancelledError();
      out.push(await runTask(t, this.bodies));
      await this.between();
    }
    return out;
  }

  async close(): Promise<void> {
    this.bodies.dispose();
  }
}

/** The worker script: dist/ncap-worker.js beside the bundle, or worker.js beside this file under tsc. */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'ncap-worker.js'), path.join(__dirname, 'worker.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`cannot find the episode worker script next to ${__dirname}; run \`npm run build\``);
  return found;
}

class ThreadPool implements EpisodeRunner {
  private readonly threads: Worker[];
  private closed = false;

  constructor(readonly workers: number) {
    const script = workerScript();
    this.threads = Array.from({ length: workers }, () => new Worker(script));
  }

  run(tasks: EpisodeTask[], signal?: AbortSignal): Promise<EpisodeOutcome[]> {
    if (this.closed) return Promise.reject(new Error('episode pool is closed'));
    const out = new Array<EpisodeOutcome>(tasks.length);
    let next = 0, done = 0;
    return new Promise<EpisodeOutcome[]>((resolve, reject) => {
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort);
        for (const w of this.threads) w.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
      };
      const fail = (e: Error) => {
        cleanup();
        this.closed = true; // workers may still be busy with this run's tasks: the pool is not reused
        reject(e);
      };
      const onAbort = () => fail(new CancelledError());
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      const feed = (w: Worker) => {
        if (next < tasks.length) w.postMessage({ id: next, task: tasks[next++] } satisfies WorkerRequest);
      };
      for (const w of this.threads) {
        w.on('message', (m: WorkerReply) => {
          if ('error' in m) return fail(new Error(`episode ${m.id}: ${m.error}`));
          out[m.id] = m.outcome;
          if (++done === tasks.length) {
            cleanup();
            resolve(out);
          } else feed(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => fail(new Error(`an episode worker exited (code ${code})`)));
      }
      if (tasks.length === 0) return (cleanup(), resolve(out));
      for (const w of this.threads) feed(w);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((w) => w.terminate()));
  }
}
