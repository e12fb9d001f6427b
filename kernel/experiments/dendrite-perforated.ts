/**
 * dendrite.perforated — perforated backpropagation (Brenner & Itti, arXiv 2501.18018; PAPERS.md
 * §1): neurons of a Linear or Conv2d layer grow dendrites, one set per cycle, trained apart from
 * the network on their correlation with each neuron's error.
 *
 * Method: (1) load the data set, keep a seeded fraction of the training images, hold out a
 * seeded validation part; (2) build the net (MLP, or convolutions then an MLP) with the chosen
 * layers perforated, or the plain net widened to the parameters of the perforated one
 * (`model.widenTo`); (3) train in phases (models/dendrite/perforated-schedule.ts): a neuron
 * phase trains W, b and every c by backpropagation until validation stops improving; then the
 * best model is restored, a candidate dendrite set grows, and a dendrite phase trains only the
 * candidates on the correlation objective (models/dendrite/perforated-correlation.ts; one ONNX
 * step graph holds the forward pass, the loss's gradient at each layer output and the
 * objective's gradient), until the score stops improving; the best-scoring candidates join with
 * c = 0 and a neuron phase follows — until a new set fails to improve validation `maxTries`
 * times, or `maxCycles` sets have grown. Every switch, cycle start, restore and stop is an
 * `event` metric record and a log line; (4) measure test accuracy before the first cycle (the
 * plain net's) and at the end, and the remaining-error reduction; (5) write each unit's
 * dendrite contribution (artifacts/attribution/) and export the model (artifacts/model.onnx).
 */
import * as fs from 'fs';
import { InputError } from '../core/errors';
import { byteBatches, splitTrainValidation } from '../data';
import { exportOnnx } from '../dense/export';
import { correctCount, softmaxCrossEntropy } from '../dense/losses';
import { makeOptimizer, type OptimizerSpec } from '../dense/optimizers';
import type { Device } from '../dense/providers';
import { execOptions } from '../dense/session';
import { TrainState } from '../dense/step';
import { evaluate, train, type EpochReport } from '../dense/train';
import { dendriteContributions, writeContributions } from '../models/dendrite/perforated-contribution';
import { CorrelationScores, correlationObjective } from '../models/dendrite/perforated-correlation';
import { PerforatedNet, parameterCount, weightLayers, widenedHidden, type NetSnapshot } from '../models/dendrite/perforated-net';
import { EVENTS, PhaseSchedule, REASONS, type Action, type ScheduleEvent } from '../models/dendrite/perforated-schedule';
import { perforatedSpec, subsetProblems, type PerforatedSpec } from './dendrite-perforated-spec';
import type { MetricTable } from '../protocol/metrics';
import { trainingAccuracy, trainingLoss, trainingRest, trainingSeries } from './training-metrics';
import type { Experiment, ExperimentResult } from './experiment';
import { loadRunData } from './run-data';


/**
 * What dendrite.perforated emits: the training loop's records, each schedule event (series
 * `event`: indices into its event and reason lists), the phase per epoch (series `perforated`),
 * then the test before and after the dendrites and what they cost.
 */
export const perforatedMetrics: MetricTable = {
  series: { ...trainingSeries, event: { label: 'schedule events', x: 'epoch' }, perforated: { label: 'per epoch', x: 'epoch' } },
  metrics: [
    { name: 'test_accuracy', label: 'test accuracy', group: 'Accuracy', percent: true, better: 'higher', key: true },
    { name: 'test_accuracy_before', label: 'test accuracy before the dendrites', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'best_val', label: 'best validation score', group: 'Accuracy', better: 'higher' },
    ...trainingAccuracy,
    { name: 'error_reduction', label: 'test error removed by the dendrites', group: 'Error reduction', percent: true, better: 'higher', key: true },
    { name: 'test_loss', label: 'test loss', group: 'Loss', better: 'lower' },
    ...trainingLoss,
    { name: 'score', label: 'validation score', group: 'Validation score', better: 'higher' },
    { name: 'phase', label: 'phase (0 neuron, 1 dendrite)', group: 'Phase' },
    { name: 'cycles', label: 'dendrite cycles', group: 'Dendrite cycles' },
    { name: 'cycle', label: 'cycle', group: 'Dendrite cycles' },
    { name: 'event', label: 'event (index)', group: 'Schedule events' },
    { name: 'reason', label: 'reason (index)', group: 'Schedule events' },
    { name: 'failures', label: 'failed tries', group: 'Schedule events' },
    { name: 'parameters', label: 'parameters', group: 'Model' },
    { name: 'parameters_before', label: 'parameters before the dendrites', group: 'Model' },
    { name: 'dendrite_epochs', label: 'dendrite epochs', group: 'Training' },
    { name: 'neuron_epoch_s', label: 'mean neuron-phase epoch time', unit: 's', group: 'Epoch time', better: 'lower' },
    { name: 'dendrite_epoch_s', label: 'mean dendrite-phase epoch time', unit: 's', group: 'Epoch time', better: 'lower' },
    ...trainingRest,
  ],
};

