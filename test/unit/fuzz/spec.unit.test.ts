/**
 * Fuzzing experiment specs: YAML and JSON text (the samples, damaged; random text) and spec
 * objects (the samples with a value replaced, a key removed or added), through parsing, every
 * kind's zod schema and, where the spec has one, the sweep plan. Each ends with a spec or an
 * InputError whose every problem is located: a line and column, or a spec path.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import YAML from 'yaml';
import { InputError } from '../../../kernel/core/errors';
import { resolveSpec } from '../../../kernel/experiments/registry';
import { parseSpecText } from '../../../kernel/experiments/spec';
import { planSweep } from '../../../kernel/sweeps/plan';
import { repoRoot, tempDir } from '../helpers';
import { found, fuzzSuite } from './harness';
import { mutatedText, oddValue, randomText } from './inputs';

const SOURCE = 'fuzz.neurite.yaml';
const samplesDir = path.join(repoRoot, 'samples');
const yamlSamples = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.neurite.yaml')).map((f) => fs.readFileSync(path.join(samplesDir, f), 'utf8'));
const objectSamples = yamlSamples.map((t) => YAML.parse(t) as Record<string, unknown>);
const jsonSamples = objectSamples.map((o) => JSON.stringify(o, null, 2));

/**
 * Located: at a line and column of the text, at `(spec)` or `kind` (the whole spec), or at a
 * sweep trial and a spec path; one line each, with no raw control character and no value turned into
 * "[object Object]" by mistake.
 */
export function assertSpecProblems(e: unknown): void {
  if (!(e instanceof InputError)) throw e;
  assert.ok(e.problems.length > 0, 'an InputError with no problem');
  for (const p of e.problems) {
    const located = /^line \d+, column \d+: \S/.test(p) || /\(line \d+, column \d+\)$/.test(p) || /^(\(spec\)|\(yaml\)|kind|trial with [^:]*): \S/.test(p) || /^… and \d+ more$/.test(p);
    assert.ok(located, `not located: ${JSON.stringify(p)}`);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(p), `a raw control character in ${JSON.stringify(p)}`);
    assert.ok(!p.includes('[object Object]'), `a value printed as [object Object]: ${JSON.stringify(p)}`);
  }
}

let sweepFile: string | undefined;

/** Parse, validate against the kind's schema, plan the sweep if there is one (from a file, as `neurite sweep` does). */
export function checkSpecText(text: string): void {
  try {
    const parsed = parseSpecText(text, SOURCE);
    const { spec } = resolveSpec(parsed.value, parsed, SOURCE);
    if (spec.sweep) {
      sweepFile ??= path.join(tempDir('neurite-fuzz-sweep-'), SOURCE);
      fs.writeFileSync(sweepFile, text);
      planSweep({ specPath: sweepFile });
    }
  } catch (e) {
    assertSpecProblems(e);
  }
}

type Change = { op: 'set' | 'delete' | 'add'; at: number; key: string; value: unknown };
const change: fc.Arbitrary<Change> = fc.record({
  op: fc.constantFrom('set', 'set', 'delete', 'add'),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom('kind', 'seed', 'name', 'sweep', 'model', 'train', 'data', 'x'), fc.string({ maxLength: 6 })),
  value: oddValue,
});

/** Every path to a value inside `v` (objects and arrays), the root's children first. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...at, k], ...paths((v as any)[k], [...at, k])]);
}

function applyChange(obj: Record<string, unknown>, c: Change): Record<string, unknown> {
  const out = structuredClone(obj);
  const all = paths(out);
  const p = all[c.at % all.length];
  const parent = p.slice(0, -1).reduce<any>((o, k) => o[k], out);
  const last = p[p.length - 1];
  if (c.op === 'set') parent[last] = c.value;
  else if (c.op === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (!Array.isArray(parent)) parent[c.key] = c.value;
  return out;
}

/** A sample spec object with 1–4 changes, written as YAML (so problems are located in its text). */
const changedSpec = fc
  .tuple(fc.constantFrom(...objectSamples), fc.array(change, { minLength: 1, maxLength: 4 }))
  .map(([o, cs]) => YAML.stringify(cs.reduce(applyChange, o)));

fuzzSuite(__filename, 'fuzz: spec files, inputs found and kept', {
  'an alias with no anchor is a located problem (it threw a ReferenceError)': found('*0', (t) => assert.throws(() => parseSpecText(t, SOURCE), /line 1, column 1: alias \*0 has no anchor/)),
  'an alias inside the value it names is a located problem (it built a cycle)': found('kind: sfq.xor\nsweep: &x { cases: [*x] }', (t) =>
    assert.throws(() => parseSpecText(t, SOURCE), /line 2, column 21: alias \*x is inside the value &x it names/),
  ),
});

fuzzSuite(__filename, 'fuzz: spec files', {
  'damaged sample YAML specs end in a spec or located problems': { runs: 1000, input: () => mutatedText(yamlSamples), check: checkSpecText },
  'damaged sample JSON specs end in a spec or located problems': { runs: 600, input: () => mutatedText(jsonSamples), check: checkSpecText },
  'sample specs with values replaced, removed or added end in a spec or located problems': { runs: 1000, input: () => changedSpec, check: checkSpecText },
  'random text ends in a spec or located problems': { runs: 600, input: () => randomText(300), check: checkSpecText },
});
