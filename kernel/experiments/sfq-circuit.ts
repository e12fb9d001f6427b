/**
 * sfq.circuit — a transient simulation of a JoSIM-compatible netlist (PAPERS.md §9), the same
 * as `neurite sim`, as a run: the `.print` waveforms stream to the waveform view as 'xy'
 * traces (voltages, phases and currents, min/max-downsampled while running), and the full
 * CSV (JoSIM's columns) is written to traces/waveforms.csv at the end, and the netlist's
 * sha256 to the summary's result (what inline junction facts compare to call a run stale).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { z } from 'zod';
import { InputError } from '../core/errors';
import { minMaxDownsample } from '../circuits/downsample';
import { buildCircuit } from '../circuits/netlist/build';
import { Transient } from '../circuits/transient';
import { pulseCount } from '../models/sfq/measure';
import type { XYTrace } from '../protocol/types';
import type { RunContext } from '../runs/context';
import type { MetricTable } from '../protocol/metrics';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

export const sfqCircuitSpec = defineSpec('sfq.circuit', {
  netlist: z
    .string()
    .min(1)
    .optional()
    .describe('Path of the netlist (.cir), relative to the spec file\'s folder; absolute paths work too.'),
  netlistText: z.string().min(1).max(5_000_000).optional().describe('The netlist itself, instead of a file.'),
  solver: z
    .strictObject({
      tolerance: z.number().positive().max(0.1).default(1e-4).describe('Largest estimated error of a junction phase when a step is accepted, rad.'),
    })
    .prefault({})
    .describe('Transient solver settings (the time step comes from the netlist\'s .tran).'),
  stream: z
    .strictObject({
      points: z.int().min(100).max(100_000).default(4000).describe('At most this many points per streamed waveform (min/max-downsampled, so no pulse is lost).'),
      chunkSteps: z.int().min(100).max(1_000_000).default(4000).describe('Time steps between streamed updates, progress reports and cancellation points.'),
    })
    .prefault({}),
}).superRefine((s, ctx) => {
  if ((s.netlist === undefined) === (s.netlistText === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['netlist'], message: 'give exactly one of netlist (a file) or netlistText' });
  }
});

export type SfqCircuitSpec = z.infer<typeof sfqCircuitSpec>;

/** What sfq.circuit emits: the transient's progress per chunk, then sizes, speed and pulse counts. */
export const sfqCircuitMetrics: MetricTable = {
  series: {},
  metrics: [
    { name: 'pulses_{junction}', label: 'SFQ pulses through {junction}', group: 'Pulses', key: true },
    { name: 'time_ps', label: 'simulated time', unit: 'ps', group: 'Simulated time' },
    { name: 'steps_per_s', label: 'solver speed', unit: 'steps/s', group: 'Speed', better: 'higher' },
    { name: 'wall_s', label: 'wall time', unit: 's', group: 'Speed', better: 'lower' },
    { name: 'solves_per_step', label: 'linear solves per step', group: 'Solver', better: 'lower' },
    { name: 'newton_steps', label: 'Newton iterations', group: 'Solver' },
    { name: 'steps', label: 'time steps', group: 'Size' },
    { name: 'junctions', label: 'Josephson junctions', group: 'Size' },
    { name: 'unknowns', label: 'unknowns', group: 'Size' },
  ],
};

