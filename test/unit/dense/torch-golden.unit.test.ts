/**
 * Neurite's training steps reproduce PyTorch: the same network, initial weights, batches and
 * optimizer trained for 20 steps give every step's loss and the final weights within 1e-5 of
 * the golden trajectories made by test/golden/torch/make_dense_golden.py (Debian python3-torch).
 * Covers Linear, Conv2d, max and average pooling, ReLU/ELU/sigmoid/tanh, softmax cross-entropy,
 * MSE, an unrolled ReLU RNN (BPTT), and SGD, momentum (with weight decay, Nesterov) and Adam.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../../kernel/core/rng';
import { Conv2d, Pool2d } from '../../../kernel/dense/layers/conv';
import { Activation, Flatten, Sequential, type ActivationKind, type Layer } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { Recurrent, TimeDistributed } from '../../../kernel/dense/layers/recurrent';
import { meanSquaredError, softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer, type OptimizerSpec } from '../../../kernel/dense/optimizers';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../kernel/dense/step';
import { repoRoot } from '../helpers';
import { maxAbsDiff } from './helpers';

interface GoldenCase {
  name: string;
  model: 'mlp' | 'conv' | 'rnn';
  sizes?: number[];
  activations?: ActivationKind[];
  dims?: number[];
  batch?: number;
  optimizer: OptimizerSpec;
  init: Record<string, number[]>;
  final: Record<string, number[]>;
  losses: number[];
  batches: { x: number[]; y: number[] }[];
}

const golden: { tool: string; cases: GoldenCase[] } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/golden/torch/dense-golden.json'), 'utf8'));
const rng = new Rng(0); // initial values are overwritten with the golden ones

function network(c: GoldenCase): { model: Layer; x: number[]; y: { shape: number[]; dtype: 'int32' | 'float32' }; loss: typeof softmaxCrossEntropy } {
  if (c.model === 'mlp') {
    const s = c.sizes!;
    const layers: Layer[] = [];
    for (let i = 0; i < 3; i++) {
      layers.push(new Linear(`l${i}`, s[i], s[i + 1], rng));
      if (i < 2) layers.push(new Activation(`a${i}`, c.activations![i]));
    }
    return { model: new Sequential('mlp', layers), x: [c.batch!, s[0]], y: { shape: [c.batch!], dtype: 'int32' }, loss: softmaxCrossEntropy };
  }
  if (c.model === 'conv') {
    const model = new Sequential('conv', [
      new Conv2d('c1', 1, 3, 3, rng, { padding: 1 }),
      new Activation('r1', 'relu'),
      new Pool2d('p1', 'max', 2),
      new Conv2d('c2', 3, 4, 3, rng),
      new Activation('s2', 'sigmoid'),
      new Pool2d('p2', 'avg', 2),
      new Flatten('f'),
      new Linear('l', 4, 3, rng),
    ]);
    return { model, x: [c.batch!, 1, 8, 8], y: { shape: [c.batch!], dtype: 'int32' }, loss: softmaxCrossEntropy };
  }
  const [T, N, I, H, O] = c.dims!;
  const model = new Sequential('rnn', [new Recurrent('rnn', I, H, rng, { activation: 'relu' }), new TimeDistributed('readout', new Linear('readout', H, O, rng))]);
  return { model, x: [T, N, I], y: { shape: [T, N, O], dtype: 'float32' }, loss: meanSquaredError };
}

describe(`dense training steps vs PyTorch golden trajectories (${golden.tool})`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: 20 steps give PyTorch's losses and final weights within 1e-5`, async function () {
      const net = network(c);
      const params = net.model.parameters();
      assert.deepStrictEqual(params.map((p) => p.name).sort(), Object.keys(c.init).sort());
      for (const p of params) p.set(c.init[p.name]);
      const state = new TrainState(params, makeOptimizer(c.optimizer));
      const step = await TrainStep.compile({ model: net.model, state, inputShape: net.x, target: net.y, loss: net.loss, exec: execOptions('cpu', { threads: 1 }) });
      const losses: number[] = [];
      for (const b of c.batches) {
        const y = net.y.dtype === 'int32' ? Int32Array.from(b.y) : Float32Array.from(b.y);
        losses.push((await step.run(Float32Array.from(b.x), y, c.optimizer.lr)).loss);
      }
      const lossDiff = maxAbsDiff(losses, c.losses);
      assert.ok(lossDiff <= 1e-5, `losses differ by up to ${lossDiff}: ${losses.map((l) => l.toFixed(6))} vs ${c.losses.map((l) => l.toFixed(6))}`);
      let weightDiff = 0;
      for (const p of params) {
        const d = maxAbsDiff(p.data, c.final[p.name]);
        assert.ok(d <= 1e-5, `${p.name}: final weights differ by up to ${d}`);
        weightDiff = Math.max(weightDiff, d);
      }
      this.test!.title += ` (max |Δloss| ${lossDiff.toExponential(1)}, max |Δweight| ${weightDiff.toExponential(1)})`;
      // The run really trained: weights moved away from their initial values.
      assert.ok(params.some((p) => maxAbsDiff(p.data, c.init[p.name]) > 1e-3));
    });
  }
});
