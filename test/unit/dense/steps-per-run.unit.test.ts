/**
 * Training steps run K at a time (one onnxruntime run of a K-step graph) give exactly what K
 * single steps give: every loss and metric, parameter and optimizer slot, bit for bit, for
 * every network and optimizer of the PyTorch golden cases; a non-finite loss inside a run
 * leaves the state of the last finite step; and the training loop's results do not depend on
 * its steps per run.
 */
import * as assert from 'assert';
import { MemoryEngineContext } from '../../../kernel/core/engine-context';
import { Rng } from '../../../kernel/core/rng';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer, type OptimizerSpec } from '../../../kernel/dense/optimizers';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep, type InputType, type StepResult } from '../../../kernel/dense/step';
import { train, type Batch, type TrainSummary } from '../../../kernel/dense/train';
import { golden, network, type GoldenCase } from './golden-cases';

const exec = execOptions('cpu', { threads: 2 });

/** Train a golden case's network on its 20 batches, `k` steps per run; the losses and the final state. */
async function trajectory(c: GoldenCase, k: number): Promise<{ losses: number[]; state: Float32Array[]; t: number }> {
  const net = network(c);
  const params = net.model.parameters();
  for (const p of params) p.set(c.init[p.name]);
  const state = new TrainState(params, makeOptimizer(c.optimizer));
  const step = await TrainStep.compile({ model: net.model, state, inputShape: net.x, target: net.y, loss: net.loss, exec, steps: k });
  const xs = c.batches.map((b) => Float32Array.from(b.x));
  const ys = c.batches.map((b) => (net.y.dtype === 'int32' ? Int32Array.from(b.y) : Float32Array.from(b.y)));
  const losses: number[] = [];
  // a learning rate that changes every step, so each step of a run must take its own
  const lr = (i: number) => c.optimizer.lr * (1 - i / 40);
  for (let i = 0; i < xs.length; i += k) {
    const rs = await step.runSteps(xs.slice(i, i + k), ys.slice(i, i + k), Array.from({ length: k }, (_, j) => lr(i + j)));
    losses.push(...rs.map((r) => r.loss));
  }
  return { losses, state: state.all().map((p) => p.data.slice()), t: state.t };
}

