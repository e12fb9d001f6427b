/**
 * Running the XOR network at circuit level: simulate xorNetlist for one input pair and read
 * off pulse counts (rates) of the input lines, hidden neurons and output, their pulse times
 * (for a raster), and the waveforms of chosen nodes.
 */
import { pulseCount, pulseTimes, runNetlist } from './measure';
import { LINES, XOR_PROBES, xorNetlist, type XorCircuitParams } from './xor-netlist';

/** Main-circuit nodes of the network whose voltage can be watched. */
export const XOR_NODES: [string, ...string[]] = [
  ...LINES.flatMap((l) => [`${l}0`, `${l}1`, `${l}H1`, `${l}H2`]),
  ...['H1', 'H2'].flatMap((h) => [...LINES.map((l) => `W${l}${h}`), `${h}A`, `${h}B`, `${h}IN`, `${h}OUT`, `V${h}`]),
  'OIN',
  'OUT',
  'OUT1',
] as unknown as [string, ...string[]];

export interface XorCircuitResult {
  x1: 0 | 1;
  x2: 0 | 1;
  /** Rates in GHz: the four input lines (X1, ¬X1, X2, ¬X2), the two hidden neurons, the output. */
  inputs: number[];
  hidden: [number, number];
  out: number;
  /** Output pulse count (for its Poisson error). */
  outCount: number;
  /** Pulse times in ps, per line: 4 inputs, h1, h2, out. */
  raster: number[][];
  waveforms: { time: Float64Array; nodes: Record<string, Float64Array> };
}

export async function runXorCircuit(p: XorCircuitParams, nodes: readonly string[], seed: number, tick?: () => Promise<void>): Promise<XorCircuitResult> {
  const extra = nodes.filter((n) => !XOR_PROBES.waveforms.includes(`V(${n})`)).map((n) => `.print nodev ${n}`);
  const run = await runNetlist(xorNetlist(p) + extra.join('\n') + '\n', seed, tick);
  const seconds = p.durationPs * 1e-12;
  const rate = (label: string) => Math.max(0, pulseCount(run.column(label))) / seconds / 1e9;
  const labels = [...XOR_PROBES.inputs, ...XOR_PROBES.hidden, XOR_PROBES.output];
  return {
    x1: p.x1,
    x2: p.x2,
    inputs: XOR_PROBES.inputs.map(rate),
    hidden: [rate(XOR_PROBES.hidden[0]), rate(XOR_PROBES.hidden[1])],
    out: rate(XOR_PROBES.output),
    outCount: Math.max(0, pulseCount(run.column(XOR_PROBES.output))),
    raster: labels.map((l) => pulseTimes(run.time, run.column(l)).map((t) => t * 1e12)),
    waveforms: { time: run.time, nodes: Object.fromEntries(nodes.map((n) => [n, run.column(`V(${n})`)])) },
  };
}
