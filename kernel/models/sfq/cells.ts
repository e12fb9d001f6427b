/**
 * The SFQ cell library, as netlist text (JoSIM-compatible `.subckt`s), MIT-LL-style junctions:
 * Ic = 100 µA·area, C = 70 fF·area, R0 = 160 Ω/area, RN = 16 Ω/area, vg = 2.8 mV; every
 * junction has an 11.3 Ω/area shunt with 1 pH in series (βc ≈ 2.4), and a junction to ground
 * has a parasitic inductance to ground (0.1 pH unless the cell gives another).
 * Biases ramp up over the first 5 ps and are scaled by the global `.param BSCALE` (1 =
 * nominal), as in an SFQ bias-margin sweep.
 *
 * Cells (ports in brackets):
 * - JTL [in out]: one Josephson transmission line stage.
 * - DCSFQ [in out]: DC-to-SFQ converter: one pulse per rising edge of the input current.
 * - SINK [in]: terminates a line in a matched resistor.
 * - SPLIT [in out1 out2]: fan-out; every input pulse appears at both outputs.
 * - MERGE [in1 in2 out]: fan-in (confluence buffer) with an output buffer stage; a pulse on either
 *   input leaves at the output. The merge-node bias (1.4·Ic of its junction) also flows back
 *   through the two series junctions and reverse-biases them, so a pulse leaving the merge node
 *   switches the series junction of the other input instead of travelling back into it. Found
 *   by a parameter search (single input at 30 GHz, two interleaved inputs, a two-level tree);
 *   it works for global bias scales 0.95–1.1 only — narrow next to the JTL (0.6–1.4) and the
 *   splitter (0.8–1.4).
 * - SYN [in out] IW=…: the stochastic synapse: a two-junction decision pair (escape junction in
 *   series, pass junction to ground). An arriving pulse switches exactly one of them; which one
 *   is set by the weight bias IW into the pass junction, and near balance by thermal noise, so
 *   the pass probability is a sigmoid of IW whose width grows with temperature.
 * - NEURON [in out] ITH=… RLEAK=…: leaky integrate-and-fire: each input pulse adds Φ0 to a
 *   storage loop (100 pH) that leaks through RLEAK (τ = L/R ≈ 100 ps at 1 Ω) into the output
 *   junction; it fires when the threshold bias ITH (µA) plus the loop current exceeds its
 *   critical current, and each firing takes Φ0 back out of the loop (reset). The mean loop
 *   current is Φ0·(r_in − r_out)/RLEAK, so the output rate is a thresholded function of the
 *   input rate: ITH sets the threshold and RLEAK the current per GHz.
 */

export const MODEL = '.model JSFQ jj(rtype=1, vg=2.8mV, cap=0.07pF, r0=160, rn=16, icrit=0.1mA)';

/** A junction from `node` to ground with its shunt and parasitic inductance (pH). */
function junction(name: string, node: string, area: number, lp = 0.1): string {
  const g = `${name}G`;
  return [
    `B${name} ${node} ${g} JSFQ area=${area}`,
    `LP${name} ${g} 0 ${lp}p`,
    `RS${name} ${node} ${name}R ${(11.3 / area).toPrecision(4)}`,
    `LS${name} ${name}R ${g} 1p`,
  ].join('\n');
}

/** A junction between two signal nodes (series / escape junction) with its shunt. */
function seriesJunction(name: string, a: string, b: string, area: number): string {
  return [`B${name} ${a} ${b} JSFQ area=${area}`, `RS${name} ${a} ${name}R ${(11.3 / area).toPrecision(4)}`, `LS${name} ${name}R ${b} 1p`].join('\n');
}

/** A bias current into `node`, ramped over 5 ps and scaled by BSCALE. */
function bias(name: string, node: string, microamps: number | string): string {
  return `IB${name} 0 ${node} pwl(0 0 5p {${microamps}*1e-6*BSCALE})`;
}

