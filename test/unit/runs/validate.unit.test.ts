/** spec/validate: every problem a run would reject, located as a range in the text, tagged by what found it. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { SpecProblem } from '../../../kernel/protocol/types';
import { validateSpecText } from '../../../kernel/runs/validate';
import { repoRoot, startKernel, tempDir } from '../helpers';

const samples = path.join(repoRoot, 'samples');
const inSamples = path.join(samples, 'edited.neurite.yaml'); // relative paths in the text resolve here

/** `path @line:char-line:char origin: message` — what an editor shows, in one comparable line. */
function shown(p: SpecProblem): string {
  const r = p.range;
  return `${p.path.join('.') || '(spec)'} @${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${p.origin}: ${p.message}`;
}

const problems = (text: string, specPath = inSamples) => validateSpecText({ text, specPath }).problems.map(shown);

describe('spec/validate', () => {
  // A sample whose input another sample makes (dopamine's base: its header says to run
  // dopamine-pretrain first) shows exactly that problem on a fresh clone, at that field.
  const madeFirst: Record<string, string> = { 'dopamine.neurite.yaml': 'base' };
  it('finds no problem in any bundled sample but an input another sample makes first', () => {
    for (const f of fs.readdirSync(samples).filter((n) => /\.neurite\.(ya?ml|json)$/.test(n))) {
      const file = path.join(samples, f);
      const found = validateSpecText({ text: fs.readFileSync(file, 'utf8'), specPath: file }).problems;
      const expected = madeFirst[f] && !fs.existsSync(path.join(repoRoot, '.neurite', 'dopamine-base')) ? [[madeFirst[f]]] : [];
      assert.deepStrictEqual(found.map((p) => p.path), expected, `${f}: ${found.map(shown).join('; ')}`);
    }
  });

  it('places `seed: abc` on the value abc, and an unknown key on the key', () => {
    assert.deepStrictEqual(problems('kind: sfq.circuit\nnetlist: circuits/jtl.cir\nseed: abc   # a comment\nfoo: 1\n'), [
      'seed @2:6-2:9 schema: Invalid input: expected number, received string',
      'foo @3:0-3:3 schema: unknown key',
    ]);
  });

  it('tags a relation between fields (θ ≤ s) as semantic, located at the value it names', () => {
    assert.deepStrictEqual(problems('kind: dendrite.sdr\nchecks:\n  falsePositive:\n    - { n: 300, a: 64, s: 24, theta: 30 }\n'), [
      'checks.falsePositive.0.theta @3:37-3:39 semantic: theta (30) cannot exceed s (24): the segment never sees more than s active synapses',
    ]);
  });

  it('says "missing" for a required field, at the nearest line that exists', () => {
    assert.deepStrictEqual(problems('kind: spiking.network\ndtMs: 0.1\n'), [
      'durationMs @0:0-0:21 schema: missing (expected number)',
      'populations @0:0-0:21 schema: missing (expected array)',
    ]);
  });

  it('checks the file a spec names, relative to the spec file, and places its problems at the key that names it', () => {
    assert.deepStrictEqual(problems('kind: sfq.circuit\nnetlist: circuits/jtl.cir\n'), []);
    const missing = problems('kind: sfq.circuit\nnetlist: circuits/none.cir\n');
    assert.strictEqual(missing.length, 1);
    assert.match(missing[0], /^netlist @1:9-1:26 file: cannot read .*none\.cir: ENOENT$/);
    const inline = problems('kind: sfq.circuit\nseed: 2\nnetlistText: "B1 1 0 jj"\n');
    assert.ok(inline.length >= 1 && inline.every((p) => p.startsWith('netlistText @2:13-2:24 file: netlistText:1:')), inline.join('\n'));
    const dir = tempDir('neurite-validate-');
    fs.writeFileSync(path.join(dir, 'bad.cir'), 'B1 1 0 jj\n');
    const inFile = problems('kind: sfq.circuit\nnetlist: bad.cir   # mine\n', path.join(dir, 'x.neurite.yaml'));
    assert.ok(inFile.length >= 1 && inFile.every((p) => p.startsWith('netlist @1:9-1:16 file: bad.cir:1:')), inFile.join('\n'));
  });

  it('rejects a device the kind cannot use, at the device', () => {
    assert.deepStrictEqual(problems('kind: sfq.circuit\nnetlist: circuits/jtl.cir\ndevice: cuda\n'), [
      'device @2:8-2:12 device: "cuda" is not used by sfq.circuit, which runs on the TypeScript event engine; use "auto" or "cpu"',
    ]);
  });

  it('reports YAML syntax errors and unknown kinds without throwing', () => {
    assert.deepStrictEqual(problems('kind: nope\n'), ['kind @0:6-0:10 schema: unknown experiment kind "nope"; known kinds: ' + validateSpecText({ text: 'kind: x' }).problems[0].message.split('known kinds: ')[1]]);
    const syntax = validateSpecText({ text: 'kind: sfq.circuit\nseed: [1, 2\n' }).problems;
    assert.ok(syntax.length > 0 && syntax.every((p) => p.origin === 'syntax'), JSON.stringify(syntax));
    assert.deepStrictEqual(problems(''), ['(spec) @0:0-0:0 schema: expected a mapping with at least "kind", got nothing']);
  });

  it('answers spec/validate over JSON-RPC with the same problems, and keeps serving', async () => {
    const kernel = startKernel();
    try {
      const text = 'kind: sfq.circuit\nnetlist: circuits/jtl.cir\nseed: abc\n';
      const r = await kernel.request('spec/validate', { text, specPath: inSamples });
      assert.strictEqual(r.kind, 'sfq.circuit');
      assert.deepStrictEqual(r.problems, validateSpecText({ text, specPath: inSamples }).problems);
      assert.ok((await kernel.request('kernel/info', {})).pid);
    } finally {
      kernel.dispose();
    }
  });
});
