/**
 * `npm run bench -- spiking [--reps N] [--only stdp|cuba]`: Neurite's event engine against Brian2 (Debian
 * python3-brian, cython target) on Brian2's own examples, side by side in one run:
 *   STDP  examples/synapses/STDP.py (Song, Miller & Abbott 2000), 100 s simulated
 *   CUBA  examples/CUBA.py (Brette et al. 2007, benchmark 2), 1 s simulated
 * Brian2 runs once untimed first so its compiled code is cached; every timed Brian2 run then
 * does `net.run(0 ms)` (code generation, loading the cached module) before the timed run.
 * Neurite times its network build and its simulation separately. Runs alternate between the two
 * (contention on a shared machine hits both); the table reports medians of wall-clock and CPU
 * seconds of the simulation, and the statistics each run produced, beside each other.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Rng } from '../kernel/core/rng';
import { loadSpec } from '../kernel/runs/runner';
import { buildNetwork } from '../kernel/spiking/build';
import { histogram } from '../kernel/spiking/output';
import { median, printTable, writeResults } from './_table';

const root = path.resolve(__dirname, '..', '..');
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const reps = Number(arg('--reps')) || 3;
const only = arg('--only');

interface Timing {
  seconds: number;
  cpuSeconds: number;
  setupSeconds: number;
  stats: Record<string, number>;
}

function brian2(script: string, seed: number): Timing {
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const r = spawnSync('/usr/bin/python3', [path.join(root, 'test', 'golden', 'brian2', script), '--time', String(seed)], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`Brian2 ${script} failed:\n${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const stats: Record<string, number> = script.startsWith('cuba')
    ? { rateHz: out.rateHz, synapses: out.synapses }
    : { outputSpikes: out.outputSpikes, meanWOverWmax: out.meanW, fracAboveHalf: out.weightHist.slice(10).reduce((s: number, x: number) => s + x, 0) / 1000 };
  return { seconds: out.seconds, cpuSeconds: out.cpuSeconds, setupSeconds: out.setupSeconds, stats };
}

function neurite(sample: string, seed: number, overrides: string[]): Timing {
  const { spec } = loadSpec({ specPath: path.join(root, 'samples', sample), overrides });
  const t0 = performance.now();
  const b = buildNetwork(spec, new Rng(seed));
  const setupSeconds = (performance.now() - t0) / 1000;
  const c0 = process.cpuUsage();
  const t1 = performance.now();
  b.net.run(Math.round(spec.durationMs / spec.dtMs));
  const seconds = (performance.now() - t1) / 1000;
  const c = process.cpuUsage(c0);
  let stats: Record<string, number>;
  if (sample.includes('cuba')) {
    stats = { rateHz: b.rateMonitors.find((m) => m.name === 'P')!.total / 4000 / (spec.durationMs / 1000), synapses: b.projections.reduce((s, p) => s + p.projection.size, 0) };
  } else {
    const w = b.projections[0].projection.weights();
    const wMax = spec.projections[0].plasticity.wMax;
    const h = histogram(w.map((x) => x / wMax), 0, 1, 20);
    stats = { outputSpikes: b.rateMonitors.find((m) => m.name === 'out')!.total, meanWOverWmax: w.reduce((s, x) => s + x, 0) / w.length / wMax, fracAboveHalf: h.slice(10).reduce((s, x) => s + x, 0) / w.length };
  }
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6, setupSeconds, stats };
}

const cases = [
  { name: 'STDP (Song et al. 2000), 100 s', script: 'stdp_song2000.py', sample: 'spiking-stdp.neurite.yaml', overrides: ['monitors.spikes=[]'], target: 10 },
  { name: 'CUBA (Brette et al. 2007), 1 s', script: 'cuba.py', sample: 'spiking-cuba.neurite.yaml', overrides: ['monitors.spikes=[P]', 'monitors.state=[]'], target: 2 },
];

const results: Record<string, unknown>[] = [];
const rows: Record<string, string | number>[] = [];
for (const c of cases.filter((x) => !only || x.script.startsWith(only))) {
  process.stdout.write(`${c.name}: warming Brian2's compiled-code cache… `);
  brian2(c.script, 0);
  const runs: { neurite: Timing; brian2: Timing }[] = [];
  for (let r = 1; r <= reps; r++) {
    runs.push({ neurite: neurite(c.sample, r, c.overrides), brian2: brian2(c.script, r) });
    process.stdout.write(`${r}/${reps} `);
  }
  console.log();
  const med = (who: 'neurite' | 'brian2', k: 'seconds' | 'cpuSeconds' | 'setupSeconds') => median(runs.map((x) => x[who][k]));
  const statNames = Object.keys(runs[0].neurite.stats);
  const stat = (who: 'neurite' | 'brian2', k: string) => runs.reduce((s, x) => s + x[who].stats[k], 0) / runs.length;
  const speedup = med('brian2', 'seconds') / med('neurite', 'seconds');
  const cpuSpeedup = med('brian2', 'cpuSeconds') / med('neurite', 'cpuSeconds');
  rows.push({
    case: c.name,
    'Neurite s': med('neurite', 'seconds'),
    'Brian2 s': med('brian2', 'seconds'),
    speedup: `${speedup.toFixed(1)}×`,
    'CPU speedup': `${cpuSpeedup.toFixed(1)}×`,
    target: `≥ ${c.target}×`,
    'setup N / B s': `${med('neurite', 'setupSeconds').toFixed(2)} / ${med('brian2', 'setupSeconds').toFixed(2)}`,
    ...Object.fromEntries(statNames.map((k) => [k, `${fmt(stat('neurite', k))} / ${fmt(stat('brian2', k))}`])),
  });
  results.push({ case: c.name, reps, target: c.target, speedupWall: speedup, speedupCpu: cpuSpeedup, meetsTarget: speedup >= c.target, median: { neurite: { seconds: med('neurite', 'seconds'), cpuSeconds: med('neurite', 'cpuSeconds'), setupSeconds: med('neurite', 'setupSeconds') }, brian2: { seconds: med('brian2', 'seconds'), cpuSeconds: med('brian2', 'cpuSeconds'), setupSeconds: med('brian2', 'setupSeconds') } }, runs });
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

printTable('Neurite vs Brian2 (cython), simulation time (medians); statistics as Neurite / Brian2 (means over the runs)', rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !['outputSpikes', 'meanWOverWmax', 'fracAboveHalf', 'rateHz', 'synapses'].includes(k)))));
for (const r of rows) printTable(`${r.case}: statistics, Neurite / Brian2`, [Object.fromEntries(Object.entries(r).filter(([k]) => ['outputSpikes', 'meanWOverWmax', 'fracAboveHalf', 'rateHz', 'synapses'].includes(k)))]);
writeResults('spiking', { brian2: 'Debian python3-brian, cython target, compiled cache warm', cases: results });