describe('training steps run K at a time', () => {
  for (const c of golden.cases) {
    it(`${c.name}: 4 and 5 steps per run give the single steps' losses and state bit for bit`, async () => {
      const one = await trajectory(c, 1);
      for (const k of [4, 5]) {
        const many = await trajectory(c, k);
        assert.deepStrictEqual(many.losses, one.losses, `${k} steps per run: losses`);
        assert.deepStrictEqual(many.state, one.state, `${k} steps per run: parameters and optimizer slots`);
        assert.strictEqual(many.t, 20);
      }
    });
  }

  for (const inputType of ['float32', 'uint8'] as InputType[]) {
    it(`reports each step's metrics (${inputType} inputs, Adam, a frozen layer)`, async () => {
      const rng = new Rng(3);
      const xs = Array.from({ length: 6 }, () => Uint8Array.from({ length: 12 * 20 }, () => rng.int(256)));
      const ys = Array.from({ length: 6 }, () => Int32Array.from({ length: 12 }, () => rng.int(4)));
      const feed = (x: Uint8Array) => (inputType === 'uint8' ? x : Float32Array.from(x, (b) => b / 255));
      const runs: { results: StepResult[]; state: Float32Array[] }[] = [];
      for (const k of [1, 3]) {
        const r = new Rng(1);
        const model = new Sequential('m', [new Linear('a', 20, 16, r), new Activation('act', 'elu'), new Linear('b', 16, 4, r)]);
        model.parameters()[0].trainable = false;
        const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'adam', lr: 0.01 }));
        const step = await TrainStep.compile({ model, state, inputShape: [12, 20], inputType, target: { shape: [12], dtype: 'int32' }, loss: softmaxCrossEntropy, metrics: { correct: correctCount }, exec, steps: k });
        const results: StepResult[] = [];
        for (let i = 0; i < 6; i += k) results.push(...(await step.runSteps(xs.slice(i, i + k).map(feed), ys.slice(i, i + k), 0.01)));
        runs.push({ results, state: state.all().map((p) => p.data.slice()) });
      }
      assert.deepStrictEqual(runs[1], runs[0]);
      assert.deepStrictEqual(Object.keys(runs[0].results[0]), ['loss', 'correct']);
    });
  }

  it('a non-finite loss inside a run keeps the state of the last finite step and ends the results there', async () => {
    const rng = new Rng(4);
    const xs = Array.from({ length: 4 }, () => Float32Array.from({ length: 8 * 5 }, () => rng.normal()));
    const ys = Array.from({ length: 4 }, () => Int32Array.from({ length: 8 }, () => rng.int(3)));
    xs[2][7] = NaN; // the third batch
    const make = async (k: number) => {
      const model = new Linear('fc', 5, 3, new Rng(1));
      const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'momentum', lr: 0.1 } as OptimizerSpec));
      return { state, step: await TrainStep.compile({ model, state, inputShape: [8, 5], target: { shape: [8], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: k }) };
    };
    const many = await make(4);
    const results = await many.step.runSteps(xs, ys, 0.1);
    assert.strictEqual(results.length, 3);
    assert.ok(Number.isFinite(results[1].loss) && Number.isNaN(results[2].loss));
    assert.strictEqual(many.state.t, 2);
    const one = await make(1);
    const single = [await one.step.run(xs[0], ys[0], 0.1), await one.step.run(xs[1], ys[1], 0.1)];
    assert.deepStrictEqual(results.slice(0, 2), single);
    assert.deepStrictEqual(many.state.all().map((p) => p.data), one.state.all().map((p) => p.data));
    await assert.rejects(async () => many.step.run(xs[0], ys[0], 0.1), /runs 4 batches at a time/);
  });

  it('the training loop gives the same metrics and parameters with any steps per run', async () => {
    // 20 batches of 16 and one of 4 per epoch (a full run of the default 16 steps, then leftovers), a learning rate per epoch, momentum
    const rng = new Rng(5);
    const n = 324;
    const x = Float32Array.from({ length: n * 6 }, () => rng.normal());
    const y = Int32Array.from({ length: n }, (_, i) => (x[i * 6] > x[i * 6 + 1] ? 1 : 0));
    function* batches(): Generator<Batch> {
      const bx = new Float32Array(16 * 6); // reused, as the data layer does
      const by = new Int32Array(16);
      for (let s = 0; s < n; s += 16) {
        const m = Math.min(16, n - s);
        bx.set(x.subarray(s * 6, (s + m) * 6));
        by.set(y.subarray(s, s + m));
        yield m === 16 ? { x: bx, y: by, size: m } : { x: bx.subarray(0, m * 6), y: by.subarray(0, m), size: m };
      }
    }
    const outcomes: { summary: Omit<TrainSummary, 'seconds' | 'stepsPerSecond' | 'epochs'>; epochs: unknown[]; params: Float32Array[]; records: unknown[] }[] = [];
    for (const stepsPerRun of [1, 3, 4, undefined]) {
      const ctx = new MemoryEngineContext();
      const r = new Rng(2);
      const model = new Sequential('m', [new Linear('fc1', 6, 8, r), new Activation('act', 'relu'), new Linear('fc2', 8, 2, r)]);
      const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'momentum', lr: 0.1, momentum: 0.9 }));
      const s = await train(ctx, {
        model,
        state,
        trainBatches: batches,
        stepsPerEpoch: 21,
        inputShape: (m) => [m, 6],
        target: (m) => ({ shape: [m], dtype: 'int32' }),
        loss: softmaxCrossEntropy,
        metrics: { accuracy: correctCount },
        epochs: 3,
        lr: (e) => 0.1 / (e + 1),
        exec,
        metricEvery: 2,
        stepsPerRun,
      });
      const { seconds: _s, stepsPerSecond: _r, epochs, ...summary } = s;
      // every streamed training metric, at the same steps
      const records = ctx.metrics.filter((m) => m.series === 'train');
      outcomes.push({ summary, epochs: epochs.map(({ seconds: _e, ...rest }) => rest), params: state.params.map((p) => p.data.slice()), records });
    }
    assert.strictEqual(outcomes[0].summary.steps, 63);
    assert.strictEqual(outcomes[0].records.length, 30); // 10 per epoch (every 2nd of 21 steps)
    for (const o of outcomes.slice(1)) assert.deepStrictEqual(o, outcomes[0]);
  });
});
