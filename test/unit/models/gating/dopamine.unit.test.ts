/**
 * Dopamine tuning (PAPERS.md §4) on a small foundation MLP pretrained here on 600 real digits:
 * each method trains only its own parameters while the frozen base's bytes stay as saved; a
 * tuning run finds its base by path, and a missing or incompatible base is bad input naming
 * `base`; the `dopamine.gate` attribution reports each unit's gate state and gain; a finished
 * run's gates are rebuilt from its checkpoint.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../../../kernel/core/rng';
import { byteBatches, loadData, rotate } from '../../../../kernel/data';
import { attribute } from '../../../../kernel/dense/attribution/engine';
import { imageSlice } from '../../../../kernel/dense/attribution/data';
import { softmaxCrossEntropy } from '../../../../kernel/dense/losses';
import { makeOptimizer } from '../../../../kernel/dense/optimizers';
import { execOptions } from '../../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../../kernel/dense/step';
import { loadBase, locateBase, readBaseInfo } from '../../../../kernel/models/gating/base';
import { temperatureAt, tuneBase, tunedAttributionModel, type TuningMethod } from '../../../../kernel/models/gating/tuning';
import { attributionOptions } from '../../../../kernel/protocol/attribution';
import { cli, lastJsonLine, repoRoot, tempDir } from '../../helpers';

const exec = execOptions('cpu', { threads: 1 });
const pretrain = path.join(repoRoot, 'samples', 'dopamine-pretrain.neurite.yaml');
const tuneSpec = path.join(repoRoot, 'samples', 'dopamine.neurite.yaml');
const small = ['--set', 'data.trainLimit=600', '--set', 'data.testLimit=200'];
const options = { gate: { threshold: 0, gain: 1, temperature: { start: 1, end: 0.05, shape: 'exponential' as const } }, lora: { rank: 2, alpha: 2 } };

describe('gating.dopamine: tuning a frozen foundation MLP', function () {
  let runs: string;
  let baseRun: string;

  before(function () {
    runs = tempDir('neurite-dopamine-');
    const r = cli(['run', pretrain, '--out', path.join(runs, 'bases'), '--json', '-q', ...small, '--set', 'model.hidden=[24, 16]', '--set', 'train.epochs=2']);
    assert.strictEqual(r.code, 0, r.stderr);
    baseRun = path.join(runs, 'bases', lastJsonLine(r.stdout).id);
  });

  const base = () => {
    const { basePath } = locateBase(baseRun);
    return { basePath, ...readBaseInfo(basePath, { name: 'mnist' }) };
  };

  it('the temperature goes from start in the first epoch to end in the last, geometrically (or linearly)', () => {
    const s = options.gate.temperature;
    assert.strictEqual(temperatureAt(0, 5, s), 1);
    assert.ok(Math.abs(temperatureAt(4, 5, s) - 0.05) < 1e-12);
    assert.ok(Math.abs(temperatureAt(2, 5, s) - Math.sqrt(0.05)) < 1e-12, 'the middle epoch: the geometric mean');
    assert.ok(Math.abs(temperatureAt(2, 5, { ...s, shape: 'linear' }) - 0.525) < 1e-12);
    assert.strictEqual(temperatureAt(3, 5, { ...s, shape: 'constant' }), 1);
  });

  const trainedBy: [TuningMethod, string, RegExp | null][] = [
    ['frozen', 'nothing', null],
    ['dopamine', "the gates' thresholds and gains", /^gate\[\d\]\.(threshold|gain)$/],
    ['lora', "every Linear's A and B", /^base\.(hidden\[\d\]|output)\.lora_[ab]$/],
    ['bias', "every Linear's bias", /^base\.(hidden\[\d\]|output)\.bias$/],
  ];
  for (const [method, what, trains] of trainedBy) {
    it(`${method}: tuning changes ${what}${trains ? ' and nothing else' : ''}; the frozen base's bytes stay as saved`, async () => {
      const b = base();
      const m = tuneBase(loadBase(b.basePath, b.info, new Rng(0)), method, options, new Rng(2));
      const saved = fs.readFileSync(`${b.basePath}.bin`);
      const before = new Map(m.params.map((p) => [p.name, Buffer.from(p.data.slice().buffer)]));
      assert.deepStrictEqual(m.trained.map((p) => p.name).filter((n) => !trains?.test(n)), [], 'what trains is what the method names');
      if (method !== 'frozen') {
        const data = await loadData({ name: 'mnist', download: false, trainLimit: 200, validation: 0 });
        const state = new TrainState(m.params, makeOptimizer({ kind: 'adam', lr: 0.05 }));
        const step = await TrainStep.compile({ model: m.train, state, inputShape: [50, 784], inputType: 'uint8', target: { shape: [50], dtype: 'int32' }, loss: softmaxCrossEntropy, exec });
        for (const batch of byteBatches(rotate(data.train, 45), Int32Array.from({ length: 200 }, (_, i) => i), 50)) await step.run(batch.x, batch.y, 0.05);
      }
      const changed = m.params.filter((p) => !Buffer.from(p.data.buffer).equals(before.get(p.name)!)).map((p) => p.name);
      assert.deepStrictEqual(changed, m.trained.map((p) => p.name), 'every trained parameter changed, nothing else');
      const index = JSON.parse(fs.readFileSync(`${b.basePath}.json`, 'utf8')) as { tensors: { name: string; offset: number; length: number }[] };
      const kept = m.params.filter((p) => p.name.startsWith('base.') && !p.trainable);
      assert.ok(kept.length >= (method === 'bias' ? 3 : 6));
      for (const p of kept) {
        const t = index.tensors.find((e) => e.name === p.name)!;
        assert.ok(Buffer.from(p.data.buffer).equals(saved.subarray(t.offset, t.offset + t.length * 4)), `${p.name}: the saved bytes`);
      }
    });
  }

  it('dopamine.gate gives each unit the fraction of digits on which its gate is open, shut while firing, and its gain and threshold', async () => {
    const b = base();
    const m = tuneBase(loadBase(b.basePath, b.info, new Rng(0)), 'dopamine', options, new Rng(2));
    const rng = new Rng(9);
    for (const g of m.gates) {
      g.threshold.set(Float32Array.from({ length: g.units }, () => rng.float() * 2 - 0.5));
      g.gain.set(Float32Array.from({ length: g.units }, () => rng.float() * 2 - 0.5));
    }
    const data = await loadData({ name: 'mnist', download: false, testLimit: 120, trainLimit: 10, validation: 0 });
    const model = tunedAttributionModel(m, { features: 784, classes: 10, rows: 28, cols: 28 });
    const slice = imageSlice(data.test, Int32Array.from({ length: 120 }, (_, i) => i));
    const ask = (method: string, layer: string) => attribute(model, slice, { method, layer, options: attributionOptions.parse({ perItem: true, batchSize: 50 }) }, { exec });
    for (const [i, layer] of m.layerIds.entries()) {
      const r = await ask('dopamine.gate', layer);
      const pre = (await ask('activation', `${layer}.pre`)).perItem!;
      const tau = m.gates[i].threshold.data;
      const units = m.gates[i].units;
      const frac = (f: (h: number, u: number) => boolean) => Array.from({ length: units }, (_, u) => {
        let n = 0;
        for (let k = 0; k < 120; k++) if (f(pre[k * units + u], u)) n++;
        return n / 120;
      });
      const close = (got: number[], want: number[], what: string) => got.forEach((v, u) => assert.ok(Math.abs(v - want[u]) < 1e-6, `${layer} ${what} unit ${u}: ${v} vs ${want[u]}`));
      close(r.quantities!.open, frac((h, u) => h > tau[u]), 'open');
      close(r.quantities!.shut, frac((h, u) => h > 0 && h <= tau[u]), 'shut');
      close(r.quantities!.fires, frac((h) => h > 0), 'fires');
      assert.deepStrictEqual(r.quantities!.gain, Array.from(m.gates[i].gain.data));
      assert.deepStrictEqual(r.quantities!.threshold, Array.from(tau));
      assert.ok(r.quantities!.open.some((v) => v > 0 && v < 1), `${layer}: gates open on some digits only`);
      assert.deepStrictEqual(Array.from(r.summary.mean), r.quantities!.shut, 'units are ranked by how often the gate shuts a firing unit');
    }
  });

  describe('runs', () => {
    let tuned: any;

    before(function () {
      const r = cli(['run', tuneSpec, '--out', path.join(runs, 'tuned'), '--json', '-q', ...small, '--set', `base=${path.join(runs, 'bases')}`, '--set', 'train.epochs=2', '--set', 'export=false']);
      assert.strictEqual(r.code, 0, r.stderr);
      tuned = lastJsonLine(r.stdout);
    });

    it('a tuning run finds the newest base in a folder of runs, trains 2 parameters per hidden unit with T on its schedule, and stores the gate records', () => {
      assert.strictEqual(tuned.status, 'completed', tuned.error);
      assert.strictEqual(tuned.result.base.run, path.basename(baseRun));
      assert.strictEqual(tuned.metrics.trainable_parameters, 2 * (24 + 16));
      assert.deepStrictEqual(tuned.result.attribution, ['artifacts/attribution/hidden0.dopamine.gate.json', 'artifacts/attribution/hidden1.dopamine.gate.json']);
      for (const k of ['rotated_accuracy', 'upright_accuracy', 'frozen_rotated_accuracy', 'soft_hard_gap', 'active_hidden0', 'active_hidden1', 'gated_off_hidden0']) assert.ok(Number.isFinite(tuned.metrics[k]), k);
      const metrics = fs.readFileSync(path.join(runs, 'tuned', tuned.id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const temperatures = metrics.filter((m) => m.series === 'hard').map((m) => Math.fround(m.values.temperature));
      assert.deepStrictEqual(temperatures, [1, Math.fround(0.05)], 'each epoch trained at its temperature');
      const record = JSON.parse(fs.readFileSync(path.join(runs, 'tuned', tuned.id, 'artifacts', 'attribution', 'hidden0.dopamine.gate.json'), 'utf8'));
      assert.strictEqual(record.items, 200);
      assert.deepStrictEqual(Object.keys(record.quantities).sort(), ['fires', 'gain', 'open', 'output', 'shut', 'threshold', 'upright_fires', 'upright_open', 'upright_shut']);
    });

    it('neurite attribute rebuilds the tuned model from the run\'s checkpoint: recomputed gates equal the stored ones', () => {
      const r = cli(['attribute', path.join(runs, 'tuned', tuned.id), '--method', 'dopamine.gate', '--count', '200', '--json']);
      assert.strictEqual(r.code, 0, r.stderr);
      const fresh = lastJsonLine(r.stdout).results;
      assert.strictEqual(fresh.length, 2);
      for (const f of fresh) {
        assert.strictEqual(f.cached, false);
        const stored = JSON.parse(fs.readFileSync(path.join(runs, 'tuned', tuned.id, 'artifacts', 'attribution', `${f.record.layer}.dopamine.gate.json`), 'utf8'));
        assert.deepStrictEqual(f.record.quantities, stored.quantities);
      }
    });
  });

  describe('a base that is missing or does not fit is bad input (exit 2) naming base, before any run folder', () => {
    const at = (p: string) => ['--set', `base=${p}`];
    const truncate = (dir: string) => fs.truncateSync(path.join(dir, 'base.bin'), 100);
    const checkpointAsBase = (dir: string) => fs.copyFileSync(path.join(baseRun, 'artifacts', 'checkpoint-last.json'), path.join(dir, 'base.json'));
    const cases: [string, () => string[], RegExp][] = [
      ['no such path', () => at(path.join(runs, 'nowhere')), /base: \S*nowhere: no such file or folder/],
      ['a folder without a base', () => at(fs.mkdtempSync(path.join(runs, 'empty-'))), /base: \S* holds no artifacts\/base\.json, nor a completed run folder/],
      ['another data set than the base\'s', () => [...at(baseRun), '--set', 'data.name=fashion-mnist'], /base: \S*base\.json was pretrained on mnist, but data\.name is fashion-mnist/],
      ['a truncated base.bin', () => at(damaged('truncated', truncate)), /base: \S*base\.bin: base\.hidden\[0\]\.weight: truncated/],
      ['a checkpoint that is not a base', () => at(damaged('not-a-base', checkpointAsBase)), /base: \S*base\.json is not a gating\.foundation base/],
    ];
    for (const [name, sets, message] of cases) {
      it(name, () => {
        const out = tempDir('neurite-dopamine-bad-');
        const r = cli(['run', tuneSpec, '--out', out, ...small, ...sets()]);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.deepStrictEqual(fs.readdirSync(out), []);
      });
    }

    it('a base named in the spec file is located at its line', () => {
      const file = path.join(runs, 'nowhere.neurite.yaml');
      fs.writeFileSync(file, 'kind: gating.dopamine\nmethod: lora\nbase: ./nowhere\n');
      const r = cli(['run', file, '--out', tempDir('neurite-dopamine-bad-')]);
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, /base: \S*nowhere: no such file or folder .* \(line 3, column 7\)/);
    });

    /** A copy of the base's files in a folder of its own, damaged by `harm`: returns the copy's base.json. */
    function damaged(name: string, harm: (dir: string) => void): string {
      const dir = path.join(runs, name);
      fs.mkdirSync(dir, { recursive: true });
      for (const f of ['base.json', 'base.bin']) fs.copyFileSync(path.join(baseRun, 'artifacts', f), path.join(dir, f));
      harm(dir);
      return path.join(dir, 'base.json');
    }
  });
});
