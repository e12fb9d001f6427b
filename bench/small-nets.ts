/**
 * `npm run bench -- small-nets [--rounds N] [--seconds S] [--batches B]`: the small-net regime
 * (minibatches of 10, nets of ~70,000 parameters), where a per-call overhead of ~10 µs
 * dominates, against PyTorch eager: Debian's torch 1.13 (/usr/bin/python3) and a current torch
 * (the venv ~/.cache/neurite/torch-venv, made with `python3 -m venv … && pip install
 * torch==2.13.0+cpu`; skipped when absent).
 *
 * Each side runs with its best settings, found first by a short scan: PyTorch over threads
 * {1, 2} × OMP_WAIT_POLICY {unset, ACTIVE, PASSIVE} per version, Neurite over threads {1, 2}.
 * Then rounds alternate Neurite and each PyTorch, so load from other processes hits all; each
 * ratio is reported as the min / median / max of the per-round ratios, beside each side's CPU
 * time per step (all its threads), the steadier measure on a shared machine.
 *   1. MLP 784-80-60-10 (ELU) SGD training steps/s at batch 10 on the same 20 Fashion-MNIST
 *      minibatches (Neurite: a TrainStep of 64 steps per onnxruntime run).
 *   2. The homeostatic.concept-shift comparison: three learners (constant η, random regulation,
 *      the homeostat and its two simulated steps) per minibatch of 10 — Neurite's program (20
 *      minibatches per run, kernel/dense/program.ts) against the authors' loop rebuilt in
 *      PyTorch eager (bench/small_nets_torch.py); seconds per Fashion-MNIST epoch (5,400
 *      minibatches) projected from B minibatches per round.
 * Prints tables and writes bench/results/small-nets.json.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { Rng } from '../kernel/core/rng';
import { LabelSwapStream, loadData, type ImageSet } from '../kernel/data';
import { Activation, Sequential } from '../kernel/dense/layers/layer';
import { Linear } from '../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../kernel/dense/losses';
import { makeOptimizer } from '../kernel/dense/optimizers';
import { Parameter } from '../kernel/dense/params';
import { Program } from '../kernel/dense/program';
import { execOptions, type ExecOptions } from '../kernel/dense/session';
import { TrainState, TrainStep } from '../kernel/dense/step';
import { carried, comparisonStep, learnerNames, type PerLearner } from '../kernel/models/homeostatic/comparison';
import { ConceptShiftFeed } from '../kernel/models/homeostatic/feed';
import { paperRates } from '../kernel/models/homeostatic/regulators';
import { median, printTable, writeResults, type Row } from './_table';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 5);
const SECONDS = arg('seconds', 1.5);
const BATCHES = arg('batches', 300);
const STEPS_PER_RUN = 64;
const PROGRAM_STEPS = 20;
const EPOCH_BATCHES = 5400;
const repo = path.resolve(__dirname, '..', '..');
const pythons: { name: string; python: string }[] = [
  { name: 'torch 1.13 (Debian)', python: '/usr/bin/python3' },
  { name: 'torch current (venv)', python: path.join(os.homedir(), '.cache', 'neurite', 'torch-venv', 'bin', 'python') },
].filter((p) => fs.existsSync(p.python));

interface TorchSettings {
  threads: number;
  policy?: 'ACTIVE' | 'PASSIVE';
}
const settingsText = (s: TorchSettings) => `${s.threads} thread${s.threads > 1 ? 's' : ''}, OMP_WAIT_POLICY ${s.policy ?? 'unset'}`;

/** A PyTorch process: one JSON command per line, one JSON answer per line. */
class Torch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  version = '';
  constructor(python: string, folder: string, readonly settings: TorchSettings) {
    const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(settings.threads) };
    if (settings.policy) env.OMP_WAIT_POLICY = settings.policy;
    else delete env.OMP_WAIT_POLICY;
    this.child = spawn(python, [path.join(repo, 'bench', 'small_nets_torch.py'), folder, String(settings.threads)], { env });
    this.child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      if (!/NumPy|_conversion_method_template/.test(text)) process.stderr.write(text);
    });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async ready(): Promise<this> {
    this.version = (await this.next()).torch;
    return this;
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

function mlp(name: string) {
  const rng = new Rng(1);
  const init = { biasInit: { kind: 'normal' as const, std: 1 } };
  return new Sequential(name, [new Linear(`${name}.hidden[0]`, 784, 80, rng, init), new Activation(`${name}.a0`, 'elu'), new Linear(`${name}.hidden[1]`, 80, 60, rng, init), new Activation(`${name}.a1`, 'elu'), new Linear(`${name}.output`, 60, 10, rng, init)]);
}

/** Neurite's training steps on the 20 minibatches PyTorch uses; returns a timer of steps/s and CPU µs per step. */
async function neuriteSteps(set: ImageSet, exec: ExecOptions) {
  const model = mlp('m');
  const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'sgd', lr: 1e-3 }));
  const step = await TrainStep.compile({ model, state, inputShape: [10, 784], inputType: 'uint8', target: { shape: [10], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: STEPS_PER_RUN });
  const xs = Array.from({ length: STEPS_PER_RUN }, (_, k) => set.images.slice(((k % 20) * 10) * 784, ((k % 20) * 10 + 10) * 784));
  const ys = Array.from({ length: STEPS_PER_RUN }, (_, k) => Int32Array.from(set.labels.subarray((k % 20) * 10, (k % 20) * 10 + 10)));
  await step.runSteps(xs, ys, 1e-3);
  return async (seconds: number) => {
    await step.runSteps(xs, ys, 1e-3); // warm-up, untimed
    let n = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < seconds * 1000) {
      await step.runSteps(xs, ys, 1e-3);
      n += STEPS_PER_RUN;
    }
    const c = process.cpuUsage(c0);
    return { perS: n / ((performance.now() - t0) / 1000), cpuUs: (c.user + c.system) / n };
  };
}

