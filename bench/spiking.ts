/**
 * `npm run bench -- spiking [--reps N] [--only stdp|cuba|<case>,…] [--modes cython,sa1,sa2] [--fresh]
 * [--omp-wait-policy PASSIVE|ACTIVE]`:
 * Neurite's event engine against Brian2 2.5 (Debian python3-brian) on Brian2's own examples, in
 * each of Brian2's modes, side by side in the same rounds:
 *   cython  runtime mode, compiled-code cache warm
 *   sa1     C++ standalone (g++ with Brian2's flags: -O3 -ffast-math -march=native), OpenMP, 1 thread
 *   sa2     the same with 2 OpenMP threads
 * Cases:
 *   stdp-poisson   examples/synapses/STDP.py (Song, Miller & Abbott 2000), 100 s; each side draws
 *                  its own Poisson inputs (Neurite as geometric gaps, Brian2 one number per input
 *                  per step: much of Neurite's lead is that)
 *   stdp-inputs    the same network, both sides playing the same pre-generated input spikes
 *                  (Brian2 SpikeGeneratorGroup), so the engines alone are compared
 *   cuba-N         examples/CUBA.py (Brette et al. 2007, benchmark 2) at N = 4,000, 40,000 and
 *                  400,000 neurons, p = 80/N (each neuron keeps ~80 inputs, as Brian2's speed tests
 *                  scale it), 1 s, 1 s and 0.2 s simulated
 * Timing: simulation only, wall and CPU seconds. Neurite times Network.run in its own fresh
 * process; Brian2 cython times net.run after net.run(0 ms) loaded the code; standalone is timed
 * inside the binary around Network::run (the span of Brian2's own _last_run_time, recorded too).
 * Set-up is reported apart (Neurite: building the network; cython: code generation and loading;
 * standalone: code generation, make and the binary's own set-up), and so is compilation: Neurite's
 * JIT warm-up (a short run of the same case first, in the same process: _spiking-child.ts) and standalone's
 * make: each case's project is compiled once (`--warm`) in ~/.cache/neurite/brian2-standalone,
 * from scratch with --fresh, and reused by every round (the seed is a command-line argument).
 * Every round runs Neurite and each Brian2 mode once with the same seed, Neurite first in odd
 * rounds and last in even ones; speedups are per round against the Brian2 mode with the lowest
 * median (wall: the fastest mode; CPU: the least work), reported as min / median / max.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../kernel/core/rng';
import { PoissonSource } from '../kernel/spiking/sources';
import { median, printTable, writeResults, type Row } from './_table';

const root = path.resolve(__dirname, '..', '..');
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const reps = Number(arg('--reps')) || 3;
// OpenMP threads that spin while they wait (GCC's default, ACTIVE) lose their time slice to the
// other processes of a shared machine: measured here, 2 threads ran CUBA (4,000) 15-20× slower
// with ACTIVE than with PASSIVE. PASSIVE is the default here; pass ACTIVE on a quiet machine.
const ompWaitPolicy = arg('--omp-wait-policy') ?? 'PASSIVE';
const only = arg('--only');
const buildRoot = path.join(os.homedir(), '.cache', 'neurite', 'brian2-standalone');

interface Run {
  seconds: number;
  cpuSeconds: number;
  setupSeconds: number;
  peakRssMB: number;
  stats: Record<string, number>;
  brian2RunSeconds?: number;
  compileSeconds?: number;
  /** Neurite: the JIT warm-up run before the measured one (see _spiking-child.ts). */
  warmupSeconds?: number;
}

interface Mode {
  key: string;
  label: string;
  threads?: number;
}

const allModes: Mode[] = [
  { key: 'cython', label: 'Brian2 cython' },
  { key: 'sa1', label: 'Brian2 standalone 1 thread', threads: 1 },
  { key: 'sa2', label: 'Brian2 standalone 2 threads', threads: 2 },
];
const chosen = arg('--modes') ? allModes.filter((m) => arg('--modes')!.split(',').includes(m.key)) : allModes;
const modesOf = (c: { modes?: string[] }) => chosen.filter((m) => !c.modes || c.modes.includes(m.key));

interface Case {
  key: string;
  name: string;
  script: string;
  args: string[];
  child: Record<string, unknown>;
  target: number;
  n?: number;
  simSeconds: number;
  /** Brian2 modes that make sense for the case (all unless given). */
  modes?: string[];
}

