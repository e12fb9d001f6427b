/**
 * gating.dopamine — Dopamine: brain modes, not brains (PAPERS.md §4): specialise a frozen
 * foundation MLP to rotated digits by learning, per hidden unit, a threshold τ and a gain γ
 * (2 parameters per unit), and compare with LoRA, bias-only tuning and the frozen base itself.
 *
 * Method: (1) load the base a gating.foundation run saved (`base`, by path), checked against
 * the data, and freeze it: its weights are fed to every step and no gradient reaches them;
 * (2) load the data: the tuning set is the training digits rotated by `rotation.degrees`, with a
 * seeded validation part; the test digits both rotated and upright; (3) build the model of
 * `method` on the base (frozen, dopamine, lora, bias: models/gating/tuning.ts); (4) train what
 * the method trains with the shared dense loop, the soft gates' temperature T fed per epoch on
 * the schedule `gate.temperature` (dopamine), validating the hard model after every epoch;
 * (5) test the hard model on rotated and upright test digits, and the soft one at the last T
 * (the soft-vs-hard gap); (6) through the attribution engine: the fraction of active units per
 * layer, and (dopamine) the gate state and gain of every unit over the rotated test digits with
 * the same fractions upright beside them (artifacts/attribution/hidden<i>.dopamine.gate.json);
 * (7) the spec's own `attribution:` block; (8) export the hard model as artifacts/model.onnx.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { InputError } from '../core/errors';
import { writeFileAtomic } from '../core/files';
import { Rng } from '../core/rng';
import { byteBatches, loadData, rotate, splitTrainValidation } from '../data';
import { imageSlice } from '../dense/attribution/data';
import { loadCheckpoint, saveCheckpoint } from '../dense/checkpoint';
import { exportOnnx } from '../dense/export';
import { correctCount, softmaxCrossEntropy } from '../dense/losses';
import { makeOptimizer } from '../dense/optimizers';
import { resolveDenseDevice, type Device } from '../dense/providers';
import { execOptions } from '../dense/session';
import { TrainState } from '../dense/step';
import { evaluate, train } from '../dense/train';
import { buildBase, loadBase, locateBase, readBaseInfo, type BaseInfo } from '../models/gating/base';
import { GATE_METHOD } from '../models/gating/gate-attribution';
import { tuneBase, tunedAttributionModel, tuningMethods, temperatureAt, type TunedModel } from '../models/gating/tuning';
import { gateReport, layerActivity, type GateLayerReport } from '../models/gating/report';
import { attributionOptions } from '../protocol/attribution';
import { writeRecord } from '../dense/attribution/store';
import { attributionBlock, checkAttributionBlock, computeRecord, sliceIds, writeRunAttributions, type AttributionSubject } from './attribution';
import { mlpSpec, optimizerSpec } from './dense-mlp';
import type { Experiment, ExperimentResult, FinishedRun } from './experiment';
import { gatingData, gatingDataProblems, rotationDegrees } from './gating-foundation';
import { checkSplit, loadRunData } from './run-data';
import { defineSpec } from './spec';
import type { MetricTable } from '../protocol/metrics';
import { trainingAccuracy, trainingLoss, trainingRest, trainingSeries } from './training-metrics';

export const dopamineSpec = defineSpec('gating.dopamine', {
  base: z
    .string()
    .min(1)
    .describe('The frozen base, by path (relative to the spec file): a gating.foundation run folder, a folder of runs (the newest completed one with a base), or its artifacts/base.json.'),
  method: z.enum(tuningMethods).default('dopamine').describe('What is tuned on the frozen base: frozen (nothing), dopamine (a gate threshold and gain per hidden unit), lora (rank-r updates of every Linear), bias (every bias).'),
  data: gatingData.prefault({}),
  rotation: z.strictObject({ degrees: rotationDegrees }).prefault({}).describe('The digits tuned to: training and test digits rotated by this angle (test digits are also measured upright).'),
  gate: z
    .strictObject({
      threshold: z.number().default(0).describe('Initial threshold τ of every gate (0 passes a ReLU unit unchanged).'),
      gain: z.number().default(1).describe('Initial gain γ of every gate.'),
      temperature: z
        .strictObject({
          start: z.number().gt(0).default(1).describe('T in the first epoch.'),
          end: z.number().gt(0).default(0.05).describe('T in the last epoch.'),
          shape: z.enum(['exponential', 'linear', 'constant']).default('exponential').describe('How T goes from start to end over the epochs (per epoch).'),
        })
        .prefault({})
        .describe('The soft gate σ((h − τ)/T) anneals towards the hard gate 1[h > τ] used at inference.'),
    })
    .prefault({})
    .describe('method: dopamine.'),
  lora: z
    .strictObject({
      rank: z.int().min(1).max(1024).default(4).describe('Rank r of each Linear\'s update.'),
      alpha: z.number().gt(0).default(4).describe('Scale α: the update is (α/r) B A.'),
    })
    .prefault({})
    .describe('method: lora.'),
  train: mlpSpec.shape.train,
  export: z.boolean().default(true).describe('Write the tuned model (hard gates) as artifacts/model.onnx.'),
  attribution: attributionBlock.optional(),
}).superRefine((s, ctx) => {
  for (const p of gatingDataProblems(s.data, s.train.batchSize)) ctx.addIssue({ code: 'custom', ...p });
});
export type DopamineSpec = z.infer<typeof dopamineSpec>;

/** Written at the start of a run: the base it tunes (so the run explains itself without the base's folder). */
const BASE_INFO = 'base-info.json';


