/**
 * The rate-coded XOR network as a circuit: 4 input lines → 2 hidden neurons → 1 output neuron.
 *
 * Inputs are dual-rail: each variable drives two lines, x and ¬x, and a line that is true
 * carries an SFQ pulse train at `rateGHz` (a false line carries nothing). Every line fans out
 * (SPLIT) to a stochastic synapse (SYN) on each hidden neuron; each neuron's four synapses
 * fan in through a tree of MERGE cells. The weights are synapse bias currents: `iwOn` where
 * the trained network has a connection, `iwOff` (pass probability ≈ 0) where it has none:
 *
 *   h1 = neuron(x1, ¬x2)   (x1 AND NOT x2)      h2 = neuron(¬x1, x2)   (NOT x1 AND x2)
 *   out = neuron(h1, h2)   (h1 OR h2)
 *
 * With all weights excitatory, dual-rail inputs are what make a non-monotone function
 * (XOR) reachable; the hidden thresholds sit between one and two active inputs, the output
 * threshold below one active hidden neuron. The x and ¬x lines of variable 1 are timed at
 * phase 0 and those of variable 2 half a period later, so two active inputs of a hidden
 * neuron never collide in its merger.
 */
import { library, pulseTrain } from './cells';

export interface XorCircuitParams {
  x1: 0 | 1;
  x2: 0 | 1;
  /** Input pulse rate of a true line, GHz. */
  rateGHz: number;
  /** Simulated time, ps. */
  durationPs: number;
  /** Synapse weight biases for a connection and for no connection, µA. */
  iwOn: number;
  iwOff: number;
  /** Neuron thresholds (µA) and leak resistances (Ω), hidden and output layer. */
  ithHidden: number;
  ithOut: number;
  rleakHidden: number;
  rleakOut: number;
  /** Noise temperature, K. */
  temperature: number;
  /** Global bias scale. */
  bscale: number;
  /** Time step, ps. */
  stepPs: number;
}

export const xorDefaults: Omit<XorCircuitParams, 'x1' | 'x2'> = {
  rateGHz: 30,
  durationPs: 2000,
  iwOn: 90,
  iwOff: 50,
  ithHidden: 65,
  ithOut: 90,
  rleakHidden: 1,
  rleakOut: 0.5,
  temperature: 4.2,
  bscale: 1,
  stepPs: 0.25,
};

/** The four input lines, x and ¬x of each variable; they name the lines' nodes and cells. */
export const LINES = ['X1', 'NX1', 'X2', 'NX2'] as const;
/** Which lines connect (weight on) to which hidden neuron. */
const CONNECT: Record<'H1' | 'H2', Record<(typeof LINES)[number], boolean>> = {
  H1: { X1: true, NX1: false, X2: false, NX2: true },
  H2: { X1: false, NX1: true, X2: true, NX2: false },
};

/** Probes: counts and waveforms of the nodes worth watching. */
export const XOR_PROBES = {
  inputs: LINES.map((l) => `P(B1|XJ${l})`),
  hidden: ['P(BO|XNH1)', 'P(BO|XNH2)'],
  output: 'P(BO|XNOUT)',
  waveforms: ['V(H1OUT)', 'V(H2OUT)', 'V(OUT)'],
};

export function xorNetlist(p: XorCircuitParams): string {
  const period = 1000 / p.rateGHz;
  const active = { X1: p.x1 === 1, NX1: p.x1 === 0, X2: p.x2 === 1, NX2: p.x2 === 0 };
  const lines: string[] = [`* rate-coded XOR network, inputs x1=${p.x1} x2=${p.x2}`, library(p.bscale)];
  for (const l of LINES) {
    const delay = (l === 'X1' || l === 'NX1' ? 20 : 20 + period / 2).toFixed(3);
    if (active[l]) lines.push(pulseTrain(`S${l}`, `${l}0`, Number(period.toFixed(4)), Number(delay)));
    else lines.push(`R${l}0 ${l}0 0 5`); // an idle line ends in a resistor
    lines.push(`XJ${l} JTL ${l}0 ${l}1`, `XS${l} SPLIT ${l}1 ${l}H1 ${l}H2`);
  }
  for (const h of ['H1', 'H2'] as const) {
    for (const l of LINES) lines.push(`XW${l}${h} SYN ${l}${h} W${l}${h} IW=${CONNECT[h][l] ? p.iwOn : p.iwOff}`);
    lines.push(
      `XM${h}A MERGE WX1${h} WNX1${h} ${h}A`,
      `XM${h}B MERGE WX2${h} WNX2${h} ${h}B`,
      `XM${h}C MERGE ${h}A ${h}B ${h}IN`,
      `XN${h} NEURON ${h}IN ${h}OUT ITH=${p.ithHidden} RLEAK=${p.rleakHidden}`,
      `XV${h} SYN ${h}OUT V${h} IW=${p.iwOn}`,
    );
  }
  lines.push(
    'XMOUT MERGE VH1 VH2 OIN',
    `XNOUT NEURON OIN OUT ITH=${p.ithOut} RLEAK=${p.rleakOut}`,
    'XJOUT JTL OUT OUT1',
    'XKOUT SINK OUT1',
    `.temp ${p.temperature}`,
    `.tran ${p.stepPs}p ${p.durationPs}p`,
    ...XOR_PROBES.inputs.map((x) => `.print phase ${x.slice(2, -1)}`),
    ...[...XOR_PROBES.hidden, XOR_PROBES.output].map((x) => `.print phase ${x.slice(2, -1)}`),
    ...XOR_PROBES.waveforms.map((x) => `.print nodev ${x.slice(2, -1)}`),
  );
  return lines.join('\n') + '\n';
}
