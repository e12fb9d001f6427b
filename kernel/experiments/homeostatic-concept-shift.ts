/**
 * homeostatic.concept-shift — Man, Damasio & Neven, "Need is all you need: homeostatic neural
 * networks adapt to concept shift" (arXiv 2205.08645), PAPERS.md §2: a learner whose learning
 * rate is its internal state, regulated by what it classifies, against a constant rate and
 * random regulation, while two classes keep swapping labels.
 *
 * Method: (1) load the data, hold out a seeded validation part, and make the concept-shift
 * stream: `swapsPerEpoch` times per epoch, evenly spaced, two random classes swap labels for
 * training and validation alike (optionally a rate that changes with the epoch); (2) build the
 * MLP (784-80-60-10, ELU, He-normal weights, N(0, 1) biases) three times with the same initial
 * values: one learner per regulator — constant η, random regulation, the homeostat
 * (kernel/models/homeostatic/regulators.ts); (3) compile the three wired learner+regulator
 * systems into one program whose step is one minibatch of all three (simulated steps and
 * decisions included), K minibatches per onnxruntime run; (4) stream minibatches of 10 in the
 * same order to all three, every `record.every` samples scoring each learner on validation
 * samples under the labels in force, and at each epoch's end on the whole validation part;
 * (5) score the test set under the final labels; report each learner's final and mean-over-time
 * accuracy and the homeostat's advantage over the other two.
 */
import { z } from 'zod';
import { InputError, RunFailure } from '../core/errors';
import type { Rng } from '../core/rng';
import { mean } from '../core/stats';
import { byteBatches, dataSpec, LabelSwapStream, splitTrainValidation, type ImageSet } from '../data';
import { datasetEntry } from '../data/registry';
import { Evaluator } from '../dense/evaluate';
import { Activation, Sequential, type ActivationKind, type Layer } from '../dense/layers/layer';
import { Linear } from '../dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../dense/losses';
import { Parameter } from '../dense/params';
import { Program } from '../dense/program';
import type { Device } from '../dense/providers';
import { execOptions, type ExecOptions } from '../dense/session';
import { evaluate } from '../dense/train';
import { carried, comparisonStep, learnerNames, type PerLearner } from '../models/homeostatic/comparison';
import { ConceptShiftFeed, type StepInputs } from '../models/homeostatic/feed';
import type { RateParams } from '../models/homeostatic/regulators';
import type { Experiment, ExperimentResult } from './experiment';
import { loadRunData } from './run-data';
import { defineSpec } from './spec';
import type { MetricTable } from '../protocol/metrics';

const scheduleEntry = z.strictObject({
  epoch: z.int().min(1).max(100000).describe('From this epoch on (1 = the first).'),
  swapsPerEpoch: z.int().min(0).max(10000).describe('Label swaps per epoch from then on.'),
});

