/**
 * Training steps with an objective of their own (step.ts `objective`): the trained parameters
 * follow the objective's gradient while the loss is still reported; the objective reads values
 * a layer tapped (Graph.taps) and returns tensors per step; K steps per run give what K single
 * steps give, tensors included; the shared loop numbers epochs from `epochOffset` and hands every
 * run's tensors to `onRun`.
 */
import * as assert from 'assert';
import { MemoryEngineContext } from '../../../kernel/core/engine-context';
import { Rng } from '../../../kernel/core/rng';
import type { Value } from '../../../kernel/dense/graph';
import type { Layer } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer } from '../../../kernel/dense/optimizers';
import * as o from '../../../kernel/dense/ops';
import type { Bind } from '../../../kernel/dense/params';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep, type Objective } from '../../../kernel/dense/step';
import { train } from '../../../kernel/dense/train';

const exec = execOptions('cpu', { threads: 1 });

/** A Linear that taps its output as `fc.out` and its weight (this step's value) as `fc.w`. */
class Tapped implements Layer {
  readonly inner: Linear;
  constructor(readonly name: string) {
    this.inner = new Linear(name, 3, 2, new Rng(1));
  }
  parameters() {
    return this.inner.parameters();
  }
  apply(x: Value, bind: Bind): Value {
    x.graph.tap('fc.w', bind(this.inner.weight));
    return x.graph.tap('fc.out', this.inner.apply(x, bind));
  }
}

/** Minimise Σ W² (the loss plays no part); return the tapped output's column sums per step. */
const decayOnly: Objective = ({ taps }) => {
  const w = taps.get('fc.w')!;
  return { value: o.reduceSum(o.mul(w, w), [0, 1], false), outputs: { colsum: o.reduceSum(taps.get('fc.out')!, [0], false) } };
};

const batch = (k: number) => Float32Array.from({ length: 4 * 3 }, (_, i) => Math.sin(i + 7 * k));
const labels = Int32Array.from([0, 1, 1, 0]);

describe('training steps with an objective', () => {
  it('follow the objective\'s gradient (SGD on Σ W²: W ← (1 − 2η) W), report the loss, and return the tapped tensors of each step', async () => {
    const model = new Tapped('fc');
    const w0 = model.inner.weight.data.slice();
    const b0 = model.inner.bias!.data.slice();
    model.inner.bias!.trainable = false;
    const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'sgd', lr: 0.1 }));
    const step = await TrainStep.compile({ model, state, inputShape: [4, 3], target: { shape: [4], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, objective: decayOnly });
    const r = await step.run(batch(0), labels, 0.1);
    model.inner.weight.data.forEach((w, i) => assert.ok(Math.abs(w - 0.8 * w0[i]) < 1e-7, `W[${i}] ${w} vs ${0.8 * w0[i]}`));
    assert.ok(Number.isFinite(r.loss) && r.loss > 0, 'the loss is still computed');
    const x = batch(0);
    const colsum = [0, 1].map((j) => [0, 1, 2, 3].reduce((s, n) => s + [0, 1, 2].reduce((t, i) => t + x[n * 3 + i] * w0[j * 3 + i], 0) + b0[j], 0));
    step.tensors[0].colsum.forEach((v, j) => assert.ok(Math.abs(v - colsum[j]) < 1e-5, `colsum[${j}] ${v} vs ${colsum[j]}`));
  });

  it('4 steps per run give what 4 single steps give, the objective\'s tensors included, bit for bit', async () => {
    const run = async (k: number) => {
      const model = new Tapped('fc');
      const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'adam', lr: 0.05 }));
      const step = await TrainStep.compile({ model, state, inputShape: [4, 3], target: { shape: [4], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: k, objective: decayOnly });
      const tensors: number[][] = [];
      for (let s = 0; s < 8; s += k) {
        await step.runSteps(Array.from({ length: k }, (_, j) => batch(s + j)), Array.from({ length: k }, () => labels), 0.05);
        tensors.push(...step.tensors.map((t) => Array.from(t.colsum)));
      }
      return { tensors, params: model.parameters().map((p) => Array.from(p.data)) };
    };
    assert.deepStrictEqual(await run(4), await run(1));
  });

  it('the shared loop numbers epochs from epochOffset and hands each run\'s tensors to onRun', async () => {
    const model = new Tapped('fc');
    const ctx = new MemoryEngineContext();
    const seen: number[] = [];
    const s = await train(ctx, {
      model,
      state: new TrainState(model.parameters(), makeOptimizer({ kind: 'sgd', lr: 0.01 })),
      trainBatches: () => [0, 1, 2].map((k) => ({ x: batch(k), y: labels, size: 4 })),
      stepsPerEpoch: 3,
      inputShape: (n) => [n, 3],
      target: (n) => ({ shape: [n], dtype: 'int32' }),
      loss: softmaxCrossEntropy,
      epochs: 2,
      epochOffset: 5,
      lr: 0.01,
      exec,
      stepsPerRun: 2,
      objective: decayOnly,
      onRun: (results, tensors) => seen.push(results.length, tensors.length),
    });
    assert.deepStrictEqual(s.epochs.map((e) => e.epoch), [6, 7]);
    assert.deepStrictEqual(ctx.metrics.filter((m) => m.series === 'epoch').map((m) => m.step), [6, 7]);
    assert.deepStrictEqual(seen, [2, 2, 1, 1, 2, 2, 1, 1], 'per epoch: a run of 2 steps, then the leftover batch alone');
  });
});
