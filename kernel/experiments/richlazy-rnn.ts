/**
 * richlazy.rnn — rich and lazy learning vs the rank of the initial connectivity (Liu et al.,
 * ICLR 2024, arXiv 2310.08513; PAPERS.md §5): a ReLU RNN whose W_rec starts at rank r learns a
 * NeuroGym task; how far W_rec, the representation and the tangent kernel move from their
 * initial state says how rich (far) or lazy (near) learning was.
 *
 * Method: (1) the task, as a seeded stream of trials (8 steps of 100 ms, targets on every step),
 * and a fixed probe set of trials; (2) the network hₜ = ReLU(W_in xₜ + W_rec hₜ₋₁), yₜ = W_out hₜ,
 * no biases, with W_rec = 1.25·G/√N truncated to rank r and rescaled to its Frobenius norm
 * (`rescale: false`: its top-r singular values kept) — or, `init: aligned`, the same singular
 * values on the top-r singular vectors of a solution's change ΔW (a full-rank network of the
 * same seed trained first, as long, on its own trials): same spectrum, task directions; (3) train with SGD momentum 0.9, lr 3e-3, batches of 32, the loss
 * on every step (one ONNX run per 16 steps: forward, BPTT and update); (4) every `probe.every`
 * steps, measure on the probe set: loss, decision accuracy, ‖ΔW_rec‖_F, representation
 * alignment and tangent-kernel alignment (models/richlazy/laziness.ts), streamed as the
 * series `probe`; (5) report the final values and their curves.
 */
import { z } from 'zod';
import type { Rng } from '../core/rng';
import { makeOptimizer } from '../dense/optimizers';
import type { Device } from '../dense/providers';
import { execOptions, type ExecOptions } from '../dense/session';
import { TrainState } from '../dense/step';
import { train, type Batch } from '../dense/train';
import type { EngineContext } from '../core/engine-context';
import { LazinessProbe, type Laziness } from '../models/richlazy/laziness';
import { frobenius } from '../dense/linalg';
import { alignInit, decisionCorrect, everyStepLoss, richLazyNet, type RichLazyNet } from '../models/richlazy/network';
import { STEPS, taskNames, tasks, trialBatch, type Task } from '../models/richlazy/tasks';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

export const richLazySpec = defineSpec('richlazy.rnn', {
  task: z.enum(taskNames).default('perceptual').describe('perceptual: two-alternative perceptual decision; dms: delayed match-to-sample; context: context-dependent decision.'),
  model: z
    .strictObject({
      hidden: z.int().min(2).max(4096).default(300).describe('Recurrent units N.'),
      rank: z.int().min(1).max(4096).default(300).describe('Rank r of the initial W_rec (r = N: the full Gaussian matrix).'),
      gain: z.number().gt(0).max(10).default(1.25).describe('W₀ = gain · G/√N before truncation.'),
      rescale: z.boolean().default(true).describe('Rescale the rank-r W_rec to the Frobenius norm of the full Gaussian draw (the paper); false keeps its top-r singular values.'),
      init: z.enum(['random', 'aligned']).default('random').describe('random: the truncated Gaussian; aligned: its top-r singular values on the top-r singular vectors of the change ΔW a full-rank network of the same seed made while learning the task.'),
    })
    .prefault({})
    .describe('The network.'),
  train: z
    .strictObject({
      steps: z.int().min(1).max(1_000_000).default(2000).describe('Training steps (batches of fresh trials).'),
      batchSize: z.int().min(1).max(4096).default(32).describe('Trials per step.'),
      lr: z.number().gt(0).max(10).default(0.003).describe('SGD learning rate.'),
      momentum: z.number().min(0).lt(1).default(0.9).describe('SGD momentum.'),
      threads: z.int().min(1).max(1024).optional().describe('Compute threads for onnxruntime; default: $NEURITE_THREADS, else the number of cores.'),
    })
    .prefault({})
    .describe('Training.'),
  probe: z
    .strictObject({
      trials: z.int().min(2).max(10_000).default(320).describe('Probe trials for the representation alignment and the probe loss/accuracy (the authors: 10 batches).'),
      kernelTrials: z.int().min(1).max(1024).default(32).describe('Probe trials (the first ones) whose outputs span the tangent kernel: rows = trials × 8 steps × 3 outputs.'),
      every: z.int().min(1).max(1_000_000).default(250).describe('Steps between probe measurements.'),
    })
    .prefault({})
    .describe('The laziness measures.'),
}).superRefine((s, ctx) => {
  if (s.model.rank > s.model.hidden) ctx.addIssue({ code: 'custom', path: ['model', 'rank'], message: `the rank cannot exceed model.hidden (${s.model.hidden}), got ${s.model.rank}` });
  if (s.probe.kernelTrials > s.probe.trials) ctx.addIssue({ code: 'custom', path: ['probe', 'kernelTrials'], message: `the kernel's trials are among the probe trials (${s.probe.trials}), got ${s.probe.kernelTrials}` });
});

export type RichLazySpec = z.infer<typeof richLazySpec>;

