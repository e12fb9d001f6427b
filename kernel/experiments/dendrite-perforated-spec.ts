/**
 * The spec of `dendrite.perforated`: the data (with a fraction of the training set), the network
 * and which layers are perforated, how dendrites learn, the phase schedule (every number with
 * the authors' library's default, PAPERS.md §1) and training. Relations between fields (a layer
 * to perforate that the model does not have, a batch larger than the training part) are
 * located problems of the spec, found before any work.
 */
import { z } from 'zod';
import { dataProblems, dataSpec, knownTrainingImages, splitSizes } from '../data';
import { activationKinds, type ActivationKind } from '../dense/layers/layer';
import { perforateProblems } from '../models/dendrite/perforated-net';
import { defineSpec } from './spec';

const layerName = z.string().min(1).max(200);
const fraction = z.number().gt(0).max(1);

export const perforatedSpec = defineSpec('dendrite.perforated', {
  data: dataSpec
    .extend({
      fraction: fraction.default(1).describe('Fraction of the training images used (a seeded subset, drawn before the validation split): 0.01 and 0.1 are where §1 claims most.'),
    })
    .prefault({}),
  model: z
    .strictObject({
      conv: z.array(z.int().min(1).max(1024)).max(4).default([]).describe('Channels of each convolution (k×k, same padding, activation, 2×2 max pooling), input side first; [] for an MLP.'),
      kernel: z.int().min(1).max(9).default(5).describe('Kernel size of the convolutions.'),
      hidden: z.array(z.int().min(1).max(16384)).max(8).default([16]).describe('Widths of the hidden Linear layers, input side first.'),
      activation: z.enum(activationKinds.filter((a) => a !== 'identity') as [ActivationKind, ...ActivationKind[]]).default('relu').describe('Nonlinearity after each hidden layer and convolution.'),
      init: z.enum(['he', 'xavier', 'torch']).default('he').describe('Weight initialiser of the neurons (dendrites start at N(0,1)·dendrites.initScale).'),
      perforate: z
        .union([z.literal('all'), z.array(layerName).max(32)])
        .default('all')
        .describe('Layers that grow dendrites: "all" (every Linear and Conv2d, as the authors\' library does), or a list of names: model.hidden[0], model.conv[1], model.output (quoted in a YAML flow list), or their ids hidden0, conv1, output; [] trains the plain net with the same schedule (it stops at the first switch).'),
      widenTo: z
        .int()
        .min(0)
        .max(100)
        .default(0)
        .describe('The comparison net: > 0 trains a plain net (nothing perforated) whose hidden layers are widened until it has at least the parameters this net would have with that many dendrite sets; 0 trains this net.'),
    })
    .prefault({})
    .describe('The network.'),
  dendrites: z
    .strictObject({
      learning: z
        .enum(['correlation', 'gradient'])
        .default('correlation')
        .describe('correlation: the dendrite phase trains new dendrites alone on their correlation with the neuron\'s error (perforated backpropagation); gradient: a new set joins at once and trains with everything by backpropagation on the loss (the open-source library\'s default).'),
      detachInputs: z
        .boolean()
        .optional()
        .describe('Perforated backpropagation proper: the error reaches earlier layers through the neurons only, never back through a dendrite (the dendrites\' inputs are detached). Default: true with correlation learning, false with gradient learning (the open-source library).'),
      initScale: z.number().gt(0).max(1).default(0.01).describe('New dendrites\' weights and biases start at N(0,1) times this.'),
      optimizer: z
        .enum(['sgd', 'momentum', 'adam'])
        .default('adam')
        .describe('Update rule of the dendrite phase. Adam, because the correlation\'s gradient scales with the error (∝ 1/batch) and with the candidates\' small initial spread: momentum SGD barely moves them (test: XOR).'),
      lr: z.number().gt(0).max(100).default(0.001).describe('Learning rate of the dendrite phase.'),
    })
    .prefault({})
    .describe('How dendrites learn.'),
  schedule: z
    .strictObject({
      monitor: z.enum(['accuracy', 'loss']).default('accuracy').describe('Validation value the neuron phases watch (accuracy maximised, loss minimised).'),
      switchPatience: z.int().min(1).max(1000).default(10).describe('Neuron phase: epochs without validation improvement before switching (library default 10).'),
      improvementThresholds: z
        .array(z.number().min(0).lt(1))
        .min(1)
        .max(16)
        .default([0.001, 0.0001])
        .describe('Relative improvement that counts, by dendrite sets joined (the last repeats): 1e-3 before any dendrite, then 1e-4.'),
      improvementThresholdRaw: z.number().min(0).max(1).default(1e-5).describe('Absolute improvement that counts as well.'),
      scorePatience: z.int().min(1).max(1000).default(10).describe('Dendrite phase: epochs without the correlation score improving by scoreImprovement before the dendrites join.'),
      scoreImprovement: z.number().min(0).max(10).default(0.1).describe('Relative score improvement that counts (10%).'),
      initialBatches: z.int().min(1).max(100000).default(100).describe('The score is the mean correlation over the first this many batches of a dendrite phase, then an exponential average.'),
      scoreDecay: z.number().min(0).lt(1).default(0.99).describe('Decay of the score\'s exponential average after initialBatches.'),
      maxTries: z.int().min(1).max(100).default(2).describe('Stop after this many dendrite sets in a row fail to improve validation.'),
      maxCycles: z.int().min(0).max(100).default(100).describe('Most dendrite sets a layer grows (library default 100).'),
      maxDendriteEpochs: z.int().min(1).max(10000).default(100).describe('Most epochs of one dendrite phase.'),
      maxEpochs: z.int().min(1).max(100000).default(1000).describe('Most epochs in all: then the best model is restored and training stops.'),
    })
    .prefault({})
    .describe('When phases switch and training stops (PAPERS.md §1).'),
  train: z
    .strictObject({
      batchSize: z.int().min(1).max(65536).default(64).describe('Images per training step.'),
      optimizer: z.enum(['sgd', 'momentum', 'adam']).default('momentum').describe('Update rule (PyTorch conventions); its state starts afresh at every phase.'),
      lr: z.number().gt(0).max(100).default(0.01).describe('Learning rate.'),
      momentum: z.number().min(0).lt(1).default(0.9).describe('Momentum coefficient (optimizer: momentum).'),
      weightDecay: z.number().min(0).max(1).default(0).describe('L2 weight decay added to the gradient (the library advises none).'),
      stepsPerRun: z.int().min(1).max(64).default(16).describe('Training steps per onnxruntime run (one graph holding that many steps).'),
      threads: z.int().min(1).max(1024).optional().describe('Compute threads for onnxruntime; default: $NEURITE_THREADS, else the number of cores.'),
      spin: z
        .enum(['never', 'within-runs', 'always'])
        .default('within-runs')
        .describe('When compute threads spin for work instead of sleeping (as dense.mlp): within a run (default); always; never (best when other processes hold the cores).'),
    })
    .prefault({})
    .describe('Training.'),
  contribution: z
    .strictObject({ items: z.int().min(0).max(100000).default(1000).describe('Test images the per-neuron dendrite contribution is measured on (0: none).') })
    .prefault({})
    .describe('The per-neuron dendrite contribution artifact (artifacts/attribution/).'),
  export: z.boolean().default(true).describe('Write the trained model as artifacts/model.onnx (inference graph, logits out).'),
}).superRefine((s, ctx) => {
  const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  for (const p of dataProblems(s.data)) add(['data', ...p.path], p.message);
  if (s.data.validation === 0) add(['data', 'validation'], 'the schedule watches the validation set: hold out a fraction > 0');
  const n = knownTrainingImages(s.data);
  if (n !== undefined) for (const p of subsetProblems(n, s.data.fraction, s.data.validation, s.train.batchSize)) add(p.path, p.message);
  for (const p of perforateProblems(s.model)) add(['model', 'perforate', p.index], p.message);
  if (s.model.widenTo > 0 && s.model.hidden.length === 0) add(['model', 'widenTo'], 'there is no hidden Linear layer to widen');
  if (s.model.widenTo > 0 && s.model.perforate !== 'all' && s.model.perforate.length === 0) add(['model', 'widenTo'], 'widening matches the perforated net of model.perforate, which is empty');
});

export type PerforatedSpec = z.infer<typeof perforatedSpec>;

/** Images in the subset, and whether the split and the batch fit in it. */
export function subsetProblems(images: number, fraction: number, validation: number, batchSize: number): { path: string[]; message: string }[] {
  const subset = Math.round(images * fraction);
  if (subset < 2) return [{ path: ['data', 'fraction'], message: `keeps ${subset} of ${images} training images; at least 2 are needed (one to train, one to validate)` }];
  const sizes = splitSizes(subset, validation);
  if (sizes.validation < 1) return [{ path: ['data', 'validation'], message: `holds out no image of the ${subset} in the subset` }];
  if (batchSize > sizes.train) return [{ path: ['train', 'batchSize'], message: `a batch of ${batchSize} is more than the ${sizes.train} training images (data.fraction ${fraction}, after the validation split)` }];
  return [];
}
