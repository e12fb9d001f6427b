/**
 * `npm run bench -- richlazy [--rounds N] [--seconds S] [--only steps|kernel]`: the richlazy.rnn network (PAPERS.md §5;
 * N = 300, 8 steps, batch 32, SGD momentum) on the dense engine against PyTorch, each side at its
 * best settings, measured in interleaved rounds so that load from other processes hits all:
 *   1. training steps/s on the same 20 perceptual-decision batches and weights. Neurite: 16 steps
 *      per onnxruntime run (as the training loop runs), 1 and 2 threads. PyTorch: Debian's 1.13
 *      and the venv's 2.x (bench/richlazy_torch.py), 1 and 2 threads, OMP_WAIT_POLICY
 *      PASSIVE/ACTIVE (1.13) or the default (2.x), the authors' Python loop over steps and
 *      torch.nn.RNN (fused).
 *   2. one tangent-kernel evaluation K = J Jᵀ, J = ∂outputs/∂W_rec on 32 trials (768 × 90,000):
 *      Neurite's one onnxruntime run (dense/jacobian.ts) against functorch/torch.func jacrev and
 *      the authors' one-autograd.grad-per-output loop (first round, one thread, once per version:
 *      it is slow), and the largest difference between the two kernels.
 * Ratios compare the best configuration of each side (by median); the spread is the per-round
 * ratio of those two. Prints tables and writes bench/results/richlazy.json.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { Rng } from '../kernel/core/rng';
import { TangentKernel } from '../kernel/dense/jacobian';
import { makeOptimizer } from '../kernel/dense/optimizers';
import { execOptions } from '../kernel/dense/session';
import { TrainState, TrainStep } from '../kernel/dense/step';
import { DEFAULT_STEPS_PER_RUN } from '../kernel/dense/train';
import { everyStepLoss, richLazyNet } from '../kernel/models/richlazy/network';
import { STEPS, tasks, trialBatch } from '../kernel/models/richlazy/tasks';
import { median, printTable, writeResults, type Row } from './_table';
import { CURRENT_TORCH, DEBIAN_PYTHON, torchBuilds } from './_torch';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 5);
const KERNEL_ROUNDS = Math.min(ROUNDS, 2);
const SECONDS = arg('seconds', 1);
/** `--only steps` or `--only kernel` runs one part. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const N = 300, B = 32, I = 3, K = 3;
const repo = path.resolve(__dirname, '..', '..');

/** One PyTorch process (one version, thread count and wait policy): a JSON command per line. */
class Torch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  version = '';
  constructor(readonly label: string, python: string, threads: number, policy: string | undefined, specFile: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads) };
    if (policy) env.OMP_WAIT_POLICY = policy;
    else delete env.OMP_WAIT_POLICY;
    this.child = spawn(python, [path.join(repo, 'bench', 'richlazy_torch.py'), specFile, String(threads)], { env });
    this.child.stderr.on('data', (d) => (String(d).includes('Error') ? process.stderr.write(d) : undefined));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async ready(): Promise<void> {
    this.version = (await this.next()).torch;
  }
  async ask(cmd: object): Promise<any> {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return this.next();
  }
  private async next(): Promise<any> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`PyTorch (${this.label}) ended`);
    return JSON.parse(r.value);
  }
  stop(): void {
    this.child.stdin.end();
  }
}

/** Neurite's steps/s on the batches, `DEFAULT_STEPS_PER_RUN` steps per run, one untimed run first each round. */
async function neuriteStepper(batches: { x: Float32Array; y: Int32Array }[], threads: number) {
  const net = richLazyNet(I, N, { rank: N, gain: 1.25, rescale: true }, new Rng(1));
  const state = new TrainState(net.model.parameters(), makeOptimizer({ kind: 'momentum', lr: 3e-3, momentum: 0.9 }));
  const k = DEFAULT_STEPS_PER_RUN;
  const step = await TrainStep.compile({ model: net.model, state, inputShape: [STEPS, B, I], target: { shape: [STEPS * B], dtype: 'int32' }, loss: everyStepLoss, exec: execOptions('cpu', { threads }), steps: k });
  let next = 0;
  const run = async () => {
    const at = Array.from({ length: k }, (_, i) => (next + i) % batches.length);
    next = (next + k) % batches.length;
    await step.runSteps(at.map((i) => batches[i].x), at.map((i) => batches[i].y), 3e-3);
  };
  return async (seconds: number) => {
    await run();
    let n = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    while (performance.now() - t0 < seconds * 1000) {
      await run();
      n += k;
    }
    const c = process.cpuUsage(c0);
    return { stepsPerS: n / ((performance.now() - t0) / 1000), cpuUsPerStep: (c.user + c.system) / n };
  };
}

