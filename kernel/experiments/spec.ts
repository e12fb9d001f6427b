/**
 * Experiment specs: the fields every kind shares, YAML/JSON parsing with located errors,
 * `--set path=value` overrides, and validation against the kind's zod schema (the single
 * source of truth: it also yields the JSON Schema for editors and the configuration form).
 */
import { z } from 'zod';
import YAML, { LineCounter, isAlias, isMap, isScalar, visit, type Document, type Scalar } from 'yaml';
import { InputError } from '../core/errors';
import { deviceRequests } from '../protocol/types';
import { sweepSchema, type SweepBlock } from '../sweeps/block';

export const deviceSchema = z
  .enum(deviceRequests)
  .describe('Where dense models execute: auto picks the best available provider; event engines always run on the CPU.');

/** Fields every experiment spec has. */
export const baseFields = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only (it names the run folder)')
    .max(64)
    .optional()
    .describe('A short name for the run; it becomes part of the run folder name.'),
  description: z.string().max(2000).optional().describe('Free text kept with the run.'),
  seed: z.int().min(0).max(0xffffffff).default(1).describe('Seed of every random stream in the run; same seed, same run.'),
  device: deviceSchema.default('auto'),
  sweep: sweepSchema.optional(),
};

/** The schema of one experiment kind: the shared fields plus the kind's own sections. */
export function defineSpec<K extends string, Shape extends z.ZodRawShape>(kind: K, shape: Shape) {
  return z.strictObject({ kind: z.literal(kind).describe('Experiment kind.'), ...baseFields, ...shape });
}

export type BaseSpec = { kind: string; name?: string; description?: string; seed: number; device: z.infer<typeof deviceSchema>; sweep?: SweepBlock };

/** A parsed spec text, with what is needed to point problems at lines. */
export interface ParsedSpec {
  value: unknown;
  /** `line L, column C` of the value at `path` (of its key when `atKey`). */
  locate(path: (string | number)[], atKey?: boolean): string | undefined;
}

/** Parse YAML or JSON spec text (JSON is YAML 1.2); syntax errors name line and column. */
export function parseSpecText(text: string, source = 'spec'): ParsedSpec {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return `${pos ? `line ${pos.line}, column ${pos.col}` : '(syntax)'}: ${message}`;
      }),
      source,
    );
  }
  const bad = aliasProblem(doc);
  if (bad) {
    const { line, col } = lineCounter.linePos(bad.offset);
    throw new InputError([`line ${line}, column ${col}: ${bad.message}`], source);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError([`(yaml): ${(e as Error).message}`], source); // aliases that expand too far (a "billion laughs")
  }
  return { value, locate: (p, atKey) => locate(doc, lineCounter, p, atKey) };
}

/**
 * An alias with no anchor before it, or one inside the value it names (`a: &x [*x]`, a loop no
 * spec can hold): both are located problems, where YAML would throw or build a cycle.
 */
export function aliasProblem(doc: Document): { offset: number; message: string } | undefined {
  const anchors = new Map<string, unknown>();
  let found: { offset: number; message: string } | undefined;
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target === undefined) found = { offset: node.range?.[0] ?? 0, message: `alias *${node.source} has no anchor &${node.source} before it` };
        else if (path.includes(target as never)) found = { offset: node.range?.[0] ?? 0, message: `alias *${node.source} is inside the value &${node.source} it names` };
        if (found) return visit.BREAK;
      } else if (node.anchor) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  return found;
}

function locate(doc: Document, lc: LineCounter, path: (string | number)[], atKey = false): string | undefined {
  const at = (offset: number) => {
    const { line, col } = lc.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  // A key (e.g. an unknown one) is located at the key itself, not at its value.
  const parent = path.length ? doc.getIn(path.slice(0, -1), true) : undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
    const node = (atKey || !isScalar(pair?.value) ? pair?.key : pair?.value) as Scalar | undefined;
    if (node?.range) return at(node.range[0]);
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return at(node.range[0]);
  }
  return undefined;
}

/**
 * A `path=value` override that changed the spec, and how to name it to the user (`--set a.b=3`,
 * `--seed 4`): a problem at or under its path is its problem, not the spec file's.
 */
export interface Override {
  path: string[];
  label: string;
}

/** The overrides of `--set` arguments (or of other `path=value` strings, with their own labels). */
export function overridesOf(sets: string[], label = (set: string) => `--set ${set}`): Override[] {
  return sets.filter((set) => set.indexOf('=') > 0).map((set) => ({ path: setPath(set), label: label(set) }));
}

