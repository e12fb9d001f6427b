/**
 * `npm run bench -- sweeps [trials=24] [simTrials=8000000]`: 24 short dendrite.sdr trials (seeds
 * 1…24) run
 *   (a) one after another as separate `neurite run` processes (what a shell loop does),
 *   (b) as a sweep on the local executor with --jobs 1, and (c) with one worker per core,
 *   (d) as a sweep through Slurm (a real one-node cluster from test/slurm/cluster.sh, started
 *       here when Slurm is installed), with the test cluster's scheduler settings and (e) with
 *       Slurm's default ones (batch_sched_delay=3 s),
 * all in one run, and reports wall times, the local speed-up (a)/(c), the executor's per-trial
 * overhead ((b) − (a))/N, and the Slurm route's per-trial overhead P·((d) − (c))/N with P the
 * trials that run at once (both routes use every core of this one node).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { printTable, writeResults, type Row } from './_table';

const repo = path.resolve(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const N = Number(process.argv[2] ?? 24);
const SIM = Number(process.argv[3] ?? 8_000_000);
const P = os.availableParallelism?.() ?? os.cpus().length;
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

const results: Record<string, ReturnType<typeof timed>> = {};
// Other work on the machine takes cores from the parallel routes: record how busy it was.
const loadBefore = os.loadavg()[0];
console.log(`${N} trials of dendrite.sdr (${SIM} segment tests per check), ${P} cores, load average ${loadBefore.toFixed(2)}; work in ${work}`);
results.sequential = timed(() => {
  for (let s = 1; s <= N; s++) node(['run', baseFile, '--seed', String(s), '--out', path.join(work, 'seq'), '--json', '--quiet']);
}, path.join(work, 'seq'));
results.jobs1 = timed(() => node(['sweep', sweepFile, '--jobs', '1', '--out', path.join(work, 'jobs1'), '--json', '--quiet']), path.join(work, 'jobs1'));
results.local = timed(() => node(['sweep', sweepFile, '--out', path.join(work, 'local'), '--json', '--quiet']), path.join(work, 'local'));

const haveSlurm = ['slurmctld', 'slurmd', 'sbatch'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
const slurmRuns: [string, string | undefined][] = [
  ['slurm', undefined],
  ['slurmDefaults', ''],
];
for (const [name, sched] of haveSlurm ? slurmRuns : []) {
  const dir = path.join(work, `cluster-${name}`);
  const conf = cluster('start', dir, sched);
  try {
    results[name] = timed(() => node(['sweep', sweepFile, '--executor', 'slurm', '--out', path.join(work, name), '--json', '--quiet'], { ...process.env, SLURM_CONF: conf }), path.join(work, name));
  } finally {
    cluster('stop', dir);
  }
}
if (!haveSlurm) console.log('Slurm is not installed (apt-get install slurm-wlm): the Slurm rows are left out');

const seq = results.sequential.wallS;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const labels: Record<string, string> = {
  sequential: '`neurite run` × N, one after another',
  jobs1: 'sweep, local, --jobs 1',
  local: `sweep, local, --jobs ${P}`,
  slurm: 'sweep, slurm (test cluster: batch_sched_delay=0)',
  slurmDefaults: "sweep, slurm (Slurm's default scheduler settings)",
};
const rows: Row[] = Object.entries(results).map(([k, r]) => ({
  route: labels[k],
  wall_s: r.wallS,
  vs_sequential: seq / r.wallS,
  trial_run_ms: mean(r.durations),
  first_trial_start_s: r.firstStartS,
}));
printTable(`${N} trials`, rows);
const derived: Record<string, number> = {
  localSpeedup: seq / results.local.wallS,
  executorOverheadPerTrialMs: ((results.jobs1.wallS - seq) / N) * 1000,
};
if (results.slurm) derived.slurmOverheadPerTrialMs = ((P * (results.slurm.wallS - results.local.wallS)) / N) * 1000;
if (results.slurmDefaults) derived.slurmDefaultsOverheadPerTrialMs = ((P * (results.slurmDefaults.wallS - results.local.wallS)) / N) * 1000;
printTable('derived', Object.entries(derived).map(([k, v]) => ({ figure: k, value: v })));
const load = { before: loadBefore, after: os.loadavg()[0] };
console.log(`load average (1 min) before ${load.before.toFixed(2)}, after ${load.after.toFixed(2)} on ${P} cores`);
writeResults('sweeps', { trials: N, simTrials: SIM, cores: P, loadAverage: load, rows, derived });
fs.rmSync(work, { recursive: true, force: true });
