/**
 * Planning a sweep: read the spec, expand its sweep block into trials (cases × random samples ×
 * grid points) and validate every trial's spec before anything runs. A problem is reported at
 * the sweep entry that caused it (`sweep.grid["model.hidden"][1]: … (line 9, column 31)`).
 *
 * The plan is pure data: the base spec (the file without its sweep block, `--set` applied),
 * each trial's overrides, and the configurations (trials that differ only in `seed`). Its id is
 * a hash of that data, so running the same spec again finds the same sweep and resumes it.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { InputError } from '../core/errors';
import { Rng } from '../core/rng';
import type { Experiment } from '../experiments/experiment';
import { resolveSpec } from '../experiments/registry';
import { resolveUserPath } from '../core/paths';
import { applyOverrides, checkNamed, formatIssues, overridesOf } from '../experiments/spec';
import { readRawSpec, resolveDevice, runName, specBaseDir } from '../runs/runner';
import { MAX_TRIALS, pathSegments, type Distribution, type SweepBlock } from './block';

export interface TrialPlan {
  index: number;
  /** path → value, in the order they are applied. */
  overrides: Record<string, unknown>;
  /** Index of the trial's configuration (its overrides without `seed`). */
  config: number;
}

export interface SweepPlan {
  id: string;
  kind: string;
  /** The spec's name (or its kind): it names the sweep, and each trial's run unless the trial sets `name`. */
  name: string;
  specPath?: string;
  /** The spec without its sweep block, with `--set` overrides applied: every trial starts here. */
  base: Record<string, unknown>;
  block: SweepBlock;
  /** Every swept path, in order of first appearance. */
  params: string[];
  trials: TrialPlan[];
  /** Distinct override sets without `seed`; the table has one row per configuration. */
  configs: Record<string, unknown>[];
}

export interface SweepRequest {
  specPath?: string;
  spec?: unknown;
  /** `path=value` overrides of the base spec (the CLI's `--set`). */
  overrides?: string[];
}

/** One override and where in the sweep block it came from (for located errors). */
type Setting = { path: string; value: unknown; ref: (string | number)[] };

/** Read the spec, expand and validate every trial; throws InputError listing every problem. */
export function planSweep(req: SweepRequest): SweepPlan {
  const source = req.specPath;
  const { raw, parsed } = readRawSpec(req, req.overrides);
  const overrides = overridesOf(req.overrides ?? []);
  const { experiment, spec } = resolveSpec(raw, parsed, source, overrides); // validates the sweep block too
  checkNamed(experiment.check?.bind(experiment), spec, (p) => resolveUserPath(p, specBaseDir(req)), { raw, parsed, overrides }); // what the base spec names (a netlist file, a base model)
  const block = spec.sweep as SweepBlock | undefined;
  if (!block) {
    throw new InputError(['sweep: the spec has no sweep block; add one, e.g. "sweep: { grid: { seed: [1, 2, 3] } }" (see `neurite schema ' + experiment.kind + '`)'], source);
  }
  const { sweep: _drop, ...base } = raw as Record<string, unknown>;
  const trialsSettings = expand(block, spec.seed, source);

  // Every trial's spec is validated now, so a bad value fails the sweep before any trial runs.
  const problems = new Set<string>();
  const where = (ref: (string | number)[], atKey = false) => {
    const loc = parsed?.locate(ref, atKey);
    return loc ? ` (${loc})` : '';
  };
  for (const settings of trialsSettings) validateTrial(experiment, base, settings, problems, where);
  if (problems.size) {
    const list = [...problems];
    throw new InputError(list.length > 30 ? [...list.slice(0, 30), `… and ${list.length - 30} more`] : list, source);
  }

  const params: string[] = [];
  for (const settings of trialsSettings) for (const s of settings) if (!params.includes(s.path)) params.push(s.path);
  const configKeys = new Map<string, number>();
  const configs: Record<string, unknown>[] = [];
  const trials = trialsSettings.map((settings, index): TrialPlan => {
    const overrides = Object.fromEntries(settings.map((s) => [s.path, s.value]));
    const { seed: _seed, ...config } = overrides;
    const key = canonicalJson(config);
    if (!configKeys.has(key)) {
      configKeys.set(key, configs.length);
      configs.push(config);
    }
    return { index, overrides, config: configKeys.get(key)! };
  });
  const name = runName(experiment.kind, spec.name as string | undefined);
  const hash = createHash('sha256').update(canonicalJson({ base, trials: trials.map((t) => t.overrides) })).digest('hex').slice(0, 10);
  return {
    id: `${name.slice(0, 40)}-${hash}`,
    kind: experiment.kind,
    name,
    specPath: req.specPath ? path.resolve(req.specPath) : undefined,
    base,
    block,
    params,
    trials,
    configs,
  };
}

type Where = (ref: (string | number)[], atKey?: boolean) => string;

/** Add every problem of one trial's spec to `problems`, at the sweep entries that caused them. */
function validateTrial(experiment: Experiment, base: Record<string, unknown>, settings: Setting[], problems: Set<string>, where: Where): void {
  checkDuplicates(settings, problems, where);
  let trialRaw: unknown = base;
  for (const s of settings) {
    try {
      trialRaw = applyOverrides(trialRaw, [setText(s.path, s.value)]);
    } catch (e) {
      const at = keyRef(s.ref);
      for (const p of (e as InputError).problems ?? [String(e)]) problems.add(`${refText(at)}: ${p.replace(/^--set [^:]*: /, '')}${where(at, true)}`);
      return; // the trial spec cannot be built, so there is nothing more to check
    }
  }
  const result = experiment.schema.safeParse(trialRaw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.add(attribute(issue, settings, experiment.kind, where) ?? `${trialLabel(settings)}: ${formatIssues([issue])[0]}`);
    return;
  }
  try {
    resolveDevice(experiment, (result.data as { device: string }).device);
  } catch (e) {
    const s = settings.find((x) => x.path === 'device');
    for (const p of (e as InputError).problems) problems.add(s ? `${refText(s.ref)}: ${p}${where(s.ref)}` : p);
  }
}

