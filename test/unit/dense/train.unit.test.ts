/** The shared training loop: metrics, checkpoints, early stopping, cancellation, divergence. */
import * as assert from 'assert';
import * as fs from 'fs';
import { MemoryEngineContext } from '../../../kernel/core/engine-context';
import { CancelledError, RunFailure } from '../../../kernel/core/errors';
import { Rng } from '../../../kernel/core/rng';
import { loadCheckpoint } from '../../../kernel/dense/checkpoint';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer } from '../../../kernel/dense/optimizers';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../kernel/dense/step';
import { DEFAULT_STEPS_PER_RUN, train, type Batch, type TrainOptions } from '../../../kernel/dense/train';
import { tempDir } from '../helpers';

/** Two classes in 4-D, separated by the sign of x₀ + x₁ (learnable by a small MLP). */
function dataset(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 4).map(() => rng.normal());
  const y = Int32Array.from({ length: n }, (_, i) => (x[i * 4] + x[i * 4 + 1] > 0 ? 1 : 0));
  return { x, y, n };
}
function* batchesOf(d: ReturnType<typeof dataset>, size: number, onBatch?: (k: number) => void): Generator<Batch> {
  const x = new Float32Array(size * 4);
  const y = new Int32Array(size);
  for (let s = 0, k = 0; s < d.n; s += size, k++) {
    const m = Math.min(size, d.n - s);
    x.set(d.x.subarray(s * 4, (s + m) * 4));
    y.set(d.y.subarray(s, s + m));
    onBatch?.(k);
    yield m === size ? { x, y, size } : { x: x.subarray(0, m * 4), y: y.subarray(0, m), size: m };
  }
}

function setup(opts: { lr?: number; signal?: AbortSignal } = {}) {
  const ctx = new MemoryEngineContext({ signal: opts.signal, dir: tempDir('neurite-train-') });
  const rng = new Rng(2);
  const model = new Sequential('model', [new Linear('fc1', 4, 8, rng), new Activation('act', 'tanh'), new Linear('fc2', 8, 2, rng)]);
  const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'momentum', lr: opts.lr ?? 0.1, momentum: 0.9 }));
  const trainSet = dataset(200, 3);
  const valSet = dataset(64, 4);
  const base: TrainOptions = {
    model,
    state,
    trainBatches: () => batchesOf(trainSet, 32),
    validationBatches: () => batchesOf(valSet, 64),
    stepsPerEpoch: 7,
    inputShape: (n) => [n, 4],
    target: (n) => ({ shape: [n], dtype: 'int32' }),
    loss: softmaxCrossEntropy,
    metrics: { accuracy: correctCount },
    epochs: 4,
    lr: opts.lr ?? 0.1,
    exec: execOptions('cpu', { threads: 1 }),
    checkpoints: true,
    metricEvery: 3,
  };
  return { ctx, state, base, trainSet };
}