/**
 * What gating.dopamine emits: the training loop's records (the soft model while it trains), the
 * hard model's validation and the gate temperature per epoch (series `hard`), then the test of
 * the hard model against the frozen base, and per layer how much the gates let through.
 */
export const dopamineMetrics: MetricTable = {
  series: { ...trainingSeries, hard: { label: 'hard gates, per epoch', x: 'epoch' } },
  metrics: [
    { name: 'rotated_accuracy', label: 'test accuracy, rotated digits', group: 'Accuracy', percent: true, better: 'higher', key: true },
    { name: 'upright_accuracy', label: 'test accuracy, upright digits', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'rotated_accuracy_soft', label: 'test accuracy, rotated digits, soft gates', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'frozen_rotated_accuracy', label: 'frozen base, rotated digits', group: 'Accuracy', percent: true },
    { name: 'frozen_upright_accuracy', label: 'frozen base, upright digits', group: 'Accuracy', percent: true },
    { name: 'val_accuracy_hard', label: 'validation accuracy, hard gates', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'val_accuracy_soft', label: 'validation accuracy, soft gates', group: 'Accuracy', percent: true, better: 'higher' },
    ...trainingAccuracy,
    { name: 'rotated_gain_over_frozen', label: 'rotated accuracy gained over the frozen base', group: 'Gain', percent: true, better: 'higher', key: true },
    { name: 'soft_hard_gap', label: 'soft minus hard gates, rotated', group: 'Gain', percent: true },
    ...trainingLoss,
    { name: 'temperature', label: 'gate temperature', group: 'Gate temperature', scale: 'log' },
    { name: 'final_temperature', label: 'final gate temperature', group: 'Gate temperature' },
    { name: 'active_{layer}', label: '{layer}: units passing, rotated digits', group: 'Activity', percent: true },
    { name: 'gated_off_{layer}', label: '{layer}: firing units the gate shuts, rotated digits', group: 'Activity', percent: true },
    { name: 'units_off_for_rotated_{layer}', label: '{layer}: units off for rotated digits that fire for upright ones', group: 'Activity' },
    ...trainingRest,
    { name: 'trainable_parameters', label: 'trainable parameters', group: 'Model' },
  ],
};

