/**
 * Reading SFQ activity off a simulation: a junction whose phase advanced by k·2π passed k
 * pulses; its pulse times are when its phase crosses (rest + π) + 2π·m.
 */
import { Rng } from '../../core/rng';
import { buildCircuit } from '../../circuits/netlist/build';
import { Transient } from '../../circuits/transient';

/** Pulses through a junction whose phase record is `phase` (net count; negative if it slipped back). */
export function pulseCount(phase: ArrayLike<number>, count = phase.length): number {
  return Math.round((phase[count - 1] - phase[0]) / (2 * Math.PI));
}

/** Times (s) at which the phase passed the middle of each successive 2π slip. */
export function pulseTimes(time: ArrayLike<number>, phase: ArrayLike<number>, count = phase.length): number[] {
  const out: number[] = [];
  let next = phase[0] + Math.PI;
  for (let i = 1; i < count; i++) {
    while (phase[i] >= next) {
      const f = (next - phase[i - 1]) / (phase[i] - phase[i - 1]);
      out.push(time[i - 1] + Math.max(0, Math.min(1, f)) * (time[i] - time[i - 1]));
      next += 2 * Math.PI;
    }
  }
  return out;
}

export interface Run {
  time: Float64Array;
  column(label: string): Float64Array;
}

/**
 * Simulate netlist text to the end, yielding to `tick` every `chunk` steps (for progress
 * and cancellation), and return its printed columns.
 */
export async function runNetlist(text: string, seed: number, tick?: () => Promise<void>, chunk = 4000): Promise<Run> {
  const sim = new Transient(buildCircuit(text, 'sfq-cell'), { rng: new Rng(seed) });
  while (!sim.done) {
    sim.advance(chunk);
    if (tick) await tick();
  }
  return { time: sim.recorder.column('time'), column: (label) => sim.recorder.column(label) };
}