export const sfqCircuitExperiment: Experiment<SfqCircuitSpec> = {
  kind: 'sfq.circuit',
  title: 'Superconducting circuit transient (JoSIM-compatible)',
  description: 'Simulate an SFQ netlist in phase mode and stream its .print waveforms',
  paper: 'PAPERS.md §9 — arXiv 2311.10721',
  engine: 'event',
  schema: sfqCircuitSpec,
  metrics: sfqCircuitMetrics,
  // A netlist that cannot be read or built (bad syntax, .tran stop ≤ step, …) is bad input:
  // reported with its line and column before a run folder exists.
  check(spec, resolvePath) {
    const { text, source } = readNetlist(spec, resolvePath);
    buildCircuit(text, source);
  },
  async run(spec, ctx): Promise<ExperimentResult> {
    // (1) Read and build the netlist (check() found it sound before the run began).
    const { text, source } = readNetlist(spec, (p) => ctx.resolvePath(p));
    const circuit = buildCircuit(text, source);
    for (const w of circuit.warnings) ctx.log(`${source}: ${w}`, 'warn');
    // (2) Build the phase-mode system and step through time, streaming as we go.
    const sim = new Transient(circuit, { rng: ctx.rng.fork('circuit'), tol: spec.solver.tolerance });
    const s = sim.stats;
    ctx.log(`${source}: ${s.junctions} junctions, ${s.unknowns} unknowns (factor: ${s.factorNonzeros} nonzeros), ${circuit.tran.steps} steps of ${(circuit.tran.h * 1e12).toPrecision(4)} ps`);
    const t0 = ctx.elapsed();
    while (!sim.done) {
      sim.advance(spec.stream.chunkSteps);
      const wall = ctx.elapsed() - t0;
      ctx.metric(sim.step, { time_ps: sim.time * 1e12, steps_per_s: sim.step / Math.max(wall, 1e-9), solves_per_step: s.solves / sim.step });
      streamTraces(sim, ctx, spec.stream.points);
      ctx.progress(sim.step / circuit.tran.steps, `t = ${(sim.time * 1e12).toFixed(1)} ps`);
      await ctx.yieldOrThrowIfCancelled();
    }
    const wall = ctx.elapsed() - t0;
    // (3) The full waveforms, as JoSIM would write them.
    fs.writeFileSync(ctx.tracePath('waveforms.csv'), sim.recorder.csv());
    ctx.log(`wrote ${sim.recorder.count} rows × ${sim.recorder.labels.length} columns to traces/waveforms.csv`);
    const metrics: Record<string, number> = {
      steps: s.steps,
      junctions: s.junctions,
      unknowns: s.unknowns,
      wall_s: wall,
      steps_per_s: s.steps / Math.max(wall, 1e-9),
      solves_per_step: s.solves / Math.max(1, s.steps),
      newton_steps: s.newtonSteps,
    };
    // A junction phase that advanced by k·2π carried k SFQ pulses: count them.
    sim.recorder.labels.forEach((label, k) => {
      const e = circuit.probes[k];
      if (e.kind === 'devP' && circuit.elements[e.a].type === 'B') metrics[`pulses_${label}`] = pulseCount(sim.recorder.column(label));
    });
    return { metrics, result: { columns: sim.recorder.labels, rows: sim.recorder.count, csv: 'traces/waveforms.csv', warnings: circuit.warnings, netlistSha256: netlistHash(text) } };
  },
};

/** The fingerprint of the netlist a run simulated (`result.netlistSha256`): inline junction facts are stale once the text no longer has it. */
export function netlistHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readNetlist(spec: SfqCircuitSpec, resolvePath: (p: string) => string): { text: string; source: string } {
  if (spec.netlistText !== undefined) return { text: spec.netlistText, source: 'netlistText' };
  const file = resolvePath(spec.netlist!);
  try {
    return { text: fs.readFileSync(file, 'utf8'), source: spec.netlist! };
  } catch (e) {
    throw new InputError([`netlist: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
}

/** One 'xy' trace per quantity (voltages, phases, currents), time in ps. */
function streamTraces(sim: Transient, ctx: RunContext, points: number): void {
  const r = sim.recorder;
  const groups: Record<string, { title: string; yLabel: string; scale: number; series: XYTrace['series'] }> = {
    V: { title: 'Voltages', yLabel: 'voltage (mV)', scale: 1e3, series: [] },
    P: { title: 'Phases', yLabel: 'phase (rad)', scale: 1, series: [] },
    I: { title: 'Currents', yLabel: 'current (µA)', scale: 1e6, series: [] },
  };
  const tps = Float64Array.from(r.time.subarray(0, r.count), (t) => t * 1e12);
  r.labels.forEach((label, k) => {
    const g = groups[label[0]];
    const d = minMaxDownsample(tps, r.columns[k], r.count, points);
    g.series.push({ name: label, x: d.x, y: d.y.map((v) => v * g.scale) });
  });
  for (const [key, g] of Object.entries(groups)) {
    if (g.series.length) ctx.trace(`waveforms-${key === 'V' ? 'voltage' : key === 'P' ? 'phase' : 'current'}`, { type: 'xy', title: g.title, xLabel: 'time (ps)', yLabel: g.yLabel, series: g.series });
  }
}
