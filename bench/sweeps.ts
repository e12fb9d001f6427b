/**
 * `npm run bench -- sweeps [trials=24] [simTrials=3000000] [rounds=3]`: 24 short dendrite.sdr
 * trials (seeds 1…24) run
 *   (a) one after another as separate `neurite run` processes (what a shell loop does),
 *   (b) as a sweep on the local executor with --jobs 1, and (c) with one worker per core,
 *   (d) as a sweep through Slurm (a real one-node cluster from test/slurm/cluster.sh, started
 *       here when Slurm is installed), with the test cluster's scheduler settings and (e) with
 *       Slurm's default ones (batch_sched_delay=3 s),
 * in interleaved rounds, all in one run. Reported per route: the median wall time, and the time
 * per trial spent outside its own run, (wall · slots − Σ run durations) / N. Derived, per round
 * then the median: the local speed-up (a)/(c), the executor's per-trial overhead ((b) − (a))/N,
 * and the Slurm route's per-trial overhead P·((d) − (c))/N, with P the trials that run at once
 * (both routes use every core of this one node).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { cores } from '../kernel/core/cores';
import { printTable, writeResults, type Row } from './_table';

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const N = Number(process.argv[2] ?? 24);
const SIM = Number(process.argv[3] ?? 3_000_000);
const ROUNDS = Number(process.argv[4] ?? 3);
const P = cores(); // the local executor's default --jobs
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-sweeps-'));

const base = `kind: dendrite.sdr
name: bench-sweep
checks:
  falsePositive: [{ n: 300, a: 64, s: 24, theta: 12 }]
  falseNegative: [{ n: 2048, a: 64, s: 24, theta: 12, v: 32 }]
  union: []
simulation: { trials: ${SIM} }
sweeps: []
`;
const baseFile = path.join(work, 'base.neurite.yaml');
const sweepFile = path.join(work, 'sweep.neurite.yaml');
fs.writeFileSync(baseFile, base);
fs.writeFileSync(sweepFile, `${base}sweep:\n  grid:\n    seed: [${Array.from({ length: N }, (_, i) => i + 1).join(', ')}]\n`);

function node(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`neurite ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Seconds of wall time, and the summaries the runs left under `root`. */
function timed(what: () => void, root: string): { wallS: number; durations: number[]; firstStartS: number } {
  process.stdout.write(`  ${path.basename(root)}… `);
  const t0 = Date.now();
  const p0 = performance.now();
  what();
  const wallS = (performance.now() - p0) / 1000;
  const sums: any[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d)) {
      const p = path.join(d, n);
      if (n === 'summary.json') sums.push(JSON.parse(fs.readFileSync(p, 'utf8')));
      else if (fs.statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  if (sums.length !== N || sums.some((s) => s.status !== 'completed')) throw new Error(`expected ${N} completed runs under ${root}, found ${sums.length}`);
  const firstStartS = (Math.min(...sums.map((s) => Date.parse(s.startedAt))) - t0) / 1000;
  console.log(`${wallS.toFixed(2)} s`);
  return { wallS, durations: sums.map((s) => s.durationMs), firstStartS };
}

function cluster(cmd: 'start' | 'stop', dir: string, sched?: string): string {
  const env = sched === undefined ? process.env : { ...process.env, SLURM_SCHEDULER_PARAMETERS: sched };
  const r = spawnSync('bash', [path.join(repo, 'test', 'slurm', 'cluster.sh'), cmd, dir], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`cluster.sh ${cmd}: ${r.stderr}`);
  return /SLURM_CONF=(\S+)/.exec(r.stdout)?.[1] ?? '';
}

// Other work on the machine takes cores from the parallel routes: record how busy it was.
const loadBefore = os.loadavg()[0];
console.log(`${N} trials of dendrite.sdr (${SIM} segment tests per check), ${P} cores, load average ${loadBefore.toFixed(2)}; work in ${work}`);

/** `slots`: trials that can run at once on this route. */
type Route = { name: string; label: string; slots: number; run: (out: string) => void };
const routes: Route[] = [
  {
    name: 'sequential',
    label: '`neurite run` × N, one after another',
    slots: 1,
    run: (out) => {
      for (let s = 1; s <= N; s++) node(['run', baseFile, '--seed', String(s), '--out', out, '--json', '--quiet']);
    },
  },
  { name: 'jobs1', label: 'sweep, local, --jobs 1', slots: 1, run: (out) => node(['sweep', sweepFile, '--jobs', '1', '--out', out, '--json', '--quiet']) },
  { name: 'local', label: `sweep, local, --jobs ${P}`, slots: P, run: (out) => node(['sweep', sweepFile, '--out', out, '--json', '--quiet']) },
];
const haveSlurm = ['slurmctld', 'slurmd', 'sbatch'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
const clusters: string[] = [];
if (haveSlurm) {
  const slurmRoutes: [string, string, string | undefined][] = [
    ['slurm', 'sweep, slurm (test cluster: batch_sched_delay=0)', undefined],
    ['slurmDefaults', "sweep, slurm (Slurm's default scheduler settings)", ''],
  ];
  for (const [name, label, sched] of slurmRoutes) {
    const dir = path.join(work, `cluster-${name}`);
    const conf = cluster('start', dir, sched);
    clusters.push(dir);
    routes.push({ name, label, slots: P, run: (out) => node(['sweep', sweepFile, '--executor', 'slurm', '--out', out, '--json', '--quiet'], { ...process.env, SLURM_CONF: conf }) });
  }
} else console.log('Slurm is not installed (apt-get install slurm-wlm): the Slurm rows are left out');

// Rounds interleave the routes, so load from other work on the machine hits each about equally;
// each figure is the median over rounds.
const all: Record<string, ReturnType<typeof timed>[]> = {};
try {
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    for (const r of routes) {
      const out = path.join(work, `${r.name}-${round}`);
      (all[r.name] ??= []).push(timed(() => r.run(out), out));
    }
  }
} finally {
  for (const dir of clusters) cluster('stop', dir);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const results: Record<string, { wallS: number; durations: number[]; firstStartS: number; walls: number[] }> = {};
for (const [k, rs] of Object.entries(all)) {
  results[k] = { wallS: median(rs.map((r) => r.wallS)), durations: rs.flatMap((r) => r.durations), firstStartS: median(rs.map((r) => r.firstStartS)), walls: rs.map((r) => r.wallS) };
}

const seq = results.sequential.wallS;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/**
 * Time per trial outside its own run, (wall · slots − Σ run durations) / N: process start-up,
 * planning, dispatch and scheduling. Run durations absorb the machine's load, so this figure
 * is steadier than wall-time differences on a shared machine.
 */
const overheadMs = (k: string) => median(all[k].map((r) => ((r.wallS * 1000 * routes.find((x) => x.name === k)!.slots - r.durations.reduce((a, b) => a + b, 0)) / N)));
const rows: Row[] = Object.entries(results).map(([k, r]) => ({
  route: routes.find((x) => x.name === k)!.label,
  wall_s: r.wallS,
  rounds_s: r.walls.map((w) => w.toFixed(1)).join(' '),
  vs_sequential: seq / r.wallS,
  trial_run_ms: mean(r.durations),
  overhead_per_trial_ms: overheadMs(k),
  first_trial_start_s: r.firstStartS,
}));
printTable(`${N} trials, median of ${ROUNDS} interleaved rounds`, rows);
// Derived figures per round (routes of one round ran minutes apart, under similar load), then the median.
const perRound = (f: (w: Record<string, number>) => number) => median(Array.from({ length: ROUNDS }, (_, i) => f(Object.fromEntries(Object.entries(all).map(([k, rs]) => [k, rs[i].wallS])))));
const derived: Record<string, number> = {
  localSpeedup: perRound((w) => w.sequential / w.local),
  executorOverheadPerTrialMs: perRound((w) => ((w.jobs1 - w.sequential) / N) * 1000),
};
if (results.slurm) derived.slurmOverheadPerTrialMs = perRound((w) => ((P * (w.slurm - w.local)) / N) * 1000);
if (results.slurmDefaults) derived.slurmDefaultsOverheadPerTrialMs = perRound((w) => ((P * (w.slurmDefaults - w.local)) / N) * 1000);
printTable(`derived (median over rounds of each round's figure)`, Object.entries(derived).map(([k, v]) => ({ figure: k, value: v })));
const load = { before: loadBefore, after: os.loadavg()[0] };
console.log(`load average (1 min) before ${load.before.toFixed(2)}, after ${load.after.toFixed(2)} on ${P} cores`);
writeResults('sweeps', { trials: N, simTrials: SIM, rounds: ROUNDS, cores: P, loadAverage: load, rows, derived });
fs.rmSync(work, { recursive: true, force: true });