/** Neurite's homeostatic comparison as the experiment runs it (no swaps: they cost nothing); a timer of B minibatches. */
async function neuriteComparison(set: ImageSet, exec: ExecOptions) {
  const first = mlp('constant');
  const models: PerLearner<Sequential> = { constant: first, random: mlp('random'), homeostatic: mlp('homeostatic') };
  const etas = { constant: new Parameter('c.eta', [], Float32Array.of(1e-3)), random: new Parameter('r.eta', [], Float32Array.of(1e-3)), homeostatic: new Parameter('h.eta', [], Float32Array.of(1e-3)) };
  const options = { models, etas, rates: paperRates(1e-3), batchSize: 10, features: 784, memory: 20 };
  const program = await Program.compile({ state: carried(options), steps: PROGRAM_STEPS, exec, step: (s) => comparisonStep(s, options) });
  const train = Int32Array.from({ length: 54000 }, (_, i) => i);
  const stream = new LabelSwapStream({ classes: 10, epochSize: 54000, swapsPerEpoch: 0, rng: new Rng(1) });
  const feed = new ConceptShiftFeed(set, train, { batchSize: 10, memory: 20, stream, shuffle: new Rng(2), coins: new Rng(3) });
  const slots = Array.from({ length: PROGRAM_STEPS }, () => feed.slot());
  feed.startEpoch();
  const batches = async (n: number) => {
    for (let done = 0; done < n; done += PROGRAM_STEPS) {
      if (feed.position + PROGRAM_STEPS > feed.batches) {
        while (feed.position < feed.batches) feed.fill(slots[0]); // the few left over: skipped, not timed apart
        feed.endEpoch();
        feed.startEpoch();
      }
      for (const s of slots) feed.fill(s);
      await program.run(slots);
    }
  };
  await batches(PROGRAM_STEPS * 2);
  return async (n: number) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await batches(n);
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, eta: learnerNames.map((k) => etas[k].data[0]) };
  };
}

async function bestTorchSettings(python: string, folder: string): Promise<{ settings: TorchSettings; scan: Row[] }> {
  const scan: Row[] = [];
  let best: { settings: TorchSettings; perS: number } | undefined;
  for (const threads of [1, 2]) {
    for (const policy of [undefined, 'ACTIVE', 'PASSIVE'] as const) {
      const t = await new Torch(python, folder, { threads, policy }).ready();
      let perS = 0;
      for (let i = 0; i < 2; i++) {
        const r = await t.ask({ cmd: 'steps', seconds: 0.7 });
        perS = Math.max(perS, r.steps / r.seconds);
      }
      t.stop();
      scan.push({ side: `torch ${t.version}`, settings: settingsText({ threads, policy }), steps_s: perS });
      if (!best || perS > best.perS) best = { settings: { threads, policy }, perS };
    }
  }
  return { settings: best!.settings, scan };
}

const spread = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

