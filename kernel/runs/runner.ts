/**
 * Starting a run: read and validate the spec before any work, create the run folder, run the
 * experiment with a context, and write the summary last (also when the run fails or is
 * cancelled). Used in process by the CLI and by the kernel server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, InputError } from '../core/errors';
import { resolveDenseDevice, type DeviceRequest } from '../dense/providers';
import { defaultThreads } from '../dense/session';
import type { Experiment } from '../experiments/experiment';
import { resolveSpec } from '../experiments/registry';
import { applyOverrides, checkNamed, overridesOf, parseSpecText, type ParsedSpec } from '../experiments/spec';
import { resolveUserPath } from '../core/paths';
import type { RunStartParams } from '../protocol/types';
import { RunContext, type RunSink } from './context';
import { runsRoot, RunWriter, type RunSummary } from './store';
import { versions } from './versions';

export interface LoadedSpec {
  experiment: Experiment;
  spec: any;
  /** The device the run will use (resolved from the spec's request). */
  device: string;
  specPath?: string;
}

/**
 * The raw spec of a request: its file parsed (keeping line positions for error messages) or the
 * object given, with `path=value` overrides applied. Nothing is validated yet.
 */
export function readRawSpec(req: { specPath?: string; spec?: unknown }, sets: string[] = []): { raw: unknown; parsed?: ParsedSpec } {
  let raw: unknown = req.spec;
  let parsed: ParsedSpec | undefined;
  if (req.specPath !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(req.specPath, 'utf8');
    } catch (e) {
      throw new InputError([`cannot read spec file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], req.specPath);
    }
    parsed = parseSpecText(text, req.specPath);
    raw = parsed.value;
  }
  if (sets.length) raw = applyOverrides(raw, sets);
  return { raw, parsed };
}

/** What a run request names: a spec, overrides, and where the spec's relative paths lead. */
export type SpecRequest = Pick<RunStartParams, 'specPath' | 'spec' | 'overrides' | 'seed' | 'device' | 'baseDir'> & { workspace?: string };

/**
 * Read, override and validate a spec, and run the kind's checks of what the spec names (files),
 * all before a run folder exists; throws InputError listing every problem, each at its line in
 * the spec file or at the `--set` (`--seed`, `--device`) that gave the value.
 */
export function loadSpec(req: SpecRequest): LoadedSpec {
  const overrides = overridesOf(req.overrides ?? []);
  const sets = [...(req.overrides ?? [])];
  if (req.seed !== undefined) {
    sets.push(`seed=${req.seed}`);
    overrides.push({ path: ['seed'], label: `--seed ${req.seed}` });
  }
  if (req.device !== undefined) {
    sets.push(`device=${req.device}`);
    overrides.push({ path: ['device'], label: `--device ${req.device}` });
  }
  const { raw, parsed } = readRawSpec(req, sets);
  const { experiment, spec } = resolveSpec(raw, parsed, req.specPath, overrides);
  const device = resolveDevice(experiment, spec.device);
  const baseDir = specBaseDir(req);
  checkNamed(experiment.check?.bind(experiment), spec, (p) => resolveUserPath(p, baseDir), { raw, parsed, overrides });
  return { experiment, spec, device, specPath: req.specPath ? path.resolve(req.specPath) : undefined };
}

/** Relative paths in a spec mean what they say where the spec file lives (else the workspace). */
export function specBaseDir(req: SpecRequest): string {
  return path.resolve(req.baseDir ?? (req.specPath ? path.dirname(req.specPath) : req.workspace ?? process.cwd()));
}

/**
 * The device a run will use: event-engine kinds always run on the CPU; dense kinds get the
 * execution provider for their request (an absent one is an InputError saying how to install it).
 */
export function resolveDevice(experiment: Experiment, requested: string): string {
  if (experiment.engine === 'event') {
    if (requested === 'cuda' || requested === 'webgpu') {
      throw new InputError([`device: "${requested}" is not used by ${experiment.kind}, which runs on the TypeScript event engine; use "auto" or "cpu"`]);
    }
    return 'cpu';
  }
  defaultThreads(); // a bad NEURITE_THREADS is bad input, reported before any work
  return resolveDenseDevice(requested as DeviceRequest);
}

/** What names a run's folder (and a sweep's): the spec's `name`, else its kind with dashes for dots. */
export function runName(kind: string, name?: string): string {
  return name ?? kind.replace(/\./g, '-');
}

export interface StartedRun {
  runId: string;
  dir: string;
  kind: string;
  done: Promise<RunSummary>;
}

/** Validate, create the run folder and start the experiment; `done` settles with the summary. */
export function startRun(req: RunStartParams, sink: RunSink, signal: AbortSignal): StartedRun {
  const { experiment, spec, device, specPath } = loadSpec(req);
  const root = req.outDir ? path.resolve(req.outDir) : runsRoot(req.workspace);
  const name = runName(experiment.kind, spec.name);
  const baseDir = specBaseDir(req);
  const writer = RunWriter.create(root, name);
  const startedAt = new Date();
  writer.writeSpec({
    spec,
    seed: spec.seed,
    device,
    specPath,
    baseDir,
    overrides: req.overrides ?? [],
    createdAt: startedAt.toISOString(),
    versions: versions(),
    host: { hostname: os.hostname(), cpus: os.cpus().length },
  });
  const ctx = new RunContext(writer.id, spec.seed, device, signal, writer, sink, baseDir);
  const done = (async (): Promise<RunSummary> => {
    const base = { id: writer.id, kind: experiment.kind, name, seed: spec.seed, device, startedAt: startedAt.toISOString() };
    let summary: RunSummary;
    try {
      await new Promise<void>((r) => setImmediate(r)); // the caller (and its JSON-RPC reply) sees the run id before any event
      ctx.progress(0, 'starting');
      const out = await experiment.run(spec, ctx);
      ctx.progress(1, 'done');
      summary = { ...base, status: 'completed', ...ended(startedAt), metrics: out.metrics, result: out.result };
    } catch (e) {
      const cancelled = e instanceof CancelledError;
      const error = cancelled ? 'cancelled by user' : errorText(e);
      try {
        ctx.log(error, cancelled ? 'warn' : 'error');
      } catch {
        /* the folder may be gone; the summary below says what happened */
      }
      summary = { ...base, status: cancelled ? 'cancelled' : 'failed', ...ended(startedAt), metrics: {}, error };
    }
    writer.finish(summary);
    return summary;
  })();
  return { runId: writer.id, dir: writer.dir, kind: experiment.kind, done };
}

function ended(startedAt: Date): { endedAt: string; durationMs: number } {
  const now = new Date();
  return { endedAt: now.toISOString(), durationMs: now.getTime() - startedAt.getTime() };
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const where = e.stack?.split('\n').slice(1, 3).map((l) => l.trim()).join(' ← ');
    return e.name === 'RunFailure' || e.name === 'InputError' || !where ? e.message : `${e.message} (${where})`;
  }
  return String(e);
}
