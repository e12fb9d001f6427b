/** YAML spec support without other extensions: where the cursor is, what the schema says there, and new specs from defaults. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { kindSchema, schemaAt, unitOf, type JsonSchema } from '../../../kernel/protocol/spec-schema';
import { specTemplate } from '../../../extension/spec-language/template';
import { contextAt, keyAt } from '../../../extension/spec-language/yamlContext';
import { validateSpecText } from '../../../kernel/runs/validate';
import { repoRoot } from '../helpers';

const all = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'schemas', 'spec.schema.json'), 'utf8')) as JsonSchema;

/** contextAt with the cursor where `|` is. */
const at = (text: string) => contextAt(text.replace('|', ''), text.indexOf('|'));

describe('YAML spec language support', () => {
  const contexts: [string, string, unknown][] = [
    ['a key in a nested block', 'kind: sfq.xor\nnetwork:\n  rateGHz: 30\n  iw|\ntemperature: 4\n', { kind: 'key', parent: ['network'], partial: 'iw', present: ['rateGHz'] }],
    ['a key at the top, on an empty line', 'kind: sfq.xor\nnetwork:\n  rateGHz: 30\n|', { kind: 'key', parent: [], partial: '', present: ['kind', 'network'] }],
    ['a value after its key', 'kind: sfq.xor\ncircuit:\n  waveformInput: |\n', { kind: 'value', path: ['circuit', 'waveformInput'], partial: '' }],
    ['a key of a list item', 'kind: spiking.network\npopulations:\n  - name: a\n    size: 3\n    mo|\n', { kind: 'key', parent: ['populations', 0], partial: 'mo', present: ['name', 'size'] }],
    ['the first key of a new list item', 'kind: spiking.network\npopulations:\n  - name: a\n    size: 3\n  - na|\n', { kind: 'key', parent: ['populations', 1], partial: 'na', present: [] }],
    ['a value in a list item', 'kind: spiking.network\npopulations:\n  - name: a\n    model: lif|\n', { kind: 'value', path: ['populations', 0, 'model'], partial: 'lif' }],
  ];
  for (const [name, text, expected] of contexts) it(`finds ${name}`, () => assert.deepStrictEqual(at(text), expected));

  it('finds the key under the cursor for hover', () => {
    assert.deepStrictEqual(keyAt('kind: sfq.xor\nnetwork:\n  rateGHz: 30\n', 27), ['network', 'rateGHz']);
    assert.strictEqual(keyAt('kind: sfq.xor\nnetwork:\n  rateGHz: 30\n', 36), undefined, 'on the value, not a key');
  });

  it('reads the schema at a path, choosing a population model by its value', () => {
    const net = kindSchema(all, 'spiking.network');
    const spec = { populations: [{ model: 'izhikevich' }, { model: 'lif-exp' }] };
    const izh = schemaAt(net, ['populations', 0, 'params'], spec);
    const lif = schemaAt(net, ['populations', 1, 'params'], spec);
    assert.ok(izh?.properties && lif?.properties);
    assert.notDeepStrictEqual(Object.keys(izh!.properties!), Object.keys(lif!.properties!));
    assert.ok('tauMemMs' in lif!.properties!);
  });

  const units: [string, string, string][] = [
    ['tauMemMs', '', 'ms'],
    ['durationPs', 'Simulated time per input pair, ps.', 'ps'],
    ['rateGHz', '', 'GHz'],
    ['iwOn', 'Synapse weight bias where the network has a connection, µA.', 'µA'],
    ['temperature', 'Operating temperature, K (sets the Johnson noise).', 'K'],
    ['dtMs', 'Integration step (ms).', 'ms'],
    ['hidden', 'Hidden layer widths.', ''],
    ['seed', 'Seed of every random stream in the run; same seed, same run.', ''],
  ];
  for (const [name, description, unit] of units) it(`gives ${name} the unit "${unit}"`, () => assert.strictEqual(unitOf(name, { description }), unit));

  it('makes a new spec of every kind from its defaults, which the kernel accepts (or points at what the user must fill in)', () => {
    const left: Record<string, string[]> = {};
    for (const b of all.allOf!) {
      const kind = b.if!.properties!.kind.const as string;
      const text = specTemplate(kind, kindSchema(all, kind)!, 'new-run');
      assert.match(text, new RegExp(`^kind: ${kind.replace('.', '\\.')}$`, 'm'));
      assert.match(text, /^# Seed of every random stream/m, 'descriptions as comments');
      const problems = validateSpecText({ text, specPath: path.join(repoRoot, 'samples', 'new.neurite.yaml') }).problems;
      if (problems.length) left[kind] = problems.map((p) => p.path.join('.'));
    }
    assert.deepStrictEqual(left, { 'spiking.network': ['durationMs', 'populations'], 'sfq.circuit': ['netlist'], 'gating.dopamine': ['base'] });
  });
});