export const perforatedExperiment: Experiment<PerforatedSpec> = {
  kind: 'dendrite.perforated',
  title: 'Perforated backpropagation (dendrites on Linear and Conv2d layers)',
  description: 'Neurons grow dendrites cycle by cycle, trained on their correlation with the neuron\'s error; plain vs perforated vs a wider plain net',
  paper: '§1 Brenner & Itti, Perforated Backpropagation',
  engine: 'dense',
  schema: perforatedSpec,
  metrics: perforatedMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Data: a seeded fraction of the training images, then the seeded validation split.
    const data = await loadRunData(spec.data, ctx);
    const problems = subsetProblems(data.train.count, spec.data.fraction, spec.data.validation, spec.train.batchSize);
    if (problems.length) throw new InputError(problems.map((p) => `${p.path.join('.')}: ${p.message} (${data.train.count} training images in ${data.source})`));
    const subset = ctx.rng.fork('fraction').shuffle(Int32Array.from({ length: data.train.count }, (_, i) => i)).slice(0, Math.round(data.train.count * spec.data.fraction));
    const parts = splitTrainValidation(subset.length, spec.data.validation, ctx.rng.fork('split'));
    const [trainIdx, valIdx] = [parts.train, parts.validation].map((p) => Int32Array.from(p, (i) => subset[i]).sort());
    const input = { rows: data.train.rows, cols: data.train.cols, classes: data.classes };
    const features = input.rows * input.cols;

    // (2) The network: this one, or the plain net widened to its size with `widenTo` dendrite sets.
    const detachInputs = spec.dendrites.detachInputs ?? spec.dendrites.learning === 'correlation';
    const netSpec = spec.model.widenTo > 0 ? { ...spec.model, hidden: widenedHidden(spec.model, input, spec.model.widenTo), perforate: [] } : { ...spec.model, detachInputs };
    const net = PerforatedNet.build(netSpec, input, ctx.rng.fork('init'));
    const exec = execOptions(ctx.device as Device, { threads: spec.train.threads, spin: spec.train.spin });
    const conv = netSpec.conv.length > 0;
    const io = {
      model: net.model,
      inputShape: (n: number) => (conv ? [n, 1, input.rows, input.cols] : [n, features]),
      inputType: 'uint8' as const,
      target: (n: number) => ({ shape: [n], dtype: 'int32' as const }),
      loss: softmaxCrossEntropy,
      metrics: { accuracy: correctCount },
      exec,
    };
    const test = () => evaluate(io, byteBatches(data.test, Int32Array.from({ length: data.test.count }, (_, i) => i), 1000), ctx);
    ctx.log(
      `${conv ? `conv ${netSpec.conv.join('-')} + ` : ''}MLP ${[weightLayers(netSpec, input)[netSpec.conv.length].weightShape[1], ...netSpec.hidden, data.classes].join('-')}, ${net.parameterCount()} parameters` +
        `${spec.model.widenTo ? ` (plain, widened to ${parameterCount(spec.model, input, spec.model.widenTo)} = the perforated net with ${spec.model.widenTo} dendrite sets)` : `; perforated: ${net.perforated.map((l) => l.name).join(', ') || 'none'}`}` +
        `; ${trainIdx.length} training, ${valIdx.length} validation images (fraction ${spec.data.fraction}); ${exec.threads} threads on ${exec.device}`,
    );

    // (3) Phases, as the schedule says.
    const schedule = new PhaseSchedule(spec.schedule, spec.dendrites.learning, net.perforated.length > 0);
    const shuffle = ctx.rng.fork('shuffle');
    const growRng = ctx.rng.fork('dendrites');
    const neuronOpt = optimizerSpec(spec.train.optimizer, spec.train.lr, spec.train);
    const dendriteOpt = optimizerSpec(spec.dendrites.optimizer, spec.dendrites.lr, spec.train);
    const events: ScheduleEvent[] = [];
    const epochs: (EpochReport & { phase: 'neuron' | 'dendrite'; cycles: number; score?: number })[] = [];
    let best: NetSnapshot | undefined;
    let before: { accuracy: number; loss: number; parameters: number } | undefined;
    let epoch = 0;
    let grown = 0;
    const apply = async (actions: Action[], scores?: CorrelationScores) => {
      for (const a of actions) {
        if (a.do === 'save-best') best = net.snapshot();
        else if (a.do === 'restore-best') net.restore(best!);
        else if (a.do === 'grow') {
          if (!before) {
            const t = await test(); // the plain net: the best model before any dendrite
            before = { accuracy: t.accuracy, loss: t.loss, parameters: net.parameterCount() };
          }
          const rng = growRng.fork(`grow${grown++}`);
          for (const l of net.perforated) l.addCandidate(rng.fork(l.name), spec.dendrites.initScale);
          if (spec.dendrites.learning === 'gradient') for (const l of net.perforated) l.accept();
        } else if (a.do === 'join') {
          scores!.restoreBest();
          for (const l of net.perforated) l.accept();
        }
      }
    };
    const record = (es: ScheduleEvent[]) => {
      for (const e of es) {
        events.push(e);
        ctx.metric(e.epoch, { event: EVENTS.indexOf(e.event), reason: REASONS.indexOf(e.reason), cycle: e.cycle, failures: e.failures, parameters: net.parameterCount() }, 'event');
        ctx.log(`epoch ${e.epoch}: ${e.event} (${e.reason}); ${e.cycle} dendrite set(s) joined, ${e.failures} failed in a row, ${net.parameterCount()} parameters`);
      }
    };

    while (!schedule.done) {
      const phase = schedule.phase;
      net.setPhase(phase, spec.dendrites.learning === 'gradient');
      const state = new TrainState(net.parameters(), makeOptimizer(phase === 'dendrite' ? dendriteOpt : neuronOpt));
      const scores = phase === 'dendrite' ? new CorrelationScores(net.perforated, spec.schedule.initialBatches, spec.schedule.scoreDecay) : undefined;
      let pending: Action[] = [];
      let happened: ScheduleEvent[] = [];
      await train(ctx, {
        ...io,
        state,
        trainBatches: () => byteBatches(data.train, trainIdx, spec.train.batchSize, shuffle),
        // A dendrite phase changes nothing the network outputs: no validation.
        validationBatches: phase === 'neuron' ? () => byteBatches(data.train, valIdx, 1000) : undefined,
        stepsPerEpoch: Math.ceil(trainIdx.length / spec.train.batchSize),
        epochs: spec.schedule.maxEpochs - epoch,
        epochOffset: epoch,
        lr: phase === 'dendrite' ? dendriteOpt.lr : neuronOpt.lr,
        stepsPerRun: spec.train.stepsPerRun,
        objective: scores && correlationObjective(net.perforated),
        onRun: scores && ((_, tensors) => scores.update(tensors)),
        onEpochEnd: (report) => {
          epoch = report.epoch;
          const score = scores?.meanBest();
          epochs.push({ ...report, phase, cycles: net.cycles, ...(score !== undefined ? { score } : {}) });
          ctx.metric(epoch, { phase: phase === 'neuron' ? 0 : 1, cycles: net.cycles, parameters: net.parameterCount(), ...(score !== undefined ? { score } : {}) }, 'perforated');
          const step = scores ? schedule.dendriteEpoch(epoch, score!) : schedule.neuronEpoch(epoch, report.validation![spec.schedule.monitor]);
          for (const a of step.actions) if (a.do === 'save-best') best = net.snapshot(); // now, at this epoch's values
          pending = step.actions.filter((a) => a.do !== 'save-best');
          happened = step.events;
          return pending.length ? 'stop' : undefined;
        },
      });
      if (!pending.length && !schedule.done) ({ actions: pending, events: happened } = schedule.finish(epoch)); // out of epochs
      await apply(pending, scores);
      record(happened); // after the actions: the counts are the new net's
    }

    // (4) Test: the plain net's (before any dendrite) and the final one's.
    const final = await test();
    before ??= { accuracy: final.accuracy, loss: final.loss, parameters: net.parameterCount() };
    const errorReduction = (1 - before.accuracy - (1 - final.accuracy)) / (1 - before.accuracy);
    ctx.log(`test: accuracy ${(100 * final.accuracy).toFixed(2)}% with ${net.cycles} dendrite set(s), ${net.parameterCount()} parameters; before dendrites ${(100 * before.accuracy).toFixed(2)}% (${before.parameters}); remaining error ${(100 * errorReduction).toFixed(1)}% lower`);
    traces(ctx, epochs);

    // (5) Per-unit dendrite contributions and the exported model.
    let contributions: string[] = [];
    if (spec.contribution.items > 0 && net.cycles > 0) {
      const t0 = performance.now();
      const items = Int32Array.from({ length: Math.min(spec.contribution.items, data.test.count) }, (_, i) => i);
      const c = await dendriteContributions(net, byteBatches(data.test, items, 1000), io);
      const dir = ctx.artifactPath('attribution');
      fs.mkdirSync(dir, { recursive: true });
      contributions = writeContributions(dir, c, { kind: 'dendrite.perforated', seconds: (performance.now() - t0) / 1000 });
    }
    if (spec.export) {
      exportOnnx(net.model, ctx.artifactPath('model.onnx'), {
        inputShape: conv ? [-1, 1, input.rows, input.cols] : [-1, features],
        outputName: 'logits',
        metadata: { kind: 'dendrite.perforated', cycles: String(net.cycles), input: `pixels/255 as float32 ${conv ? `[N, 1, ${input.rows}, ${input.cols}]` : `[N, ${features}]`}` },
      });
    }
    const seconds = (phase: 'neuron' | 'dendrite') => mean(epochs.filter((e) => e.phase === phase).map((e) => e.seconds));
    return {
      metrics: {
        test_accuracy: final.accuracy,
        test_loss: final.loss,
        test_accuracy_before: before.accuracy,
        error_reduction: errorReduction,
        parameters: net.parameterCount(),
        parameters_before: before.parameters,
        cycles: net.cycles,
        epochs: epoch,
        dendrite_epochs: epochs.filter((e) => e.phase === 'dendrite').length,
        best_val: schedule.best?.value ?? NaN,
        neuron_epoch_s: seconds('neuron'),
        dendrite_epoch_s: seconds('dendrite'),
      },
      result: {
        provider: exec.device,
        threads: exec.threads,
        hidden: netSpec.hidden,
        perforated: net.perforated.map((l) => l.name),
        data: { name: data.name, source: data.source, fraction: spec.data.fraction, train: trainIdx.length, validation: valIdx.length, test: data.test.count },
        events,
        epochs,
        contributions: contributions.map((f) => `artifacts/attribution/${f.split(/[\\/]/).pop()}`),
        export: spec.export ? 'artifacts/model.onnx' : undefined,
      },
    };
  },
};

