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
import { fitSigmoid, measureSynapse, powerLaw } from './synapse';

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

export async function calibrate(grid: CalibrationGrid, progress: Progress = async () => {}): Promise<Calibration> {
  const started = Date.now();
  const jobs = grid.temperatures.length * (grid.synapseIw.length + grid.neuronRates.length * (grid.hiddenIth.length + grid.outputIth.length)) + 1;
  let done = 0;
  const step = async (message: string) => progress(++done / jobs, message);
  const tick = () => progress(done / jobs, 'simulating'); // between chunks of a long simulation
  let seed = grid.seed;
  // 1. Synapse sigmoid per temperature.
  const synapse: Calibration['synapse'] = [];
  for (const T of grid.temperatures) {
    const points = [];
    for (const iw of grid.synapseIw) {
      points.push(await measureSynapse(iw, T, grid.synapsePulses, seed++, tick));
      await step(`synapse T=${T} K, IW=${iw} µA`);
    }
    synapse.push({ temperature: T, ...fitSigmoid(points), points });
  }
  // 2. Neuron transfer tables, hidden and output layers.
  const table = async (ith: number[], rleak: number, layer: 'hidden' | 'output'): Promise<NeuronTable> => {
    const out: number[][][] = [];
    for (const T of grid.temperatures) {
      const perT: number[][] = [];
      for (const i of ith) {
        const row: number[] = [];
        for (const r of grid.neuronRates) {
          row.push(await measureNeuron(r, i, rleak, T, grid.neuronDurationPs, seed++, layer === 'hidden' ? 'synapse' : 'line', tick));
          await step(`${layer} neuron T=${T} K, ITH=${i} µA, ${r} GHz`);
        }
        perT.push(row);
      }
      out.push(perT);
    }
    return { rleak, temperatures: grid.temperatures, ith, rates: grid.neuronRates, out };
  };
  const hidden = await table(grid.hiddenIth, grid.hiddenRleak, 'hidden');
  const output = await table(grid.outputIth, grid.outputRleak, 'output');
  // 3. Merger dead time.
  const mergerDeadTime = await measureMergerDeadTime();
  await step('merger dead time');
  return {
    meta: { grid, seconds: (Date.now() - started) / 1000, date: new Date().toISOString() },
    synapse,
    widthPowerLaw: powerLaw(synapse.map((s) => s.temperature), synapse.map((s) => s.width)),
    neuron: { hidden, output },
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