export const conceptShiftSpec = defineSpec('homeostatic.concept-shift', {
  data: dataSpec.prefault({}),
  model: z
    .strictObject({
      hidden: z.array(z.int().min(1).max(4096)).min(1).max(8).default([80, 60]).describe('Widths of the hidden layers (the paper: 80, 60).'),
      activation: z.enum(['elu', 'relu', 'tanh', 'sigmoid']).default('elu').describe('Nonlinearity after each hidden layer (the paper: ELU, α = 1).'),
      biasStd: z.number().min(0).max(10).default(1).describe('Biases start N(0, biasStd²) (the authors: 1); weights start He-normal N(0, 2/fan_in).'),
    })
    .prefault({})
    .describe('The network, the same for the three learners.'),
  train: z
    .strictObject({
      epochs: z.int().min(1).max(10000).default(50).describe('Passes over the training samples (the authors: 50).'),
      batchSize: z.int().min(2).max(1000).default(10).describe('Samples per SGD step; each minibatch starts with a decision point (the paper: 10).'),
      eta0: z.number().gt(0).max(1).default(1e-3).describe('The initial (and the constant learner\'s) learning rate η₀.'),
      stepsPerRun: z.int().min(1).max(256).default(20).describe('Minibatches (of all three learners) per onnxruntime run; results do not depend on it.'),
      threads: z.int().min(1).max(1024).default(1).describe('Compute threads for onnxruntime (1 is fastest for nets this small: a 784-80-60-10 step at batch 10 took twice as long with 2).'),
    })
    .prefault({})
    .describe('Training: plain minibatch SGD, the rate set by each learner\'s regulator.'),
  regulation: z
    .strictObject({
      delta: z.number().gt(0).max(10).default(0.1).describe('The step Δ of a move, as a fraction of η₀ (the paper: 0.1).'),
      excitatory: z.array(z.int().min(0).max(9999)).max(10000).default([5, 6, 7, 8, 9]).describe('Classes that raise η (the others lower it).'),
      memory: z.int().min(1).max(1000).default(20).describe('Recent samples the homeostat scores its two simulated steps on (the paper: 20).'),
      floor: z.number().gt(0).max(1).default(1e-8).describe('Where a move below zero lands (the paper: 1e-8).'),
    })
    .prefault({})
    .describe('The regulators: random regulation moves with p = ½ at each decision point; the homeostat when its simulated move scores strictly better.'),
  shift: z
    .strictObject({
      swapsPerEpoch: z.int().min(0).max(10000).default(0).describe('Times per epoch (evenly spaced) that two random classes swap labels, in training and validation alike.'),
      schedule: z.array(scheduleEntry).min(1).max(10000).optional().describe('A rate that changes over time: from each entry\'s epoch on, its swapsPerEpoch (before the first entry, shift.swapsPerEpoch). Epochs strictly increasing.'),
    })
    .superRefine((s, ctx) => {
      s.schedule?.forEach((e, i) => {
        if (i > 0 && e.epoch <= s.schedule![i - 1].epoch) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'epoch'], message: `epochs must increase: ${e.epoch} follows ${s.schedule![i - 1].epoch}` });
      });
    })
    .prefault({})
    .describe('The concept shift.'),
  record: z
    .strictObject({
      every: z.int().min(1).max(100_000_000).default(1000).describe('Training samples between records of validation accuracy and η (rounded to whole minibatches).'),
      validationSamples: z.int().min(0).max(1_000_000).default(1000).describe('Validation samples scored at each record: the first N of the validation part (0: all of it). Each epoch\'s end scores all of it.'),
    })
    .prefault({})
    .describe('What is streamed while the learners train.'),
}).superRefine((spec, ctx) => {
  // Checks across sections, so that a bad spec is refused (exit 2) before any work.
  const classes = datasetEntry(spec.data.name).classes;
  spec.regulation.excitatory.forEach((c, i) => {
    if (c >= classes) ctx.addIssue({ code: 'custom', path: ['regulation', 'excitatory', i], message: `class ${c} does not exist: ${spec.data.name} has classes 0–${classes - 1}` });
  });
  spec.shift.schedule?.forEach((e, i) => {
    if (e.epoch > spec.train.epochs) ctx.addIssue({ code: 'custom', path: ['shift', 'schedule', i, 'epoch'], message: `epoch ${e.epoch} comes after the last one (train.epochs: ${spec.train.epochs})` });
  });
  if (spec.data.validation === 0) ctx.addIssue({ code: 'custom', path: ['data', 'validation'], message: 'the records score validation samples: hold some out (e.g. 0.1)' });
});

export type ConceptShiftSpec = z.infer<typeof conceptShiftSpec>;

/** Swaps per epoch (0-based epoch) under the spec's rate and schedule. */
export function swapRate(shift: ConceptShiftSpec['shift']): (epoch: number) => number {
  return (epoch) => {
    let rate = shift.swapsPerEpoch;
    for (const e of shift.schedule ?? []) if (epoch + 1 >= e.epoch) rate = e.swapsPerEpoch;
    return rate;
  };
}


/**
 * What homeostatic.concept-shift emits, per learner (constant, random, homeostatic): validation
 * accuracy and η at each record (series `record`, x in training samples), training and
 * validation accuracy per epoch, then the summary and the homeostat's advantage.
 */
