/**
 * Fuzzing what a command line can give: `--set path=value` (paths from the samples and made up,
 * values of every YAML shape), `--seed`, and the argument parser of `neurite run`. Each ends with
 * a spec (or a value) or an InputError, and nothing reaches Object.prototype.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import YAML from 'yaml';
import { HelpRequest, parse, seedFlag } from '../../../kernel/cli/io';
import { runSyn } from '../../../kernel/cli/run';
import { InputError } from '../../../kernel/core/errors';
import { resolveSpec } from '../../../kernel/experiments/registry';
import { applyOverrides } from '../../../kernel/experiments/spec';
import { repoRoot } from '../helpers';
import { found, fuzzSuite } from './harness';
import { nastyChar, randomText } from './inputs';

const samplesDir = path.join(repoRoot, 'samples');
const specs = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.neurite.yaml')).map((f) => YAML.parse(fs.readFileSync(path.join(samplesDir, f), 'utf8')) as Record<string, unknown>);

/** Every dotted path in the sample specs (`model.hidden`, `checks.falsePositive.0.theta`). */
function dotted(v: unknown, at = ''): string[] {
  if (typeof v !== 'object' || v === null) return [];
  return Object.keys(v).flatMap((k) => [at + k, ...dotted((v as any)[k], `${at}${k}.`)]);
}
const realPaths = [...new Set(specs.flatMap((s) => dotted(s)))];

const setPath = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...realPaths) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', 'a..b', '.seed', 'seed.', 'seed.x', 'sweep.grid.seed', 'x'.repeat(300)) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__.polluted', 'constructor.prototype.polluted', 'model.__proto__.x', 'toString', 'hasOwnProperty.x') },
  { weight: 1, arbitrary: randomText(20) },
);
const setValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('', '~', '.nan', '.inf', '-.inf', '1e400', '0x10', '0o7', '-0', '2147483648', '4294967296', 'true', 'yes'),
  fc.constantFrom('*x', '&a [*a]', '&a {b: *a}', '!!binary aGk=', '!!set {a, b}', '{a: 1, a: 2}', '[1, [2', 'a: b: c', '- a\n- b', "'unclosed", '@x', '`x'),
  randomText(30),
);
const setArg = fc.tuple(setPath, fc.constantFrom('=', '=', '==', ''), setValue).map(([p, eq, v]) => `${p}${eq}${v}`);

/** Apply the sets to a sample, then validate: a spec or an InputError; Object.prototype untouched. */
function checkSets([spec, sets]: [Record<string, unknown>, string[]]): void {
  const before = Object.getOwnPropertyNames(Object.prototype).join();
  try {
    const raw = applyOverrides(spec, sets);
    resolveSpec(raw);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.ok(e.problems.length > 0 && e.problems.every((p) => p.length > 0 && !p.includes('[object Object]')), JSON.stringify(e.problems));
  } finally {
    assert.strictEqual(Object.getOwnPropertyNames(Object.prototype).join(), before, 'Object.prototype was changed');
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  }
}

const argv = fc.array(
  fc.oneof(fc.constantFrom('spec.yaml', '--set', '--seed', '--seed=', '--device', '--json', '--json=1', '-q', '-qq', '-x', '--', '-', '--out', '--unknown', '--set=a=1'), randomText(10), nastyChar),
  { maxLength: 8 },
);

/** `neurite run`'s flags: parsed, a help request, or an InputError with the usage; a --seed value is a seed or an InputError. */
function checkArgv(args: string[]): void {
  try {
    const { values } = parse(args, runSyn);
    const seed = seedFlag(values.seed);
    assert.ok(seed === undefined || (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff), `seed ${seed}`);
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof HelpRequest)) throw e;
  }
}

fuzzSuite(__filename, 'fuzz: --set values, inputs found and kept', {
  'a --set value with an alias inside its own anchor is a problem (it built a cycle the schema let through)': found(
    [specs.find((s) => s.kind === 'dendrite.sdr')!, ['sweep.random.params.seed.choice=&a [*a]', 'sweep.random.n=2']] as [Record<string, unknown>, string[]],
    ([spec, sets]) => assert.throws(() => applyOverrides(spec, sets), /alias \*a is inside the value &a it names/),
  ),
});

fuzzSuite(__filename, 'fuzz: --set values and flags', {
  '--set path=value on a sample spec ends in a spec or an InputError, and pollutes nothing': {
    runs: 2500,
    input: () => fc.tuple(fc.constantFrom(...specs), fc.array(setArg, { minLength: 1, maxLength: 3 })),
    check: checkSets,
  },
  'the flags of neurite run end parsed or in an InputError': { runs: 1500, input: () => argv, check: checkArgv },
});
