/**
 * What an experiment sees while it runs: its seed and RNG, cancellation, and the channels
 * that stream progress, metrics, traces and logs to the run store and to whoever watches.
 * Engines see only the EngineContext part of it (kernel/core/engine-context.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { cancellationPoint, type EngineContext } from '../core/engine-context';
import { resolveUserPath } from '../core/paths';
import { Rng } from '../core/rng';
import type { Trace } from '../protocol/types';
import type { MetricRecord, RunWriter } from './store';

/** Where live events go (the CLI's progress bar, the kernel's JSON-RPC notifications). */
export interface RunSink {
  progress(fraction: number, message?: string): void;
  metric(record: MetricRecord): void;
  trace(name: string, trace: Trace): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export const nullSink: RunSink = { progress() {}, metric() {}, trace() {}, log() {} };

export class RunContext implements EngineContext {
  readonly rng: Rng;
  /** The cancellation point (see EngineContext): throws CancelledError once the run is cancelled, yields every ~15 ms. */
  readonly yieldOrThrowIfCancelled: () => Promise<void>;
  private readonly t0 = performance.now();
  private lastProgress = -Infinity;
  private readonly logFile: string;
  /** The last streamed value of each metric: a run that stops early keeps these as its summary. */
  readonly lastValues: Record<string, number> = {};

  constructor(
    readonly runId: string,
    readonly seed: number,
    readonly device: string,
    readonly signal: AbortSignal,
    private readonly writer: RunWriter,
    private readonly sink: RunSink,
    /** Folder that relative paths in the spec are resolved against (the spec file's folder). */
    readonly baseDir: string = process.cwd(),
  ) {
    this.rng = new Rng(seed);
    this.yieldOrThrowIfCancelled = cancellationPoint(signal);
    this.logFile = path.join(writer.dir, 'log.txt');
  }

  /** Seconds since the run started. */
  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Fraction done in [0, 1]; sent at most every 100 ms (always at 0 and 1). */
  progress(fraction: number, message?: string): void {
    const f = Math.min(1, Math.max(0, fraction));
    const now = performance.now();
    if (f > 0 && f < 1 && now - this.lastProgress < 100) return;
    this.lastProgress = now;
    this.sink.progress(f, message);
  }

  /** Append one metric record (flushed to metrics.jsonl at once) and stream it. */
  metric(step: number, values: Record<string, number>, series?: string): void {
    const record: MetricRecord = { t: Number(this.elapsed().toFixed(4)), step, ...(series ? { series } : {}), values };
    this.writer.appendMetric(record);
    Object.assign(this.lastValues, values);
    this.sink.metric(record);
  }

  /** Write a trace to traces/<name>.json and stream it to the views. */
  trace(name: string, trace: Trace): void {
    this.writer.writeTrace(name, trace);
    this.sink.trace(name, trace);
  }

  log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    fs.appendFileSync(this.logFile, `${new Date().toISOString()} ${level} ${message}\n`);
    this.sink.log(level, message);
  }

  /** A path from the spec, made absolute: `~` is the home folder, relative is relative to the spec file. */
  resolvePath(p: string): string {
    return resolveUserPath(p, this.baseDir);
  }

  /** A path inside the run's traces/ folder, for records written whole (CSV files). */
  tracePath(name: string): string {
    return this.writer.tracePath(name);
  }

  /** A path inside the run's artifacts/ folder. */
  artifactPath(name: string): string {
    return this.writer.artifactPath(name);
  }
}