export const conceptShiftMetrics: MetricTable = {
  series: { record: { label: 'per record', x: 'training samples' }, epoch: { label: 'per epoch', x: 'epoch' } },
  metrics: [
    { name: 'mean_acc_homeostatic', label: 'mean validation accuracy over the records, homeostatic', group: 'Accuracy', percent: true, better: 'higher', key: true },
    { name: 'mean_acc_{learner}', label: 'mean validation accuracy over the records, {learner}', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'final_acc_{learner}', label: 'final validation accuracy, {learner}', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'test_acc_{learner}', label: 'test accuracy, {learner}', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'acc_{learner}', label: '{learner}', group: 'Validation accuracy under the labels in force', percent: true, better: 'higher' },
    { name: 'val_acc_{learner}', label: 'validation, {learner}', group: 'Accuracy, training and validation', percent: true, better: 'higher' },
    { name: 'train_acc_{learner}', label: 'training, {learner}', group: 'Accuracy, training and validation', percent: true, better: 'higher' },
    { name: 'adv_mean_vs_random', label: 'homeostatic − random, mean accuracy', group: 'Homeostat advantage', percent: true, better: 'higher', key: true },
    { name: 'adv_mean_vs_constant', label: 'homeostatic − constant, mean accuracy', group: 'Homeostat advantage', percent: true, better: 'higher' },
    { name: 'adv_final_vs_random', label: 'homeostatic − random, final accuracy', group: 'Homeostat advantage', percent: true, better: 'higher' },
    { name: 'adv_final_vs_constant', label: 'homeostatic − constant, final accuracy', group: 'Homeostat advantage', percent: true, better: 'higher' },
    { name: 'eta_{learner}', label: '{learner}', group: 'Learning rate η', scale: 'log' },
    { name: 'final_eta_homeostatic', label: 'final η, homeostatic', group: 'Learning rate η' },
    { name: 'mean_eta_homeostatic', label: 'mean η over the records, homeostatic', group: 'Learning rate η' },
    { name: 'homeostat_moves', label: 'minibatches after which η changed', group: 'Homeostat' },
    { name: 'homeostat_better', label: 'decisions where the move scored better', group: 'Homeostat' },
    { name: 'swaps', label: 'label swaps', group: 'Label swaps' },
    { name: 'seconds', label: 'epoch time', unit: 's', group: 'Time', better: 'lower' },
    { name: 'seconds_per_epoch', label: 'mean epoch time', unit: 's', group: 'Time', better: 'lower' },
  ],
};

