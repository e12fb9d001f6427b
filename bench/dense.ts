/**
 * `npm run bench -- dense [--rounds N] [--seconds S] [--sweep-rounds N] [--sweep-seconds S]`:
 * the dense engine against PyTorch on the CPU, each side at its best settings on this machine.
 * PyTorch is Debian's 1.13 and a current CPU build (torch 2.13, a venv made on first use;
 * bench/_torch.ts). Everything runs in one process tree in interleaved rounds, so load from
 * other processes hits all sides; a PyTorch process is stopped while it is not being measured.
 *   1. Settings sweep, MLP 784-256-10 SGD at batch 64 and 256 on the same 20 real Fashion-MNIST
 *      batches: Neurite over onnxruntime's spinning (never, within runs, always), steps per
 *      run (1, 16) and threads (1, 2); each PyTorch over OMP_WAIT_POLICY (PASSIVE, ACTIVE,
 *      unset) and threads (1, 2). All settings in each round, in a shuffled order.
 *      Each side's best setting is the one with the highest median steps/s.
 *   2. Best against best: each side at its best setting, in rounds of their own (a fresh
 *      measurement, so the pick is not flattered by the noise it was picked on), per-round
 *      ratios Neurite/PyTorch with their min, median and max; momentum and Adam at batch 64
 *      with the settings picked for SGD. CPU time per step (all threads) is reported beside
 *      steps/s: on a shared machine it is the steadier measure of the work a step costs.
 *   3. Achieved GFLOP/s of the step against one 1024³ GEMM measured in the same rounds: in
 *      onnxruntime and in each PyTorch; the fraction of each and of the fastest, per second and
 *      per CPU-second.
 *   4. One full Fashion-MNIST epoch (60,000 images, batch 64, shuffled, SGD), batching included
 *      (Neurite as dense.mlp runs it: the shared loop, bytes in, metrics streamed to a run
 *      folder), each side at its batch-64 setting.
 *   5. Peak memory (RSS) of the kernel for a full Fashion-MNIST run of samples/dense-mlp.
 * Prints tables and writes bench/results/dense.json.
 */
import { spawnSync } from 'child_process';
import * as ort from 'onnxruntime-node';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../kernel/core/rng';
import { loadData } from '../kernel/data';
import { execOptions, type Spin } from '../kernel/dense/session';
import { DEFAULT_STEPS_PER_RUN } from '../kernel/dense/train';
import { gemmMeter, neuriteEpoch, neuriteStepper, stepFlops, type Stepper } from './_dense-sides';
import { median, printTable, writeResults, type Row } from './_table';
import { benchScript, torchBuilds, TorchProcess, WAIT_POLICIES } from './_torch';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 9);
const SECONDS = arg('seconds', 0.6);
const SWEEP_ROUNDS = arg('sweep-rounds', 3);
const SWEEP_SECONDS = arg('sweep-seconds', 0.4);
const BATCHES = [64, 256];
const THREADS = [1, 2];
const SPINS: Spin[] = ['never', 'within-runs', 'always'];
const STEPS_PER_RUN = [1, DEFAULT_STEPS_PER_RUN];
const GEMM_N = 1024;
const repo = path.resolve(__dirname, '..', '..');

/** One side at one setting: measures `seconds` of steps and says steps/s and CPU µs per step. */
interface Contender {
  side: string; // "Neurite" or a PyTorch build's label
  setting: string;
  /** The PyTorch process (PyTorch sides), or the Neurite setting. */
  torch?: TorchProcess;
  neurite?: { spin: Spin; stepsPerRun: number; threads: number };
  measure(seconds: number): Promise<{ stepsPerS: number; cpuUsPerStep: number }>;
}

const neuriteSetting = (n: { spin: Spin; stepsPerRun: number; threads: number }) => `spin ${n.spin}, ${n.stepsPerRun} steps/run, ${n.threads} thread${n.threads > 1 ? 's' : ''}`;

function torchContender(proc: TorchProcess, batch: number, opt: string): Contender {
  return {
    side: proc.build.label,
    setting: proc.setting,
    torch: proc,
    async measure(seconds) {
      const t = await proc.ask({ cmd: 'steps', batch, opt, seconds });
      return { stepsPerS: t.steps / t.seconds, cpuUsPerStep: (t.cpu * 1e6) / t.steps };
    },
  };
}

