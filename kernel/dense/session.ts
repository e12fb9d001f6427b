/**
 * onnxruntime sessions: options (provider, intra-op threads, spinning) and a cache keyed by
 * the model's bytes (its graph and every shape in it) and those options, so a training step
 * compiled once is reused for every batch of the same shape.
 */
import * as crypto from 'crypto';
import { cores } from '../core/cores';
import { InputError, RunFailure } from '../core/errors';
import { ort, tensor, type InferenceSession, type SessionOptions, type Tensor } from './ort';
import type { Device } from './providers';

export interface ExecOptions {
  device: Device;
  /** Intra-op threads (the size of onnxruntime's compute pool). */
  threads: number;
  /** When pool threads spin for work instead of sleeping (Spin). */
  spin: Spin;
}

/**
 * `within-runs` (the default): pool threads spin for work while a run is in progress (between
 * the ops of a step) and sleep when it ends. `always`: they spin between runs too, a little
 * lower latency per run, but a core busy while the kernel does anything else. `never`: they
 * sleep whenever they have no work, the choice when other processes hold the cores (a thread
 * spinning for a descheduled one wastes its time slice).
 */
export type Spin = 'never' | 'within-runs' | 'always';

/** Compute threads a run may use: `NEURITE_THREADS` (set by sweep executors), else the core count. */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.NEURITE_THREADS;
  if (v !== undefined && v.trim() !== '') {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InputError([`NEURITE_THREADS: expected a whole number from 1 to 1024, got "${v}"`]);
    return n;
  }
  return cores();
}

export function execOptions(device: Device, o: { threads?: number; spin?: Spin } = {}): ExecOptions {
  return { device, threads: o.threads ?? defaultThreads(), spin: o.spin ?? 'within-runs' };
}

export function sessionOptions(o: ExecOptions): SessionOptions {
  return {
    executionProviders: [o.device],
    intraOpNumThreads: o.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // dynamic_block_base: parallel loops hand out shrinking blocks of work, so when another
    // process takes a core from one pool thread the others finish its share (shared machines,
    // sweeps running several workers). Here (2 shared cores) it raised the median steps/s of the
    // MLP step under load and did not lower it in quieter rounds (never measured on an idle machine).
    // Spinning within a run, sleeping between runs (force_spinning_stop): a step hands many small
    // parallel sections to the pool, and a sleeping thread takes long to wake for each (the
    // caller spin-waits for it meanwhile). MLP 784-256-10, 8 steps per run, 2 threads, same
    // process, alternating rounds: +11–18% steps/s at batch 64, +7% at 256, for 4–8% more CPU per
    // step; between runs the pool uses no CPU (spinning always: a whole core). Under heavy load
    // from other processes (load average 13–21 on the 2 cores, bench/dense.ts) it lost 1.6–3.8×
    // against spin 'never' at 2 threads: a thread spinning for a descheduled one.
    extra: {
      session: {
        intra_op: { allow_spinning: o.spin === 'never' ? '0' : '1' },
        inter_op: { allow_spinning: '0' },
        dynamic_block_base: '4',
        ...(o.spin === 'always' ? {} : { force_spinning_stop: '1' }),
      },
    },
  };
}

type Feeds = Record<string, Tensor>;

/** A model ready to run: onnxruntime's session behind one small interface. */
export interface Compiled {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Which path runs it: onnxruntime-node's native session directly, or its public API. */
  readonly path: 'native' | 'public';
  /**
   * Run with every output fetched; outputs given in `into` are written into those tensors
   * (preallocated), the others are returned as new tensors.
   */
  run(feeds: Feeds, into?: Feeds): Promise<Feeds>;
  release(): Promise<void>;
}

/**
 * onnxruntime-node's native session class, which runs synchronously. The public API wraps it
 * in a promise per run (a setImmediate hop) and re-validates and re-wraps every input and
 * output; for a training step of ~0.5 ms that costs ~10–30% (bench/dense.ts). Used only when
 * the installed version exposes it as 1.23 does; otherwise the public API.
 */
