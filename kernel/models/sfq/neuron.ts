/**
 * The rate-coded SFQ neuron (cells.ts NEURON): its transfer function, output rate versus
 * input rate, measured by circuit simulation for a grid of threshold biases ITH, and read
 * back by bilinear interpolation. As in the network, the input arrives through a MERGE cell
 * (whose output junction drives harder than a JTL's), as two interleaved periodic trains of
 * half the rate each — what a hidden neuron sees from its two active synapses. For the output
 * layer, whose input is one irregular hidden output, this is an approximation; the
 * circuit-level network run measures how much that matters.
 */
import { library, pulseTrain } from './cells';
import { pulseCount, runNetlist } from './measure';

/**
 * `load`: what the neuron drives — 'synapse' (a SYN into a MERGE, as a hidden neuron) or
 * 'line' (a JTL into a sink, as the output neuron). The load shares the neuron's bias current
 * and moves its threshold, so each layer is measured with its own.
 */
export function neuronBench(rateGHz: number, ith: number, rleak: number, temperature: number, durationPs: number, load: 'synapse' | 'line' = 'line'): string {
  // Two interleaved trains of rate/2 into the two merger inputs, as at a hidden neuron whose
  // two active synapses take turns.
  const period = Number((2000 / rateGHz).toFixed(4));
  const input = (name: string, node: string, delay: number) => (rateGHz > 0 ? pulseTrain(name, node, period, delay) : `R${name} ${node} 0 5`);
  return `* neuron test bench: ${rateGHz} GHz in, ITH = ${ith} µA, RLEAK = ${rleak} Ω, T = ${temperature} K
${library()}
${input('INA', 'a0', 20)}
${input('INB', 'b0', 20 + period / 2)}
XA JTL a0 a1
XB JTL b0 b1
XM MERGE a1 b1 m1
XN NEURON m1 n1 ITH=${ith} RLEAK=${rleak}
${load === 'line' ? 'X2 JTL n1 n2\nXK SINK n2' : `XV SYN n1 v1 IW=${SYNAPSE_ON}\nRQ q0 0 5\nXQ JTL q0 q1\nXMO MERGE v1 q1 o1\nX2 JTL o1 n2\nXK SINK n2`}
.temp ${temperature}
.tran 0.25p ${durationPs + 20}p
.print phase BO.XN
`;
}

/** The synapse weight bias of the hidden neuron's load (a connection). */
const SYNAPSE_ON = 90;

/** Output rate (GHz) of the neuron for a periodic input: pulses through its output junction. */
export async function measureNeuron(rateGHz: number, ith: number, rleak: number, temperature: number, durationPs: number, seed: number, load: 'synapse' | 'line' = 'line', tick?: () => Promise<void>): Promise<number> {
  const run = await runNetlist(neuronBench(rateGHz, ith, rleak, temperature, durationPs, load), seed, tick);
  return (Math.max(0, pulseCount(run.column('P(BO|XN)'))) / durationPs) * 1000;
}

/** out[t][i][r]: output rate (GHz) at temperatures[t], ith[i], rates[r]. */
export interface NeuronTable {
  rleak: number;
  temperatures: number[];
  ith: number[];
  rates: number[];
  out: number[][][];
}

/** Index and weight of x between grid points (clamped at the ends). */
function bracket(grid: number[], x: number): [number, number] {
  if (grid.length === 1 || x <= grid[0]) return [0, 0];
  if (x >= grid[grid.length - 1]) return [grid.length - 2, 1];
  let i = 0;
  while (grid[i + 1] < x) i++;
  return [i, (x - grid[i]) / (grid[i + 1] - grid[i])];
}

/** Output rate by interpolation: linear in temperature, bilinear in (ITH, input rate). */
export function neuronRate(table: NeuronTable, ith: number, rateGHz: number, temperature: number): number {
  const [ti, tw] = bracket(table.temperatures, temperature);
  const [ii, iw] = bracket(table.ith, ith);
  const [ri, rw] = bracket(table.rates, rateGHz);
  const at = (t: number) => {
    const o = table.out[Math.min(t, table.temperatures.length - 1)];
    const row = (i: number) => {
      const r = o[Math.min(i, table.ith.length - 1)];
      return r[ri] * (1 - rw) + r[Math.min(ri + 1, r.length - 1)] * rw;
    };
    return row(ii) * (1 - iw) + row(ii + 1) * iw;
  };
  return Math.max(0, at(ti) * (1 - tw) + at(ti + 1) * tw);
}