export const conceptShiftExperiment: Experiment<ConceptShiftSpec> = {
  kind: 'homeostatic.concept-shift',
  title: 'Homeostatic learners under concept shift',
  description: 'A learning rate regulated by what the learner classifies (the homeostat) against a constant rate and random regulation, while class labels keep swapping',
  paper: '§2 Man, Damasio & Neven 2022 (arXiv 2205.08645)',
  engine: 'dense',
  schema: conceptShiftSpec,
  metrics: conceptShiftMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    const t = spec.train;
    // (1) Data, the validation split and the swap stream.
    const data = await loadRunData(spec.data, ctx);
    const split = splitTrainValidation(data.train.count, spec.data.validation, ctx.rng.fork('split'));
    const features = data.train.rows * data.train.cols;
    const rate = swapRate(spec.shift);
    const epochSize = Math.floor(split.train.length / t.batchSize) * t.batchSize;
    checkData(spec, { validation: split.validation.length, epochSize, rate });
    const stream = new LabelSwapStream({ classes: data.classes, epochSize, swapsPerEpoch: rate, rng: ctx.rng.fork('swaps') });
    const feed = new ConceptShiftFeed(data.train, split.train, { batchSize: t.batchSize, memory: spec.regulation.memory, stream, shuffle: ctx.rng.fork('shuffle'), coins: ctx.rng.fork('coins') });

    // (2) Three copies of one network, one per regulator.
    const first = mlp('constant', features, data.classes, spec.model, ctx.rng.fork('init'));
    const models = { constant: first, random: mlp('random', features, data.classes, spec.model, ctx.rng.fork('init')), homeostatic: mlp('homeostatic', features, data.classes, spec.model, ctx.rng.fork('init')) };
    for (const n of ['random', 'homeostatic'] as const) models[n].parameters().forEach((p, i) => p.set(first.parameters()[i].data));
    const etas = per((n) => new Parameter(`${n}.eta`, [], Float32Array.of(t.eta0)));
    const signs = Array.from({ length: data.classes }, (_, c) => (spec.regulation.excitatory.includes(c) ? 1 : -1));
    const rates: RateParams = { eta0: t.eta0, delta: t.eta0 * spec.regulation.delta, floor: spec.regulation.floor, signs };

    // (3) The program: K minibatches of the three wired learners per run (fewer at a record point).
    const exec = execOptions(ctx.device as Device, { threads: t.threads });
    const comparison = { models, etas, rates, batchSize: t.batchSize, features, memory: spec.regulation.memory };
    const programs = new Map<number, Promise<Program>>();
    const compile = (k: number) => Program.compile({ name: `concept_shift_${k}`, state: carried(comparison), steps: k, exec, step: (s) => comparisonStep(s, comparison) });
    const programFor = (k: number) => programs.get(k) ?? programs.set(k, compile(k)).get(k)!;
    const slots: StepInputs[] = Array.from({ length: t.stepsPerRun }, () => feed.slot());
    const layout = [features, ...spec.model.hidden, data.classes].join('-');
    ctx.log(`three learners ${layout} on ${exec.device}, ${exec.threads} thread(s), ${t.stepsPerRun} minibatches per run; ${feed.batches} minibatches per epoch`);

    // (4) Train all three on one stream, recording as we go.
    const scorer = await Scorer.create(models, data.train, split.validation, spec.record.validationSamples, exec);
    const recordBatches = Math.max(1, Math.round(spec.record.every / t.batchSize));
    const records: { sample: number; acc: PerLearner<number>; eta: PerLearner<number> }[] = [];
    const epochs: { epoch: number; swaps: number; seconds: number; train: PerLearner<number>; validation: PerLearner<number> }[] = [];
    const etaNow = () => per((n) => etas[n].data[0]);
    /** Score the three learners after `sample` training samples. */
    const record = async (sample: number) => {
      const r = { sample, acc: await scorer.score(stream), eta: etaNow() };
      records.push(r);
      ctx.metric(sample, { ...flat('acc', r.acc), ...flat('eta', r.eta) }, 'record');
    };
    let moves = 0; // minibatches after which the homeostat's η differs from the one before
    let better = 0; // decisions where the simulated move scored strictly better
    let lastEta = etas.homeostatic.data[0];
    const t0 = performance.now();
    await record(0);
    for (let epoch = 0; epoch < t.epochs; epoch++) {
      const te = performance.now();
      const swapsBefore = stream.history.length;
      const correct = per(() => 0);
      feed.startEpoch();
      while (feed.position < feed.batches) {
        const untilRecord = recordBatches - (feed.position % recordBatches);
        const k = Math.min(t.stepsPerRun, untilRecord, feed.batches - feed.position);
        for (let i = 0; i < k; i++) feed.fill(slots[i]);
        const outs = await (await programFor(k)).run(slots.slice(0, k));
        for (const [i, out] of outs.entries()) {
          for (const n of learnerNames) {
            if (!Number.isFinite(out[`${n}.loss`][0])) throw new RunFailure(`the ${n} learner diverged: loss ${out[`${n}.loss`][0]} at epoch ${epoch + 1}, minibatch ${feed.position - k + i + 1} (η ${out[`${n}.eta`][0]}); try a smaller train.eta0`);
            correct[n] += out[`${n}.correct`][0];
          }
          if (slots[i].decide[0] && out['homeostatic.move'][0] > out['homeostatic.keep'][0]) better++;
          if (out['homeostatic.eta'][0] !== lastEta) moves++;
          lastEta = out['homeostatic.eta'][0];
        }
        if (feed.position % recordBatches === 0 && feed.position < feed.batches) {
          stream.advanceTo(feed.position * t.batchSize);
          await record(epoch * epochSize + feed.position * t.batchSize);
        }
        ctx.progress((epoch + feed.position / feed.batches) / t.epochs, `epoch ${epoch + 1}/${t.epochs}`);
        await ctx.yieldOrThrowIfCancelled();
      }
      feed.endEpoch(); // the swaps due at the epoch's end come before its validation, as in the authors' loop
      await record((epoch + 1) * epochSize);
      const validation = await scorer.scoreAll(stream);
      const e = { epoch: epoch + 1, swaps: stream.history.length - swapsBefore, seconds: (performance.now() - te) / 1000, train: per((n) => correct[n] / epochSize), validation };
      epochs.push(e);
      ctx.metric(e.epoch, { ...flat('train_acc', e.train), ...flat('val_acc', e.validation), swaps: e.swaps, seconds: e.seconds }, 'epoch');
      ctx.log(`epoch ${e.epoch} (${e.swaps} swaps, ${e.seconds.toFixed(1)} s): validation ${learnerNames.map((n) => `${n} ${(100 * validation[n]).toFixed(2)}%`).join(', ')}; η ${learnerNames.map((n) => etaNow()[n].toExponential(2)).join(', ')}`);
    }
    const seconds = (performance.now() - t0) / 1000;

    // (5) Test under the final labels; the summary.
    const test = await scorer.scoreAll(stream, data.test, Int32Array.from({ length: data.test.count }, (_, i) => i));
    const final = epochs[epochs.length - 1].validation;
    const meanAcc = per((n) => mean(records.map((r) => r.acc[n])));
    ctx.trace('accuracy', { type: 'xy', title: 'Validation accuracy under the labels in force', xLabel: 'training samples', yLabel: 'accuracy', series: learnerNames.map((n) => ({ name: n, x: records.map((r) => r.sample), y: records.map((r) => r.acc[n]) })) });
    ctx.trace('learning-rate', { type: 'xy', title: 'Learning rate η', xLabel: 'training samples', yLabel: 'η', series: learnerNames.map((n) => ({ name: n, x: records.map((r) => r.sample), y: records.map((r) => r.eta[n]) })) });
    return {
      metrics: {
        ...flat('final_acc', final),
        ...flat('mean_acc', meanAcc),
        ...flat('test_acc', test),
        adv_mean_vs_constant: meanAcc.homeostatic - meanAcc.constant,
        adv_mean_vs_random: meanAcc.homeostatic - meanAcc.random,
        adv_final_vs_constant: final.homeostatic - final.constant,
        adv_final_vs_random: final.homeostatic - final.random,
        final_eta_homeostatic: etas.homeostatic.data[0],
        mean_eta_homeostatic: mean(records.map((r) => r.eta.homeostatic)),
        homeostat_moves: moves,
        homeostat_better: better,
        swaps: stream.history.length,
        seconds_per_epoch: seconds / t.epochs,
      },
      result: { data: { name: data.name, source: data.source, train: split.train.length, epochSize, validation: split.validation.length, test: data.test.count }, threads: exec.threads, epochs, swaps: stream.history },
    };
  },
};