export const dopamineExperiment: Experiment<DopamineSpec> = {
  kind: 'gating.dopamine',
  title: 'Dopamine gate-and-gain tuning vs LoRA, bias-only and the frozen base',
  description: 'Tunes a frozen foundation MLP to rotated digits with a threshold and a gain per hidden unit (or LoRA, biases, nothing)',
  paper: 'PAPERS.md §4',
  engine: 'dense',
  schema: dopamineSpec,
  metrics: dopamineMetrics,
  check(spec, resolvePath) {
    const { basePath } = locateBase(resolvePath(spec.base));
    const { info } = readBaseInfo(basePath, { name: spec.data.name });
    loadBase(basePath, info, new Rng(0));
  },
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) The frozen base.
    const located = locateBase(ctx.resolvePath(spec.base));
    const data = await loadRunData(spec.data, ctx);
    const features = data.train.rows * data.train.cols;
    const { info } = readBaseInfo(located.basePath, { name: data.name, features, classes: data.classes });
    const base = loadBase(located.basePath, info, new Rng(0));
    writeFileAtomic(ctx.artifactPath(BASE_INFO), JSON.stringify({ path: located.basePath, run: located.run, info }, null, 1));
    ctx.log(`base ${located.basePath} (${[features, ...info.architecture.hidden, data.classes].join('-')}, pretrained on ${info.data.name} with ${100 * info.data.fraction}% rotated by ${info.data.degrees}°)`);

    // (2) Data: tuning on rotated digits; test digits rotated and upright.
    const degrees = spec.rotation.degrees;
    if (degrees !== info.data.degrees) ctx.log(`tuning to ${degrees}°, while the base saw ${info.data.degrees}°`, 'warn');
    checkSplit(data.train, spec.data.validation, spec.train.batchSize, data.source);
    const split = splitTrainValidation(data.train.count, spec.data.validation, ctx.rng.fork('split'));
    const tuning = rotate(data.train, degrees);
    const test = { rotated: rotate(data.test, degrees), upright: data.test };
    const allTest = Int32Array.from({ length: data.test.count }, (_, i) => i);

    // (3) The model of the method.
    const m = tuneBase(base, spec.method, spec, ctx.rng.fork('init'));
    const dims = { features, classes: data.classes, rows: data.train.rows, cols: data.train.cols };
    if (spec.attribution) checkAttributionBlock(spec.attribution, tunedAttributionModel(m, dims));
    const trainable = m.trained.reduce((s, p) => s + p.size, 0);
    const exec = execOptions(ctx.device as Device, { threads: spec.train.threads, spin: spec.train.spin });
    ctx.log(`${spec.method}: ${trainable} trainable parameters (${m.trained.map((p) => `${p.name} ${p.size}`).join(', ') || 'none'}) on ${exec.device}, ${exec.threads} threads`);
    const io = (model: TunedModel['train']) => ({
      model,
      inputShape: (n: number) => [n, features],
      inputType: 'uint8' as const,
      target: (n: number) => ({ shape: [n], dtype: 'int32' as const }),
      loss: softmaxCrossEntropy,
      metrics: { accuracy: correctCount },
      exec,
    });
    const hard = io(m.infer);
    const testOn = (o: typeof hard, set: keyof typeof test) => evaluate(o, byteBatches(test[set], allTest, 1000), ctx);
    const before = { rotated: await testOn(hard, 'rotated'), upright: await testOn(hard, 'upright') };
    ctx.log(`frozen base: rotated ${pct(before.rotated.accuracy)}, upright ${pct(before.upright.accuracy)}`);

    // (4) Training (nothing for the frozen base).
    const state = new TrainState(m.params, makeOptimizer(optimizerSpec(spec.train)));
    const schedule = spec.gate.temperature;
    const setTemperature = (epoch: number) => m.temperature?.set([temperatureAt(epoch, spec.train.epochs, schedule)]);
    const validation = split.validation.length ? () => byteBatches(tuning, split.validation, 1000) : undefined;
    let summary: Awaited<ReturnType<typeof train>> | undefined;
    let valHard: number | undefined;
    const trainedAt: number[] = []; // T of each epoch (1-based), so the soft test uses the T of the parameters it tests
    if (spec.method !== 'frozen') {
      setTemperature(0);
      const shuffle = ctx.rng.fork('shuffle');
      summary = await train(ctx, {
        ...io(m.train),
        state,
        trainBatches: () => byteBatches(tuning, split.train, spec.train.batchSize, shuffle),
        validationBatches: validation,
        stepsPerEpoch: Math.ceil(split.train.length / spec.train.batchSize),
        epochs: spec.train.epochs,
        lr: spec.train.lr,
        earlyStopping: spec.train.earlyStopping,
        checkpoints: spec.train.checkpoints,
        async onEpochEnd(report) {
          // The hard model (inference) on the validation digits, at the temperature this epoch trained with.
          if (validation) valHard = (await evaluate(hard, validation(), ctx)).accuracy;
          const values: Record<string, number> = valHard === undefined ? {} : { val_accuracy_hard: valHard };
          if (m.temperature) values.temperature = trainedAt[report.epoch] = m.temperature.data[0];
          if (Object.keys(values).length) ctx.metric(report.epoch, values, 'hard');
          setTemperature(report.epoch);
        },
      });
      const kept = spec.train.earlyStopping?.restoreBest ? summary.bestEpoch : summary.epochs.length;
      if (m.temperature) m.temperature.set([trainedAt[kept]]);
    } else if (spec.train.checkpoints) saveCheckpoint(ctx.artifactPath('checkpoint-last'), state, { epoch: 0 });

    // (5) Test: the hard model upright and rotated, the soft one rotated.
    const rotated = await testOn(hard, 'rotated');
    const upright = await testOn(hard, 'upright');
    const soft = m.method === 'dopamine' ? await testOn(io(m.train), 'rotated') : rotated;
    ctx.log(`${spec.method}: rotated ${pct(rotated.accuracy)} (frozen ${pct(before.rotated.accuracy)}), upright ${pct(upright.accuracy)}; soft ${pct(soft.accuracy)} at T = ${m.temperature?.data[0] ?? '–'}`);

    // (6) Active units and the gates, through the attribution engine.
    const subject = (model = tunedAttributionModel(m, dims)): AttributionSubject => ({ model, data: slicer(tuning, test.rotated, split), source: { kind: 'gating.dopamine', run: ctx.runId, checkpoint: 'final' }, exec });
    let gates: GateLayerReport[] = [];
    let gateFiles: string[] = [];
    if (m.method === 'dopamine') {
      const report = await gateReport(m, dims, imageSlice(test.upright, allTest), { exec });
      const records = [];
      for (const layer of m.layerIds) {
        const ask = { method: GATE_METHOD, layer, data: { split: 'test' as const }, options: attributionOptions.parse({}) };
        const record = await computeRecord(subject(report.model), ask, { yieldOrThrowIfCancelled: () => ctx.yieldOrThrowIfCancelled() });
        gateFiles.push(`artifacts/attribution/${path.basename(writeRecord(ctx.artifactPath('attribution'), record))}`);
        records.push(record);
      }
      const summarized = report.summarize(records);
      gates = summarized.layers;
      ctx.trace('gate-states', summarized.trace);
      for (const g of gates) ctx.log(`${g.layer}: the gate passes ${pct(g.activeRotated)} of unit × rotated digit (the unit fires on ${pct(g.firesRotated)}), ${pct(g.activeUpright)} upright (${pct(g.firesUpright)}); ${g.offForRotated} units off for rotated digits that fire for upright ones; γ ${g.gain.min.toFixed(3)}…${g.gain.max.toFixed(3)}`);
    }

    const activity = gates.length ? gates.map((g) => ({ layer: g.layer, fraction: g.activeRotated })) : await layerActivity(subject().model, imageSlice(test.rotated, allTest), m.layerIds, { exec });

    // (7) The spec's attribution block; (8) export.
    const attribution = spec.attribution && (await writeRunAttributions(spec.attribution, subject(), ctx));
    if (spec.export) exportOnnx(m.infer, ctx.artifactPath('model.onnx'), { inputShape: [-1, features], outputName: 'logits', metadata: { kind: 'gating.dopamine', method: spec.method, input: `pixels/255 as float32 [N, ${features}]` } });

    const last = summary?.epochs[summary.epochs.length - 1];
    return {
      metrics: {
        rotated_accuracy: rotated.accuracy,
        upright_accuracy: upright.accuracy,
        rotated_gain_over_frozen: rotated.accuracy - before.rotated.accuracy,
        frozen_rotated_accuracy: before.rotated.accuracy,
        frozen_upright_accuracy: before.upright.accuracy,
        rotated_accuracy_soft: soft.accuracy,
        soft_hard_gap: soft.accuracy - rotated.accuracy,
        trainable_parameters: trainable,
        ...Object.fromEntries(activity.map((a) => [`active_${a.layer}`, a.fraction])),
        ...Object.fromEntries(gates.flatMap((g) => [[`gated_off_${g.layer}`, g.shutRotated], [`units_off_for_rotated_${g.layer}`, g.offForRotated]])),
        ...(last ? { train_loss: last.train.loss, epochs: summary!.epochs.length, steps: summary!.steps, steps_per_s: summary!.stepsPerSecond } : {}),
        ...(last?.validation ? { val_accuracy_soft: last.validation.accuracy } : {}),
        ...(valHard !== undefined ? { val_accuracy_hard: valHard } : {}),
        ...(m.temperature ? { final_temperature: m.temperature.data[0] } : {}),
      },
      result: {
        method: spec.method,
        base: { path: located.basePath, run: located.run, accuracy: info.accuracy },
        provider: exec.device,
        threads: exec.threads,
        trainable: Object.fromEntries(m.trained.map((p) => [p.name, p.size])),
        data: { name: data.name, source: data.source, degrees, train: split.train.length, validation: split.validation.length, test: data.test.count },
        activity,
        gates,
        epochs: summary?.epochs,
        attribution: [...gateFiles, ...(attribution ?? [])],
        export: spec.export ? 'artifacts/model.onnx' : undefined,
      },
    };
  },
  attribution: { load: loadForAttribution },
};

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/** The run's splits for attribution: train and validation of the rotated training digits, test the rotated test digits. */
function slicer(tuning: ReturnType<typeof rotate>, rotatedTest: ReturnType<typeof rotate>, split: { train: Int32Array; validation: Int32Array }): AttributionSubject['data'] {
  const test = Int32Array.from({ length: rotatedTest.count }, (_, i) => i);
  return async (slice) => (slice.split === 'test' ? imageSlice(rotatedTest, sliceIds(test, slice)) : imageSlice(tuning, sliceIds(split[slice.split], slice)));
}

