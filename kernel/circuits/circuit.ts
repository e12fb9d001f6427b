/**
 * The flat circuit the solver reads: numbered nodes (0 is ground), elements with evaluated
 * values, inductive couplings, the transient settings and the resolved `.print` probes.
 * Element and node names follow JoSIM: inside-out with `|`, so B01 in X02 in X01 is `B01|X02|X01`.
 */
import type { JunctionInstance } from './junction';
import type { Loc } from './netlist/types';
import type { Waveform } from './waveforms';

export interface FlatElement {
  type: 'R' | 'L' | 'C' | 'B' | 'I' | 'V';
  name: string;
  /** Where the element's card is. */
  at: Loc;
  /** The subcircuit instance chain, for messages (empty in the main circuit). */
  via: string;
  n1: number;
  n2: number;
  /** R in Ω, L in H, C in F; for a junction its area. */
  value: number;
  jj?: JunctionInstance;
  wave?: Waveform;
  /** Noise temperature override (K) and bandwidth override (Hz), from `temp=` / `neb=`. */
  temp?: number;
  neb?: number;
}

export interface FlatCoupling {
  name: string;
  at: Loc;
  /** Element indices of the two inductors. */
  a: number;
  b: number;
  k: number;
}

export interface TranSettings {
  /** Simulation step, s (the smaller of .tran's step and print step, as in JoSIM). */
  h: number;
  /** Number of steps after t = 0. */
  steps: number;
  tstop: number;
  /** First printed step and the stride between printed steps. */
  printStart: number;
  printEvery: number;
}

export type ProbeKind = 'nodeV' | 'nodeP' | 'devV' | 'devI' | 'devP';

export interface Probe {
  /** CSV column label, e.g. `V(3)`, `P(B01|X02)`, `I(ROUT)`. */
  label: string;
  kind: ProbeKind;
  /** A node (node kinds) or an element index (device kinds). */
  a: number;
  /** Second node of a node difference, or 0. */
  b: number;
}

export interface Circuit {
  /** Node names; index 0 is ground. */
  nodes: string[];
  /** Where each node is first used. */
  nodeAt: (Loc & { via: string })[];
  elements: FlatElement[];
  couplings: FlatCoupling[];
  tran: TranSettings;
  /** Global noise temperature (K), 0 for none. */
  temp: number;
  /** Global noise bandwidth (Hz), if `.neb` was given. */
  neb?: number;
  probes: Probe[];
  warnings: string[];
}

export function where(e: { at: Loc; via: string }): string {
  return `line ${e.at.line}${e.via ? ` (in ${e.via})` : ''}`;
}
