/**
 * `npm run bench -- dense [--rounds N] [--seconds S]`: the dense engine against PyTorch (CPU,
 * 2 threads, OMP_WAIT_POLICY=PASSIVE), side by side in one process tree. Rounds alternate
 * Neurite and PyTorch so load from other processes hits both; each ratio is the median of the
 * per-round ratios. Beside steps/s (wall clock) each side's CPU time per step (all its threads)
 * is reported: on a shared machine it is the steadier measure of the work a step costs.
 * The large-Gemm reference is measured inside the same rounds, so each round's achieved/peak
 * fraction compares two measurements taken under the same load.
 *   1. MLP 784-256-10 training steps/s at batch 64 and 256 (SGD; momentum and Adam at 64 too),
 *      both on the same 20 real Fashion-MNIST batches.
 *   2. One full Fashion-MNIST epoch (60,000 images, batch 64, shuffled, SGD), batching included
 *      (Neurite as dense.mlp runs it: the shared loop, bytes in, metrics streamed to a run folder).
 *   3. Achieved GFLOP/s of the training step against one large Gemm on the same machine.
 *   4. Peak memory (RSS) of the kernel for a full Fashion-MNIST run of samples/dense-mlp.
 * Prints a table and writes bench/results/dense.json.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import * as readline from 'readline';
import { Rng } from '../kernel/core/rng';
import { byteBatches, loadData, type ImageSet } from '../kernel/data';
import { Graph } from '../kernel/dense/graph';
import { Activation, Sequential } from '../kernel/dense/layers/layer';
import { Linear } from '../kernel/dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../kernel/dense/losses';
import { serialize } from '../kernel/dense/onnx/serialize';
import { makeOptimizer, type OptimizerSpec } from '../kernel/dense/optimizers';
import * as o from '../kernel/dense/ops';
import { createSession, execOptions, type ExecOptions } from '../kernel/dense/session';
import { TrainState, TrainStep } from '../kernel/dense/step';
import { DEFAULT_STEPS_PER_RUN, train } from '../kernel/dense/train';
import { nullSink, RunContext } from '../kernel/runs/context';
import { RunWriter } from '../kernel/runs/store';
import { median, printTable, writeResults, type Row } from './_table';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 5);
const SECONDS = arg('seconds', 1.5);
const THREADS = 2;
const repo = path.resolve(__dirname, '..', '..');

/** The PyTorch process: one JSON command per line, one JSON answer per line. */
class Torch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  constructor(folder: string) {
    this.child = spawn('/usr/bin/python3', [path.join(repo, 'bench', 'dense_torch.py'), folder, String(THREADS)], {
      env: { ...process.env, OMP_NUM_THREADS: String(THREADS), OMP_WAIT_POLICY: 'PASSIVE' },
    });
    this.child.stderr.pipe(process.stderr);
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async next(): Promise<any> {
    const r = await this.lines.next();
    if (r.done) throw new Error('the PyTorch process ended');
    return JSON.parse(r.value);
  }
  async ask(cmd: object): Promise<any> {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return this.next();
  }
  stop(): void {
    this.child.stdin.end();
  }
}

function mlp(seed: number) {
  const rng = new Rng(seed);
  return new Sequential('model', [new Linear('fc1', 784, 256, rng, { init: { kind: 'torch' } }), new Activation('act', 'relu'), new Linear('fc2', 256, 10, rng, { init: { kind: 'torch' } })]);
}

const optimizers: Record<string, OptimizerSpec> = { sgd: { kind: 'sgd', lr: 0.01 }, momentum: { kind: 'momentum', lr: 0.01, momentum: 0.9 }, adam: { kind: 'adam', lr: 1e-3 } };

/**
 * Neurite's steps/s on the same 20 batches PyTorch uses (the first 20·batch training images),
 * run as the training loop runs them: `stepsPerRun` steps per onnxruntime run (train.ts), the
 * batches taken in turn. Like the PyTorch side, each round starts with 20 untimed steps.
 */
