/**
 * Systems and wiring diagrams, after Spivak & Hosgood, "Deep neural networks as nested
 * dynamical systems" (arXiv 2111.01297), PAPERS.md §8.
 *
 * A system has a state, a readout that depends on the state alone, and an update
 * (state, input) → next state: a discrete Moore machine, like AlgebraicDynamics.jl's
 * DiscreteMachine. `wire` composes named parts into one system whose state is the product
 * (a record) of theirs; the wiring routes the outer input and the parts' readouts to each
 * part's input, and the parts' readouts to the outer readout. Because readouts depend on
 * state alone there are no algebraic loops, so feedback wiring is always well defined.
 * A wired system is a System, so composition nests.
 */
export interface System<S, I, O> {
  readonly name: string;
  /** The initial state. */
  init(): S;
  /** Output from state alone. */
  readout(state: S): O;
  /** The next state. Must not mutate `state` (callers may keep it). */
  update(state: S, input: I): S;
}

export type AnySystem = System<any, any, any>;
export type Parts = Record<string, AnySystem>;
export type StatesOf<P extends Parts> = { [K in keyof P]: P[K] extends System<infer S, any, any> ? S : never };
export type InputsOf<P extends Parts> = { [K in keyof P]: P[K] extends System<any, infer I, any> ? I : never };
export type OutputsOf<P extends Parts> = { [K in keyof P]: P[K] extends System<any, any, infer O> ? O : never };

/** The wiring diagram: where every inner input and the outer output come from. */
export interface Wiring<P extends Parts, I, O> {
  /**
   * Each part's input from the outer input and all parts' current readouts. The composite
   * state is passed too, so a "deeply interacting" learning system can change its wiring
   * with its state (the paper's §5); ordinary wiring ignores it.
   */
  inputs(outer: I, outputs: OutputsOf<P>, state: StatesOf<P>): InputsOf<P>;
  /** The composite's readout from the parts' readouts. */
  output(outputs: OutputsOf<P>): O;
}

/** A system from its three functions. */
export function system<S, I, O>(name: string, def: Omit<System<S, I, O>, 'name'>): System<S, I, O> {
  return { name, init: def.init, readout: def.readout, update: def.update };
}

/** Compose parts by a wiring diagram into one system with product state. */
export function wire<P extends Parts, I, O>(name: string, parts: P, wiring: Wiring<P, I, O>): System<StatesOf<P>, I, O> {
  const keys = Object.keys(parts) as (keyof P & string)[];
  const readouts = (state: StatesOf<P>): OutputsOf<P> => {
    const out = {} as OutputsOf<P>;
    for (const k of keys) out[k] = parts[k].readout(state[k]);
    return out;
  };
  return {
    name,
    init() {
      const s = {} as StatesOf<P>;
      for (const k of keys) s[k] = parts[k].init();
      return s;
    },
    readout(state) {
      return wiring.output(readouts(state));
    },
    update(state, input) {
      const inner = wiring.inputs(input, readouts(state), state);
      const next = {} as StatesOf<P>;
      for (const k of keys) next[k] = parts[k].update(state[k], inner[k]);
      return next;
    },
  };
}

/** Run a system over a sequence of inputs; returns the readout after each update. */
export function simulate<S, I, O>(sys: System<S, I, O>, inputs: Iterable<I>, state: S = sys.init()): { outputs: O[]; state: S } {
  const outputs: O[] = [];
  for (const x of inputs) {
    state = sys.update(state, x);
    outputs.push(sys.readout(state));
  }
  return { outputs, state };
}
