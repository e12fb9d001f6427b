/**
 * `npm run bench -- circuits [--rounds K] [--quick]`: Neurite against JoSIM 2.7 on JoSIM's speed
 * test, side by side in the same rounds.
 *
 * Workloads: JoSIM's ex_jtl_string.cir (a DC-to-SFQ converter driving 1,000 JTL stages into a
 * sink, 2,006 junctions, 2 ns at 0.25 ps), and the same circuit written by _jtl-string.ts with
 * probes at stages 100 and 500. Each round runs both tools on both, as the user would (a process
 * per run: `josim-cli -m 1 -a 1 file -o out.csv` and `neurite sim file -o out.csv`), in alternating
 * order; wall time, and CPU time of the process from bash's `times`. JoSIM's settings: phase
 * mode (-a 1, its default) against voltage mode (-a 0), measured twice each at the start and the
 * faster kept; its -p (OpenMP) does nothing in this build (no OpenMP in the binary). Neurite's:
 * its defaults (latency on; it has no settings that make this run faster).
 *
 * Accuracy: the per-stage delay, (t₅₀₀ − t₁₀₀)/400 where t is when a stage's output voltage has
 * carried Φ0/2, against Neurite at 0.025 ps with a 1e-9 rad tolerance (its own error estimated
 * from a 0.05 ps run, Richardson for BDF2); JoSIM at 0.05 ps checks that both converge to the
 * same delay (skipped with --quick). JoSIM's file gets the same probes for this, untimed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Rng } from '../kernel/core/rng';
import { PHI0 } from '../kernel/circuits/netlist/expr';
import { buildCircuit } from '../kernel/circuits/netlist/build';
import { Transient } from '../kernel/circuits/transient';
import { findJosim, readCsv, runJosim, sharedDir, timed, type Csv, type Timed } from './_josim';
import { jtlStringNetlist } from './_jtl-string';
import { median, printTable, writeResults, type Row } from './_table';

const repo = path.resolve(__dirname, '..', '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

/** When a voltage trace has carried Φ0/2 (the middle of its first SFQ pulse), interpolated. */
function halfFlux(t: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 1; i < t.length; i++) {
    const ds = 0.5 * (v[i] + v[i - 1]) * (t[i] - t[i - 1]);
    if (s + ds >= PHI0 / 2) return t[i - 1] + ((PHI0 / 2 - s) / ds) * (t[i] - t[i - 1]);
    s += ds;
  }
  return NaN;
}

const delayPerStage = (csv: Pick<Csv, 'time' | 'column'>, at100: string, at500: string) => (halfFlux(csv.time, csv.column(at500)) - halfFlux(csv.time, csv.column(at100))) / 400;

