/**
 * The fast behavioural model of the XOR network: mean pulse rates through the same graph as
 * xor-netlist.ts, with every cell replaced by its transfer function measured from circuit
 * simulations (calibrate.ts):
 *
 *   synapse:  r_out = p(IW, T)·r_in            // p: the fitted sigmoid Φ((IW − I50(T))/σ(T))
 *   splitter: r_out1 = r_out2 = r_in           // fan-out copies every pulse
 *   merger:   r_out = r1 + r2                  // interleaved inputs (timed half a period apart) never collide
 *             r_out = r1 + r2 − 2·r1·r2·δ      // independent irregular inputs lose pulses closer than the dead time δ
 *   neuron:   r_out = F(r_in; ITH, T)          // the measured transfer table, interpolated
 *
 * I50 and σ are interpolated linearly in temperature between calibrated temperatures. Used
 * for the dense sweeps (margin versus bias current and temperature); the circuit itself is
 * simulated for the four inputs at the design point and at the sweep ends to check it.
 */
import { neuronRate, type NeuronTable } from './neuron';
import { passProbability } from './synapse';

export interface Calibration {
  /** How it was made (grid, pulses, seed, time). */
  meta: Record<string, unknown>;
  synapse: { temperature: number; i50: number; width: number; i50Se: number; widthSe: number; points: { iw: number; passed: number; total: number }[] }[];
  /** Fitted width ∝ T^b. */
  widthPowerLaw: { a: number; b: number };
  neuron: { hidden: NeuronTable; output: NeuronTable };
  /** Merger dead time: two pulses closer than this leave as one, s. */
  mergerDeadTime: number;
}

export interface XorDesign {
  rateGHz: number;
  iwOn: number;
  iwOff: number;
  ithHidden: number;
  ithOut: number;
}

/** Synapse fit at temperature T, interpolated linearly between calibrated temperatures. */
export function synapseAt(cal: Calibration, T: number): { i50: number; width: number } {
  const s = cal.synapse;
  if (T <= s[0].temperature) return s[0];
  if (T >= s[s.length - 1].temperature) return s[s.length - 1];
  let k = 0;
  while (s[k + 1].temperature < T) k++;
  const w = (T - s[k].temperature) / (s[k + 1].temperature - s[k].temperature);
  return { i50: s[k].i50 * (1 - w) + s[k + 1].i50 * w, width: s[k].width * (1 - w) + s[k + 1].width * w };
}

export interface XorRates {
  x1: 0 | 1;
  x2: 0 | 1;
  hidden: [number, number];
  out: number;
}

export function xorRatesModel(cal: Calibration, d: XorDesign, T: number): XorRates[] {
  const syn = synapseAt(cal, T);
  const pOn = passProbability(d.iwOn, syn), pOff = passProbability(d.iwOff, syn);
  const interleaved = (a: number, b: number) => a + b;
  const merge = (a: number, b: number) => Math.max(0, a + b - 2 * a * b * 1e9 * cal.mergerDeadTime); // rates in GHz, δ in s
  const out: XorRates[] = [];
  for (const [x1, x2] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
    const line = { X1: x1 ? d.rateGHz : 0, NX1: x1 ? 0 : d.rateGHz, X2: x2 ? d.rateGHz : 0, NX2: x2 ? 0 : d.rateGHz };
    // h1 = x1 AND NOT x2 (weights on X1, NX2); h2 = NOT x1 AND x2 (weights on NX1, X2).
    // The lines of variable 1 and of variable 2 are timed half a period apart (xor-netlist.ts).
    const inH1 = interleaved(interleaved(pOn * line.X1, pOff * line.NX1), interleaved(pOff * line.X2, pOn * line.NX2));
    const inH2 = interleaved(interleaved(pOff * line.X1, pOn * line.NX1), interleaved(pOn * line.X2, pOff * line.NX2));
    const h1 = neuronRate(cal.neuron.hidden, d.ithHidden, inH1, T);
    const h2 = neuronRate(cal.neuron.hidden, d.ithHidden, inH2, T);
    const o = neuronRate(cal.neuron.output, d.ithOut, merge(pOn * h1, pOn * h2), T);
    out.push({ x1, x2, hidden: [h1, h2], out: o });
  }
  return out;
}

/** Classification margin: slowest "true" output minus fastest "false" one, in GHz and relative to the input rate. */
export function xorMargin(rates: { x1: number; x2: number; out: number }[], rateGHz: number): { margin: number; relative: number; lowTrue: number; highFalse: number } {
  const t = rates.filter((r) => r.x1 !== r.x2).map((r) => r.out);
  const f = rates.filter((r) => r.x1 === r.x2).map((r) => r.out);
  const lowTrue = Math.min(...t), highFalse = Math.max(...f);
  return { margin: lowTrue - highFalse, relative: (lowTrue - highFalse) / rateGHz, lowTrue, highFalse };
}
