/**
 * The contract between a neuron model and the event engine. A model is Params (typed defaults,
 * units in the field names) plus a group of n neurons whose State lives in typed arrays and is
 * advanced in place, one fixed step at a time: no allocation per step or per spike.
 *
 * One step n (time t_n = n·dt), in the engine's order (Brian2's schedule):
 *   step(n)        every neuron t_n → t_n + dt (refractory neurons are held), then the
 *                  threshold: which neurons spike, stamped t_n (the start of the step that
 *                  crossed, as Brian2 stamps it). One pass over the neurons does both.
 *   (synapses)     events due at n are added into receptor arrays; they act from step n + 1
 *   reset(n)       spiking neurons are reset and start their refractory period
 */

/**
 * Where synaptic events land: `array[post] += sign · scale[0] · weight`. The scale is 1 unless
 * the model stores a variable rescaled (lif-exp keeps its currents divided by a shared decay
 * factor, which saves two stores per neuron per step); read it at each delivery. It lives in a
 * one-element typed array because it changes every step: a number field rewritten with a
 * double can make V8 allocate a box per write.
 */
export interface Receptor {
  readonly array: Float64Array;
  readonly sign: 1 | -1;
  readonly scale: Float64Array;
}

/** n neurons of one model, their state in typed arrays. */
export interface NeuronGroup {
  readonly n: number;
  /**
   * Advance every neuron from t_n to t_n + dt and write the indices of those that spike into
   * `out`; return how many.
   */
  step(n: number, out: Int32Array): number;
  /** Reset the `count` neurons listed in `spikes`. */
  reset(spikes: Int32Array, count: number, step: number): void;
  /** The array a receptor name ('exc', 'inh') adds into, and its sign. */
  receptor(name: string): Receptor;
  /** State variable `name` of neuron i (for monitors); 'drive' is the constant drive (see `driveUnit`). */
  get(name: string, i: number): number;
  /** Set state variable `name` of every neuron (initial values). */
  set(name: string, values: ArrayLike<number> | number): void;
  /** Back to the state right after creation (initial values are set by the caller). */
  clear(): void;
}

export interface NeuronModel<P extends object = any> {
  /** Identifier used in specs, e.g. `lif-exp`. */
  readonly name: string;
  readonly title: string;
  readonly defaults: Readonly<P>;
  readonly receptors: readonly string[];
  /** Variables a spec may initialise and a state monitor may record; the first is the membrane potential. */
  readonly variables: readonly string[];
  /** Unit of the per-neuron constant drive. */
  readonly driveUnit: string;
  /** The refractory period of a parameter set, in ms (for spec checks). */
  refractoryMs(p: P): number;
  create(n: number, params: P, dtMs: number, adaptation?: ThresholdAdaptation): NeuronGroup;
}

/**
 * Intrinsic threshold adaptation (homeostasis of excitability, as in Diehl & Cook 2015):
 *   τθ dθ/dt = −θ          θ relaxes to 0 between spikes
 *   θ ← θ + Δθ at a spike  every spike raises the neuron's own threshold
 *   spike when v > v_th + θ
 */
export interface ThresholdAdaptation {
  incrementMv: number;
  tauMs: number;
}

/** Steps in a duration, rounded the way Brian2's `timestep()` rounds. */
export function stepsOf(ms: number, dtMs: number): number {
  return Math.floor((ms + 1e-3 * dtMs) / dtMs);
}

/** Whether a duration is a whole number of steps (to stepsOf's tolerance), so no rounding changes it. */
export function wholeSteps(ms: number, dtMs: number): boolean {
  const k = ms / dtMs;
  return Math.abs(k - Math.round(k)) <= 1e-3;
}

/** The spec checks' message for a duration the step would round. */
export function offGridMessage(what: string, ms: number, dtMs: number): string {
  return `${what} (${ms} ms) is not a whole number of steps of dt = ${dtMs} ms, so the engine would round it; use a multiple of dt`;
}
