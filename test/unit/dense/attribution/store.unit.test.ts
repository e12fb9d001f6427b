/**
 * The stored form: a record and its binary written and read back unchanged, validated by the
 * protocol's zod schema; what a reader must refuse (another format, a torn binary) is refused.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { attribute } from '../../../../kernel/dense/attribution/engine';
import { readRecord, recordKey, toRecord, writeRecord } from '../../../../kernel/dense/attribution/store';
import { attributionOptions, attributionRecord } from '../../../../kernel/protocol/attribution';
import { inputErrorOf, tempDir } from '../../helpers';
import { seeded } from '../helpers';
import { arrayData, exec, mlp } from './fixtures';

describe('attribution records (artifacts/attribution/<key>.json + .bin)', () => {
  const { model } = mlp([12, 8, 6, 4], ['relu', 'tanh'], { seed: 13, inputShape: [3, 4] });
  const rng = seeded(14);
  const data = arrayData(Float32Array.from({ length: 9 * 12 }, () => rng.float()), Int32Array.from({ length: 9 }, () => rng.int(4)), 12);
  const options = attributionOptions.parse({ perItem: true });
  const request = { method: 'activation', layer: 'hidden0', data: { split: 'test' as const, count: 9 }, options };

  it('an activation record round-trips through JSON and a float32 binary, and validates against the schema', async () => {
    const r = await attribute(model, data, { ...request }, { exec });
    const rec = toRecord(r, request, { kind: 'test' }, true);
    assert.ok(attributionRecord.safeParse(rec).success);
    const dir = tempDir('neurite-attr-');
    const file = writeRecord(dir, rec);
    assert.strictEqual(path.basename(file), 'hidden0.activation.json');
    assert.strictEqual(fs.statSync(path.join(dir, 'hidden0.activation.bin')).size, 9 * 8 * 4);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepStrictEqual(stored.perItem, { shape: [9, 8], dtype: 'float32', ids: [...Array(9).keys()], file: 'hidden0.activation.bin', offset: 0 });
    const back = readRecord(file, { items: true });
    assert.deepStrictEqual(back.items, r.perItem);
    assert.deepStrictEqual(back.record.values, rec.values);
    assert.deepStrictEqual(back.record.histogram!.counts.map((c) => c.reduce((a, b) => a + b, 0)), new Array(8).fill(9), 'every item in one bin per unit');
  });

  it('an input-space map keeps the input\'s layout, and a neuron\'s map is keyed by its layer and index', async () => {
    const q = { method: 'conductance', layer: 'hidden1', neuron: 4, options: attributionOptions.parse({ steps: 8 }) };
    const r = await attribute(model, data, q, { exec });
    const rec = toRecord(r, { ...q, data: { split: 'test', count: 9 } }, { kind: 'test' }, false);
    assert.deepStrictEqual([rec.layer, rec.shape, rec.neuron], ['input', [3, 4], { layer: 'hidden1', index: 4 }]);
    assert.strictEqual(rec.perItem, undefined);
    assert.strictEqual(path.basename(writeRecord(tempDir('neurite-attr-'), rec)), 'hidden1-4.conductance.json');
    assert.strictEqual(recordKey('model.hidden[0]', 'dopamine.gate'), 'model.hidden_0_.dopamine.gate');
  });

  it('a reader refuses another format version and a binary shorter than the record says', async () => {
    const r = await attribute(model, data, { ...request }, { exec });
    const dir = tempDir('neurite-attr-');
    const file = writeRecord(dir, toRecord(r, request, { kind: 'test' }, true));
    fs.truncateSync(path.join(dir, 'hidden0.activation.bin'), 100);
    assert.match(inputErrorOf(() => readRecord(file, { items: true })).message, /holds 100 bytes, the record needs 288/);
    const other = JSON.parse(fs.readFileSync(file, 'utf8'));
    other.format = 'neurite-attribution-2';
    fs.writeFileSync(file, JSON.stringify(other));
    assert.match(inputErrorOf(() => readRecord(file)).message, /format: /);
  });
});
