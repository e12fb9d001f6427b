/**
 * dense.mlp — a plain multilayer perceptron classifier on MNIST-format images: the baseline
 * the paper experiments (perforated backprop, homeostatic learners, Dopamine gating) compare
 * against.
 *
 * Method: (1) load the data set and hold out a seeded validation part of the training images;
 * (2) build the MLP input → hidden… → classes, hᵢ = f(Wᵢ hᵢ₋₁ + bᵢ), softmax cross-entropy
 * on the last layer's logits; (3) train with the shared dense loop (each batch is one ONNX
 * training step), validating after every epoch, optionally stopping early; (4) measure test
 * loss and accuracy; (5) export the trained model as artifacts/model.onnx; (6) with an
 * `attribution:` block, attribute the trained model's units (artifacts/attribution/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { InputError } from '../core/errors';
import { resolveUserPath } from '../core/paths';
import { Rng } from '../core/rng';
import { byteBatches, dataProblems, dataSpec, knownTrainingImages, loadData, splitSizes, splitTrainValidation, type LoadedData } from '../data';
import { sequentialModel, type AttributionModel } from '../dense/attribution/model';
import { imageSlice } from '../dense/attribution/data';
import { loadCheckpoint } from '../dense/checkpoint';
import { exportOnnx } from '../dense/export';
import { Activation, activationKinds, Sequential, type ActivationKind, type Layer } from '../dense/layers/layer';
import { Linear } from '../dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../dense/losses';
import { makeOptimizer, type OptimizerSpec } from '../dense/optimizers';
import { resolveDenseDevice, type Device } from '../dense/providers';
import { execOptions, type ExecOptions } from '../dense/session';
import { TrainState } from '../dense/step';
import { evaluate, train } from '../dense/train';
import type { MetricTable } from '../protocol/metrics';
import { attributionBlock, checkAttributionBlock, sliceIds, writeRunAttributions, type AttributionSubject } from './attribution';
import type { Experiment, ExperimentResult, FinishedRun } from './experiment';
import { batchProblems, checkSplit, loadRunData } from './run-data';
import { defineSpec } from './spec';
import { trainingAccuracy, trainingLoss, trainingRest, trainingSeries } from './training-metrics';

export const mlpSpec = defineSpec('dense.mlp', {
  data: dataSpec.prefault({}),
  model: z
    .strictObject({
      hidden: z.array(z.int().min(1).max(16384)).max(16).default([256]).describe('Widths of the hidden layers, input side first; [] makes a linear classifier.'),
      activation: z.enum(activationKinds.filter((a) => a !== 'identity') as [ActivationKind, ...ActivationKind[]]).default('relu').describe('Nonlinearity after each hidden layer.'),
      init: z.enum(['he', 'xavier', 'torch']).default('he').describe('Weight initialiser: he N(0, 2/fan_in), xavier N(0, 2/(fan_in+fan_out)), torch U(±1/√fan_in); biases start at 0.'),
    })
    .prefault({})
    .describe('The network.'),
  train: z
    .strictObject({
      epochs: z.int().min(1).max(10000).default(10).describe('Passes over the training images.'),
      batchSize: z.int().min(1).max(65536).default(64).describe('Images per training step.'),
      optimizer: z.enum(['sgd', 'momentum', 'adam']).default('momentum').describe('Update rule (PyTorch conventions).'),
      lr: z.number().gt(0).max(100).default(0.01).describe('Learning rate.'),
      momentum: z.number().min(0).lt(1).default(0.9).describe('Momentum coefficient (optimizer: momentum).'),
      weightDecay: z.number().min(0).max(1).default(0).describe('L2 weight decay added to the gradient.'),
      earlyStopping: z
        .strictObject({
          patience: z.int().min(1).max(1000).default(3).describe('Epochs without improvement before stopping.'),
          minDelta: z.number().min(0).default(0).describe('Smallest change that counts as an improvement.'),
          monitor: z.enum(['loss', 'accuracy']).default('loss').describe('Validation value watched (training value without validation).'),
          restoreBest: z.boolean().default(true).describe('End with the parameters of the best epoch.'),
        })
        .optional()
        .describe('Stop when the validation value stops improving; absent: train all epochs.'),
      threads: z.int().min(1).max(1024).optional().describe('Compute threads for onnxruntime; default: $NEURITE_THREADS, else the number of cores.'),
      spin: z
        .enum(['never', 'within-runs', 'always'])
        .default('within-runs')
        .describe('When compute threads spin for work instead of sleeping: within a run (default); always (between runs too: a core stays busy while the kernel does anything else); never (best when other processes hold the cores).'),
      checkpoints: z.boolean().default(true).describe('Write artifacts/checkpoint-last (and checkpoint-best) after each epoch.'),
    })
    .prefault({})
    .describe('Training.'),
  export: z.boolean().default(true).describe('Write the trained model as artifacts/model.onnx (inference graph, logits out).'),
  attribution: attributionBlock.optional(),
}).superRefine((s, ctx) => {
  const problems = dataProblems(s.data).map((p) => ({ path: ['data', ...p.path], message: p.message }));
  const n = knownTrainingImages(s.data); // a data.dir folder is checked once read, in run()
  if (!problems.length && n !== undefined) problems.push(...batchProblems(splitSizes(n, s.data.validation).train, s.train.batchSize));
  for (const p of problems) ctx.addIssue({ code: 'custom', ...p });
});

export type MlpSpec = z.infer<typeof mlpSpec>;

export function optimizerSpec(t: MlpSpec['train']): OptimizerSpec {
  if (t.optimizer === 'momentum') return { kind: 'momentum', lr: t.lr, momentum: t.momentum, weightDecay: t.weightDecay };
  return { kind: t.optimizer, lr: t.lr, weightDecay: t.weightDecay };
}

/** What dense.mlp emits: running means per logged step, one record per epoch, the test at the end. */
export const mlpMetrics: MetricTable = {
  series: trainingSeries,
  metrics: [
    { name: 'test_accuracy', label: 'test accuracy', group: 'Accuracy', percent: true, better: 'higher', key: true },
    ...trainingAccuracy,
    { name: 'test_loss', label: 'test loss', group: 'Loss', better: 'lower' },
    ...trainingLoss,
    ...trainingRest,
    { name: 'parameters', label: 'parameters', group: 'Model' },
  ],
};

