/**
 * Validation of a spec text for editors (`spec/validate`): the same checks as a run makes before
 * any work (loadSpec), each problem located as a range in the text instead of a `line L` string,
 * and tagged with what found it, so an editor can leave to a JSON Schema validator what it
 * already reports and add only what the kernel alone knows.
 */
import YAML, { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../core/errors';
import { resolveUserPath } from '../core/paths';
import { experimentKinds, findExperiment } from '../experiments/registry';
import { aliasProblem } from '../experiments/spec';
import type { SpecProblem, SpecValidateParams, SpecValidateResult, TextPosition } from '../protocol/types';
import { resolveDevice, specBaseDir } from './runner';

type Path = (string | number)[];

export function validateSpecText(p: SpecValidateParams): SpecValidateResult {
  const lc = new LineCounter();
  const doc = YAML.parseDocument(p.text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const pos = (offset: number): TextPosition => {
    const { line, col } = lc.linePos(Math.max(0, Math.min(offset, p.text.length)));
    return { line: line - 1, character: col - 1 };
  };
  const span = (start: number, end: number) => ({ start: pos(start), end: pos(Math.max(end, start)) });
  if (doc.errors.length) {
    return { problems: doc.errors.map((e) => ({ path: [], message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), origin: 'syntax', range: span(e.pos[0], e.pos[1]) })) };
  }
  const bad = aliasProblem(doc);
  if (bad) return { problems: [{ path: [], message: bad.message, origin: 'syntax', range: span(bad.offset, bad.offset + 1) }] };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { problems: [{ path: [], message: (e as Error).message, origin: 'syntax', range: span(0, 0) }] };
  }
  const at = (path: Path, message: string, origin: SpecProblem['origin'], atKey = false): SpecProblem => {
    const [start, end] = locate(doc, p.text, path, atKey);
    return { path, message, origin, range: span(start, end) };
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [at([], `expected a mapping with at least "kind", got ${raw === null ? 'nothing' : Array.isArray(raw) ? 'a list' : typeof raw}`, 'schema')] };
  }
  const kind = (raw as Record<string, unknown>).kind;
  const experiment = typeof kind === 'string' ? findExperiment(kind) : undefined;
  if (!experiment) {
    const message = kind === undefined ? 'missing' : typeof kind !== 'string' ? `expected a string, got ${typeof kind}` : `unknown experiment kind "${kind}"`;
    return { problems: [at(['kind'], `${message}; known kinds: ${experimentKinds().join(', ')}`, 'schema')] };
  }
  const result = experiment.schema.safeParse(raw);
  if (!result.success) return { kind: experiment.kind, problems: result.error.issues.flatMap((i) => issueProblems(i, at)) };
  // What the spec names (netlist files…) and the device: checked only once the spec itself is sound, as a run does.
  const problems: SpecProblem[] = [];
  const spec = result.data as { device: string };
  const checked = (origin: SpecProblem['origin'], check: () => void) => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems.map((m) => placed(doc, m, e.source, origin, at)));
    }
  };
  checked('device', () => resolveDevice(experiment, spec.device));
  const baseDir = specBaseDir({ specPath: p.specPath, workspace: p.workspace });
  checked('file', () => experiment.check?.(spec, (f) => resolveUserPath(f, baseDir)));
  return { kind: experiment.kind, problems };
}

/** A zod issue as problems: one per unknown key (at the key), relations (`custom`) apart from the rest. */
function issueProblems(issue: z.core.$ZodIssue, at: (path: Path, message: string, origin: SpecProblem['origin'], atKey?: boolean) => SpecProblem): SpecProblem[] {
  const path = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => at([...path, k], 'unknown key', 'schema', true));
  const missing = /^Invalid input: expected (\w+), received undefined$/.exec(issue.message);
  return [at(path, missing ? `missing (expected ${missing[1]})` : issue.message, issue.code === 'custom' ? 'semantic' : 'schema')];
}

/**
 * A problem of a check, placed where the spec names its subject: `path: message` at that path;
 * `file:line:col: message` (a netlist's own line) at the key whose value names the file (or
 * that is the file, as netlistText); anything else at the top.
 */
function placed(doc: Document, problem: string, source: string | undefined, origin: SpecProblem['origin'], at: (path: Path, message: string, origin: SpecProblem['origin']) => SpecProblem): SpecProblem {
  const named = (file: string) => pathOfValue(doc, file) ?? (doc.hasIn([file]) ? [file] : undefined);
  const inFile = /^(.+?):\d+:\d+: /.exec(problem);
  const where = (source !== undefined ? named(source) : undefined) ?? (inFile ? named(inFile[1]) : undefined);
  if (where) return at(where, problem, origin);
  const m = /^([A-Za-z_]\w*(?:\.\w+)*): (.*)$/s.exec(problem);
  return at(m ? m[1].split('.') : [], m ? m[2] : problem, origin);
}

/** The path of the first scalar whose value is `value` (the key that names a file). */
function pathOfValue(doc: Document, value: string): Path | undefined {
  let found: Path | undefined;
  YAML.visit(doc, {
    Scalar(_key, node, ancestors) {
      if (node.value !== value || found) return;
      const path: Path = [];
      ancestors.forEach((a, i) => {
        const child = ancestors[i + 1] ?? node;
        if (YAML.isPair(a) && YAML.isScalar(a.key) && a.value === child) path.push(String(a.key.value));
        if (isSeq(a)) path.push(a.items.indexOf(child as never));
      });
      if (path.length) found = path;
    },
  });
  return found;
}

/**
 * Offsets [start, end) of what `path` names: a scalar value, or the key of a collection (a
 * squiggle over a whole block would hide the file), cut to its first line. A path that is not
 * in the text (a missing field) is placed at the key of the nearest ancestor that is.
 */
function locate(doc: Document, text: string, path: Path, atKey: boolean): [number, number] {
  const firstLine = (start: number, end: number): [number, number] => {
    const nl = text.indexOf('\n', start);
    return [start, nl >= 0 && nl < end ? nl : end];
  };
  if (path.length === 0) {
    const r = (doc.contents as Node | null)?.range;
    return r ? firstLine(r[0], r[1]) : [0, 0];
  }
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  let keyNode: Node | undefined;
  let valueNode: Node | undefined;
  if (isMap(parent)) {
    const pair = parent.items.find((q) => isScalar(q.key) && String(q.key.value) === String(last));
    keyNode = pair?.key as Node | undefined;
    valueNode = (pair?.value ?? undefined) as Node | undefined;
  } else if (isSeq(parent) && typeof last === 'number') {
    valueNode = parent.items[last] as Node | undefined;
  }
  const chosen = atKey || (valueNode && !isScalar(valueNode) && keyNode) ? keyNode : (valueNode ?? keyNode);
  if (chosen?.range) return firstLine(chosen.range[0], Math.max(chosen.range[1], chosen.range[0] + 1));
  return locate(doc, text, path.slice(0, -1), true);
}
