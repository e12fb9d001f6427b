/**
 * What an engine (dense/, spiking/, circuits/, data/) sees of the run it works for: channels for
 * progress, metrics, traces and logs, a cancellation point, and paths for the files it writes
 * whole. It lives here, below the engines, so that no engine imports the run store: a run's
 * RunContext (kernel/runs/context.ts) implements it, and MemoryEngineContext below keeps
 * everything in memory for tests and for engine code run outside a run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Trace } from '../protocol/types';
import { CancelledError } from './errors';

export interface EngineContext {
  /** Aborted when the run is cancelled; pass it to I/O that takes one (reads, downloads). */
  readonly signal: AbortSignal;
  /** Fraction done in [0, 1], with an optional line of text. */
  progress(fraction: number, message?: string): void;
  /** One record of metric values at a step, in a named series ('train', 'epoch', …). */
  metric(step: number, values: Record<string, number>, series?: string): void;
  /** A trace for the views (a curve, a raster), by name. */
  trace(name: string, trace: Trace): void;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  /**
   * The cancellation point: throws CancelledError once the run is cancelled, and otherwise
   * yields to the event loop now and then so that a cancel request can arrive during CPU-bound
   * work. Engines await it at every step or epoch boundary.
   */
  yieldOrThrowIfCancelled(): Promise<void>;
  /** Where a file written whole goes among the run's artifacts (models, checkpoints). */
  artifactPath(name: string): string;
  /** Where a file written whole goes among the run's traces (full CSV records). */
  tracePath(name: string): string;
}

/**
 * The cancellation point for `signal`, as one function per run: throws CancelledError if the
 * signal is aborted, and yields to the event loop when the last yield is more than ~15 ms ago.
 */
export function cancellationPoint(signal: AbortSignal): () => Promise<void> {
  let lastYield = performance.now();
  return async () => {
    if (signal.aborted) throw new CancelledError();
    if (performance.now() - lastYield > 15) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
      if (signal.aborted) throw new CancelledError();
    }
  };
}

/**
 * An EngineContext that keeps metrics, traces, logs and progress in arrays, for tests and for
 * engine code run outside a run. Files written whole go under `dir` (artifacts/ and traces/),
 * made when first asked for; without a `dir` asking for a path is an error.
 */
export class MemoryEngineContext implements EngineContext {
  readonly signal: AbortSignal;
  readonly metrics: { step: number; series?: string; values: Record<string, number> }[] = [];
  readonly traces = new Map<string, Trace>();
  readonly logs: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  readonly progressed: { fraction: number; message?: string }[] = [];
  readonly yieldOrThrowIfCancelled: () => Promise<void>;
  private readonly dir?: string;

  constructor(opts: { signal?: AbortSignal; dir?: string } = {}) {
    this.signal = opts.signal ?? new AbortController().signal;
    this.dir = opts.dir;
    this.yieldOrThrowIfCancelled = cancellationPoint(this.signal);
  }

  progress(fraction: number, message?: string): void {
    this.progressed.push({ fraction, message });
  }

  metric(step: number, values: Record<string, number>, series?: string): void {
    this.metrics.push({ step, ...(series ? { series } : {}), values });
  }

  trace(name: string, trace: Trace): void {
    this.traces.set(name, trace);
  }

  log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.logs.push({ level, message });
  }

  artifactPath(name: string): string {
    return this.fileIn('artifacts', name);
  }

  tracePath(name: string): string {
    return this.fileIn('traces', name);
  }

  private fileIn(folder: string, name: string): string {
    if (this.dir === undefined) throw new Error(`MemoryEngineContext: no folder for ${folder}/${name} (pass a dir)`);
    fs.mkdirSync(path.join(this.dir, folder), { recursive: true });
    return path.join(this.dir, folder, name);
  }
}