async function neuriteStepper(set: ImageSet, batch: number, opt: string, exec: ExecOptions, stepsPerRun = DEFAULT_STEPS_PER_RUN) {
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

/** FLOPs of one MLP step: forward x·W1ᵀ, h·W2ᵀ; backward dW2, dh, dW1 (no gradient for the data). */
const stepFlops = (b: number) => 2 * b * (784 * 256 + 256 * 10) + 2 * b * (256 * 10 * 2 + 784 * 256);

/** GFLOP/s of one n×n×n Gemm in onnxruntime with the same options as the training steps. */
async function gemmMeter(n: number, exec: ExecOptions): Promise<(seconds: number) => Promise<number>> {
  const g = new Graph();
  g.output('c', o.gemm(g.input('a', [n, n]), g.input('b', [n, n])));
  const s = await createSession(serialize(g), exec);
  const rng = new Rng(1);
  const feeds = { a: new ort.Tensor('float32', new Float32Array(n * n).map(() => rng.normal()), [n, n]), b: new ort.Tensor('float32', new Float32Array(n * n).map(() => rng.normal()), [n, n]) };
  await s.run(feeds);
  return async (seconds) => {
    let k = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      await s.run(feeds);
      k++;
    }
    return (2 * n ** 3 * k) / ((performance.now() - t0) / 1000) / 1e9;
  };
}

async function neuriteEpoch(set: ImageSet, exec: ExecOptions): Promise<{ seconds: number; loss: number }> {
  const dir = RunWriter.create(path.join(require('os').tmpdir(), 'neurite-bench'), 'dense-epoch');
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
  });
  dir.close();
  return { seconds: (performance.now() - t0) / 1000, loss: s.epochs[0].train.loss };
}

/** Peak RSS of the kernel for a full Fashion-MNIST run of the sample (one epoch), in MB. */
function runRss(): { mb: number; seconds: number; testAccuracy: number } {
  const out = path.join(require('os').tmpdir(), 'neurite-bench-runs');
  const script = `require(${JSON.stringify(path.join(repo, 'out', 'kernel', 'cli.js'))}).main(${JSON.stringify(['run', path.join(repo, 'samples', 'dense-mlp.neurite.yaml'), '--set', 'train.epochs=1', '--out', out, '--json', '-q'])}).then((c) => { console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS, code: c })); })`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NEURITE_THREADS: String(THREADS) } });
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 2]);
  const { rss, code } = JSON.parse(lines[lines.length - 1]);
  if (code !== 0) throw new Error(`the run failed: ${r.stderr}`);
  return { mb: rss / 1024, seconds: (performance.now() - t0) / 1000, testAccuracy: summary.metrics.test_accuracy };
}

