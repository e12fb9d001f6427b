/**
 * One trial, as a worker process runs it (`neurite sweep trial <dir> <index>`, from a local
 * worker or a Slurm array task): the base spec with the trial's overrides, run as an ordinary
 * run into `runs/tNNN/`. A trial that already completed is not run again.
 */
import * as path from 'path';
import { InputError } from '../core/errors';
import type { RunSink } from '../runs/context';
import { startRun, type StartedRun } from '../runs/runner';
import { RunWriter, type RunSummary } from '../runs/store';
import { trialSets } from './plan';
import { readSweep, trialRunsDir, trialState, type SweepRecord } from './store';

/** Messages a local worker sends its controller over IPC. */
export type WorkerMessage = { type: 'started'; runId: string; dir: string } | { type: 'progress'; fraction: number };

export type TrialStart = { skipped: RunSummary } | { started: StartedRun };

/** Start trial `index` of the sweep in `dir`, or report its earlier completed run. */
export function startTrial(dir: string, index: number, sink: RunSink, signal: AbortSignal): TrialStart {
  const record = readSweep(dir);
  const trial = record.trials[index];
  if (!Number.isInteger(index) || !trial) throw new InputError([`trial: expected an index in 0…${record.trials.length - 1}, got ${index}`]);
  const state = trialState(dir, index, record.trials.length);
  if (state.status === 'completed' && state.summary) return { skipped: state.summary };
  const outDir = trialRunsDir(dir, index, record.trials.length);
  const baseDir = record.specPath ? path.dirname(record.specPath) : undefined; // relative paths as in the spec file
  try {
    return { started: startRun({ workspace: dir, spec: record.base, overrides: trialSets(trial), outDir, baseDir }, sink, signal) };
  } catch (e) {
    // Bad input found before the run could start (a netlist file this trial names is missing):
    // the trial shows as failed with why, as a run that started and failed would.
    if (e instanceof InputError) recordFailedAttempt(dir, record, index, e.message);
    throw e;
  }
}

/**
 * Record an attempt that failed before its run could start (the worker died on start-up, a
 * Slurm task could not launch Node): a run folder with a failed summary, so the trial shows
 * as failed, with why, instead of silently pending.
 */
export function recordFailedAttempt(dir: string, record: SweepRecord, index: number, error: string): string {
  const writer = RunWriter.create(trialRunsDir(dir, index, record.trials.length), record.name);
  const now = new Date().toISOString();
  const seed = (record.trials[index].overrides.seed ?? record.base.seed ?? 1) as number;
  writer.finish({ id: writer.id, kind: record.kind, name: record.name, status: 'failed', startedAt: now, endedAt: now, durationMs: 0, seed, device: 'unknown', metrics: {}, error });
  return writer.dir;
}