async function main(): Promise<void> {
  // The same weights, batches and probe batch for both sides.
  const net = richLazyNet(I, N, { rank: N, gain: 1.25, rescale: true }, new Rng(1));
  const stream = new Rng(2);
  const batches = Array.from({ length: 20 }, () => trialBatch(tasks.perceptual, B, stream));
  const probe = trialBatch(tasks.perceptual, B, new Rng(3)).x;
  const [wIn, wRec, wOut] = net.model.parameters().map((p) => Array.from(p.data));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-richlazy-'));
  const specFile = path.join(dir, 'spec.json');
  fs.writeFileSync(specFile, JSON.stringify({ dims: [STEPS, B, I, N, K], w_in: wIn, w_rec: wRec, w_out: wOut, probe: Array.from(probe), batches: batches.map((b) => ({ x: Array.from(b.x), y: Array.from(b.y) })) }));

  // The current torch from the venv torchBuilds makes (once) under $NEURITE_CACHE, not a path assumed to exist.
  const { builds, skipped } = torchBuilds((m) => console.log(m));
  const current = builds.find((b) => b.python !== DEBIAN_PYTHON)?.python;
  const torches: Torch[] = [];
  for (const threads of [1, 2]) {
    for (const policy of ['PASSIVE', 'ACTIVE']) torches.push(new Torch(`1.13 t${threads} ${policy}`, DEBIAN_PYTHON, threads, policy, specFile));
    if (current) torches.push(new Torch(`2.x t${threads} default`, current, threads, undefined, specFile));
  }
  for (const t of torches) await t.ready();
  const versions = [...new Set(torches.map((t) => t.version))];
  console.log(`Neurite (${DEFAULT_STEPS_PER_RUN} steps per run) vs PyTorch ${versions.join(', ')}${current ? '' : ` (torch ${CURRENT_TORCH} skipped: ${skipped.join('; ')})`}; ${ROUNDS} interleaved rounds of ${SECONDS} s; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // 1. Training steps/s; 2. one tangent-kernel evaluation.
  const rounds = new Map<string, { stepsPerS: number[]; cpuUs: number[] }>();
  const comparisons: Row[] = [];
  if (ONLY !== 'kernel') comparisons.push(...(await stepsPart(torches, batches, rounds)));
  const kernel = ONLY === 'steps' ? undefined : await kernelPart(torches, net, probe, dir);
  for (const t of torches) t.stop();
  writeResults(ONLY ? `richlazy-${ONLY}` : 'richlazy', {
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    stepsPerRun: DEFAULT_STEPS_PER_RUN,
    torch: versions,
    loadAverage: os.loadavg(),
    steps: [...rounds].map(([config, v]) => ({ config, ...v })),
    comparisons,
    goal: { stepRatio: 1.5, met: (comparisons.find((c) => c.against === 'best PyTorch')?.ratio as number) >= 1.5 },
    kernel,
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Steps/s of every configuration in interleaved rounds; the best-against-best comparisons. */
async function stepsPart(torches: Torch[], batches: { x: Float32Array; y: Int32Array }[], rounds: Map<string, { stepsPerS: number[]; cpuUs: number[] }>): Promise<Row[]> {
  const neurite = [1, 2].map((threads) => ({ label: `neurite t${threads}`, threads }));
  const steppers = await Promise.all(neurite.map((c) => neuriteStepper(batches, c.threads)));
  const add = (label: string, stepsPerS: number, cpuUs: number) => {
    const r = rounds.get(label) ?? rounds.set(label, { stepsPerS: [], cpuUs: [] }).get(label)!;
    r.stepsPerS.push(stepsPerS);
    r.cpuUs.push(cpuUs);
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of neurite.entries()) {
      const m = await steppers[i](SECONDS);
      add(c.label, m.stepsPerS, m.cpuUsPerStep);
    }
    for (const t of torches)
      for (const impl of ['loop', 'rnn']) {
        const m = await t.ask({ cmd: 'steps', impl, seconds: SECONDS });
        add(`torch ${t.label} ${impl}`, m.steps / m.seconds, (m.cpu * 1e6) / m.steps);
      }
    console.log(`  round ${r + 1}/${ROUNDS} done (load ${os.loadavg()[0].toFixed(1)})`);
  }
  const stepRows: Row[] = [...rounds].map(([config, v]) => ({ config, steps_s: median(v.stepsPerS), min: Math.min(...v.stepsPerS), max: Math.max(...v.stepsPerS), cpu_us_step: median(v.cpuUs) }));
  printTable(`richlazy.rnn training steps/s (N ${N}, ${STEPS} steps, batch ${B}, SGD momentum; median of ${ROUNDS} rounds)`, stepRows);
  const best = (prefix: string) => [...rounds].filter(([l]) => l.startsWith(prefix)).sort((a, b) => median(b[1].stepsPerS) - median(a[1].stepsPerS))[0];
  const ours = best('neurite');
  const comparisons = ['torch 1.13', 'torch 2.x', 'torch'].filter((p) => best(p)).map((p) => {
    const theirs = best(p);
    const perRound = ours[1].stepsPerS.map((v, i) => v / theirs[1].stepsPerS[i]);
    return { against: p === 'torch' ? 'best PyTorch' : p, neurite: ours[0], pytorch: theirs[0], ratio: median(ours[1].stepsPerS) / median(theirs[1].stepsPerS), round_min: Math.min(...perRound), round_max: Math.max(...perRound) };
  });
  printTable('Best against best (ratio of medians; round_min/max: per-round ratios of the same two configurations; goal ≥ 1.5)', comparisons);
  return comparisons;
}

/** One tangent-kernel evaluation on each side, in interleaved rounds; the two kernels compared. */
async function kernelPart(torches: Torch[], net: ReturnType<typeof richLazyNet>, probe: Float32Array, dir: string) {
  const kernels = await Promise.all([1, 2].map((threads) => TangentKernel.compile({ model: net.model, weight: net.wRec, inputShape: [STEPS, B, I], batchAxis: 1, exec: execOptions('cpu', { threads }) })));
  const ourKernel = (await kernels[0].run(probe)).kernel.slice();
  const kernelTimes = new Map<string, number[]>();
  const time = (label: string, s: number) => (kernelTimes.get(label) ?? kernelTimes.set(label, []).get(label)!).push(s);
  let worstDiff = 0;
  const scale = ourKernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let r = 0; r < KERNEL_ROUNDS; r++) {
    for (const [i, k] of kernels.entries()) {
      const t0 = performance.now();
      await k.run(probe);
      time(`neurite t${i + 1}`, (performance.now() - t0) / 1000);
    }
    for (const t of torches)
      // The authors' row loop is slow: once, on one configuration per version.
      for (const impl of r === 0 && t.label.includes('t1') && !t.label.includes('ACTIVE') ? ['jacrev', 'rows'] : ['jacrev']) {
        const out = path.join(dir, `k-${torches.indexOf(t)}-${impl}.bin`);
        time(`torch ${t.label} ${impl}`, (await t.ask({ cmd: 'kernel', impl, out })).seconds);
        const theirs = new Float32Array(fs.readFileSync(out).buffer.slice(0));
        for (let j = 0; j < theirs.length; j++) worstDiff = Math.max(worstDiff, Math.abs(theirs[j] - ourKernel[j]) / scale);
      }
    console.log(`  kernel round ${r + 1}/${KERNEL_ROUNDS} done`);
  }
  const kernelRows: Row[] = [...kernelTimes].map(([config, s]) => ({ config, seconds: median(s), min: Math.min(...s), max: Math.max(...s), rounds: s.length }));
  printTable(`One tangent-kernel evaluation, K = J Jᵀ over ${B} trials × ${STEPS} steps × ${K} outputs (${B * STEPS * K}² entries; J ${B * STEPS * K} × ${N * N}); largest |ΔK|/max|K| between the sides: ${worstDiff.toExponential(2)}`, kernelRows);
  const fastest = (prefix: string) => [...kernelTimes].filter(([l]) => l.startsWith(prefix)).sort((a, b) => median(a[1]) - median(b[1]))[0];
  const speedup = median(fastest('torch')[1]) / median(fastest('neurite')[1]);
  console.log(`\nkernel: ${fastest('neurite')[0]} ${median(fastest('neurite')[1]).toFixed(2)} s vs ${fastest('torch')[0]} ${median(fastest('torch')[1]).toFixed(2)} s → ${speedup.toFixed(2)}×`);
  return { times: [...kernelTimes].map(([config, seconds]) => ({ config, seconds })), speedup, maxRelativeDifference: worstDiff };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