const inputsFile = path.join(os.tmpdir(), 'neurite-bench', 'stdp-inputs.bin');
const cuba = (n: number, seconds: number): Case => ({
  key: `cuba-${n}`,
  name: `CUBA ${n.toLocaleString('en')} neurons, ${seconds} s`,
  script: 'cuba.py',
  args: ['--n', String(n), '--duration', String(seconds)],
  child: { case: 'cuba', n, durationMs: seconds * 1000 },
  target: 2,
  n,
  simSeconds: seconds,
});
// STDP has one neuron: two OpenMP threads only add a barrier per code object per step (measured
// here: 226 s instead of 11 s for stdp-inputs), so its cases leave sa2 out.
const stdpModes = ['cython', 'sa1'];
const cases: Case[] = [
  { key: 'stdp-poisson', name: 'STDP (Song 2000), own Poisson inputs, 100 s', script: 'stdp_song2000.py', args: [], child: { case: 'stdp' }, target: 10, simSeconds: 100, modes: stdpModes },
  { key: 'stdp-inputs', name: 'STDP (Song 2000), same input spikes, 100 s', script: 'stdp_song2000.py', args: ['--inputs', inputsFile], child: { case: 'stdp', inputs: inputsFile }, target: 10, simSeconds: 100, modes: stdpModes },
  cuba(4000, 1),
  cuba(40000, 1),
  cuba(400000, 0.2),
].filter((c) => !only || only.split(',').some((o) => c.key === o || c.key.startsWith(`${o}-`)));

/** The pre-generated inputs of stdp-inputs: 1000 Poisson trains at 15 Hz for 100 s (seeded), as int32 pairs (step, input). */
function writeInputs(): number {
  const dt = 0.1;
  const src = new PoissonSource(1000, 15, dt, new Rng(20001));
  const pairs: number[] = [];
  for (let step = 0; step < 100000 / dt; step++) {
    src.emit(step);
    for (let k = 0; k < src.count; k++) pairs.push(step, src.spikes[k]);
  }
  fs.mkdirSync(path.dirname(inputsFile), { recursive: true });
  fs.writeFileSync(inputsFile, Int32Array.from(pairs));
  return pairs.length / 2;
}