const setPath = (set: string) => set.slice(0, set.indexOf('=')).split('.');

/** A `--set` value as YAML, with the alias checks of a spec file. */
function parseValue(text: string): unknown {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw doc.errors[0];
  const bad = aliasProblem(doc);
  if (bad) throw new Error(bad.message);
  return doc.toJS({ maxAliasCount: 100 });
}

/** Apply `path=value` overrides (value parsed as YAML, so `3`, `true`, `[1,2]` have types). */
export function applyOverrides(spec: unknown, sets: string[]): unknown {
  const root = structuredClone(spec ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) {
      problems.push(`--set ${set}: expected path=value, e.g. model.hidden=32`);
      continue;
    }
    const path = setPath(set);
    if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
      problems.push(`--set ${set}: "${set.slice(0, eq)}" is not a valid path`);
      continue;
    }
    let value: unknown;
    try {
      value = parseValue(set.slice(eq + 1));
    } catch (e) {
      problems.push(`--set ${set}: value is not valid YAML (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    let node: any = root;
    for (const key of path.slice(0, -1)) {
      if (node[key] === undefined) node[key] = {};
      if (typeof node[key] !== 'object' || node[key] === null) {
        problems.push(`--set ${set}: "${key}" is not an object in the spec`);
        node = null;
        break;
      }
      node = node[key];
    }
    if (node) node[path[path.length - 1]] = value;
  }
  if (problems.length) throw new InputError(problems);
  return root;
}

/**
 * Turn zod issues into `path: message` lines (one per unknown key), with line numbers where
 * known; a problem whose value came from an override names the override instead
 * (`--set simulation.trials=abc: expected number, received string`).
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], locateFn?: ParsedSpec['locate'], overrides: Override[] = []): string[] {
  const out: string[] = [];
  const line = (p: (string | number)[], message: string, atKey = false) => {
    const by = overrideAt(p, overrides);
    if (by) return `${by.label}: ${by.path.join('.') === p.join('.') ? '' : `${pathText(p)}: `}${message}`;
    const loc = locateFn?.(p, atKey);
    return `${pathText(p)}: ${message}${loc ? ` (${loc})` : ''}`;
  };
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(line([...path, key], 'unknown key', true));
    } else {
      out.push(line(path, issue.message));
    }
  }
  return out;
}

/**
 * Run a kind's check of what the spec names (files, a base model: Experiment.check) with its
 * problems located in the spec file: one whose head is a path of the spec (`base: …`) gets the
 * line and column of that value, unless an override (`--set`, a sweep trial) gave it.
 */
export function checkNamed<S>(
  check: ((spec: S, resolvePath: (p: string) => string) => void) | undefined,
  spec: S,
  resolvePath: (p: string) => string,
  at: { raw: unknown; parsed?: ParsedSpec; overrides?: Override[] },
): void {
  try {
    check?.(spec, resolvePath);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(e.problems.map((p) => locateProblem(p, at.raw, at.parsed?.locate, at.overrides)), e.source);
  }
}

function locateProblem(problem: string, raw: unknown, locateFn?: ParsedSpec['locate'], overrides: Override[] = []): string {
  const m = /^([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*): ([\s\S]*)$/.exec(problem);
  if (!m) return problem;
  const path = m[1].split(/\.|(?=\[)/).map((seg) => (seg.startsWith('[') ? Number(seg.slice(1, -1)) : seg));
  const value = path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), raw);
  if (value === undefined || overrideAt(path, overrides)) return problem; // a value from --set (or a sweep trial) has no line; the problem names its path
  const loc = locateFn?.(path);
  return loc ? `${problem} (${loc})` : problem;
}

/** The last override whose path contains `p` or lies inside it (a whole-spec problem belongs to none). */
function overrideAt(p: (string | number)[], overrides: Override[]): Override | undefined {
  if (p.length === 0) return undefined;
  const at = p.map(String);
  const nested = (outer: string[], inner: string[]) => outer.length <= inner.length && outer.every((seg, i) => seg === inner[i]);
  return [...overrides].reverse().find((o) => nested(o.path, at) || nested(at, o.path)); // the last one wins, as when applied
}

export function pathText(path: (string | number)[]): string {
  if (path.length === 0) return '(spec)';
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
