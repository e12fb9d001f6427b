/**
 * onnxruntime sessions: options (provider, intra-op threads, spinning) and a cache keyed by
 * the model's bytes (its graph and every shape in it) and those options, so a training step
 * compiled once is reused for every batch of the same shape.
 */
import * as crypto from 'crypto';
import * as os from 'os';
import * as ort from 'onnxruntime-node';
import { InputError, RunFailure } from '../core/errors';
import type { Device } from './providers';

export interface ExecOptions {
  device: Device;
  /** Intra-op threads (the size of onnxruntime's compute pool). */
  threads: number;
  /** Let idle pool threads spin for work: lower latency per op, but they burn CPU while waiting. */
  spin: boolean;
}

/** Compute threads a run may use: `NEURITE_THREADS` (set by sweep executors), else the core count. */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.NEURITE_THREADS;
  if (v !== undefined && v.trim() !== '') {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InputError([`NEURITE_THREADS: expected a whole number from 1 to 1024, got "${v}"`]);
    return n;
  }
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export function execOptions(device: Device, o: { threads?: number; spin?: boolean } = {}): ExecOptions {
  return { device, threads: o.threads ?? defaultThreads(), spin: o.spin ?? false };
}

export function sessionOptions(o: ExecOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [o.device],
    intraOpNumThreads: o.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: o.spin ? '1' : '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** Sessions by model and options, least recently used dropped beyond `capacity`. */
export class SessionCache {
  private readonly entries = new Map<string, Promise<ort.InferenceSession>>();
  constructor(private readonly capacity = 16) {}

  get size(): number {
    return this.entries.size;
  }

  async get(model: Uint8Array, o: ExecOptions): Promise<ort.InferenceSession> {
    const key = crypto.createHash('sha256').update(model).update(JSON.stringify(o)).digest('hex');
    let s = this.entries.get(key);
    if (s) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, s);
      return s;
    }
    s = createSession(model, o);
    this.entries.set(key, s);
    s.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const [oldest, old] = this.entries.entries().next().value as [string, Promise<ort.InferenceSession>];
      this.entries.delete(oldest);
      old.then((x) => x.release(), () => {});
    }
    return s;
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const s of all) await s.then((x) => x.release(), () => {});
  }
}

/** The process-wide cache used by training steps and evaluators. */
export const sessions = new SessionCache();

/** A new session (no cache); `overrides` adjusts the options (tests use level 'basic' for float64 graphs). */
export async function createSession(model: Uint8Array, o: ExecOptions, overrides: ort.InferenceSession.SessionOptions = {}): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(model, { ...sessionOptions(o), ...overrides });
  } catch (e) {
    throw new RunFailure(`onnxruntime could not prepare the model on ${o.device}: ${String((e as Error).message ?? e).split('\n')[0]}`);
  }
}