/** Every learner's value of `f`. */
function per<T>(f: (n: (typeof learnerNames)[number]) => T): PerLearner<T> {
  return { constant: f('constant'), random: f('random'), homeostatic: f('homeostatic') };
}

const flat = (prefix: string, v: PerLearner<number>) => Object.fromEntries(learnerNames.map((n) => [`${prefix}_${n}`, v[n]]));

function mlp(name: string, features: number, classes: number, m: ConceptShiftSpec['model'], rng: Rng): Sequential {
  const layers: Layer[] = [];
  let width = features;
  const init = { init: { kind: 'he' as const }, biasInit: m.biasStd > 0 ? { kind: 'normal' as const, std: m.biasStd } : { kind: 'constant' as const, value: 0 } };
  m.hidden.forEach((h, i) => {
    layers.push(new Linear(`${name}.hidden[${i}]`, width, h, rng, init));
    layers.push(new Activation(`${name}.hidden[${i}].activation`, m.activation as ActivationKind));
    width = h;
  });
  layers.push(new Linear(`${name}.output`, width, classes, rng, init));
  return new Sequential(name, layers);
}

/** Problems only the loaded data can show (the run fails before training, saying which). */
function checkData(spec: ConceptShiftSpec, d: { validation: number; epochSize: number; rate: (epoch: number) => number }): void {
  const problems: string[] = [];
  if (d.validation === 0) problems.push('data.validation: no validation samples are left to score; hold more out');
  if (d.epochSize === 0) problems.push(`train.batchSize: ${spec.train.batchSize} is more than the training samples`);
  for (let e = 0; e < spec.train.epochs && d.epochSize > 0; e++) {
    if (d.rate(e) > d.epochSize) {
      problems.push(`shift: ${d.rate(e)} swaps in epoch ${e + 1} are more than its ${d.epochSize} samples`);
      break;
    }
  }
  if (problems.length) throw new InputError(problems);
}

