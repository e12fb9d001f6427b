/**
 * nested.mlp — "Deep neural networks as nested dynamical systems" (Spivak & Hosgood, arXiv
 * 2111.01297), PAPERS.md §8: a small deep net built as nested Systems, trained, and checked
 * against the same net built directly with the dense engine.
 *
 * Method: (1) the data — MNIST-format images, a seeded shuffle per epoch, batches of N as a
 * stream System; (2) the net — the dense engine's MLP (Linear, tanh, …, Linear; he init), whose
 * initial weights also start the nested version: each layer a System, the network their wiring
 * with the softmax cross-entropy loss, the learner a System whose state is the parameters and
 * whose update is the training step (Adam), the trainer the stream and the learner wired;
 * (3) train the nested system for `train.steps` steps; (4) train the dense engine's float64
 * ONNX step on the same batches; (5) compare: losses step by step and the final parameters.
 */
import { z } from 'zod';
import { simulate } from '../core/system';
import { dataSpec, loadData } from '../data';
import { denseMlp, linearParams, trainDense, type ByteBatch } from '../models/nested/dense-reference';
import { learnerSystem, streamSystem, trainerSystem, type Batch } from '../models/nested/learner';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

export const nestedSpec = defineSpec('nested.mlp', {
  data: dataSpec.prefault({ name: 'mnist', validation: 0 }),
  model: z
    .strictObject({ hidden: z.array(z.int().min(1).max(1024)).max(4).default([32]).describe('Hidden layer widths (tanh).') })
    .prefault({}),
  train: z
    .strictObject({
      steps: z.int().min(1).max(100_000).default(300).describe('Training steps (batches).'),
      batchSize: z.int().min(1).max(4096).default(32),
      lr: z.number().gt(0).max(10).default(0.001).describe('Adam learning rate.'),
      weightDecay: z.number().min(0).max(1).default(0),
    })
    .prefault({}),
});

export type NestedSpec = z.infer<typeof nestedSpec>;

export const nestedExperiment: Experiment<NestedSpec> = {
  kind: 'nested.mlp',
  title: 'A deep net as nested systems (layers, network, learner, data stream)',
  description: 'An MLP built from System parts and wirings, trained, and compared step by step with the dense engine',
  paper: 'PAPERS.md §8 — arXiv 2111.01297',
  engine: 'dense',
  schema: nestedSpec,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Data: the training images, reshuffled each epoch; batch k is a pure function of k.
    const dir = spec.data.dir === undefined ? undefined : ctx.resolvePath(spec.data.dir);
    const data = await loadData({ ...spec.data, dir }, { signal: ctx.signal, log: (m) => ctx.log(m) });
    const set = data.train;
    const n = spec.train.batchSize;
    const pixels = set.rows * set.cols;
    if (set.count < n) throw new Error(`nested.mlp: ${set.count} training images for batches of ${n}`);
    const perEpoch = Math.floor(set.count / n);
    const shuffle = ctx.rng.fork('shuffle');
    const orders: Int32Array[] = [];
    const byteBatch = (k: number): ByteBatch => {
      const epoch = Math.floor(k / perEpoch);
      while (orders.length <= epoch) orders.push(shuffle.shuffle(Int32Array.from({ length: set.count }, (_, i) => i)));
      const idx = orders[epoch].subarray((k % perEpoch) * n, (k % perEpoch + 1) * n);
      const bytes = new Uint8Array(n * pixels);
      idx.forEach((i, r) => bytes.set(set.images.subarray(i * pixels, (i + 1) * pixels), r * pixels));
      return { bytes, labels: Int32Array.from(idx, (i) => set.labels[i]) };
    };
    const batches = Array.from({ length: spec.train.steps }, (_, k) => byteBatch(k));
    const floatBatch = (k: number): Batch => ({ x: Float64Array.from(batches[Math.min(k, batches.length - 1)].bytes, (b) => b / 255), labels: batches[Math.min(k, batches.length - 1)].labels });

    // (2) The net, once from the dense engine; its initial weights start the nested learner too.
    const sizes = [pixels, ...spec.model.hidden, data.classes];
    const model = denseMlp(sizes, ctx.rng.fork('init'));
    const adam = { lr: spec.train.lr, weightDecay: spec.train.weightDecay };
    let last: { k: number; batch: Batch } | undefined;
    const stream = streamSystem((k) => (last?.k === k ? last.batch : (last = { k, batch: floatBatch(k) }).batch));
    const trainer = trainerSystem(stream, learnerSystem(sizes, n, linearParams(model), adam));
    ctx.log(`MLP ${sizes.join('-')} on ${data.name}: ${spec.train.steps} steps of ${n} images, Adam lr ${adam.lr}`);

    // (3) The nested systems, step by step.
    let t0 = performance.now();
    const nestedLosses: number[] = [];
    let state = trainer.init();
    for (let k = 0; k < spec.train.steps; k++) {
      ({ state } = simulate(trainer, [null], state));
      nestedLosses.push(state.learner.loss);
      if (k % 10 === 9) {
        ctx.progress((0.5 * (k + 1)) / spec.train.steps, `nested: step ${k + 1}`);
        await ctx.yieldOrThrowIfCancelled();
      }
    }
    const nestedSeconds = (performance.now() - t0) / 1000;

    // (4) The dense engine on the same batches.
    t0 = performance.now();
    const dense = await trainDense(model, n, batches, adam);
    const denseSeconds = (performance.now() - t0) / 1000;

    // (5) Compare.
    let maxLossDiff = 0, maxParamDiff = 0, maxParam = 0;
    nestedLosses.forEach((l, k) => (maxLossDiff = Math.max(maxLossDiff, Math.abs(l - dense.losses[k]))));
    state.learner.params.forEach((p, l) => {
      for (const key of ['weight', 'bias'] as const) {
        p[key].forEach((v, i) => {
          maxParamDiff = Math.max(maxParamDiff, Math.abs(v - dense.params[l][key][i]));
          maxParam = Math.max(maxParam, Math.abs(v));
        });
      }
    });
    const every = Math.max(1, Math.floor(spec.train.steps / 200));
    const xs = nestedLosses.map((_, k) => k + 1).filter((k) => k % every === 0);
    ctx.trace('loss', {
      type: 'xy',
      title: 'Training loss: nested systems and the dense engine',
      xLabel: 'step',
      yLabel: 'softmax cross-entropy',
      series: [
        { name: 'nested systems', x: xs, y: xs.map((k) => nestedLosses[k - 1]) },
        { name: 'dense engine (ONNX, float64)', x: xs, y: xs.map((k) => dense.losses[k - 1]) },
      ],
    });
    ctx.log(`final loss: nested ${nestedLosses.at(-1)!.toFixed(6)}, dense ${dense.losses.at(-1)!.toFixed(6)}; largest difference: loss ${maxLossDiff.toExponential(2)}, parameter ${maxParamDiff.toExponential(2)} (largest parameter ${maxParam.toFixed(3)})`);
    return {
      metrics: {
        nested_final_loss: nestedLosses.at(-1)!,
        dense_final_loss: dense.losses.at(-1)!,
        first_loss: nestedLosses[0],
        max_loss_diff: maxLossDiff,
        max_param_diff: maxParamDiff,
        nested_steps_per_s: spec.train.steps / nestedSeconds,
        dense_steps_per_s: spec.train.steps / denseSeconds,
      },
      result: { sizes, nestedLosses, denseLosses: dense.losses },
    };
  },
};
