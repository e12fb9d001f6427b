/** The dense.mlp experiment from the command line: a real run on real digits, and bad input. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { loadData } from '../../../kernel/data';
import { cudaInstalled } from '../../../kernel/dense/providers';
import { tinySet, writeFolder } from '../data/fixtures';
import { cli, lastJsonLine, repoRoot, runMain, tempDir } from '../helpers';

const sample = path.join(repoRoot, 'samples', 'dense-mlp.neurite.yaml');
const small = ['--set', 'data.name=mnist', '--set', 'data.trainLimit=2000', '--set', 'data.testLimit=500', '--set', 'model.hidden=[64]'];

describe('dense.mlp experiment', () => {
  it('trains on 2,000 real MNIST digits, records the provider and spin mode, and exports a model that reproduces the test accuracy', async () => {
    const out = tempDir('neurite-mlp-');
    const r = cli(['run', sample, '--out', out, '--json', ...small, '--set', 'train.epochs=3', '--set', 'train.spin=never']);
    assert.strictEqual(r.code, 0, r.stderr);
    const summary = lastJsonLine(r.stdout);
    assert.strictEqual(summary.status, 'completed');
    assert.strictEqual(summary.device, cudaInstalled() ? 'cuda' : 'cpu');
    assert.strictEqual(summary.result.provider, summary.device);
    assert.strictEqual(summary.result.spin, 'never');
    assert.ok(summary.metrics.test_accuracy > 0.8, `test accuracy ${summary.metrics.test_accuracy}`);
    assert.strictEqual(summary.metrics.parameters, 784 * 64 + 64 + 64 * 10 + 10);
    assert.strictEqual(summary.metrics.steps, 3 * Math.ceil(1800 / 64));
    const dir = path.join(out, summary.id);
    const epochs = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.series === 'epoch');
    assert.strictEqual(epochs.length, 3);
    for (const f of ['model.onnx', 'checkpoint-last.json', 'checkpoint-last.bin', 'checkpoint-best.json']) assert.ok(fs.existsSync(path.join(dir, 'artifacts', f)), f);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')).device, summary.device);

    // The exported file alone, in a fresh session, classifies the same 500 test digits.
    const data = await loadData({ name: 'mnist', download: false, testLimit: 500, validation: 0.1 });
    const x = Float32Array.from(data.test.images, (b) => b / 255);
    const session = await ort.InferenceSession.create(path.join(dir, 'artifacts', 'model.onnx'));
    const logits = (await session.run({ input: new ort.Tensor('float32', x, [500, 784]) })).logits.data as Float32Array;
    let correct = 0;
    for (let i = 0; i < 500; i++) {
      const row = logits.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === data.test.labels[i]) correct++;
    }
    // Baked and fed weights may differ in the last float32 bit (see export.unit.test.ts): allow one digit.
    assert.ok(Math.abs(correct - summary.metrics.test_accuracy * 500) <= 1, `${correct}/500 vs ${summary.metrics.test_accuracy}`);
  });

  it('rejects a bad model or training section before any work, with the path (and --set) of each problem', () => {
    const out = tempDir('neurite-mlp-bad-');
    const r = cli(['run', sample, '--out', out, '--set', 'model.hidden=[0]', '--set', 'train.lrr=1', '--set', 'train.batchSize=-4']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--set model\.hidden=\[0\]: model\.hidden\[0\]: /);
    assert.match(r.stderr, /--set train\.lrr=1: unknown key/);
    assert.match(r.stderr, /--set train\.batchSize=-4: /);
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });

  it('a data.dir folder too small for the batch or the split fails the run when read, before any training, saying why', async () => {
    const dir = tempDir('neurite-mlp-tiny-');
    const train = tinySet(12, 28, 28), test = tinySet(4, 28, 28);
    writeFolder(dir, { trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels });
    const run = async (sets: string[]) => {
      const r = await runMain(['run', sample, '--out', path.join(dir, 'runs'), '--json', '-q', '--set', `data.dir=${dir}`, ...sets]);
      assert.strictEqual(r.code, 1, r.stderr);
      return lastJsonLine(r.stdout);
    };
    const batch = await run(['--set', 'train.batchSize=64']);
    assert.match(batch.error, /^train\.batchSize: a batch of 64 is more than the 11 training images \(after the validation split\) \(12 training images in /);
    assert.strictEqual(batch.metrics.steps, undefined, 'nothing was trained');
    const split = await run(['--set', 'data.validation=0.01', '--set', 'train.batchSize=4']);
    assert.match(split.error, /^data\.validation: holds out no image: round\(12 × 0\.01\) = 0; .* \(12 training images in /);
  });

  it('asking for an absent provider or a bad NEURITE_THREADS is bad input (exit 2) that says what to do', () => {
    const out = tempDir('neurite-mlp-dev-');
    if (!cudaInstalled()) {
      const r = cli(['run', sample, '--out', out, '--device', 'cuda', ...small]);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /device: "cuda" is not available: .*ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/);
    }
    const prev = process.env.NEURITE_THREADS;
    process.env.NEURITE_THREADS = 'lots';
    try {
      const r = cli(['run', sample, '--out', out, ...small]);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /NEURITE_THREADS: expected a whole number from 1 to 1024, got "lots"/);
    } finally {
      if (prev === undefined) delete process.env.NEURITE_THREADS;
      else process.env.NEURITE_THREADS = prev;
    }
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });
});