describe('dense training loop', () => {
  it('learns, streams train and epoch metrics, and writes a checkpoint that restores the parameters', async () => {
    const { ctx, state, base } = setup();
    const s = await train(ctx, base);
    assert.strictEqual(s.epochs.length, 4);
    assert.strictEqual(s.steps, 4 * 7); // 200 images in batches of 32: six full and one of 8
    assert.ok(s.epochs[3].validation!.accuracy > 0.9, `validation accuracy ${s.epochs[3].validation!.accuracy}`);
    assert.ok(s.epochs[3].train.loss < s.epochs[0].train.loss);
    const recs = ctx.metrics;
    assert.strictEqual(recs.filter((r) => r.series === 'epoch').length, 4);
    assert.deepStrictEqual(Object.keys(recs.find((r) => r.series === 'epoch')!.values).sort(), ['lr', 'seconds', 'train_accuracy', 'train_loss', 'val_accuracy', 'val_loss']);
    assert.strictEqual(recs.filter((r) => r.series === 'train').length, 4 * 2); // every 3rd of 7 steps
    const saved = state.params.map((p) => p.data.slice());
    state.params.forEach((p) => p.data.fill(0));
    const index = loadCheckpoint(ctx.artifactPath('checkpoint-last'), state);
    assert.strictEqual(index.epoch, 4);
    assert.strictEqual(index.step, 28);
    state.params.forEach((p, i) => assert.deepStrictEqual(p.data, saved[i]));
  });

  it('stops early after `patience` epochs without improvement and restores the best parameters', async () => {
    const { ctx, state, base } = setup();
    let bestParams: Float32Array[] = [];
    const s = await train(ctx, {
      ...base,
      epochs: 10,
      // learn in epoch 1, then climb the loss (negative rate): validation only gets worse
      lr: (e) => (e === 0 ? 0.1 : -0.05),
      earlyStopping: { patience: 2, minDelta: 0, monitor: 'loss', restoreBest: true },
      onEpochEnd: (r) => {
        if (r.epoch === 1) bestParams = state.params.map((p) => p.data.slice());
      },
    });
    assert.strictEqual(s.epochs.length, 3);
    assert.ok(s.stoppedEarly);
    assert.strictEqual(s.bestEpoch, 1);
    state.params.forEach((p, i) => assert.deepStrictEqual(p.data, bestParams[i]));
    assert.ok(fs.existsSync(ctx.artifactPath('checkpoint-best.json')));
  });

  it('an epoch hook can stop training', async () => {
    const { ctx, base } = setup();
    const s = await train(ctx, { ...base, onEpochEnd: (r) => (r.epoch === 2 ? 'stop' : undefined) });
    assert.strictEqual(s.epochs.length, 2);
  });

  for (const stepsPerRun of [1, 3, DEFAULT_STEPS_PER_RUN]) {
    it(`is cancelled at the step after the signal, with the steps before it applied (${stepsPerRun} steps per run)`, async () => {
      const abort = new AbortController();
      const { ctx, state, base, trainSet } = setup({ signal: abort.signal });
      await assert.rejects(
        train(ctx, { ...base, stepsPerRun, trainBatches: () => batchesOf(trainSet, 32, (k) => k === 3 && abort.abort()) }),
        (e: Error) => e instanceof CancelledError,
      );
      assert.strictEqual(state.t, 4); // batches 0…3 ran; the cancellation point after batch 3 stopped it
    });
  }

  // 1: one step per run; 2 and 3: the NaN falls inside a run of several steps (replayed one by one); and the default
  for (const stepsPerRun of [1, 2, 3, DEFAULT_STEPS_PER_RUN]) {
    it(`a loss that is not finite stops the run with a clear message, keeping metrics and the last finite parameters (${stepsPerRun} steps per run)`, async () => {
      const { ctx, state, base, trainSet } = setup();
      const poisoned = { ...trainSet, x: trainSet.x.slice() };
      poisoned.x[5 * 32 * 4] = NaN; // the first image of the 6th batch
      await assert.rejects(
        train(ctx, { ...base, trainBatches: () => batchesOf(poisoned, 32), metricEvery: 1, stepsPerRun }),
        (e: Error) => e instanceof RunFailure && /^training diverged: the loss is NaN at epoch 1, batch 6 \(step 6, learning rate 0\.1\); the metrics so far are kept and artifacts\/checkpoint-last holds the parameters of the last finite step; try a smaller learning rate$/.test(e.message),
      );
      // the parameters after the five finite steps: those of a run on the first five batches alone
      const before = setup();
      await train(before.ctx, { ...before.base, epochs: 1, trainBatches: () => batchesOf({ ...trainSet, n: 5 * 32 }, 32), stepsPerRun: 1 });
      assert.strictEqual(before.state.t, 5);
      state.params.forEach((p, i) => assert.deepStrictEqual(p.data, before.state.params[i].data));
      assert.strictEqual(ctx.metrics.filter((r) => r.series === 'train').length, 5);
      const index = loadCheckpoint(ctx.artifactPath('checkpoint-last'), state);
      assert.deepStrictEqual(index.extra, { diverged: true });
      assert.strictEqual(index.step, 5);
    });
  }

  it('bytes scaled in the graph (x/255) train exactly as floats made by the data layer', async () => {
    const rng = new Rng(8);
    const bytes = Uint8Array.from({ length: 16 * 20 }, () => rng.int(256));
    const floats = Float32Array.from(bytes, (b) => b / 255);
    const y = Int32Array.from({ length: 16 }, (_, i) => i % 3);
    const losses: number[][] = [];
    const finals: Float32Array[][] = [];
    for (const inputType of ['float32', 'uint8'] as const) {
      const model = new Linear('fc', 20, 3, new Rng(1));
      const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'sgd', lr: 0.5 }));
      const step = await TrainStep.compile({ model, state, inputShape: [16, 20], inputType, target: { shape: [16], dtype: 'int32' }, loss: softmaxCrossEntropy, exec: execOptions('cpu', { threads: 1 }) });
      const l: number[] = [];
      for (let k = 0; k < 5; k++) l.push((await step.run(inputType === 'uint8' ? bytes : floats, y, 0.5)).loss);
      losses.push(l);
      finals.push(model.parameters().map((p) => p.data.slice()));
    }
    assert.deepStrictEqual(losses[1], losses[0]);
    assert.deepStrictEqual(finals[1], finals[0]);
  });
});