function neurite(c: Case, seed: number): Run {
  const r = spawnSync(process.execPath, [path.join(__dirname, '_spiking-child.js'), JSON.stringify({ ...c.child, seed })], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`Neurite ${c.key} failed:\n${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

/** One Brian2 run (or, with warm, only code generation and compilation/loading). */
function brian2(c: Case, m: Mode, seed: number, warm = false): Run {
  const mode = m.threads === undefined ? [] : ['--standalone', path.join(buildRoot, `${c.key}-t${m.threads}`), '--threads', String(m.threads)];
  const argv = [path.join(root, 'test', 'golden', 'brian2', c.script), '--time', String(seed), ...c.args, ...mode, ...(warm ? ['--warm'] : [])];
  const env = { ...process.env, OMP_NUM_THREADS: String(m.threads ?? 1), ...(m.threads !== undefined ? { OMP_WAIT_POLICY: ompWaitPolicy } : {}) };
  const r = spawnSync('/usr/bin/python3', argv, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`Brian2 ${c.key} (${m.key}) failed:\n${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  if (warm) return out;
  const stats: Record<string, number> = c.script.startsWith('cuba')
    ? { rateHz: out.rateHz, synapsesPerNeuron: out.synapses / c.n! }
    : { outputSpikes: out.outputSpikes, meanWOverWmax: out.meanW, fracAboveHalf: out.weightHist.slice(10).reduce((s: number, x: number) => s + x, 0) / 1000 };
  return { ...out, stats };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));
const spread = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const spreadText = (s: { min: number; median: number; max: number }) => `${s.min.toFixed(1)} / ${s.median.toFixed(1)} / ${s.max.toFixed(1)}×`;

if (fs.existsSync(buildRoot) && process.argv.includes('--fresh')) fs.rmSync(buildRoot, { recursive: true });
const started = Date.now();
if (cases.some((c) => c.key === 'stdp-inputs')) console.log(`stdp-inputs: ${writeInputs()} input spikes → ${inputsFile}`);

const results: Record<string, unknown>[] = [];
const main: Row[] = [];
const setup: Row[] = [];
const memory: Row[] = [];
const statistics: Row[] = [];
for (const c of cases) {
  const modes = modesOf(c);
  process.stdout.write(`${c.name}: warming Brian2 (code generation, compilation)… `);
  const first = Object.fromEntries(modes.map((m) => [m.key, brian2(c, m, 0, true)]));
  const rounds: { neurite: Run; brian2: Record<string, Run> }[] = [];
  for (let r = 1; r <= reps; r++) {
    const neuriteFirst = r % 2 === 1;
    const n0 = neuriteFirst ? neurite(c, r) : undefined;
    const b = Object.fromEntries(modes.map((m) => [m.key, brian2(c, m, r)]));
    rounds.push({ neurite: n0 ?? neurite(c, r), brian2: b });
    process.stdout.write(`${r}/${reps} `);
  }
  console.log();

  /** One column per chosen mode (the same columns in every case's row); '—' where the case leaves the mode out. */
  const perMode = (value: (m: Mode) => string | number, unit: string, include = (_m: Mode) => true) =>
    Object.fromEntries(chosen.filter(include).map((m) => [`${m.key} ${unit}`.trim(), modes.includes(m) ? value(m) : '—']));
  const runsOf = (who: string) => rounds.map((x) => (who === 'neurite' ? x.neurite : x.brian2[who]));
  const med = (who: string, k: 'seconds' | 'cpuSeconds' | 'setupSeconds') => median(runsOf(who).map((x) => x[k]));
  const fastest = modes.reduce((a, m) => (med(m.key, 'seconds') < med(a.key, 'seconds') ? m : a));
  const leastCpu = modes.reduce((a, m) => (med(m.key, 'cpuSeconds') < med(a.key, 'cpuSeconds') ? m : a));
  const wall = spread(rounds.map((x) => x.brian2[fastest.key].seconds / x.neurite.seconds));
  const cpu = spread(rounds.map((x) => x.brian2[leastCpu.key].cpuSeconds / x.neurite.cpuSeconds));
  main.push({
    case: c.name,
    'Neurite s': med('neurite', 'seconds'),
    ...perMode((m) => med(m.key, 'seconds'), 's'),
    'speedup vs fastest (wall, min/med/max)': `${spreadText(wall)} ${fastest.key}`,
    'CPU: vs least CPU': `${spreadText(cpu)} ${leastCpu.key}`,
    target: `≥ ${c.target}× ${wall.median >= c.target ? 'met' : 'MISSED'}`,
  });
  setup.push({
    case: c.name,
    'Neurite build s': med('neurite', 'setupSeconds'),
    'Neurite JIT warm-up s': median(runsOf('neurite').map((x) => x.warmupSeconds!)),
    ...perMode((m) => med(m.key, 'setupSeconds'), 'setup s'),
    ...perMode((m) => first[m.key].compileSeconds ?? '', 'compile s (first)', (m) => m.threads !== undefined),
  });
  memory.push({ case: c.name, 'Neurite MB': Math.max(...runsOf('neurite').map((x) => x.peakRssMB)), ...perMode((m) => Math.max(...runsOf(m.key).map((x) => x.peakRssMB)), 'MB') });
  const statNames = Object.keys(rounds[0].neurite.stats);
  const mean = (who: string, k: string) => runsOf(who).reduce((s, x) => s + x.stats[k], 0) / rounds.length;
  for (const k of statNames) statistics.push({ case: c.name, statistic: k, Neurite: fmt(mean('neurite', k)), ...perMode((m) => fmt(mean(m.key, k)), '') });

  results.push({
    case: c.key,
    name: c.name,
    simulatedSeconds: c.simSeconds,
    neurons: c.n,
    reps,
    target: c.target,
    fastestByWall: fastest.key,
    speedupWall: wall,
    leastCpu: leastCpu.key,
    speedupCpu: cpu,
    meetsTarget: wall.median >= c.target,
    median: Object.fromEntries(['neurite', ...modes.map((m) => m.key)].map((who) => [who, { seconds: med(who, 'seconds'), cpuSeconds: med(who, 'cpuSeconds'), setupSeconds: med(who, 'setupSeconds') }])),
    firstBrian2Call: first,
    rounds,
  });
}

printTable('Neurite vs Brian2: simulation seconds (medians of rounds); speedups per round, min / median / max, against the named mode', main);
printTable('Set-up seconds (medians), apart from the simulation; standalone compile = make in the first (warming) call, from scratch with --fresh', setup);
printTable('Peak resident memory (MB, the largest over rounds; standalone: the binary)', memory);
printTable('Statistics each side produced (means over rounds)', statistics);

const scaling = results.filter((r) => String(r.case).startsWith('cuba-'));
const perSimSecond = (r: Record<string, unknown>, who: string, k: 'seconds' | 'cpuSeconds') => (r.median as Record<string, Record<string, number>>)[who][k] / (r.simulatedSeconds as number);
const scalingRows: Row[] = scaling.map((r, k) => {
  const cell = (who: string, key: 'seconds' | 'cpuSeconds') => `${perSimSecond(r, who, key).toPrecision(3)}${k === 0 ? '' : ` ×${(perSimSecond(r, who, key) / perSimSecond(scaling[k - 1], who, key)).toFixed(1)}`}`;
  const wallB = r.fastestByWall as string, cpuB = r.leastCpu as string;
  return { neurons: (r.neurons as number).toLocaleString('en'), 'Neurite wall': cell('neurite', 'seconds'), [`Brian2 wall (fastest)`]: `${cell(wallB, 'seconds')} ${wallB}`, 'Neurite CPU': cell('neurite', 'cpuSeconds'), 'Brian2 CPU (least)': `${cell(cpuB, 'cpuSeconds')} ${cpuB}` };
});
printTable('CUBA scaling: seconds per simulated second (medians), and ×growth from the previous size (10× the neurons and synapses)', scalingRows);
const minutes = (Date.now() - started) / 60000;
console.log(`\nbench took ${minutes.toFixed(1)} min`);
writeResults('spiking', {
  brian2: { version: 'Debian python3-brian 2.5.1', modes: Object.fromEntries(chosen.map((m) => [m.key, m.label])), ompWaitPolicy, flags: '-w -O3 -ffast-math -fno-finite-math-only -march=native -std=c++11 (Brian2 defaults)' },
  timing: 'simulation only; wall and CPU seconds; Neurite: Network.run; cython: net.run after net.run(0 ms); standalone: clock_gettime around Network::run inside the binary',
  minutes,
  cases: results,
  scaling: scalingRows,
});