async function main(): Promise<void> {
  const data = await loadData({ name: 'fashion-mnist', download: false, validation: 0 });
  const torch = new Torch(data.source);
  const hello = await torch.next();
  const exec = execOptions('cpu', { threads: THREADS, spin: false });
  console.log(`Neurite (onnxruntime ${ort.env.versions.common}, ${THREADS} threads spinning within runs, ${DEFAULT_STEPS_PER_RUN} steps per run) vs PyTorch ${hello.torch} (${hello.threads} threads, OMP_WAIT_POLICY=PASSIVE); ${ROUNDS} alternating rounds of ${SECONDS} s`);

  // 1. Steps/s.
  const configs = [
    { batch: 64, opt: 'sgd', exec },
    { batch: 256, opt: 'sgd', exec },
    { batch: 64, opt: 'momentum', exec },
    { batch: 64, opt: 'adam', exec },
    { batch: 64, opt: 'sgd', exec: { ...exec, spin: true }, note: 'spinning between runs too' },
    { batch: 64, opt: 'sgd', exec, stepsPerRun: 1, note: '1 step per run' },
    { batch: 256, opt: 'sgd', exec, stepsPerRun: 1, note: '1 step per run' },
  ];
  const gemm = await gemmMeter(1024, exec);
  const steps: Row[] = [];
  const fractions: Row[] = [];
  const results: Record<string, unknown>[] = []; // rows plus the batch size and every round
  for (const c of configs) {
    const neurite = await neuriteStepper(data.train, c.batch, c.opt, c.exec, c.stepsPerRun);
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    const cpuOurs: number[] = [];
    const cpuTheirs: number[] = [];
    const peak: { ort: number; torch: number; fraction: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const n = await neurite(SECONDS);
      ours.push(n.stepsPerS);
      cpuOurs.push(n.cpuUsPerStep);
      const t = await torch.ask({ cmd: 'steps', batch: c.batch, opt: c.opt, seconds: SECONDS });
      theirs.push(t.steps / t.seconds);
      cpuTheirs.push((t.cpu * 1e6) / t.steps);
      ratios.push(ours[r] / theirs[r]);
      if (c.opt === 'sgd' && !c.note) {
        const ortGemm = await gemm(0.5);
        peak.push({ ort: ortGemm, torch: (await torch.ask({ cmd: 'gemm', n: 1024, seconds: 0.5 })).gflops, fraction: (ours[r] * stepFlops(c.batch)) / 1e9 / ortGemm });
      }
    }
    if (peak.length) {
      fractions.push({
        config: `batch ${c.batch} sgd`,
        achieved_gflop_s: (median(ours) * stepFlops(c.batch)) / 1e9,
        onnxruntime_gemm_gflop_s: median(peak.map((p) => p.ort)),
        torch_matmul_gflop_s: median(peak.map((p) => p.torch)),
        fraction_of_gemm: median(peak.map((p) => p.fraction)),
      });
    }
    const row = {
      config: `batch ${c.batch} ${c.opt}${c.note ? ` (${c.note})` : ''}`,
      neurite_steps_s: median(ours),
      torch_steps_s: median(theirs),
      ratio: median(ratios),
      ratio_min: Math.min(...ratios),
      ratio_max: Math.max(...ratios),
      ratio_best: Math.max(...ours) / Math.max(...theirs),
      neurite_cpu_us: median(cpuOurs),
      torch_cpu_us: median(cpuTheirs),
      cpu_ratio: median(cpuTheirs) / median(cpuOurs),
      neurite_gflop_s: (median(ours) * stepFlops(c.batch)) / 1e9,
    };
    steps.push(row);
    results.push({ ...row, batch: c.batch, rounds: { neurite: ours, torch: theirs, neuriteCpuUs: cpuOurs, torchCpuUs: cpuTheirs } });
    console.log(`  ${row.config}: ${row.neurite_steps_s.toFixed(0)} vs ${row.torch_steps_s.toFixed(0)} steps/s → ${row.ratio.toFixed(2)}×`);
  }
  printTable('MLP 784-256-10 training steps/s (median of rounds; ratio = median of per-round Neurite/PyTorch; ratio_best = best/best; cpu_ratio = PyTorch/Neurite CPU µs per step)', steps);

  // 2. A full epoch.
  const epochRounds: { neurite: number; torch: number }[] = [];
  for (let r = 0; r < 2; r++) {
    const n = await neuriteEpoch(data.train, exec);
    const t = await torch.ask({ cmd: 'epoch', batch: 64 });
    epochRounds.push({ neurite: n.seconds, torch: t.seconds });
    console.log(`  epoch round ${r + 1}: Neurite ${n.seconds.toFixed(1)} s (loss ${n.loss.toFixed(3)}), PyTorch ${t.seconds.toFixed(1)} s (loss ${t.loss.toFixed(3)})`);
  }
  const epoch = { neurite_s: Math.min(...epochRounds.map((e) => e.neurite)), torch_s: Math.min(...epochRounds.map((e) => e.torch)) };
  const epochRow = { ...epoch, speedup: epoch.torch_s / epoch.neurite_s };
  printTable('One Fashion-MNIST epoch (60,000 images, batch 64, SGD; best of 2)', [epochRow]);

  // 3. GFLOP/s against one large Gemm.
  printTable('Achieved GFLOP/s of the training step vs one 1024³ Gemm measured in the same rounds (medians; fraction = median of per-round fractions)', fractions);
  torch.stop();

  // 4. Memory of a full run.
  const mem = runRss();
  printTable('Kernel peak RSS, full Fashion-MNIST run (samples/dense-mlp, 1 epoch, export included)', [{ peak_rss_mb: mem.mb, seconds: mem.seconds, test_accuracy: mem.testAccuracy, target_mb: 600 }]);

  const b64 = steps[0].ratio as number;
  const b256 = steps[1].ratio as number;
  writeResults('dense', {
    threads: THREADS,
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    stepsPerRun: DEFAULT_STEPS_PER_RUN,
    torch: hello.torch,
    onnxruntime: ort.env.versions.common,
    ratios: { batch64: b64, batch256: b256, epochSpeedup: epochRow.speedup, cpuBatch64: steps[0].cpu_ratio, cpuBatch256: steps[1].cpu_ratio, bestBatch64: steps[0].ratio_best, bestBatch256: steps[1].ratio_best },
    loadAverage: require('os').loadavg(),
    targets: { batch64: 1.3, batch256: 1.1, rssMb: 600 },
    meetsTargets: { batch64: b64 >= 1.3, batch256: b256 >= 1.1, rss: mem.mb < 600 },
    steps: results,
    epoch: { ...epochRow, rounds: epochRounds },
    achieved: fractions,
    memory: mem,
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
