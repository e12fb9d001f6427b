/**
 * Calibrating the behavioural model from circuit simulations of single cells:
 *   1. the synapse's pass probability over a grid of weight biases, at each temperature,
 *      fitted with the Gaussian sigmoid (I50, σ) — and σ(T) with a power law;
 *   2. the neuron's output rate over a grid of input rates and thresholds, per temperature,
 *      for the hidden-layer and the output-layer leak resistance;
 *   3. the merger's dead time: the closest two pulses can be and both come out.
 * `npm run calibrate:sfq` (scripts/calibrate-sfq.mjs) writes kernel/models/sfq/calibration.json with the shipped grid;
 * `sfq.xor` uses that file, or reruns this with its own grid.
 */
import type { Calibration } from './behavior';
import { library } from './cells';
import { pulseCount, runNetlist } from './measure';
import { measureNeuron, type NeuronTable } from './neuron';
import { fitSigmoid, measureSynapse, powerLaw, type SynapsePoint } from './synapse';

export interface CalibrationGrid {
  temperatures: number[];
  /** Synapse weight biases (µA) and pulses per point. */
  synapseIw: number[];
  synapsePulses: number;
  /** Neuron input rates (GHz), thresholds (µA) and leak resistances (Ω) of the two layers. */
  neuronRates: number[];
  hiddenIth: number[];
  hiddenRleak: number;
  outputIth: number[];
  outputRleak: number;
  neuronDurationPs: number;
  seed: number;
}

export const shippedGrid: CalibrationGrid = {
  temperatures: [1, 2, 4.2, 6, 8],
  synapseIw: [50, 60, 66, 69, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 83, 86, 90, 96],
  synapsePulses: 200,
  neuronRates: [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80],
  hiddenIth: [45, 55, 65, 75, 85],
  hiddenRleak: 1,
  outputIth: [70, 80, 90, 95],
  outputRleak: 0.5,
  neuronDurationPs: 2000,
  seed: 1,
};

export type Progress = (fraction: number, message: string) => Promise<void>;

/**
 * One circuit simulation of the calibration: a synapse point (table 'synapse', at
 * temperatures[t] and synapseIw[i]) or a neuron point (tables 'hidden' and 'output', at
 * temperatures[t], their ith[i] and neuronRates[r]), with the seed it runs with. Seeds follow
 * this order from grid.seed: every synapse point, then the hidden table, then the output table.
 */
export interface CalibrationPoint {
  table: 'synapse' | 'hidden' | 'output';
  t: number;
  i: number;
  r: number;
  seed: number;
  label: string;
  measure(tick?: () => Promise<void>): Promise<SynapsePoint | number>;
}

export function calibrationPoints(grid: CalibrationGrid): CalibrationPoint[] {
  const points: CalibrationPoint[] = [];
  let seed = grid.seed;
  grid.temperatures.forEach((T, t) =>
    grid.synapseIw.forEach((iw, i) => {
      const s = seed++;
      points.push({ table: 'synapse', t, i, r: -1, seed: s, label: `synapse T=${T} K, IW=${iw} µA`, measure: (tick) => measureSynapse(iw, T, grid.synapsePulses, s, tick) });
    }),
  );
  for (const [table, ith, rleak] of [['hidden', grid.hiddenIth, grid.hiddenRleak], ['output', grid.outputIth, grid.outputRleak]] as const) {
    grid.temperatures.forEach((T, t) =>
      ith.forEach((x, i) =>
        grid.neuronRates.forEach((rate, r) => {
          const s = seed++;
          const load = table === 'hidden' ? 'synapse' : 'line';
          points.push({ table, t, i, r, seed: s, label: `${table} neuron T=${T} K, ITH=${x} µA, ${rate} GHz`, measure: (tick) => measureNeuron(rate, x, rleak, T, grid.neuronDurationPs, s, load, tick) });
        }),
      ),
    );
  }
  return points;
}

/** The value a calibration holds for a point. */
export function calibrated(cal: Calibration, p: CalibrationPoint): SynapsePoint | number {
  return p.table === 'synapse' ? cal.synapse[p.t].points[p.i] : cal.neuron[p.table].out[p.t][p.i][p.r];
}

export async function calibrate(grid: CalibrationGrid, progress: Progress = async () => {}): Promise<Calibration> {
  const started = Date.now();
  const points = calibrationPoints(grid);
  const jobs = points.length + 1;
  let done = 0;
  const tick = () => progress(done / jobs, 'simulating'); // between chunks of a long simulation
  // 1–2. Every point, in seed order, into the synapse lists and the two neuron tables.
  const synapsePoints = grid.temperatures.map(() => [] as SynapsePoint[]);
  const table = (ith: number[]) => grid.temperatures.map(() => ith.map(() => new Array<number>(grid.neuronRates.length)));
  const out = { hidden: table(grid.hiddenIth), output: table(grid.outputIth) };
  for (const p of points) {
    const v = await p.measure(tick);
    if (p.table === 'synapse') synapsePoints[p.t][p.i] = v as SynapsePoint;
    else out[p.table][p.t][p.i][p.r] = v as number;
    await progress(++done / jobs, p.label);
  }
  const synapse: Calibration['synapse'] = grid.temperatures.map((T, t) => ({ temperature: T, ...fitSigmoid(synapsePoints[t]), points: synapsePoints[t] }));
  const neuronTable = (ith: number[], rleak: number, o: number[][][]): NeuronTable => ({ rleak, temperatures: grid.temperatures, ith, rates: grid.neuronRates, out: o });
  // 3. Merger dead time.
  const mergerDeadTime = await measureMergerDeadTime();
  await progress(++done / jobs, 'merger dead time');
  return {
    meta: { grid, seconds: (Date.now() - started) / 1000, date: new Date().toISOString() },
    synapse,
    widthPowerLaw: powerLaw(synapse.map((s) => s.temperature), synapse.map((s) => s.width)),
    neuron: { hidden: neuronTable(grid.hiddenIth, grid.hiddenRleak, out.hidden), output: neuronTable(grid.outputIth, grid.outputRleak, out.output) },
    mergerDeadTime,
  };
}

/** The smallest separation (0.5 ps steps) at which two pulses on the two inputs both leave. */
export async function measureMergerDeadTime(): Promise<number> {
  for (let d = 0; d <= 20; d += 0.5) {
    const run = await runNetlist(`${library()}
VA av 0 pwl(0 0 20p 0 22.5p 827.13u 25p 0)
LA av a0 2p
VB bv 0 pwl(0 0 ${20 + d}p 0 ${22.5 + d}p 827.13u ${25 + d}p 0)
LB bv b0 2p
XA JTL a0 a1
XB JTL b0 b1
XM MERGE a1 b1 m1
XO JTL m1 m2
XK SINK m2
.tran 0.25p 150p
.print phase B1.XO
`, 1);
    if (pulseCount(run.column('P(B1|XO)')) === 2) return d * 1e-12;
  }
  return 20e-12;
}
