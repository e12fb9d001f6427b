/**
 * SpiNNaker's fixed-point arithmetic for current-based synapses, as sPyNNaker applies it: the
 * version the authors of PAPERS.md §7 ran (sPyNNaker 1319cea, 2024), read from its source —
 * abstract_population_vertex.py (ring-buffer shifts), synapse_dynamics_static.py (weights to
 * 16 bits), synapses.c / synapses.h (ring buffers, their conversion to input),
 * neuron_model_lif_impl.h (the membrane update) and libgcc's fixed-bit.c (accum ×).
 *
 *   s1615         a value is a 32-bit integer of 2^−15 (ISO C `accum`); GCC's accum +, − and ×
 *                 are not saturating: they wrap around at 32 bits, i.e. past ±65536
 *   shift         per receptor of a population, from every projection onto it:
 *                 M = max(Σ spikes per step · n · w_max, largest w_max)   n: most synapses of the
 *                 projection onto one neuron; shift = ⌈log2 M⌉, +1 when 2^shift ≤ M, ≥ 0
 *   weight        a 16-bit integer of 2^(shift−15) nA: rint(|w| · 2^(15−shift)), half to even
 *   ring buffer   the weights due in one step summed into 16 bits, saturating at 65535
 *   input         ring << shift, read as s1615 (wraps past 2^16 nA, i.e. when shift > 16)
 *
 * M bounds the ring buffer, so it never saturates; it is the wrap-arounds that matter: with very
 * large weights the input, or I·R in the membrane update (neurons/lif-delta-spinnaker.ts), wraps
 * and a neuron can fire that exact arithmetic keeps silent. The data of PAPERS.md §7 pin the
 * wrapping ×: sPyNNaker's later MULT_ROUND_NEAREST_ACCUM saturates instead, and cannot give the
 * authors' h = 892.25532 for the words 0, 0, 1023.
 */
import type { Projection } from './projection';

/** One in s1615. */
export const S1615_ONE = 1 << 15;

/** A value in s1615 (DataType.S1615: rounded to the nearest 2^−15). */
export function toS1615(x: number): number {
  return Math.round(x * S1615_ONE);
}

/** The low 32 bits of an integer, signed (C's wrap-around). */
export function wrap32(x: number): number {
  return x | 0;
}

/** a·b of two s1615 values, as GCC's non-saturating accum × (libgcc: + 2^14, >> 15), wrapped. */
export function mulS1615(a: number, b: number): number {
  const p = a * b;
  if (Math.abs(p) <= Number.MAX_SAFE_INTEGER) return wrap32(Math.floor((p + 16384) / S1615_ONE));
  return Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b) + 16384n) >> 15n));
}

/** numpy.rint: to the nearest integer, halves to even. */
export function rintEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/** The ring-buffer left shift for inputs that can reach `maxInputNa` in one step. */
export function ringBufferShift(maxInputNa: number): number {
  if (!(maxInputNa > 0)) return 0;
  let shift = Math.ceil(Math.max(0, Math.log2(maxInputNa)));
  if (2 ** shift <= maxInputNa) shift++; // the range is [0, 2^shift)
  return shift;
}

/** Weights of a receptor with this shift are integers of 1 / weightScale nA. */
export function weightScale(shift: number): number {
  return 2 ** (15 - shift);
}

/** A weight (nA) as the 16-bit integer a synapse row holds. */
export function quantiseWeight(wNa: number, shift: number): number {
  return rintEven(Math.abs(wNa) * weightScale(shift)) & 0xffff;
}

/** A ring-buffer sum as input (s1615): saturated to 16 bits, then shifted, wrapping at 32 bits. */
export function ringToInput(ring: number, shift: number): number {
  return Math.min(ring, 0xffff) << shift;
}

/** A projection onto a fixed-point population, its weights in nA and its receptor. */
export interface FixedPointInput {
  projection: Projection;
  receptor: string;
  weightsNa: ArrayLike<number>;
  /** Most spikes one presynaptic neuron sends in a step (1 for neurons and spike arrays). */
  spikesPerStep?: number;
}

/** What a fixed-point population offers: one shift per receptor. */
export interface FixedPointGroup {
  readonly n: number;
  setShift(receptor: string, shift: number): void;
}

/** The group as a fixed-point one (a floating-point group has no ring buffers to map onto). */
export function asFixedPoint(group: { readonly n: number }): FixedPointGroup {
  if (typeof (group as Partial<FixedPointGroup>).setShift !== 'function') throw new TypeError('not a fixed-point neuron group');
  return group as FixedPointGroup;
}

/**
 * Map the projections onto one population the way sPyNNaker does: a shift per receptor from all
 * of them, then every weight as its 16-bit integer. The projections then transmit those integers
 * (their scale is set to 1) into the group's ring buffers.
 */
export function quantiseInputs(group: FixedPointGroup, inputs: readonly FixedPointInput[]): Map<string, number> {
  const bound = new Map<string, { sum: number; biggest: number }>();
  for (const x of inputs) {
    const perPost = new Int32Array(group.n);
    for (const j of x.projection.target) perPost[j]++;
    let n = 0;
    for (const c of perPost) n = Math.max(n, c);
    let wMax = 0;
    for (let k = 0; k < x.weightsNa.length; k++) wMax = Math.max(wMax, Math.abs(x.weightsNa[k]));
    const b = bound.get(x.receptor) ?? { sum: 0, biggest: 0 };
    b.sum += (x.spikesPerStep ?? 1) * wMax * n;
    b.biggest = Math.max(b.biggest, wMax);
    bound.set(x.receptor, b);
  }
  const shifts = new Map<string, number>();
  for (const [receptor, b] of bound) {
    const shift = ringBufferShift(Math.max(b.sum, b.biggest));
    shifts.set(receptor, shift);
    group.setShift(receptor, shift);
  }
  for (const x of inputs) {
    const shift = shifts.get(x.receptor)!;
    const w = x.projection.w;
    if (!w) throw new TypeError(`${x.projection.name}: a shared weight cannot hold per-synapse integers (build it with a weight array)`);
    if (x.weightsNa.length !== w.length) throw new RangeError(`${x.projection.name}: ${x.weightsNa.length} weights for ${w.length} synapses`);
    for (let k = 0; k < w.length; k++) w[k] = quantiseWeight(x.weightsNa[k], shift);
    x.projection.scale = 1;
  }
  return shifts;
}
