/**
 * One Neurite measurement for bench/spiking.ts in a fresh process (as each Brian2 run is), so
 * that peak RSS is this run's and no other case shaped the JIT. Prints one JSON line.
 *
 * V8 compiles Neurite's loops while they run: a fresh process reaches full speed after some
 * 5,000 steps (CUBA at 4,000 neurons: ~2× slower over its first 0.5 s simulated). So, as Brian2's
 * compilation is kept out of its timing, a warm-up run of the same case (at most 4,000 neurons,
 * 0.5 s; STDP 2 s) comes first, timed and reported apart; then the measured network is built
 * and run.
 * Run as `node out/bench/_spiking-child.js '<json>'` with
 *   {"case": "cuba", "seed": 1, "n": 4000, "durationMs": 1000}
 *   {"case": "stdp", "seed": 1, "inputs": "/tmp/…bin"?}   (inputs: int32 pairs step, input index)
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Rng } from '../kernel/core/rng';
import { loadSpec, readRawSpec } from '../kernel/runs/runner';
import { buildNetwork } from '../kernel/spiking/build';
import { histogram } from '../kernel/spiking/output';

interface Args {
  case: 'cuba' | 'stdp';
  seed: number;
  n?: number;
  durationMs?: number;
  inputs?: string;
}

const root = path.resolve(__dirname, '..', '..');
const sample = (name: string) => path.join(root, 'samples', name);
const peakRssMB = () => Number(fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/)?.[1]) / 1024;

/** Brian2's CUBA at n neurons: 80% excitatory, p = 80/n (Brian2's speed tests; 0.02 at 4,000). */
function cubaSpec(n: number, durationMs: number) {
  const ne = Math.round(0.8 * n);
  const p = 80 / n; // (exactly the sample's 0.02 at 4,000)
  const overrides = [`populations.0.size=${n}`, `projections.0.from=P[0:${ne}]`, `projections.1.from=P[${ne}:${n}]`, `projections.0.connector.p=${p}`, `projections.1.connector.p=${p}`];
  return loadSpec({ specPath: sample('spiking-cuba.neurite.yaml'), overrides: [...overrides, `durationMs=${durationMs}`, 'monitors.spikes=[P]', 'monitors.state=[]'] }).spec;
}

/** Brian2's STDP example; with `inputs`, its Poisson group replaced by those spikes. */
function stdpSpec(inputs?: string) {
  const overrides = ['monitors.spikes=[]'];
  if (!inputs) return loadSpec({ specPath: sample('spiking-stdp.neurite.yaml'), overrides }).spec;
  const raw = readRawSpec({ specPath: sample('spiking-stdp.neurite.yaml') }).raw as { dtMs: number; stimuli: { size: number }[] };
  const pairs = new Int32Array(fs.readFileSync(inputs).buffer.slice(0));
  const timesMs: number[][] = Array.from({ length: raw.stimuli[0].size }, () => []);
  for (let k = 0; k < pairs.length; k += 2) timesMs[pairs[k + 1]].push(pairs[k] * raw.dtMs);
  raw.stimuli[0] = { type: 'spike-times', name: 'input', timesMs } as never;
  return loadSpec({ spec: raw, overrides }).spec;
}

/** The same case, small and short: V8 optimises the loops the measured run will use. */
function warmUp(a: Args, stdp?: ReturnType<typeof stdpSpec>): number {
  const spec = a.case === 'cuba' ? cubaSpec(Math.min(a.n!, 4000), 500) : { ...stdp!, durationMs: 2000 };
  const t0 = performance.now();
  const b = buildNetwork(spec, new Rng(a.seed + 1e6));
  b.net.run(Math.round(spec.durationMs / spec.dtMs));
  return (performance.now() - t0) / 1000;
}

function main(a: Args) {
  const stdp = a.case === 'stdp' ? stdpSpec(a.inputs) : undefined;
  const warmupSeconds = warmUp(a, stdp);
  const spec = stdp ?? cubaSpec(a.n!, a.durationMs!);
  const t0 = performance.now();
  const b = buildNetwork(spec, new Rng(a.seed));
  const setupSeconds = (performance.now() - t0) / 1000;
  const c0 = process.cpuUsage();
  const t1 = performance.now();
  b.net.run(Math.round(spec.durationMs / spec.dtMs));
  const seconds = (performance.now() - t1) / 1000;
  const c = process.cpuUsage(c0);
  let stats: Record<string, number>;
  if (a.case === 'cuba') {
    const n = a.n!;
    stats = { rateHz: b.rateMonitors.find((m) => m.name === 'P')!.total / n / (spec.durationMs / 1000), synapsesPerNeuron: b.projections.reduce((s, p) => s + p.projection.size, 0) / n };
  } else {
    const w = b.projections[0].projection.weights();
    const wMax = spec.projections[0].plasticity.wMax;
    const h = histogram(w.map((x) => x / wMax), 0, 1, 20);
    stats = { outputSpikes: b.rateMonitors.find((m) => m.name === 'out')!.total, meanWOverWmax: w.reduce((s, x) => s + x, 0) / w.length / wMax, fracAboveHalf: h.slice(10).reduce((s, x) => s + x, 0) / w.length };
  }
  console.log(JSON.stringify({ seconds, cpuSeconds: (c.user + c.system) / 1e6, setupSeconds, warmupSeconds, peakRssMB: peakRssMB(), stats }));
}

main(JSON.parse(process.argv[2]) as Args);