export const mlpExperiment: Experiment<MlpSpec> = {
  kind: 'dense.mlp',
  title: 'MLP classifier (dense baseline)',
  description: 'A multilayer perceptron trained on MNIST or Fashion-MNIST with the ONNX dense engine',
  engine: 'dense',
  schema: mlpSpec,
  metrics: mlpMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Data and the seeded validation split.
    const data = await loadRunData(spec.data, ctx);
    checkSplit(data.train, spec.data.validation, spec.train.batchSize, data.source);
    const split = splitTrainValidation(data.train.count, spec.data.validation, ctx.rng.fork('split'));
    const features = data.train.rows * data.train.cols;
    const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

    // (2) The network.
    const model = buildMlp(spec, features, data.classes, ctx.rng.fork('init'));
    if (spec.attribution) checkAttributionBlock(spec.attribution, mlpAttributionModel(model, spec, data));
    const params = model.parameters();
    const parameterCount = params.reduce((s, p) => s + p.size, 0);
    const exec = execOptions(ctx.device as Device, { threads: spec.train.threads, spin: spec.train.spin });
    ctx.log(`model ${[features, ...spec.model.hidden, data.classes].join('-')} (${parameterCount} parameters) on ${exec.device}, ${exec.threads} threads, spinning ${exec.spin}`);

    // (3) Training.
    const state = new TrainState(params, makeOptimizer(optimizerSpec(spec.train)));
    const shuffle = ctx.rng.fork('shuffle');
    const io = {
      model,
      inputShape: (n: number) => [n, features],
      inputType: 'uint8' as const, // pixels go in as bytes; the graph divides by 255
      target: (n: number) => ({ shape: [n], dtype: 'int32' as const }),
      loss: softmaxCrossEntropy,
      metrics: { accuracy: correctCount },
      exec,
    };
    const summary = await train(ctx, {
      ...io,
      state,
      trainBatches: () => byteBatches(data.train, split.train, spec.train.batchSize, shuffle),
      validationBatches: split.validation.length ? () => byteBatches(data.train, split.validation, 1000) : undefined,
      stepsPerEpoch: Math.ceil(split.train.length / spec.train.batchSize),
      epochs: spec.train.epochs,
      lr: spec.train.lr,
      earlyStopping: spec.train.earlyStopping,
      checkpoints: spec.train.checkpoints,
    });

    // (4) Test.
    const test = await evaluate(io, byteBatches(data.test, all(data.test.count), 1000), ctx);
    ctx.log(`test: loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.accuracy).toFixed(2)}% (${summary.stepsPerSecond.toFixed(0)} steps/s)`);
    const epochs = summary.epochs;
    ctx.trace('learning-curves', {
      type: 'xy',
      title: 'Accuracy per epoch',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      series: [
        { name: 'train', x: epochs.map((e) => e.epoch), y: epochs.map((e) => e.train.accuracy) },
        ...(epochs[0]?.validation ? [{ name: 'validation', x: epochs.map((e) => e.epoch), y: epochs.map((e) => e.validation!.accuracy) }] : []),
      ],
    });

    // (5) Export.
    let exported: string | undefined;
    if (spec.export) {
      exported = ctx.artifactPath('model.onnx');
      exportOnnx(model, exported, {
        inputShape: [-1, features],
        outputName: 'logits',
        metadata: { kind: 'dense.mlp', input: `pixels/255 as float32 [N, ${features}]`, classes: (data.classNames ?? []).join(',') },
      });
    }
    // (6) Attribution of the trained units.
    const attribution = spec.attribution && (await writeRunAttributions(spec.attribution, { model: mlpAttributionModel(model, spec, data), data: slicer(data, split), source: { kind: 'dense.mlp', run: ctx.runId, checkpoint: 'final' }, exec }, ctx));
    const last = epochs[epochs.length - 1];
    return {
      metrics: {
        test_accuracy: test.accuracy,
        test_loss: test.loss,
        train_loss: last.train.loss,
        train_accuracy: last.train.accuracy,
        ...(last.validation ? { val_loss: last.validation.loss, val_accuracy: last.validation.accuracy } : {}),
        epochs: epochs.length,
        best_epoch: summary.bestEpoch,
        steps: summary.steps,
        steps_per_s: summary.stepsPerSecond,
        parameters: parameterCount,
      },
      result: {
        provider: exec.device,
        threads: exec.threads,
        spin: exec.spin,
        data: { name: data.name, source: data.source, train: split.train.length, validation: split.validation.length, test: data.test.count },
        stoppedEarly: summary.stoppedEarly,
        epochs,
        export: exported && 'artifacts/model.onnx',
        attribution,
      },
    };
  },
  attribution: { load: loadForAttribution },
};

