/**
 * Neurite's training steps reproduce PyTorch: the same network, initial weights, batches and
 * optimizer trained for 20 steps give every step's loss and the final weights within 1e-5 of
 * the golden trajectories made by test/golden/torch/make_dense_golden.py (Debian python3-torch).
 * Covers Linear, Conv2d, max and average pooling, ReLU/ELU/sigmoid/tanh, softmax cross-entropy,
 * MSE, an unrolled ReLU RNN (BPTT), and SGD, momentum (with weight decay, Nesterov) and Adam.
 */
import * as assert from 'assert';
import { makeOptimizer } from '../../../kernel/dense/optimizers';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../kernel/dense/step';
import { golden, network } from './golden-cases';
import { maxAbsDiff } from './helpers';

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
