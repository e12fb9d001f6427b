/**
 * The richlazy.rnn network against PyTorch (test/golden/torch/make_richlazy_golden.py, Debian
 * python3-torch): the same weights and batches give PyTorch's 20 training steps (BPTT through
 * 8 steps, cross-entropy on every step, SGD momentum) within 1e-5, and the engine's Jacobian
 * ∂outputs/∂W_rec (jacobian.ts) equals torch.autograd.functional.jacobian's, before and after.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../../../kernel/core/rng';
import { TangentKernel } from '../../../../kernel/dense/jacobian';
import { makeOptimizer, type OptimizerSpec } from '../../../../kernel/dense/optimizers';
import { execOptions } from '../../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../../kernel/dense/step';
import { everyStepLoss, richLazyNet } from '../../../../kernel/models/richlazy/network';
import { maxAbsDiff } from '../../dense/helpers';
import { repoRoot } from '../../helpers';

interface Case {
  name: string;
  dims: number[];
  rank: number;
  optimizer: OptimizerSpec;
  init: Record<string, number[]>;
  final: Record<string, number[]>;
  losses: number[];
  batches: { x: number[]; y: number[] }[];
  probe: number[];
  jacobian_init: number[];
  jacobian_final: number[];
}

const golden: { tool: string; cases: Case[] } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/golden/torch/richlazy-golden.json'), 'utf8'));

describe(`richlazy.rnn network vs PyTorch (${golden.tool})`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: 20 BPTT steps give PyTorch's losses and weights within 1e-5, and J = ∂y/∂W_rec matches before and after`, async () => {
      const [T, B, I, H] = c.dims;
      const net = richLazyNet(I, H, { rank: c.rank, gain: 1.25, rescale: true }, new Rng(0)); // weights overwritten below
      const params = net.model.parameters();
      assert.deepStrictEqual(params.map((p) => p.name).sort(), Object.keys(c.init).sort());
      for (const p of params) p.set(c.init[p.name]);
      const exec = execOptions('cpu', { threads: 1 });
      const kernel = await TangentKernel.compile({ model: net.model, weight: net.wRec, inputShape: [T, B, I], batchAxis: 1, jacobian: true, exec });
      const probe = Float32Array.from(c.probe);
      const j0 = (await kernel.run(probe)).jacobian!;
      assert.ok(maxAbsDiff(j0, c.jacobian_init) <= 1e-5, `initial J differs by ${maxAbsDiff(j0, c.jacobian_init)}`);

      const state = new TrainState(params, makeOptimizer(c.optimizer));
      const step = await TrainStep.compile({ model: net.model, state, inputShape: [T, B, I], target: { shape: [T * B], dtype: 'int32' }, loss: everyStepLoss, exec });
      const losses: number[] = [];
      for (const b of c.batches) losses.push((await step.run(Float32Array.from(b.x), Int32Array.from(b.y), c.optimizer.lr)).loss);
      assert.ok(maxAbsDiff(losses, c.losses) <= 1e-5, `losses differ by ${maxAbsDiff(losses, c.losses)}`);
      for (const p of params) assert.ok(maxAbsDiff(p.data, c.final[p.name]) <= 1e-5, `${p.name} differs by ${maxAbsDiff(p.data, c.final[p.name])}`);
      assert.ok(maxAbsDiff(net.wRec.data, c.init['rnn.w_rec']) > 1e-3, 'W_rec moved');

      const j1 = (await kernel.run(probe)).jacobian!;
      assert.ok(maxAbsDiff(j1, c.jacobian_final) <= 1e-5, `final J differs by ${maxAbsDiff(j1, c.jacobian_final)}`);
      assert.ok(maxAbsDiff(j0, j1) > 1e-3, 'J moved with the weights');
    });
  }
});
