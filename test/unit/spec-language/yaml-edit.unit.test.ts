/** Form edits written back to YAML: only the value changes, comments and layout elsewhere stay as written. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import YAML, { isScalar, visit } from 'yaml';
import { applyEdit, type Path } from '../../../extension/spec-language/yamlEdit';
import { repoRoot } from '../helpers';

const sample = (name: string) => fs.readFileSync(path.join(repoRoot, 'samples', name), 'utf8');

/** The lines that differ between two texts (as -old/+new), to say exactly what an edit touched. */
function changed(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  return [...a.slice(i, a.length - j).map((l) => `-${l}`), ...b.slice(i, b.length - j).map((l) => `+${l}`)];
}

describe('YAML spec edits from the configuration form', () => {
  const xor = sample('sfq-xor.neurite.yaml');

  const cases: { name: string; text: string; path: Path; value: unknown; diff: string[] }[] = [
    { name: 'a number with a comment after it', text: xor, path: ['network', 'iwOn'], value: 95, diff: ['-  iwOn: 90           # µA: synapse weight bias of a connection (pass probability ≈ 1)', '+  iwOn: 95           # µA: synapse weight bias of a connection (pass probability ≈ 1)'] },
    { name: 'a quoted string, in the quotes it had', text: xor, path: ['circuit', 'waveformInput'], value: '01', diff: ["-  waveformInput: '10'", "+  waveformInput: '01'"] },
    { name: 'a string that needs quotes, quoted', text: 'kind: x\nname: a\n', path: ['name'], value: 'yes', diff: ['-name: a', '+name: "yes"'] },
    { name: 'a list of names in flow style', text: xor, path: ['circuit', 'nodes'], value: ['X10', 'OUT'], diff: ['-  nodes: [X10, NX20, H1IN, H1OUT, OUT]', '+  nodes: [X10, OUT]'] },
    { name: 'a field inside a flow map of a list', text: sample('sdr-paper.neurite.yaml'), path: ['checks', 'falsePositive', 0, 'theta'], value: 10, diff: ['-    - { n: 300, a: 64, s: 24, theta: 12 }      # paper: theory 1.0946e-3, simulated 1.0932e-3', '+    - { n: 300, a: 64, s: 24, theta: 10 }      # paper: theory 1.0946e-3, simulated 1.0932e-3'] },
    { name: 'a new key goes after the last one of its block, at its indentation', text: xor, path: ['calibration', 'synapsePulses'], value: 200, diff: ['+  synapsePulses: 200'] },
    { name: 'a new key in a flow map', text: sample('spiking-stdp.neurite.yaml'), path: ['stimuli', 0, 'seedOffset'], value: 3, diff: ['-  - { type: poisson, name: input, size: 1000, rateHz: 15 }', '+  - { type: poisson, name: input, size: 1000, rateHz: 15, seedOffset: 3 }'] },
    { name: 'a new section at the top level, as a block', text: 'kind: sfq.circuit # c\nnetlist: a.cir\n', path: ['solver', 'tolerance'], value: 0.001, diff: ['+solver:', '+  tolerance: 0.001'] },
    { name: 'a new item of a block list of maps', text: 'kind: spiking.network\npopulations:\n  - name: a   # first\n    size: 1\n', path: ['populations', 1], value: { name: 'b', size: 2 }, diff: ['+  - name: b', '+    size: 2'] },
    { name: 'a number appended to a flow list', text: 'sweeps:\n  temperature: [1, 2]  # K\n', path: ['sweeps', 'temperature', 2], value: 3, diff: ['-  temperature: [1, 2]  # K', '+  temperature: [1, 2, 3]  # K'] },
  ];
  for (const c of cases) {
    it(`sets ${c.name}, changing nothing else`, () => {
      const r = applyEdit(c.text, { op: 'set', path: c.path, value: c.value });
      assert.deepStrictEqual(changed(c.text, r.text), c.diff);
      assert.strictEqual(r.surgical, true);
      const expected = YAML.parseDocument(c.text);
      expected.setIn(c.path, c.value);
      assert.deepStrictEqual(YAML.parse(r.text), expected.toJS());
    });
  }

  const removals: { name: string; text: string; path: Path; diff: string[] }[] = [
    { name: 'a block key with its comment', text: xor, path: ['temperature'], diff: ['-temperature: 4.2     # K'] },
    { name: 'a key of a flow map', text: sample('spiking-stdp.neurite.yaml'), path: ['stimuli', 0, 'rateHz'], diff: ['-  - { type: poisson, name: input, size: 1000, rateHz: 15 }', '+  - { type: poisson, name: input, size: 1000 }'] },
    { name: 'the first item of a flow list', text: 'a: [1, 2, 3] # c\n', path: ['a', 0], diff: ['-a: [1, 2, 3] # c', '+a: [2, 3] # c'] },
    { name: 'a block list item of several lines', text: 'p:\n  - name: a\n    size: 1\n  - name: b   # keep\n    size: 2\n', path: ['p', 0], diff: ['-  - name: a', '-    size: 1'] },
  ];
  for (const c of removals) {
    it(`removes ${c.name}, changing nothing else`, () => {
      const r = applyEdit(c.text, { op: 'unset', path: c.path });
      assert.deepStrictEqual(changed(c.text, r.text), c.diff);
      assert.strictEqual(r.surgical, true);
    });
  }

  it('falls back to the Document API (comments and order kept) where a surgical edit would not hold', () => {
    const text = '# head\nkind: x\nsolver:\n  tolerance: 1   # only key\nseed: 2 # s\n';
    const r = applyEdit(text, { op: 'unset', path: ['solver', 'tolerance'] });
    assert.strictEqual(r.surgical, false);
    assert.deepStrictEqual(YAML.parse(r.text), { kind: 'x', solver: {}, seed: 2 });
    assert.match(r.text, /# head/);
    assert.match(r.text, /seed: 2 # s/);
  });

  it('changes one line only, whichever number of whichever sample is set', () => {
    let edits = 0;
    for (const f of fs.readdirSync(path.join(repoRoot, 'samples')).filter((n) => n.endsWith('.yaml'))) {
      const text = sample(f);
      const numbers: Path[] = [];
      visit(YAML.parseDocument(text), {
        Scalar(_k, node, ancestors) {
          if (typeof node.value !== 'number') return;
          const p: Path = [];
          ancestors.forEach((a, i) => {
            const child = ancestors[i + 1] ?? node;
            if (YAML.isPair(a) && isScalar(a.key) && a.value === child) p.push(String(a.key.value));
            if (YAML.isSeq(a)) p.push(a.items.indexOf(child as never));
          });
          numbers.push(p);
        },
      });
      for (const p of numbers) {
        const old = YAML.parseDocument(text).getIn(p) as number;
        const r = applyEdit(text, { op: 'set', path: p, value: old + 1 });
        assert.strictEqual(r.surgical, true, `${f} ${p.join('.')}`);
        const diff = changed(text, r.text);
        assert.strictEqual(diff.length, 2, `${f} ${p.join('.')}: ${diff.join(' | ')}`);
        edits++;
      }
    }
    assert.ok(edits > 100, `${edits} edits`);
  });

  it('refuses to edit a file with YAML syntax errors', () => {
    assert.throws(() => applyEdit('a: [1, 2\n', { op: 'set', path: ['a'], value: 1 }), /syntax errors/);
  });
});