/**
 * A finished run's tuned model from its own artifacts: the base it tuned (base-info.json: the
 * architecture) and checkpoint-last, which holds every parameter the steps were fed (the frozen
 * base's too, so the base's folder need not exist any more); the data made again from spec.json.
 */
async function loadForAttribution(spec: DopamineSpec, run: FinishedRun): Promise<AttributionSubject> {
  const artifacts = path.join(run.dir, 'artifacts');
  let stored: { info: BaseInfo };
  try {
    stored = JSON.parse(fs.readFileSync(path.join(artifacts, BASE_INFO), 'utf8'));
  } catch (e) {
    throw new InputError([`${run.id}: cannot read artifacts/${BASE_INFO}: ${(e as Error).message}`]);
  }
  if (!fs.existsSync(path.join(artifacts, 'checkpoint-last.json'))) throw new InputError([`${run.id}: no artifacts/checkpoint-last.json to rebuild the tuned model from${spec.train.checkpoints ? ' (the run ended before its first epoch)' : ' (the run had train.checkpoints: false)'}`]);
  const dir = spec.data.dir === undefined ? undefined : path.resolve(run.baseDir, spec.data.dir);
  const data = await loadData({ ...spec.data, dir });
  const split = splitTrainValidation(data.train.count, spec.data.validation, new Rng(spec.seed).fork('split'));
  const m = tuneBase(buildBase(stored.info.architecture, new Rng(0)), spec.method, spec, new Rng(spec.seed).fork('init'));
  const index = loadCheckpoint(path.join(artifacts, 'checkpoint-last'), new TrainState(m.params, makeOptimizer(optimizerSpec(spec.train))));
  const exec = execOptions(resolveDenseDevice(spec.device), { threads: spec.train.threads });
  const dims = { features: data.train.rows * data.train.cols, classes: data.classes, rows: data.train.rows, cols: data.train.cols };
  const rotatedTest = rotate(data.test, spec.rotation.degrees);
  const all = Int32Array.from({ length: data.test.count }, (_, i) => i);
  const model = m.method === 'dopamine' ? (await gateReport(m, dims, imageSlice(data.test, all), { exec })).model : tunedAttributionModel(m, dims);
  return { model, data: slicer(rotate(data.train, spec.rotation.degrees), rotatedTest, split), source: { kind: 'gating.dopamine', run: run.id, checkpoint: 'checkpoint-last', epoch: index.epoch }, exec };
}
