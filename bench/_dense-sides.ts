/**
 * Neurite's side of bench/dense.ts: the MLP 784-256-10 training step timed as the training
 * loop runs it, a full epoch through the shared loop, and onnxruntime's large-GEMM reference.
 */
import * as ort from 'onnxruntime-node';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../kernel/core/rng';
import { byteBatches, type ImageSet } from '../kernel/data';
import { Graph } from '../kernel/dense/graph';
import { Activation, Sequential } from '../kernel/dense/layers/layer';
import { Linear } from '../kernel/dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../kernel/dense/losses';
import { serialize } from '../kernel/dense/onnx/serialize';
import { makeOptimizer, type OptimizerSpec } from '../kernel/dense/optimizers';
import * as o from '../kernel/dense/ops';
import { createSession, type ExecOptions } from '../kernel/dense/session';
import { TrainState, TrainStep } from '../kernel/dense/step';
import { train } from '../kernel/dense/train';
import { nullSink, RunContext } from '../kernel/runs/context';
import { RunWriter } from '../kernel/runs/store';

function mlp(seed: number) {
  const rng = new Rng(seed);
  return new Sequential('model', [new Linear('fc1', 784, 256, rng, { init: { kind: 'torch' } }), new Activation('act', 'relu'), new Linear('fc2', 256, 10, rng, { init: { kind: 'torch' } })]);
}

const optimizers: Record<string, OptimizerSpec> = { sgd: { kind: 'sgd', lr: 0.01 }, momentum: { kind: 'momentum', lr: 0.01, momentum: 0.9 }, adam: { kind: 'adam', lr: 1e-3 } };

/** FLOPs of one MLP step: forward x·W1ᵀ, h·W2ᵀ; backward dW2, dh, dW1 (no gradient for the data). */
export const stepFlops = (b: number) => 2 * b * (784 * 256 + 256 * 10) + 2 * b * (256 * 10 * 2 + 784 * 256);

/** Times `seconds` of steps: steps/s (wall clock) and CPU µs per step (all threads of the process). */
export type Stepper = (seconds: number) => Promise<{ stepsPerS: number; cpuUsPerStep: number }>;

/**
 * Neurite's steps/s on the same 20 batches PyTorch uses (the first 20·batch training images),
 * run as the training loop runs them: `stepsPerRun` steps per onnxruntime run (train.ts), the
 * batches taken in turn. Like the PyTorch side, each measurement starts with 20 untimed steps.
 */
export async function neuriteStepper(set: ImageSet, batch: number, opt: string, exec: ExecOptions, stepsPerRun: number): Promise<Stepper> {
  const model = mlp(1);
  const state = new TrainState(model.parameters(), makeOptimizer(optimizers[opt]));
  const step = await TrainStep.compile({ model, state, inputShape: [batch, 784], target: { shape: [batch], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: stepsPerRun });
  const xs = Array.from({ length: 20 }, (_, i) => Float32Array.from(set.images.subarray(i * batch * 784, (i + 1) * batch * 784), (b) => b / 255));
  const ys = Array.from({ length: 20 }, (_, i) => Int32Array.from(set.labels.subarray(i * batch, (i + 1) * batch)));
  const lr = optimizers[opt].lr;
  let next = 0; // the next batch
  const steps = async (n: number) => {
    for (let done = 0; done < n; done += stepsPerRun) {
      const at = Array.from({ length: stepsPerRun }, (_, k) => (next + k) % 20);
      next = (next + stepsPerRun) % 20;
      await step.runSteps(at.map((i) => xs[i]), at.map((i) => ys[i]), lr);
    }
  };
  const chunk = Math.ceil(20 / stepsPerRun) * stepsPerRun; // steps between clock reads, ≥ 20 like PyTorch's
  await steps(chunk);
  return async (seconds: number) => {
    await steps(chunk); // warm-up, untimed
    let n = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < seconds * 1000) {
      await steps(chunk);
      n += chunk;
    }
    const c = process.cpuUsage(c0);
    return { stepsPerS: n / ((performance.now() - t0) / 1000), cpuUsPerStep: (c.user + c.system) / n };
  };
}

/** GFLOP/s of one n×n×n Gemm in onnxruntime with the given options: per second (wall clock) and per CPU-second. */
export async function gemmMeter(n: number, exec: ExecOptions): Promise<(seconds: number) => Promise<{ gflops: number; cpuGflops: number }>> {
  const g = new Graph();
  g.output('c', o.gemm(g.input('a', [n, n]), g.input('b', [n, n])));
  const s = await createSession(serialize(g), exec);
  const rng = new Rng(1);
  const feeds = { a: new ort.Tensor('float32', new Float32Array(n * n).map(() => rng.normal()), [n, n]), b: new ort.Tensor('float32', new Float32Array(n * n).map(() => rng.normal()), [n, n]) };
  await s.run(feeds);
  return async (seconds) => {
    let k = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < seconds * 1000) {
      await s.run(feeds);
      k++;
    }
    const c = process.cpuUsage(c0);
    return { gflops: (2 * n ** 3 * k) / ((performance.now() - t0) / 1000) / 1e9, cpuGflops: (2 * n ** 3 * k) / ((c.user + c.system) / 1e6) / 1e9 };
  };
}

/** One Fashion-MNIST epoch (batch 64, SGD) as dense.mlp trains: the shared loop, bytes in, metrics to a run folder. */
export async function neuriteEpoch(set: ImageSet, exec: ExecOptions, stepsPerRun: number): Promise<{ seconds: number; loss: number }> {
  const dir = RunWriter.create(path.join(os.tmpdir(), 'neurite-bench'), 'dense-epoch');
  const ctx = new RunContext(dir.id, 1, 'cpu', new AbortController().signal, dir, nullSink);
  const model = mlp(1);
  const state = new TrainState(model.parameters(), makeOptimizer(optimizers.sgd));
  const all = Int32Array.from({ length: set.count }, (_, i) => i);
  const shuffle = new Rng(2);
  const t0 = performance.now();
  const s = await train(ctx, {
    model,
    state,
    trainBatches: () => byteBatches(set, all, 64, shuffle),
    stepsPerEpoch: Math.ceil(set.count / 64),
    inputShape: (n) => [n, 784],
    inputType: 'uint8', // as dense.mlp: bytes in, x/255 in the graph
    target: (n) => ({ shape: [n], dtype: 'int32' }),
    loss: softmaxCrossEntropy,
    metrics: { accuracy: correctCount },
    epochs: 1,
    lr: 0.01,
    exec,
    stepsPerRun,
  });
  dir.close();
  return { seconds: (performance.now() - t0) / 1000, loss: s.epochs[0].train.loss };
}