/** The `--set` strings that turn the base spec into this trial's spec (values as JSON ⊂ YAML). */
export function trialSets(trial: TrialPlan): string[] {
  return Object.entries(trial.overrides).map(([p, v]) => setText(p, v));
}

/** `seed=1 model.hidden=8` */
export function overridesText(overrides: Record<string, unknown>): string {
  const parts = Object.entries(overrides).map(([p, v]) => `${p}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(' ') : '(base spec)';
}

function setText(p: string, value: unknown): string {
  return `${pathSegments(p).join('.')}=${JSON.stringify(value)}`;
}

/** cases × random samples × grid points, each a list of settings. */
function expand(block: SweepBlock, seed: number, source?: string): Setting[][] {
  const factors: Setting[][][] = [];
  if (block.cases) {
    factors.push(block.cases.map((c, i) => Object.entries(c).map(([p, value]) => ({ path: p, value, ref: ['sweep', 'cases', i, p] }))));
  }
  if (block.random) {
    const rng = new Rng(seed).fork('sweep.random');
    const params = Object.entries(block.random.params);
    const samples: Setting[][] = [];
    for (let i = 0; i < block.random.n; i++) samples.push(params.map(([p, d]) => ({ path: p, value: draw(d, rng), ref: ['sweep', 'random', 'params', p] })));
    factors.push(samples);
  }
  for (const [p, values] of Object.entries(block.grid ?? {})) {
    factors.push(values.map((value, i) => [{ path: p, value, ref: ['sweep', 'grid', p, i] }]));
  }
  const total = factors.reduce((n, f) => n * f.length, 1);
  if (total > MAX_TRIALS) throw new InputError([`sweep: ${total} trials is more than ${MAX_TRIALS}; split the sweep`], source);
  let trials: Setting[][] = [[]];
  for (const factor of factors) trials = trials.flatMap((t) => factor.map((part) => [...t, ...part]));
  return trials;
}

/** One value from a distribution; the spec's seed fixes the whole sequence. */
function draw(d: Distribution, rng: Rng): unknown {
  if (d.uniform) return d.uniform[0] + (d.uniform[1] - d.uniform[0]) * rng.float();
  if (d.log) return Math.exp(Math.log(d.log[0]) + (Math.log(d.log[1]) - Math.log(d.log[0])) * rng.float());
  if (d.int) return d.int[0] + rng.int(d.int[1] - d.int[0] + 1);
  return d.choice![rng.int(d.choice!.length)];
}

function checkDuplicates(settings: Setting[], problems: Set<string>, where: Where): void {
  const seen = new Map<string, Setting>();
  for (const s of settings) {
    const key = pathSegments(s.path).join('.');
    const first = seen.get(key);
    if (first) problems.add(`${refText(s.ref)}: ${s.path} is also set by ${refText(first.ref)}; set each path in one place${where(s.ref, true)}`);
    else seen.set(key, s);
  }
}

/** A trial-spec issue as a problem at the sweep entry that caused it, if one did. */
function attribute(issue: any, settings: Setting[], kind: string, where: Where): string | undefined {
  const at = (issue.path as PropertyKey[]).map(String);
  const paths = issue.code === 'unrecognized_keys' ? (issue.keys as string[]).map((k) => [...at, k]) : [at];
  for (const full of paths) {
    if (full.length === 0) continue; // a whole-spec issue belongs to no one setting
    for (const s of settings) {
      const segs = pathSegments(s.path);
      const n = Math.min(segs.length, full.length);
      if (segs.slice(0, n).join('.') !== full.slice(0, n).join('.')) continue;
      if (issue.code === 'unrecognized_keys') {
        const k = keyRef(s.ref);
        return `${refText(k)}: ${s.path} is not a field of the ${kind} spec (${formatIssues([{ ...issue, path: at, keys: [full[full.length - 1]] }])[0]})${where(k, true)}`;
      }
      let what = full.join('.') === segs.join('.') ? issue.message : formatIssues([issue])[0];
      if (issue.code === 'invalid_type' && issue.expected === 'array' && /^\d+$/.test(segs[full.length] ?? '')) {
        what += '; to set one element of a list, write the whole list in the spec';
      }
      return `${refText(s.ref)}: ${JSON.stringify(s.value)}: ${what}${where(s.ref)}`;
    }
  }
  return undefined;
}

function trialLabel(settings: Setting[]): string {
  return `trial with ${overridesText(Object.fromEntries(settings.map((s) => [s.path, s.value])))}`;
}

/** A problem with the path itself belongs at its key, not at one of its grid values. */
function keyRef(ref: (string | number)[]): (string | number)[] {
  return typeof ref[ref.length - 1] === 'number' ? ref.slice(0, -1) : ref;
}

/** `sweep.grid["model.hidden"][1]`: spec paths used as keys are quoted. */
function refText(ref: (string | number)[]): string {
  return ref.map((r, i) => (typeof r === 'number' ? `[${r}]` : i > 0 && !/^[A-Za-z_]\w*$/.test(r) ? `["${r}"]` : i > 0 ? `.${r}` : r)).join('');
}

/** JSON with object keys sorted, so equal data hashes equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
