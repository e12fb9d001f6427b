/**
 * A deep net as nested systems (PAPERS.md §8): the wired layer systems settle to the exact
 * forward and backward pass, and the nested trainer (data stream + learner) trains the same as
 * the net built directly with the dense engine — losses and parameters equal to float64
 * rounding (onnxruntime's Gemm and tanh do not round exactly as a JavaScript loop does, so
 * the last bits differ: the bound is 1e-12, and the run shows ~1e-16).
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { denseMlp, linearParams, trainDense, type ByteBatch } from '../../../../kernel/models/nested/dense-reference';
import { networkSystem, settle, type NetInput } from '../../../../kernel/models/nested/layers';
import { learnerSystem, streamSystem, trainerSystem } from '../../../../kernel/models/nested/learner';
import { simulate } from '../../../../kernel/core/system';

const sizes = [12, 8, 6, 3];
const n = 5;

/** Random byte images in [0, 255] with labels from a fixed linear rule, so there is something to learn. */
function byteBatches(count: number, rng: Rng): ByteBatch[] {
  return Array.from({ length: count }, () => {
    const bytes = Uint8Array.from({ length: n * sizes[0] }, () => rng.int(256));
    const labels = Int32Array.from({ length: n }, (_, r) => {
      const s = bytes.subarray(r * sizes[0], (r + 1) * sizes[0]).reduce((a, b, i) => a + (i % 3 === 0 ? b : -b / 2), 0);
      return s > 200 ? 2 : s > -200 ? 1 : 0;
    });
    return { bytes, labels };
  });
}

describe('a deep net as nested systems', function () {
  this.timeout(120000);

  it('the wired layers settle in 2·parts − 1 ticks, not fewer, to gradients that match finite differences', () => {
    const params = linearParams(denseMlp(sizes, new Rng(1)));
    const [b] = byteBatches(1, new Rng(2));
    const input: NetInput = { x: Float64Array.from(b.bytes, (v) => v / 255), labels: b.labels, params };
    const net = networkSystem(sizes, n);
    const parts = 2 * (sizes.length - 1);
    const early = settle(net, parts - 1, input).output; // one tick short of the backward wave
    assert.ok(early.grads[0].dW === undefined, 'the first layer has no gradient before the wave comes back');
    const { output } = settle(net, parts, input);
    const lossAt = (p: typeof params) => settle(net, parts, { ...input, params: p }).output.loss;
    for (const [l, i] of [[0, 5], [1, 17], [2, 2]]) {
      const h = 1e-6;
      const bumped = (d: number) => params.map((p, k) => (k === l ? { weight: p.weight.map((w, j) => (j === i ? w + d : w)), bias: p.bias } : p));
      const numeric = (lossAt(bumped(h)) - lossAt(bumped(-h))) / (2 * h);
      const analytic = output.grads[l].dW![i];
      assert.ok(Math.abs(numeric - analytic) < 1e-7 * Math.max(1, Math.abs(analytic)), `layer ${l} weight ${i}: wired ${analytic}, finite difference ${numeric}`);
    }
  });

  it('trains as the same net built with the dense engine: 150 steps, losses and parameters within 1e-12', async () => {
    const batches = byteBatches(150, new Rng(3));
    const adam = { lr: 0.01, weightDecay: 0.001 };
    const model = denseMlp(sizes, new Rng(4));
    const stream = streamSystem((k) => ({ x: Float64Array.from(batches[k % batches.length].bytes, (v) => v / 255), labels: batches[k % batches.length].labels }));
    const trainer = trainerSystem(stream, learnerSystem(sizes, n, linearParams(model), adam));
    const nested = simulate(trainer, Array(150).fill(null));
    const dense = await trainDense(model, n, batches, adam);
    const nestedLosses = nested.outputs.map((s) => s.loss);
    nestedLosses.forEach((l, k) => assert.ok(Math.abs(l - dense.losses[k]) < 1e-12, `step ${k + 1}: nested loss ${l}, dense ${dense.losses[k]}`));
    nested.state.learner.params.forEach((p, l) => {
      p.weight.forEach((w, i) => assert.ok(Math.abs(w - dense.params[l].weight[i]) < 1e-12, `layer ${l} weight ${i}: ${w} vs ${dense.params[l].weight[i]}`));
      p.bias.forEach((b, i) => assert.ok(Math.abs(b - dense.params[l].bias[i]) < 1e-12, `layer ${l} bias ${i}: ${b} vs ${dense.params[l].bias[i]}`));
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(nestedLosses.slice(-20)) < 0.8 * mean(nestedLosses.slice(0, 20)), `loss ${mean(nestedLosses.slice(0, 20))} → ${mean(nestedLosses.slice(-20))}: it learned`);
  });
});