function optimizerSpec(kind: 'sgd' | 'momentum' | 'adam', lr: number, t: PerforatedSpec['train']): OptimizerSpec {
  if (kind === 'momentum') return { kind, lr, momentum: t.momentum, weightDecay: t.weightDecay };
  return { kind, lr, weightDecay: t.weightDecay };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Validation accuracy per epoch (neuron phases) and the candidates' score (dendrite phases). */
function traces(ctx: Parameters<Experiment['run']>[1], epochs: { epoch: number; phase: string; validation?: Record<string, number>; train: Record<string, number>; score?: number }[]): void {
  const neuron = epochs.filter((e) => e.validation);
  ctx.trace('learning-curves', {
    type: 'xy',
    title: 'Accuracy per epoch (neuron phases)',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series: [
      { name: 'train', x: neuron.map((e) => e.epoch), y: neuron.map((e) => e.train.accuracy) },
      { name: 'validation', x: neuron.map((e) => e.epoch), y: neuron.map((e) => e.validation!.accuracy) },
    ],
  });
  const dendrite = epochs.filter((e) => e.score !== undefined);
  if (dendrite.length) ctx.trace('dendrite-score', { type: 'xy', title: 'Candidate correlation score (mean of the units\' best)', xLabel: 'epoch', yLabel: 'score', series: [{ name: 'score', x: dendrite.map((e) => e.epoch), y: dendrite.map((e) => e.score!) }] });
}