async function neuriteContender(set: Parameters<typeof neuriteStepper>[0], batch: number, opt: string, n: { spin: Spin; stepsPerRun: number; threads: number }): Promise<Contender> {
  const stepper: Stepper = await neuriteStepper(set, batch, opt, execOptions('cpu', { threads: n.threads, spin: n.spin }), n.stepsPerRun);
  return { side: 'Neurite', setting: neuriteSetting(n), neurite: n, measure: stepper };
}

/**
 * Rounds over the contenders, each round in its own shuffled order; steps/s and CPU µs per step,
 * per contender per round. `afterFirst` runs right after the first contender's measurement.
 */
async function rounds(cs: Contender[], count: number, seconds: number, seed: number, afterFirst?: () => Promise<void>) {
  const rng = new Rng(seed);
  const steps = cs.map(() => [] as number[]);
  const cpu = cs.map(() => [] as number[]);
  for (let r = 0; r < count; r++) {
    const order = cs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.float() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) {
      const m = await cs[i].measure(seconds);
      steps[i].push(m.stepsPerS);
      cpu[i].push(m.cpuUsPerStep);
      if (i === 0) await afterFirst?.();
    }
  }
  return { steps, cpu };
}

const spread = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

async function main(): Promise<void> {
  const data = await loadData({ name: 'fashion-mnist', download: false, validation: 0 });
  const { builds, skipped } = torchBuilds((s) => console.log(s));
  for (const s of skipped) console.log(`skipped: ${s}`);
  // One process per setting (build, wait policy, threads), started together, stopped while idle.
  const procs = await Promise.all(builds.flatMap((b) => WAIT_POLICIES.flatMap((p) => THREADS.map((t) => new TorchProcess(b, p, t, benchScript('dense_torch.py'), [data.source, String(t)]).start()))));
  console.log(`Neurite: onnxruntime ${ort.env.versions.common}. PyTorch: ${builds.map((b) => `${b.label} (${b.python})`).join(', ') || 'none'}.`);
  console.log(`Sweep: ${SWEEP_ROUNDS} rounds of ${SWEEP_SECONDS} s per setting; best against best: ${ROUNDS} rounds of ${SECONDS} s. Load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`);

  // 1. Settings sweep.
  const neuriteSettings = SPINS.flatMap((spin) => STEPS_PER_RUN.flatMap((stepsPerRun) => THREADS.map((threads) => ({ spin, stepsPerRun, threads }))));
  const sweep: Record<string, unknown>[] = [];
  const oneThread: Row[] = [];
  const best = new Map<number, Contender[]>(); // per batch: Neurite's best, then each build's best
  for (const batch of BATCHES) {
    const cs: Contender[] = [];
    for (const n of neuriteSettings) cs.push(await neuriteContender(data.train, batch, 'sgd', n));
    for (const p of procs) cs.push(torchContender(p, batch, 'sgd'));
    const r = await rounds(cs, SWEEP_ROUNDS, SWEEP_SECONDS, batch);
    const rows: Row[] = cs.map((c, i) => ({ side: c.side, setting: c.setting, steps_s: median(r.steps[i]), min: Math.min(...r.steps[i]), max: Math.max(...r.steps[i]), cpu_us_per_step: median(r.cpu[i]) }));
    printTable(`Settings sweep, batch ${batch} SGD: steps/s (median, min, max of ${SWEEP_ROUNDS} rounds)`, rows);
    sweep.push(...rows.map((row, i) => ({ batch, ...row, rounds: r.steps[i] })));
    // Work per step on one thread that never spins (CPU time, nearly load-independent): Neurite's 16 steps per run against each PyTorch under PASSIVE.
    const cpuOf = (side: string, setting: string) => rows.find((x) => x.side === side && x.setting === setting)?.cpu_us_per_step as number;
    const ours1 = cpuOf('Neurite', 'spin never, 16 steps/run, 1 thread');
    for (const b of builds) oneThread.push({ batch, pytorch: `${b.label}, OMP_WAIT_POLICY=PASSIVE, 1 thread`, neurite_cpu_us: ours1, pytorch_cpu_us: cpuOf(b.label, 'OMP_WAIT_POLICY=PASSIVE, 1 thread'), cpu_ratio: cpuOf(b.label, 'OMP_WAIT_POLICY=PASSIVE, 1 thread') / ours1 });
    const pick = (side: string) => cs.map((c, i) => ({ c, m: median(r.steps[i]) })).filter((x) => x.c.side === side).sort((a, b) => b.m - a.m)[0].c;
    best.set(batch, ['Neurite', ...builds.map((b) => b.label)].map(pick));
  }
  printTable('Work per step on one thread, no spinning: CPU µs per step (medians of the sweep; Neurite: spin never, 16 steps/run); cpu_ratio = PyTorch/Neurite', oneThread);

  // 2 and 3. Best against best, with the GEMM references in the same rounds.
  // onnxruntime's GEMM at 2 threads, spinning as Neurite's best setting does (one meter per mode).
  const gemmMeters = new Map<Spin, ReturnType<typeof gemmMeter>>();
  const gemmOrt = (spin: Spin) => gemmMeters.get(spin) ?? gemmMeters.set(spin, gemmMeter(GEMM_N, execOptions('cpu', { threads: 2, spin }))).get(spin)!;
  const configs = [...BATCHES.map((batch) => ({ batch, opt: 'sgd' })), { batch: 64, opt: 'momentum' }, { batch: 64, opt: 'adam' }];
  const head: Record<string, unknown>[] = [];
  const headRows: Row[] = [];
  const achieved: Row[] = [];
  for (const { batch, opt } of configs) {
    const picked = best.get(batch)!;
    const cs = await Promise.all(picked.map((c) => (c.neurite ? neuriteContender(data.train, batch, opt, c.neurite) : torchContender(c.torch!, batch, opt))));
    // Each PyTorch's GEMM at 2 threads, under the wait policy of its best setting.
    const gemmProcs = cs.slice(1).map((c) => procs.find((p) => p.build === c.torch!.build && p.policy === c.torch!.policy && p.threads === 2)!);
    const gemms: Record<string, { wall: number[]; cpu: number[] }> = { onnxruntime: { wall: [], cpu: [] } };
    const measureGemms = async () => {
      const o = await (await gemmOrt(cs[0].neurite!.spin))(0.3);
      gemms.onnxruntime.wall.push(o.gflops);
      gemms.onnxruntime.cpu.push(o.cpuGflops);
      for (const p of gemmProcs) {
        const t = await p.ask({ cmd: 'gemm', n: GEMM_N, seconds: 0.3 });
        const g = (gemms[p.build.label] ??= { wall: [], cpu: [] });
        g.wall.push(t.gflops);
        g.cpu.push(t.cpu_gflops);
      }
    };
    // The GEMMs right after Neurite's measurement in each round, so its fractions compare measurements taken under the same load.
    const r = await rounds(cs, ROUNDS, SECONDS, 1000 + batch, opt === 'sgd' ? measureGemms : undefined);
    const ours = r.steps[0];
    // The strongest PyTorch here: the build with the highest median steps/s.
    const strongest = cs.slice(1).map((_, j) => j + 1).sort((a, b) => median(r.steps[b]) - median(r.steps[a]))[0];
    const versus = cs.slice(1).map((c, j) => {
      const theirs = r.steps[j + 1];
      const ratios = ours.map((x, k) => x / theirs[k]);
      return { torch: c.side, setting: c.setting, steps_s: median(theirs), cpu_us_per_step: median(r.cpu[j + 1]), ratio: spread(ratios), cpu_ratio: median(r.cpu[j + 1]) / median(r.cpu[0]), rounds: theirs, cpuRounds: r.cpu[j + 1] };
    });
    const entry = { config: `batch ${batch} ${opt}`, batch, opt, neurite: { setting: cs[0].setting, steps_s: median(ours), cpu_us_per_step: median(r.cpu[0]), rounds: ours, cpuRounds: r.cpu[0] }, strongestTorch: strongest ? cs[strongest].side : null, versus };
    head.push(entry);
    for (const v of versus) {
      headRows.push({ config: entry.config, neurite: entry.neurite.setting, neurite_steps_s: entry.neurite.steps_s, pytorch: `${v.torch}, ${v.setting}`, pytorch_steps_s: v.steps_s, ratio_min: v.ratio.min, ratio_median: v.ratio.median, ratio_max: v.ratio.max, cpu_ratio: v.cpu_ratio });
    }
    console.log(`  ${entry.config}: Neurite ${entry.neurite.steps_s.toFixed(0)} steps/s; ${versus.map((v) => `${v.torch} ${v.steps_s.toFixed(0)} → ${v.ratio.median.toFixed(2)}×`).join('; ')}`);
    if (opt === 'sgd') {
      // Per round: Neurite's step GFLOP over each GEMM of that round, per second (wall) and per CPU-second (the steadier under load).
      for (const [clock, mine] of [
        ['wall', ours.map((x) => (x * stepFlops(batch)) / 1e9)],
        ['cpu', r.cpu[0].map((us) => stepFlops(batch) / (us * 1e3))],
      ] as const) {
        const fastest = (k: number) => Math.max(...Object.values(gemms).map((g) => g[clock][k]));
        const unit = clock === 'wall' ? 'gflop_s' : 'gflop_per_cpu_s';
        const row: Row = { config: entry.config, clock: clock === 'wall' ? 'per second' : 'per CPU-second', [`neurite_${unit}`]: median(mine) };
        for (const [name, g] of Object.entries(gemms)) row[`gemm_${unit} ${name}`] = median(g[clock]);
        row.fraction_of_ort_gemm = median(mine.map((x, k) => x / gemms.onnxruntime[clock][k]));
        row.fraction_of_fastest_gemm = median(mine.map((x, k) => x / fastest(k)));
        row.fastest_gemm = Object.entries(gemms).sort((a, b) => median(b[1][clock]) - median(a[1][clock]))[0][0];
        achieved.push(row);
      }
    }
  }
  printTable('Best against best: steps/s (medians of rounds); ratio = Neurite/PyTorch per round (min, median, max); cpu_ratio = PyTorch/Neurite CPU µs per step', headRows);
  const achievedTitle = (clock: string) => `Achieved GFLOP ${clock} of Neurite's step vs one ${GEMM_N}³ GEMM (2 threads, each side's best spin or wait policy) right after it in each round; fraction_of_ort_gemm divides by onnxruntime's GEMM, fraction_of_fastest_gemm by the fastest GEMM of the round (fastest_gemm: the fastest by median)`;
  printTable(achievedTitle('per second'), achieved.filter((a) => a.clock === 'per second'));
  printTable(achievedTitle('per CPU-second (all threads; spinning counts)'), achieved.filter((a) => a.clock !== 'per second'));

  // 4. A full epoch, each side at its batch-64 setting.
  const b64 = best.get(64)!;
  const n64 = b64[0].neurite!;
  const epochRounds: Record<string, number[]> = { Neurite: [] };
  for (let r = 0; r < 2; r++) {
    const n = await neuriteEpoch(data.train, execOptions('cpu', { threads: n64.threads, spin: n64.spin }), n64.stepsPerRun);
    epochRounds.Neurite.push(n.seconds);
    const line = [`Neurite ${n.seconds.toFixed(1)} s (loss ${n.loss.toFixed(3)})`];
    for (const c of b64.slice(1)) {
      const t = await c.torch!.ask({ cmd: 'epoch', batch: 64 });
      (epochRounds[c.side] ??= []).push(t.seconds);
      line.push(`${c.side} ${t.seconds.toFixed(1)} s (loss ${t.loss.toFixed(3)})`);
    }
    console.log(`  epoch round ${r + 1}: ${line.join(', ')}`);
  }
  const epochRows: Row[] = b64.slice(1).map((c) => ({ pytorch: `${c.side}, ${c.setting}`, neurite_s: Math.min(...epochRounds.Neurite), pytorch_s: Math.min(...epochRounds[c.side]), speedup: Math.min(...epochRounds[c.side]) / Math.min(...epochRounds.Neurite) }));
  printTable(`One Fashion-MNIST epoch (60,000 images, batch 64, SGD; best of 2; Neurite: ${b64[0].setting})`, epochRows);
  for (const p of procs) p.stop();

  // 5. Memory of a full run.
  const mem = runRss();
  printTable('Kernel peak RSS, full Fashion-MNIST run (samples/dense-mlp, 1 epoch, export included, NEURITE_THREADS=2)', [{ peak_rss_mb: mem.mb, seconds: mem.seconds, test_accuracy: mem.testAccuracy, target_mb: 600 }]);

  // Targets: Neurite against the strongest PyTorch, each at its best setting.
  const vsStrongest = (batch: number) => {
    const e = head.find((h) => h.batch === batch && h.opt === 'sgd') as { strongestTorch: string | null; versus: { torch: string; setting: string; ratio: ReturnType<typeof spread> }[] };
    const v = e.versus.find((x) => x.torch === e.strongestTorch);
    return v ? { against: `${v.torch}, ${v.setting}`, ...v.ratio } : null;
  };
  const ratios = { batch64: vsStrongest(64), batch256: vsStrongest(256) };
  const targets = { batch64: 1.3, batch256: 1.1, rssMb: 600 };
  for (const [key, batch] of [['batch64', 64], ['batch256', 256]] as const) {
    const x = ratios[key];
    if (x) console.log(`target batch ${batch}: ≥ ${targets[key]}× the strongest PyTorch (${x.against}): per-round ratio ${x.median.toFixed(2)} (min ${x.min.toFixed(2)}, max ${x.max.toFixed(2)}) → ${x.median >= targets[key] ? 'met' : 'missed'}`);
  }
  writeResults('dense', {
    onnxruntime: ort.env.versions.common,
    torch: builds.map((b) => ({ label: b.label, version: procs.find((p) => p.build === b)!.version, python: b.python })),
    skipped,
    rounds: ROUNDS,
    secondsPerRound: SECONDS,
    sweepRounds: SWEEP_ROUNDS,
    sweepSecondsPerRound: SWEEP_SECONDS,
    loadAverage: os.loadavg(),
    ratios,
    targets,
    meetsTargets: { batch64: (ratios.batch64?.median ?? 0) >= targets.batch64, batch256: (ratios.batch256?.median ?? 0) >= targets.batch256, rss: mem.mb < targets.rssMb },
    best: Object.fromEntries([...best].map(([batch, cs]) => [`batch${batch}`, Object.fromEntries(cs.map((c) => [c.side, c.setting]))])),
    bestAgainstBest: head,
    oneThreadCpu: oneThread,
    achieved,
    epoch: { neurite: b64[0].setting, rows: epochRows, rounds: epochRounds },
    memory: mem,
    sweep,
  });
}