async function main(): Promise<void> {
  const data = await loadData({ name: 'fashion-mnist', download: false, validation: 0 });
  console.log(`onnxruntime ${ort.env.versions.common}; ${pythons.map((p) => p.python).join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // Settings: PyTorch's per version, Neurite's threads.
  const scans: Row[] = [];
  const torches: { name: string; t: Torch }[] = [];
  for (const p of pythons) {
    const { settings, scan } = await bestTorchSettings(p.python, data.source);
    scans.push(...scan);
    torches.push({ name: p.name, t: await new Torch(p.python, data.source, settings).ready() });
  }
  const neuriteScan: Row[] = [];
  let neuriteThreads = 1;
  let bestPerS = 0;
  for (const threads of [1, 2]) {
    const timer = await neuriteSteps(data.train, execOptions('cpu', { threads }));
    const perS = Math.max((await timer(0.7)).perS, (await timer(0.7)).perS);
    neuriteScan.push({ side: 'Neurite', settings: `${threads} thread${threads > 1 ? 's' : ''}, ${STEPS_PER_RUN} steps per run`, steps_s: perS });
    if (perS > bestPerS) [neuriteThreads, bestPerS] = [threads, perS];
  }
  printTable('Settings scan: MLP 784-80-60-10 steps/s at batch 10 (best of two 0.7 s tries)', [...scans, ...neuriteScan]);
  const exec = execOptions('cpu', { threads: neuriteThreads });

  // 1. Training steps.
  const steps = await neuriteSteps(data.train, exec);
  const stepRounds: { neurite: { perS: number; cpuUs: number }; torch: { perS: number; cpuUs: number }[] }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const neurite = await steps(SECONDS);
    const torch: { perS: number; cpuUs: number }[] = [];
    for (const { t } of torches) {
      const a = await t.ask({ cmd: 'steps', seconds: SECONDS });
      torch.push({ perS: a.steps / a.seconds, cpuUs: (a.cpu * 1e6) / a.steps });
    }
    stepRounds.push({ neurite, torch });
    console.log(`  steps round ${r + 1}: Neurite ${neurite.perS.toFixed(0)}/s; ${torches.map((x, i) => `${x.name} ${torch[i].perS.toFixed(0)}/s`).join('; ')}`);
  }
  const stepRows: Row[] = torches.map(({ name, t }, i) => {
    const ratios = spread(stepRounds.map((r) => r.neurite.perS / r.torch[i].perS));
    return {
      against: `${name} ${t.version}, ${settingsText(t.settings)}`,
      neurite_steps_s: median(stepRounds.map((r) => r.neurite.perS)),
      torch_steps_s: median(stepRounds.map((r) => r.torch[i].perS)),
      ratio_min: ratios.min,
      ratio_median: ratios.median,
      ratio_max: ratios.max,
      neurite_cpu_us: median(stepRounds.map((r) => r.neurite.cpuUs)),
      torch_cpu_us: median(stepRounds.map((r) => r.torch[i].cpuUs)),
      cpu_ratio: median(stepRounds.map((r) => r.torch[i].cpuUs / r.neurite.cpuUs)),
    };
  });
  printTable(`MLP 784-80-60-10 SGD training steps/s at batch 10 (Neurite: ${neuriteThreads} thread(s), ${STEPS_PER_RUN} steps per run; ratio = Neurite/PyTorch per round, min/median/max; cpu_ratio = PyTorch/Neurite CPU µs per step)`, stepRows);

  // 2. The homeostatic comparison.
  const comparison = await neuriteComparison(data.train, exec);
  const homeoRounds: { neurite: { seconds: number; cpu: number }; torch: { seconds: number; cpu: number }[] }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const neurite = await comparison(BATCHES);
    const torch: { seconds: number; cpu: number }[] = [];
    for (const { t } of torches) torch.push(await t.ask({ cmd: 'homeostatic', batches: BATCHES }));
    homeoRounds.push({ neurite, torch });
    console.log(`  comparison round ${r + 1}: Neurite ${(BATCHES / neurite.seconds).toFixed(0)} minibatches/s; ${torches.map((x, i) => `${x.name} ${(BATCHES / torch[i].seconds).toFixed(0)}/s`).join('; ')}`);
  }
  const perEpoch = (s: number) => (s / BATCHES) * EPOCH_BATCHES;
  const homeoRows: Row[] = torches.map(({ name, t }, i) => {
    const ratios = spread(homeoRounds.map((r) => r.torch[i].seconds / r.neurite.seconds));
    return {
      against: `${name} ${t.version}, ${settingsText(t.settings)}`,
      neurite_s_per_epoch: perEpoch(median(homeoRounds.map((r) => r.neurite.seconds))),
      torch_s_per_epoch: perEpoch(median(homeoRounds.map((r) => r.torch[i].seconds))),
      speedup_min: ratios.min,
      speedup_median: ratios.median,
      speedup_max: ratios.max,
      neurite_cpu_s_per_epoch: perEpoch(median(homeoRounds.map((r) => r.neurite.cpu))),
      torch_cpu_s_per_epoch: perEpoch(median(homeoRounds.map((r) => r.torch[i].cpu))),
      cpu_speedup: median(homeoRounds.map((r) => r.torch[i].cpu / r.neurite.cpu)),
    };
  });
  printTable(`homeostatic.concept-shift, three learners + the homeostat's simulated steps, seconds per Fashion-MNIST epoch (${EPOCH_BATCHES} minibatches of 10, projected from ${BATCHES} per round; Neurite: ${PROGRAM_STEPS} minibatches per run; speedup = PyTorch/Neurite per round)`, homeoRows);
  for (const { t } of torches) t.stop();

  writeResults('small-nets', {
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    batchesPerRound: BATCHES,
    onnxruntime: ort.env.versions.common,
    neurite: { threads: neuriteThreads, stepsPerRun: STEPS_PER_RUN, programSteps: PROGRAM_STEPS },
    loadAverage: os.loadavg(),
    target: { stepsRatio: 3 },
    settingsScan: [...scans, ...neuriteScan],
    steps: stepRows,
    comparison: homeoRows,
    rounds_: { steps: stepRounds, comparison: homeoRounds },
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