export const JTL = `.subckt JTL in out
L1 in a 2p
${junction('1', 'a', 1)}
${bias('1', 'a', 70)}
L2 a out 2p
.ends JTL`;

export const DCSFQ = `.subckt DCSFQ in out
LIN in a 0.85p
LQ a 0 7.7p
L1 a b 1.8p
${seriesJunction('E', 'b', 'c', 1.3)}
${junction('O', 'c', 1, 0.4)}
L2 c d 0.55p
${bias('1', 'd', 160)}
L3 d e 3.1p
${junction('1', 'e', 1.5, 0.2)}
L4 e f 1.3p
${bias('2', 'f', 260)}
L5 f g 1.1p
${junction('2', 'g', 1.96, 0.28)}
L6 g h 2.95p
${junction('3', 'h', 1.96, 0.22)}
L7 h out 1.6p
.ends DCSFQ`;

export const SINK = `.subckt SINK in
L1 in a 2p
${junction('1', 'a', 1)}
${bias('1', 'a', 70)}
L2 a r 2p
RL r 0 5
.ends SINK`;

export const SPLIT = `.subckt SPLIT in out1 out2
L1 in a 1.5p
${junction('A', 'a', 1.4)}
${bias('A', 'a', 100)}
L2 a b 1.5p
${junction('B', 'b', 1)}
${bias('B', 'b', 70)}
L3 b out1 2p
L4 a c 1.5p
${junction('C', 'c', 1)}
${bias('C', 'c', 70)}
L5 c out2 2p
.ends SPLIT`;

export const MERGE = `.subckt MERGE in1 in2 out
L1 in1 a 2p
${junction('A', 'a', 1.8)}
${bias('A', 'a', 77)}
L2 a ae 2.5p
${seriesJunction('EA', 'ae', 'c', 1)}
L3 in2 b 2p
${junction('B', 'b', 1.8)}
${bias('B', 'b', 77)}
L4 b be 2.5p
${seriesJunction('EB', 'be', 'c', 1)}
${junction('C', 'c', 2.2)}
${bias('C', 'c', 306)}
L5 c d 2p
${junction('D', 'd', 1)}
${bias('D', 'd', 75)}
L6 d out 2p
.ends MERGE`;

export const SYN = `.subckt SYN in out IW=60
L1 in a 2p
${junction('A', 'a', 1)}
${bias('A', 'a', 70)}
L2 a c 3p
${seriesJunction('E', 'c', 'd', 0.5)}
${junction('P', 'd', 0.5)}
${bias('W', 'd', 'IW')}
L3 d e 4p
${junction('O', 'e', 1)}
${bias('O', 'e', 70)}
L4 e out 2p
.ends SYN`;

export const NEURON = `.subckt NEURON in out ITH=60 RLEAK=1
L1 in a 2p
${junction('A', 'a', 1)}
${bias('A', 'a', 70)}
LST a m 100p
RLK m n {RLEAK}
${junction('N', 'n', 1)}
${bias('N', 'n', 'ITH')}
L3 n e 4p
${junction('O', 'e', 1)}
${bias('O', 'e', 70)}
L4 e out 2p
.ends NEURON`;

/** Every cell, with the model and the global bias scale, ready to prepend to a netlist. */
export function library(bscale = 1): string {
  return [MODEL, `.param BSCALE=${bscale}`, JTL, DCSFQ, SINK, SPLIT, MERGE, SYN, NEURON].join('\n');
}

/**
 * An ideal SFQ pulse train into `node` through 2 pH: a voltage source of triangular pulses
 * of area Φ0 (827.13 µV × 5 ps / 2), period `periodPs`, first pulse at `delayPs`.
 */
export function pulseTrain(name: string, node: string, periodPs: number, delayPs: number): string {
  return `V${name} ${name}V 0 pulse(0 827.13u ${delayPs}p 2.5p 2.5p 0 ${periodPs}p)\nL${name} ${name}V ${node} 2p`;
}