/** Each learner's accuracy on validation (or test) samples under the labels the stream has in force. */
class Scorer {
  private readonly labels: Int32Array;
  private constructor(
    readonly models: PerLearner<Layer>,
    readonly set: ImageSet,
    /** The validation part. */
    readonly validation: Int32Array,
    /** The part scored at each record (a prefix of it) and its pixels. */
    readonly subset: Int32Array,
    private readonly pixels: Uint8Array,
    private readonly evaluators: PerLearner<Evaluator>,
    readonly exec: ExecOptions,
  ) {
    this.labels = new Int32Array(subset.length);
  }

  /** Scores the first `n` (0: all) of the validation part at each record. */
  static async create(models: PerLearner<Layer>, set: ImageSet, validation: Int32Array, n: number, exec: ExecOptions): Promise<Scorer> {
    const subset = n === 0 || n >= validation.length ? validation : validation.subarray(0, n);
    const features = set.rows * set.cols;
    const pixels = new Uint8Array(subset.length * features);
    subset.forEach((i, r) => pixels.set(set.images.subarray(i * features, (i + 1) * features), r * features));
    const compile = (m: Layer) => Evaluator.compile({ model: m, inputShape: [subset.length, features], inputType: 'uint8', target: { shape: [subset.length], dtype: 'int32' }, metrics: { correct: correctCount }, exec });
    const evaluators = { constant: await compile(models.constant), random: await compile(models.random), homeostatic: await compile(models.homeostatic) };
    return new Scorer(models, set, validation, subset, pixels, evaluators, exec);
  }

  /** Accuracy on the record subset. */
  async score(stream: LabelSwapStream): Promise<PerLearner<number>> {
    this.subset.forEach((i, r) => (this.labels[r] = stream.current(this.set.labels[i])));
    const out = per(() => 0);
    for (const n of learnerNames) out[n] = (await this.evaluators[n].run(this.pixels, this.labels)).values.correct / this.labels.length;
    return out;
  }

  /** Accuracy on `indices` of `set` (default: the whole validation part), 1000 at a time. */
  async scoreAll(stream: LabelSwapStream, set: ImageSet = this.set, indices: Int32Array = this.validation): Promise<PerLearner<number>> {
    const relabelled: ImageSet = { ...set, labels: set.labels.map((y) => stream.current(y)) };
    const features = set.rows * set.cols;
    const out = per(() => 0);
    for (const n of learnerNames) {
      const io = { model: this.models[n], inputShape: (k: number) => [k, features], inputType: 'uint8' as const, target: (k: number) => ({ shape: [k], dtype: 'int32' as const }), loss: softmaxCrossEntropy, metrics: { accuracy: correctCount }, exec: this.exec };
      out[n] = (await evaluate(io, byteBatches(relabelled, indices, 1000))).accuracy;
    }
    return out;
  }
}