/** `steps` steps of training on the task's stream, the probe measured every `every` steps (and at 0). */
async function trainAndProbe(ctx: EngineContext, o: { net: RichLazyNet; task: Task; spec: RichLazySpec; stream: Rng; exec: ExecOptions; probe?: LazinessProbe; label: string }): Promise<{ curve: (Laziness & { step: number })[]; stepsPerSecond: number }> {
  const { batchSize: b, steps, lr, momentum } = o.spec.train;
  const every = o.probe ? o.spec.probe.every : steps;
  const state = new TrainState(o.net.model.parameters(), makeOptimizer({ kind: 'momentum', lr, momentum }));
  const curve: (Laziness & { step: number })[] = [];
  const record = async (step: number) => {
    if (!o.probe) return;
    const m = await o.probe.measure();
    curve.push({ step, ...m });
    ctx.metric(step, { ...m }, 'probe');
  };
  await record(0);
  const buffer = trialBatch(o.task, b, o.stream);
  const summary = await train(ctx, {
    model: o.net.model,
    state,
    *trainBatches(epoch): Iterable<Batch> {
      for (let k = epoch * every; k < Math.min(steps, (epoch + 1) * every); k++) {
        trialBatch(o.task, b, o.stream, buffer);
        yield { x: buffer.x, y: buffer.y, size: b };
      }
    },
    stepsPerEpoch: every,
    inputShape: (n) => [STEPS, n, o.task.inputs],
    target: (n) => ({ shape: [STEPS * n], dtype: 'int32' }),
    loss: everyStepLoss,
    metrics: { accuracy: decisionCorrect },
    epochs: Math.ceil(steps / every),
    lr,
    exec: o.exec,
    onEpochEnd: (r) => record(Math.min(steps, r.epoch * every)),
  });
  ctx.log(`${o.label}: ${summary.steps} steps, ${summary.stepsPerSecond.toFixed(1)} steps/s`);
  return { curve, stepsPerSecond: summary.stepsPerSecond };
}

export const richLazyExperiment: Experiment<RichLazySpec> = {
  kind: 'richlazy.rnn',
  title: 'Rich and lazy learning vs initial connectivity rank',
  description: 'A ReLU RNN with a rank-r initial W_rec learns a NeuroGym task; weight change and representation / tangent-kernel alignment say how lazy learning was',
  paper: 'PAPERS.md §5 — arXiv 2310.08513',
  engine: 'dense',
  schema: richLazySpec,
  async run(spec, ctx): Promise<ExperimentResult> {
    const { hidden: n, rank, gain, rescale } = spec.model;
    const exec = execOptions(ctx.device as Device, { threads: spec.train.threads });

    // (1) The task's trial stream and the fixed probe set.
    const task = tasks[spec.task];
    const probeTrials = trialBatch(task, spec.probe.trials, ctx.rng.fork('probe'));

    // (2) The network; an aligned init first trains a full-rank network of the same seed.
    const net = richLazyNet(task.inputs, n, { rank, gain, rescale }, ctx.rng.fork('init'));
    ctx.log(`${spec.task}: RNN ${task.inputs}-${n}-3, W_rec rank ${rank} (${spec.model.init}), ‖W₀‖_F ${frobenius(net.gaussian).toFixed(3)}, on ${exec.device} with ${exec.threads} threads`);
    if (spec.model.init === 'aligned') {
      const solution = richLazyNet(task.inputs, n, { rank: n, gain, rescale: true }, ctx.rng.fork('init'));
      const w0 = solution.wRec.data.slice();
      await trainAndProbe(ctx, { net: solution, task, spec, stream: ctx.rng.fork('solution-trials'), exec, label: 'solution (full rank)' });
      alignInit(net, solution.wRec.data.map((v, i) => v - w0[i]));
    }
    const w = net.wRec.data;
    ctx.log(`initial W_rec: ‖W‖_F ${frobenius(w).toFixed(3)}`);

    // (3, 4) Training, with the laziness measures every probe.every steps.
    const probe = await LazinessProbe.compile(net, probeTrials, spec.probe.trials, spec.probe.kernelTrials, exec);
    const { curve, stepsPerSecond } = await trainAndProbe(ctx, { net, task, spec, stream: ctx.rng.fork('trials'), exec, probe, label: 'training' });

    // (5) Final values and curves.
    const last = curve[curve.length - 1];
    const steps = curve.map((c) => c.step);
    const series = (name: string, key: keyof Laziness) => ({ name, x: steps, y: curve.map((c) => c[key]) });
    ctx.trace('alignment', { type: 'xy', title: 'Alignment with the initial network', xLabel: 'step', yLabel: 'cosine', series: [series('representation', 'repAlignment'), series('tangent kernel', 'kernelAlignment')] });
    ctx.trace('weight-change', { type: 'xy', title: '‖W_rec − W_rec(0)‖_F', xLabel: 'step', yLabel: '‖ΔW‖_F', series: [series('weight change', 'weightChange')] });
    ctx.trace('accuracy', { type: 'xy', title: 'Probe accuracy at the decision step', xLabel: 'step', yLabel: 'accuracy', series: [series('accuracy', 'accuracy')] });
    ctx.log(`final: accuracy ${last.accuracy.toFixed(3)}, ‖ΔW‖_F ${last.weightChange.toFixed(3)}, representation alignment ${last.repAlignment.toFixed(4)}, kernel alignment ${last.kernelAlignment.toFixed(4)}`);
    return {
      metrics: {
        weight_change: last.weightChange,
        rep_alignment: last.repAlignment,
        kernel_alignment: last.kernelAlignment,
        accuracy: last.accuracy,
        loss: last.loss,
        initial_accuracy: curve[0].accuracy,
        steps_per_s: stepsPerSecond,
      },
      result: { provider: exec.device, threads: exec.threads, task: spec.task, rank, init: spec.model.init, curve },
    };
  },
};