interface NativeSession {
  loadModel(buffer: ArrayBuffer, offset: number, length: number, options: SessionOptions): void;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  run(feeds: Feeds, fetches: Record<string, Tensor | null>, options: object): Record<string, unknown>;
  dispose(): void;
}
let native: { new (): NativeSession } | null | undefined;
function nativeSessionClass(): { new (): NativeSession } | null {
  if (native === undefined) {
    try {
      const b = require('onnxruntime-node/dist/binding');
      b.initOrt();
      native = typeof b.binding?.InferenceSession === 'function' && typeof b.binding.InferenceSession.prototype.run === 'function' ? b.binding.InferenceSession : null;
    } catch {
      native = null;
    }
  }
  return native ?? null;
}

const asTensor = (v: unknown): Tensor => (v instanceof ort().Tensor ? (v as Tensor) : tensor((v as Tensor).type, (v as Tensor).data as Float32Array, (v as Tensor).dims));

/** Compile a model for the given options (no cache; `overrides` adjusts session options). */
export async function compile(model: Uint8Array, o: ExecOptions, overrides: SessionOptions = {}): Promise<Compiled> {
  const Native = nativeSessionClass();
  if (!Native) {
    const s = await createSession(model, o, overrides);
    return {
      inputNames: s.inputNames,
      outputNames: s.outputNames,
      path: 'public',
      run: (feeds, into) => s.run(feeds, into ? Object.fromEntries(s.outputNames.map((n) => [n, into[n] ?? null])) : s.outputNames) as Promise<Feeds>,
      release: () => s.release(),
    };
  }
  const s = new Native();
  try {
    s.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, { ...sessionOptions(o), ...overrides });
  } catch (e) {
    throw prepareFailure(o, e);
  }
  const inputNames = s.inputMetadata.map((m) => m.name);
  const outputNames = s.outputMetadata.map((m) => m.name);
  // The native run labels results by position in the model's output list, so always fetch all, in order.
  const allNull = Object.fromEntries(outputNames.map((n) => [n, null]));
  return {
    inputNames,
    outputNames,
    path: 'native',
    async run(feeds, into) {
      const r = s.run(feeds, into ? Object.fromEntries(outputNames.map((n) => [n, into[n] ?? null])) : allNull, {});
      const out: Feeds = {};
      for (const n of outputNames) out[n] = into?.[n] ?? asTensor(r[n]);
      return out;
    },
    release: async () => s.dispose(),
  };
}

/** Compiled models by model bytes and options, least recently used dropped beyond `capacity`. */
export class SessionCache {
  private readonly entries = new Map<string, Promise<Compiled>>();
  constructor(private readonly capacity = 16) {}

  get size(): number {
    return this.entries.size;
  }

  async get(model: Uint8Array, o: ExecOptions): Promise<Compiled> {
    const key = crypto.createHash('sha256').update(model).update(JSON.stringify(o)).digest('hex');
    let s = this.entries.get(key);
    if (s) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, s);
      return s;
    }
    s = compile(model, o);
    this.entries.set(key, s);
    s.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const [oldest, old] = this.entries.entries().next().value as [string, Promise<Compiled>];
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

/** A new public-API session (no cache); `overrides` adjusts the options. */
export async function createSession(model: Uint8Array, o: ExecOptions, overrides: SessionOptions = {}): Promise<InferenceSession> {
  try {
    return await ort().InferenceSession.create(model, { ...sessionOptions(o), ...overrides });
  } catch (e) {
    throw prepareFailure(o, e);
  }
}

/** onnxruntime's refusal of a model, as a run failure naming the device (first line of its message). */
function prepareFailure(o: ExecOptions, e: unknown): RunFailure {
  return new RunFailure(`onnxruntime could not prepare the model on ${o.device}: ${String((e as Error).message ?? e).split('\n')[0]}`);
}
