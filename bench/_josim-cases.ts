/**
 * JoSIM's example netlists as comparison cases (test/unit/circuits/josim.unit.test.ts compares
 * Neurite with JoSIM on them; bench/josim-steps.ts measures both against a fine step), and the
 * pulses or 2π slips read off one column of either tool's output.
 */
import { findPulses, phaseSlips, type Pulse } from '../kernel/circuits/pulses';

export interface JosimCase {
  netlist: string;
  /** Rewrites the netlist (a shorter run, more probes) for both tools. */
  edit?: (text: string) => string;
  /**
   * Columns compared, the input stage first. sfq: voltage pulses of one Φ0; other: pulses of
   * any area; phase: 2π slips. Left out: driver nodes (the voltage across the inductor that a
   * current ramp feeds), whose shape is the ramp's corners rather than circuit dynamics.
   */
  columns: { label: string; kind: 'sfq' | 'other' | 'phase' }[];
}

export const JOSIM_CASES: JosimCase[] = [
  {
    // Without its .iv line (an I–V sweep JoSIM computes and Neurite ignores): 1 s of JoSIM's time.
    netlist: 'ex_jtl_basic.cir',
    edit: (text) => text.replace(/^\.iv .*$/m, ''),
    columns: [
      { label: 'V(VIN)', kind: 'sfq' },
      { label: 'I(ROUT)', kind: 'other' },
      { label: 'P(B01)', kind: 'phase' },
      { label: 'P(B02)', kind: 'phase' },
    ],
  },
  {
    netlist: 'ex_dcsfq_jtl_sink.cir',
    columns: [
      { label: 'P(3,0)', kind: 'phase' },
      { label: 'V(3,0)', kind: 'sfq' },
      { label: 'V(5,0)', kind: 'sfq' },
    ],
  },
  {
    // 300 ps of the 2 ns speed test (the pulse reaches stage ~75), with probes at stages 10 and 50.
    netlist: 'ex_jtl_string.cir',
    edit: (text) =>
      text
        .replace(/^\.tran 0\.25p 2n$/m, '.tran 0.25p 300p')
        .replace(/^\.print v\(1\) v\(2\) v\(3\)$/m, '.print v(1) v(2) v(3) v(2|X01|X02) v(6|X01|X02) p(B01|X01|X01|X01|X02) p(B01|X10|X05|X01|X02)'),
    columns: [
      { label: 'V(2)', kind: 'sfq' },
      { label: 'V(3)', kind: 'other' },
      { label: 'V(2|X01|X02)', kind: 'sfq' },
      { label: 'V(6|X01|X02)', kind: 'sfq' },
      { label: 'P(B01|X01|X01|X01|X02)', kind: 'phase' },
      { label: 'P(B01|X10|X05|X01|X02)', kind: 'phase' },
    ],
  },
];

/** JoSIM labels `nodev 3 0` as V(3,0), Neurite as V(3). */
export const neuriteLabel = (label: string) => label.replace(/,0\)$/, ')');

/** What a column shows: its pulses, or for a phase its 2π slips (as pulses with only a time). */
export function events(kind: JosimCase['columns'][number]['kind'], t: ArrayLike<number>, y: ArrayLike<number>): Pulse[] {
  if (kind === 'phase') return phaseSlips(t, y).map((time) => ({ time, height: NaN, width: NaN, area: NaN }));
  return findPulses(t, y);
}
