/**
 * Malformed specs are rejected before any work, with every problem as `path: message`, and
 * the CLI exits 2 without creating a run folder.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyOverrides } from '../../../kernel/experiments/spec';
import { loadSpec } from '../../../kernel/runs/runner';
import { cli, inputErrorOf, tempDir } from '../helpers';

const sdr = 'kind: dendrite.sdr\n';
const cases: { name: string; text: string; file?: string; expect: RegExp[] }[] = [
  { name: 'a YAML syntax error (unclosed list)', text: `${sdr}sweeps: [n, s\n`, expect: [/line \d+, column \d+/] },
  { name: 'a YAML indentation error', text: `${sdr}simulation:\n  trials: 5\n   confidence: 0.9\n`, expect: [/line 3/] },
  { name: 'a duplicated key', text: `${sdr}seed: 1\nseed: 2\n`, expect: [/line 3, column 1: .*unique/i] },
  { name: 'an empty file', text: '', expect: [/\(spec\): expected a mapping/] },
  { name: 'a list instead of a mapping', text: '- kind: dendrite.sdr\n', expect: [/expected a mapping .* got a list/] },
  { name: 'a bare scalar', text: 'hello\n', expect: [/expected a mapping .* got string/] },
  { name: 'a missing kind', text: 'seed: 1\n', expect: [/^kind: missing; known kinds: .*dendrite\.sdr/m] },
  { name: 'an unknown kind', text: 'kind: foo.bar\n', expect: [/kind: unknown experiment kind "foo\.bar"/] },
  { name: 'a kind that is not a string', text: 'kind: 3\n', expect: [/kind: expected a string/] },
  { name: 'a negative seed', text: `${sdr}seed: -1\n`, expect: [/^seed: .*>=0 \(line 2, column 7\)/m] },
  { name: 'a fractional seed', text: `${sdr}seed: 1.5\n`, expect: [/^seed: .*int/m] },
  { name: 'a string seed', text: `${sdr}seed: abc\n`, expect: [/^seed: .*expected number, received string/m] },
  { name: 'an unknown device', text: `${sdr}device: tpu\n`, expect: [/^device: .*"auto"/m] },
  { name: 'an unknown top-level key', text: `${sdr}epochs: 3\n`, expect: [/^epochs: unknown key \(line 2, column 1\)/m] },
  { name: 'an unknown nested key (a typo)', text: `${sdr}simulation:\n  trails: 5\n`, expect: [/^simulation\.trails: unknown key/m] },
  { name: 'a negative trial count', text: `${sdr}simulation: { trials: -5 }\n`, expect: [/^simulation\.trials: .*>=0/m] },
  { name: 'a confidence level above 1', text: `${sdr}simulation: { confidence: 1.5 }\n`, expect: [/^simulation\.confidence: .*<1/m] },
  { name: 'more active cells than cells', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 400, s: 24, theta: 12 }] }\n`, expect: [/^checks\.falsePositive\[0\]\.a: a \(400\) cannot exceed n \(300\)/m] },
  { name: 'a threshold of the wrong type', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 64, s: 24, theta: twelve }] }\n`, expect: [/^checks\.falsePositive\[0\]\.theta: .*expected number, received string \(line 2, column 58\)/m] },
  { name: 'a missing field in a check', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 64, theta: 12 }] }\n`, expect: [/^checks\.falsePositive\[0\]\.s: /m] },
  { name: 'an unknown sweep', text: `${sdr}sweeps: [n, weather]\n`, expect: [/^sweeps\[1\]: /m] },
  { name: 'sweeps that are not a list', text: `${sdr}sweeps: n\n`, expect: [/^sweeps: .*expected array/m] },
  { name: 'a run name with a path in it', text: `${sdr}name: ../escape\n`, expect: [/^name: letters, digits/m] },
  { name: 'more noise than active cells', text: `${sdr}checks: { falseNegative: [{ n: 2048, a: 64, s: 24, theta: 12, v: 99 }] }\n`, expect: [/^checks\.falseNegative\[0\]\.v: v \(99\) cannot exceed a \(64\)/m] },
  { name: 'more noise cells than inactive cells', text: `${sdr}checks: { falseNegative: [{ n: 70, a: 40, s: 24, theta: 12, v: 35 }] }\n`, expect: [/^checks\.falseNegative\[0\]\.v: v \(35\) noise cells must come from the n − a = 30 inactive cells/m] },
  { name: 'a union of zero patterns', text: `${sdr}checks: { union: [{ n: 2048, a: 40, s: 24, theta: 12, M: 0 }] }\n`, expect: [/^checks\.union\[0\]\.M: /m] },
  { name: 'several problems at once (all listed)', text: `${sdr}seed: -2\ndevice: tpu\nbogus: 1\n`, expect: [/3 problems/, /^seed: /m, /^device: /m, /^bogus: unknown key/m] },
  { name: 'a GPU device for an event-engine kind', text: `${sdr}device: cuda\n`, expect: [/device: "cuda" is not used by dendrite\.sdr/] },
  { name: 'a JSON spec with a syntax error', text: '{ "kind": "dendrite.sdr", "seed": 1,, }', file: 'bad.neurite.json', expect: [/line 1, column/] },
];

describe('malformed specs', () => {
  const dir = tempDir('neurite-bad-');
  for (const c of cases) {
    it(`rejects ${c.name} with a located message`, () => {
      const file = path.join(dir, c.file ?? `${c.name.replace(/\W+/g, '-')}.neurite.yaml`);
      fs.writeFileSync(file, c.text);
      const err = inputErrorOf(() => loadSpec({ specPath: file }));
      for (const re of c.expect) assert.match(`${err.problems.join('\n')}\n${err.message}`, re);
    });
  }

  it('rejects a missing spec file naming the file', () => {
    assert.throws(() => loadSpec({ specPath: path.join(dir, 'nope.yaml') }), /nope\.yaml: cannot read spec file: ENOENT/);
  });

  it('rejects --set overrides that are not path=value or that walk through a scalar', () => {
    assert.throws(() => applyOverrides({}, ['seed']), /--set seed: expected path=value/);
    assert.throws(() => applyOverrides({ seed: 1 }, ['seed.x=2']), /"seed" is not an object/);
    assert.throws(() => applyOverrides({}, ['__proto__.x=1']), /not a valid path/);
  });

  it('the CLI exits 2 on a bad spec, prints every problem on stderr, and creates no run folder', () => {
    const out = tempDir('neurite-out-');
    const file = path.join(dir, 'cli-bad.neurite.yaml');
    fs.writeFileSync(file, `${sdr}seed: -2\nbogus: 1\n`);
    const r = cli(['run', file, '--out', out]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /seed: /);
    assert.match(r.stderr, /bogus: unknown key/);
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });

  it('the CLI exits 2 on bad flags and unknown commands', () => {
    assert.strictEqual(cli(['run']).code, 2);
    assert.strictEqual(cli(['run', 'x.yaml', '--seed', 'abc']).code, 2);
    assert.strictEqual(cli(['run', 'x.yaml', '--frobnicate']).code, 2);
    assert.strictEqual(cli(['dance']).code, 2);
  });
});