/** The neurite command as users run it (bin → dist bundle), rebuilt if older than the compiled solver. */
function neuriteBin(): string {
  const bundle = path.join(repo, 'dist', 'cli.js');
  const solver = path.join(repo, 'out', 'kernel', 'circuits', 'transient.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < fs.statSync(solver).mtimeMs) {
    const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  return path.join(repo, 'bin', 'neurite.js');
}

function runNeurite(bin: string, netlist: string, csv: string): Timed {
  const r = timed(process.execPath, [bin, 'sim', netlist, '-o', csv, '--quiet']);
  if (r.status !== 0) throw new Error(`neurite sim failed on ${netlist}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** Neurite in this process: a column reader for the delay, and the simulation's own CPU time. */
function inProcess(text: string, tol?: number): Pick<Csv, 'time' | 'column'> & { buildS: number; simS: number; stats: Transient['stats'] } {
  const c0 = process.cpuUsage();
  const sim = new Transient(buildCircuit(text, 'bench'), { rng: new Rng(1), tol });
  const c1 = process.cpuUsage(c0);
  sim.advance(Infinity);
  const c2 = process.cpuUsage(c0);
  const s = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
  return { time: sim.recorder.column('time'), column: (l) => sim.recorder.column(l), buildS: s(c1), simS: s(c2) - s(c1), stats: sim.stats };
}

const spread = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

function main(): void {
  const rounds = arg('rounds', 5);
  const quick = process.argv.includes('--quick');
  const josim = findJosim();
  const shared = sharedDir();
  const exFile = shared && path.join(shared, 'reference', 'josim-netlists', 'ex_jtl_string.cir');
  if (!josim.binary || !exFile || !fs.existsSync(exFile)) {
    console.error(`JoSIM or ex_jtl_string.cir not found (looked at ${josim.looked}); set NEURITE_SHARED or NEURITE_JOSIM.`);
    process.exit(2);
  }
  const bin = neuriteBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-circuits-'));
  const probes100 = { file: ['V(2|X02)', 'V(6|X02)'], line: ['V(S100)', 'V(S500)'] };
  const lineText = jtlStringNetlist(1000).replace(/^\.print (.*)$/m, '.print $1 v(s100) v(s500)');
  const work = [
    { name: 'ex_jtl_string.cir', file: exFile },
    { name: '1,000-stage line (_jtl-string.ts)', file: path.join(dir, 'line.cir') },
  ];
  fs.writeFileSync(work[1].file, lineText);

  // JoSIM's settings: phase (-a 1) or voltage (-a 0) analysis, whichever uses less CPU (the
  // lower of two runs each, alternated).
  const scan = { phase: [] as number[], voltage: [] as number[] };
  for (const a of [1, 0, 0, 1] as const) scan[a ? 'phase' : 'voltage'].push(runJosim(josim.binary, exFile, path.join(dir, `mode${a}.csv`), a).cpuS);
  const analysis = Math.min(...scan.phase) <= Math.min(...scan.voltage) ? 1 : 0;
  console.log(`JoSIM -a 1 (phase): ${scan.phase.map((c) => c.toFixed(2)).join(', ')} s CPU; -a 0 (voltage): ${scan.voltage.map((c) => c.toFixed(2)).join(', ')} s; using -a ${analysis}`);

  const runs = work.map(() => ({ josim: [] as Timed[], neurite: [] as Timed[] }));
  for (let r = 0; r < rounds; r++) {
    work.forEach((w, k) => {
      const j = () => runs[k].josim.push(runJosim(josim.binary!, w.file, path.join(dir, `josim-${k}.csv`), analysis));
      const n = () => runs[k].neurite.push(runNeurite(bin, w.file, path.join(dir, `neurite-${k}.csv`)));
      if ((r + k) % 2 === 0) (j(), n());
      else (n(), j());
      const [a, b] = [runs[k].josim[r], runs[k].neurite[r]];
      console.log(`round ${r + 1}/${rounds}, ${w.name}: JoSIM ${a.cpuS.toFixed(2)} s CPU (${a.wallS.toFixed(2)} s wall), Neurite ${b.cpuS.toFixed(2)} s CPU (${b.wallS.toFixed(2)} s wall)`);
    });
  }

  // Accuracy: per-stage delay against a fine-step reference.
  const withProbes = fs.readFileSync(exFile, 'utf8').replace(/^\.print v\(1\) v\(2\) v\(3\)$/m, `.print v(1) v(2) v(3) v(2|X02) v(6|X02)`);
  const probed = path.join(dir, 'ex-probed.cir');
  fs.writeFileSync(probed, withProbes);
  runJosim(josim.binary, probed, path.join(dir, 'josim-probed.csv'), analysis);
  runNeurite(bin, probed, path.join(dir, 'neurite-probed.csv'));
  const delays = {
    josimFile: delayPerStage(readCsv(path.join(dir, 'josim-probed.csv')), probes100.file[0], probes100.file[1]),
    neuriteFile: delayPerStage(readCsv(path.join(dir, 'neurite-probed.csv')), probes100.file[0], probes100.file[1]),
    josimLine: delayPerStage(readCsv(path.join(dir, 'josim-1.csv')), probes100.line[0], probes100.line[1]),
    neuriteLine: delayPerStage(readCsv(path.join(dir, 'neurite-1.csv')), probes100.line[0], probes100.line[1]),
  };
  const fine = (stepPs: number) => jtlStringNetlist(1000, stepPs).replace(/^\.tran (\S+) 2n$/m, '.tran $1 1.75n').replace(/^\.print (.*)$/m, '.print v(s100) v(s500)');
  const ref025 = inProcess(fine(0.025), 1e-9);
  const ref05 = inProcess(fine(0.05), 1e-9);
  const d025 = delayPerStage(ref025, 'V(S100)', 'V(S500)'), d05 = delayPerStage(ref05, 'V(S100)', 'V(S500)');
  const reference = d025 - (d05 - d025) / 3; // BDF2: error ∝ h², so the 0.025 ps run is (d05 − d025)/3 off
  let josimFine: number | undefined;
  if (!quick) {
    fs.writeFileSync(path.join(dir, 'fine.cir'), fine(0.05));
    runJosim(josim.binary, path.join(dir, 'fine.cir'), path.join(dir, 'josim-fine.csv'), analysis);
    josimFine = delayPerStage(readCsv(path.join(dir, 'josim-fine.csv')), 'V(S100)', 'V(S500)');
  }
  const err = (d: number) => d / reference - 1;
  const inside = inProcess(lineText);

  const rows: Row[] = [];
  const summary = work.map((w, k) => {
    const [dj, dn] = k === 0 ? [delays.josimFile, delays.neuriteFile] : [delays.josimLine, delays.neuriteLine];
    const side = (ts: Timed[], delay: number) => ({
      runs: ts.map(({ wallS, cpuS }) => ({ wallS, cpuS })),
      medianCpuS: median(ts.map((t) => t.cpuS)),
      medianWallS: median(ts.map((t) => t.wallS)),
      delayPerStagePs: delay * 1e12,
      delayError: err(delay),
    });
    const [j, n] = [side(runs[k].josim, dj), side(runs[k].neurite, dn)];
    const cpuRatio = spread(j.runs.map((r, i) => r.cpuS / n.runs[i].cpuS));
    const wallRatio = spread(j.runs.map((r, i) => r.wallS / n.runs[i].wallS));
    const row = (tool: string, x: typeof j, ratio: string): Row => ({ workload: x === j ? w.name : '', tool, 'CPU s': x.medianCpuS, 'wall s': x.medianWallS, 'delay/stage ps': x.delayPerStagePs, 'error %': 100 * x.delayError, 'CPU ratio min/med/max': ratio });
    rows.push(row(`JoSIM 2.7 (-a ${analysis})`, j, ''));
    rows.push(row('Neurite (neurite sim)', n, [cpuRatio.min, cpuRatio.median, cpuRatio.max].map((x) => x.toFixed(2)).join(' / ')));
    return { workload: w.name, josim: j, neurite: n, cpuRatio, wallRatio, equalOrBetterAccuracy: Math.abs(n.delayError) <= Math.abs(j.delayError) };
  });
  printTable(`JoSIM's speed test, both tools as processes, ${rounds} interleaved rounds (medians; ratio = JoSIM CPU / Neurite CPU per round)`, rows);
  const ps = (x: number) => `${(x * 1e12).toFixed(4)} ps`;
  console.log(`\nDelay per stage (stages 100→500): reference ${ps(reference)} (Neurite at 0.025 ps: ${ps(d025)}, at 0.05 ps: ${ps(d05)})`);
  if (josimFine !== undefined) console.log(`JoSIM at 0.05 ps: ${ps(josimFine)} (${(100 * err(josimFine)).toFixed(3)}% from the reference)`);
  const st = inside.stats;
  console.log(`Neurite in-process on the line: parse + build ${inside.buildS.toFixed(2)} s, simulate ${inside.simS.toFixed(2)} s CPU; ${st.latentSteps} of ${st.steps} steps latent, ${(st.solves / st.steps).toFixed(2)} solves/step`);
  const load = os.loadavg()[0];
  console.log(`Load average ${load.toFixed(1)} on ${os.cpus().length} cores: CPU times are what each process used, but a loaded machine slows both.`);
  const target = summary[0].cpuRatio.median >= 2 && summary[0].equalOrBetterAccuracy;
  console.log(`Target (≥ 2× less CPU than JoSIM on ex_jtl_string at equal or better accuracy): ${target ? 'met' : 'missed'} — ${summary[0].cpuRatio.median.toFixed(2)}× (median of ${rounds} rounds).`);
  writeResults('circuits', {
    rounds,
    loadAverage: load,
    josim: { binary: josim.binary, version: '2.7', analysis, modeScanCpuS: scan },
    workloads: summary,
    accuracy: {
      measure: 'delay per stage, stages 100→500, from the Φ0/2 crossing of each stage output',
      referencePs: reference * 1e12,
      neurite025Ps: d025 * 1e12,
      neurite05Ps: d05 * 1e12,
      josim05Ps: josimFine !== undefined ? josimFine * 1e12 : null,
    },
    neuriteInProcess: { buildS: inside.buildS, simS: inside.simS, stats: inside.stats },
    target: { ratio: 2, met: target },
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

main();
