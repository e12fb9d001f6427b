/**
 * Model-specific attributions plug into the engine through ModelAttribution alone (the way
 * Dopamine gates and perforated dendrites do): per-item quantities built in the forward graph
 * are averaged and ranked like any method, per-unit constants pass through, and requests the
 * attribution cannot answer are refused with what it can.
 */
import * as assert from 'assert';
import { attribute } from '../../../../kernel/dense/attribution/engine';
import type { ModelAttribution } from '../../../../kernel/dense/attribution/model';
import * as o from '../../../../kernel/dense/ops';
import { attributionOptions } from '../../../../kernel/protocol/attribution';
import { inputErrorFrom } from '../../helpers';
import { seeded } from '../helpers';
import { arrayData, exec, mlp } from './fixtures';

/** A toy gate on hidden0: open where the unit is above its threshold τ = 0.5, with a fixed gain per unit. */
const gain = Float32Array.from({ length: 8 }, (_, u) => 1 + u / 10);
const toyGate: ModelAttribution = {
  method: 'toy.gate',
  description: 'whether each hidden0 unit is above 0.5 (open), and its gain',
  layers: ['hidden0'],
  unit: 'fraction open',
  perItem: (_layer, tapped) => ({ open: o.cast(o.greater(tapped('hidden0')!, 0.5), 'float32'), drive: tapped('hidden0')! }),
  perUnit: () => ({ gain }),
};
const gainOnly: ModelAttribution = { method: 'toy.gain', description: 'the gains alone', layers: ['hidden0'], unit: 'gain', perUnit: () => ({ gain }) };

describe('model-specific attributions (the extension point)', () => {
  const { model: plainModel } = mlp([12, 8, 6, 4], ['relu', 'tanh'], { seed: 11 });
  const model = { ...plainModel, extras: [toyGate, gainOnly] };
  const rng = seeded(12);
  const x = Float32Array.from({ length: 30 * 12 }, () => rng.float());
  const data = arrayData(x, Int32Array.from({ length: 30 }, () => rng.int(4)), 12, Int32Array.from({ length: 30 }, (_, i) => 100 + i));
  const ask = (method: string, layer: string, options = {}) => attribute(model, data, { method, layer, options: attributionOptions.parse({ perItem: true, ...options }) }, { exec });

  it('averages per-item quantities over the slice: the open fraction equals the fraction of activations above 0.5', async () => {
    const r = await ask('toy.gate', 'hidden0', { batchSize: 7 });
    const a = (await ask('activation', 'hidden0', { activeAbove: 0.5 })).summary;
    assert.strictEqual(r.definition, 'model-specific');
    assert.strictEqual(r.unit, 'fraction open');
    assert.deepStrictEqual(r.quantities!.open, Array.from(a.fractionActive!));
    assert.deepStrictEqual(r.quantities!.drive, Array.from(a.mean));
    assert.deepStrictEqual(r.quantities!.gain, Array.from(gain));
    assert.ok(a.fractionActive!.some((f) => f > 0 && f < 1), 'some units are open on some items only');
  });

  it('ranks units by the first quantity and keeps its top inputs by data set index', async () => {
    const r = await ask('toy.gate', 'hidden0', { topK: 3 });
    assert.deepStrictEqual(Array.from(r.summary.mean), r.quantities!.open);
    const best = r.summary.rank[0];
    assert.strictEqual(r.summary.meanAbs[best], Math.max(...r.summary.meanAbs));
    for (const id of r.summary.topInputs!.items[best]) assert.ok(id >= 100 && id < 130, `item id ${id}`);
  });

  it('an attribution with per-unit constants only reports them as its values', async () => {
    const r = await ask('toy.gain', 'hidden0');
    assert.deepStrictEqual(Array.from(r.summary.mean), Array.from(gain));
    assert.strictEqual(r.summary.rank[0], 7);
  });

  it('refuses a layer it does not describe, and an unknown method names the model\'s methods', async () => {
    assert.match((await inputErrorFrom(ask('toy.gate', 'hidden1'))).message, /toy\.gate describes hidden0, not hidden1/);
    assert.match((await inputErrorFrom(ask('toy.nope', 'hidden0'))).message, /methods: activation, gradxact, ig, conductance, ablation, toy\.gate, toy\.gain/);
  });
});
