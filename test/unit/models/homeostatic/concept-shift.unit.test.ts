/**
 * The homeostatic.concept-shift experiment from the command line: a short real run on real
 * digits streams records of the three learners' validation accuracy and η; bad specs are
 * refused when the spec is read (exit 2, no run folder).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadSpec } from '../../../../kernel/runs/runner';
import { cli, inputErrorOf, lastJsonLine, repoRoot, tempDir } from '../../helpers';

const sample = path.join(repoRoot, 'samples', 'homeostatic-mnist.neurite.yaml');
// 900 digits: 810 to train (81 minibatches of 10), 90 to validate
const small = ['--set', 'data.trainLimit=900', '--set', 'data.testLimit=200', '--set', 'train.epochs=2', '--set', 'train.stepsPerRun=7', '--set', 'record.every=300', '--set', 'shift.swapsPerEpoch=3'];

// prettier-ignore
const badSpecs: { name: string; set: string[]; expect: RegExp }[] = [
  { name: 'a swap schedule whose epochs do not increase', set: ['shift.schedule=[{epoch: 3, swapsPerEpoch: 1}, {epoch: 2, swapsPerEpoch: 5}]'], expect: /shift\.schedule\[1\]\.epoch: epochs must increase: 2 follows 3/ },
  { name: 'a schedule entry after the last epoch', set: ['train.epochs=5', 'shift.schedule=[{epoch: 6, swapsPerEpoch: 1}]'], expect: /shift\.schedule\[0\]\.epoch: epoch 6 comes after the last one/ },
  { name: 'a negative swap rate', set: ['shift.swapsPerEpoch=-1'], expect: /--set shift\.swapsPerEpoch=-1: Too small/ },
  { name: 'a learning rate of zero', set: ['train.eta0=0'], expect: /--set train\.eta0=0: Too small/ },
  { name: 'a move of size zero', set: ['regulation.delta=0'], expect: /--set regulation\.delta=0: Too small/ },
  { name: 'an excitatory class the data set does not have', set: ['regulation.excitatory=[5, 12]'], expect: /regulation\.excitatory\[1\]: class 12 does not exist: mnist has classes 0–9/ },
  { name: 'no validation part to record on', set: ['data.validation=0'], expect: /--set data\.validation=0: the records score validation samples/ },
];

describe('homeostatic.concept-shift experiment', () => {
  let summary: any;
  let out: string;
  before(() => {
    out = tempDir('neurite-homeostatic-');
    const r = cli(['run', sample, '--out', out, '--json', ...small]);
    assert.strictEqual(r.code, 0, r.stderr);
    summary = lastJsonLine(r.stdout);
  });

  it('trains three learners on one stream of real digits, recording accuracy and η for each', () => {
    assert.strictEqual(summary.status, 'completed');
    for (const n of ['constant', 'random', 'homeostatic']) {
      for (const m of ['final_acc', 'mean_acc', 'test_acc']) assert.ok(summary.metrics[`${m}_${n}`] > 0.1 && summary.metrics[`${m}_${n}`] <= 1, `${m}_${n} = ${summary.metrics[`${m}_${n}`]}`);
    }
    assert.strictEqual(summary.metrics.swaps, 6);
    assert.strictEqual(summary.result.data.epochSize, 810);
    const metrics = fs.readFileSync(path.join(out, summary.id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // a record at the start, after 300 and 600 samples of each epoch (30 and 60 minibatches) and at each epoch's end
    const records = metrics.filter((m) => m.series === 'record');
    assert.deepStrictEqual(records.map((m) => m.step), [0, 300, 600, 810, 1110, 1410, 1620]);
    assert.deepStrictEqual(Object.keys(records[0].values).sort(), ['acc_constant', 'acc_homeostatic', 'acc_random', 'eta_constant', 'eta_homeostatic', 'eta_random']);
    assert.ok(records.every((m) => m.values.eta_constant === Math.fround(1e-3)));
    assert.strictEqual(metrics.filter((m) => m.series === 'epoch').length, 2);
    const eta = JSON.parse(fs.readFileSync(path.join(out, summary.id, 'traces', 'learning-rate.json'), 'utf8'));
    assert.deepStrictEqual(eta.series.map((s: { name: string }) => s.name), ['constant', 'random', 'homeostatic']);
  });

  it('gives the same results however many minibatches go into one onnxruntime run', () => {
    const r = cli(['run', sample, '--out', tempDir('neurite-homeostatic-k-'), '--json', ...small, '--set', 'train.stepsPerRun=3']);
    assert.strictEqual(r.code, 0, r.stderr);
    const { seconds_per_epoch: _a, ...other } = lastJsonLine(r.stdout).metrics;
    const { seconds_per_epoch: _b, ...first } = summary.metrics;
    assert.deepStrictEqual(other, first);
  });

  for (const c of badSpecs) {
    it(`refuses ${c.name} when the spec is read`, () => {
      assert.match(inputErrorOf(() => loadSpec({ specPath: sample, overrides: c.set })).message, c.expect);
    });
  }

  it('refuses a bad spec from the command line with exit 2 and no run folder', () => {
    const out = tempDir('neurite-homeostatic-bad-');
    const r = cli(['run', sample, '--out', out, ...badSpecs[0].set.flatMap((s) => ['--set', s])]);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, badSpecs[0].expect);
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });
});