/**
 * Peak RSS of the kernel for a full Fashion-MNIST run of the sample (one epoch), in MB. Read
 * from /proc (VmHWM) where there is one: Linux's getrusage maxRSS of a spawned child starts at
 * its parent's RSS at the fork (kept across exec), and this benchmark's process is the larger.
 */
function runRss(): { mb: number; seconds: number; testAccuracy: number } {
  const out = path.join(os.tmpdir(), 'neurite-bench-runs');
  const peakKb = `(() => { try { return Number(/VmHWM:\\s*(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch { return process.resourceUsage().maxRSS; } })()`;
  const script = `require(${JSON.stringify(path.join(repo, 'out', 'kernel', 'cli.js'))}).main(${JSON.stringify(['run', path.join(repo, 'samples', 'dense-mlp.neurite.yaml'), '--set', 'train.epochs=1', '--out', out, '--json', '-q'])}).then((c) => { console.log(JSON.stringify({ rss: ${peakKb}, code: c })); })`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NEURITE_THREADS: '2' } });
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 2]);
  const { rss, code } = JSON.parse(lines[lines.length - 1]);
  if (code !== 0) throw new Error(`the run failed: ${r.stderr}`);
  return { mb: rss / 1024, seconds: (performance.now() - t0) / 1000, testAccuracy: summary.metrics.test_accuracy };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