/** The MLP input → hidden… → classes: `model.hidden[i]` (Linear), `model.hidden[i].activation`, `model.output`. */
function buildMlp(spec: MlpSpec, features: number, classes: number, rng: Rng): Sequential {
  const layers: Layer[] = [];
  let width = features;
  spec.model.hidden.forEach((h, i) => {
    layers.push(new Linear(`model.hidden[${i}]`, width, h, rng, { init: { kind: spec.model.init } }));
    layers.push(new Activation(`model.hidden[${i}].activation`, spec.model.activation));
    width = h;
  });
  layers.push(new Linear('model.output', width, classes, rng, { init: { kind: spec.model.init } }));
  return new Sequential('model', layers);
}

/** The MLP for the attribution engine: its hidden layers after their activation, as `hidden0`, `hidden1`, … */
function mlpAttributionModel(model: Sequential, spec: MlpSpec, data: LoadedData): AttributionModel {
  const taps = Object.fromEntries(spec.model.hidden.map((_, i) => [`model.hidden[${i}].activation`, `hidden${i}`]));
  return sequentialModel(model, { taps, features: data.train.rows * data.train.cols, classes: data.classes, inputType: 'uint8', inputShape: [data.train.rows, data.train.cols] });
}

/** Slices of the run's splits: train and validation from the training images, test from the test images. */
function slicer(data: LoadedData, split: { train: Int32Array; validation: Int32Array }): AttributionSubject['data'] {
  const test = Int32Array.from({ length: data.test.count }, (_, i) => i);
  return async (slice) => {
    const set = slice.split === 'test' ? data.test : data.train;
    return imageSlice(set, sliceIds(slice.split === 'test' ? test : split[slice.split], slice), 'uint8');
  };
}

/**
 * A finished run's MLP with the parameters it ended with: checkpoint-best when early stopping
 * restored the best epoch, else checkpoint-last (written after the last epoch); its data and
 * validation split made again from spec.json (same seed, same split).
 */
async function loadForAttribution(spec: MlpSpec, run: FinishedRun): Promise<AttributionSubject> {
  const artifacts = path.join(run.dir, 'artifacts');
  const best = spec.train.earlyStopping?.restoreBest && fs.existsSync(path.join(artifacts, 'checkpoint-best.json'));
  const checkpoint = best ? 'checkpoint-best' : 'checkpoint-last';
  if (!fs.existsSync(path.join(artifacts, `${checkpoint}.json`))) {
    throw new InputError([`${run.id}: no artifacts/${checkpoint}.json to rebuild the model from${spec.train.checkpoints ? ' (the run ended before its first epoch)' : ' (the run had train.checkpoints: false)'}`]);
  }
  const dir = spec.data.dir === undefined ? undefined : resolveUserPath(spec.data.dir, run.baseDir);
  const data = await loadData({ ...spec.data, dir });
  const split = splitTrainValidation(data.train.count, spec.data.validation, new Rng(spec.seed).fork('split'));
  const model = buildMlp(spec, data.train.rows * data.train.cols, data.classes, new Rng(spec.seed).fork('init'));
  const index = loadCheckpoint(path.join(artifacts, checkpoint), new TrainState(model.parameters(), makeOptimizer(optimizerSpec(spec.train))));
  const exec: ExecOptions = execOptions(resolveDenseDevice(spec.device), { threads: spec.train.threads });
  return {
    model: mlpAttributionModel(model, spec, data),
    data: slicer(data, split),
    source: { kind: 'dense.mlp', run: run.id, checkpoint, epoch: index.epoch },
    exec,
  };
}
