/**
 * The learning-rate regulators of Man, Damasio & Neven (2022), PAPERS.md §2, as Systems
 * (kernel/core/system.ts) whose state is the learning rate η. They are compiled into the
 * learner's ONNX graph (kernel/dense/program.ts): η is a float32 scalar of that graph, their
 * updates are graph ops, so a decision never leaves the onnxruntime run.
 *
 * Every class is excitatory or inhibitory (the paper: 5–9 excitatory, 0–4 inhibitory); a move
 * for class c changes η by +Δ or −Δ (Δ = η₀/10). The readout says, beside η, where η would go
 * after a move for each class, so a learner can simulate a move without knowing the classes:
 *
 *   candidates(η)[c] = clip(η + s_c Δ)        s_c = +1 excitatory, −1 inhibitory
 *   clip(v) = 1e-8 if v < 0, else v            (the authors' rule: a move below zero lands at 1e-8;
 *                                               a value that rounds to just above 0 is kept)
 *
 * homeostat — input: the learner's probe at a decision point: its predicted label for the
 *   current sample, the sample's (current) label, and the scores on the 20 most recent samples
 *   of one simulated SGD step with (a) η, `keep`, and (b) candidates(η)[predicted], `move`:
 *     η ← candidates(η)[label]   if decide and move > keep (strictly)
 *     η ← η                      otherwise
 *   (the move follows the *true* label, not the predicted one, as in the authors' lrh.py)
 * random — input at a decision point: the sample's label and a fair coin fed with the data:
 *     η ← candidates(η)[label]   if coin          (the authors' lrr.py)
 * constant — η ← η.
 */
import type { System } from '../../core/system';
import type { Value } from '../../dense/graph';
import * as o from '../../dense/ops';

export interface RateParams {
  /** The initial learning rate η₀. */
  eta0: number;
  /** The step of a move (the paper: η₀/10). */
  delta: number;
  /** The value a move below zero lands at (the paper: 1e-8). */
  floor: number;
  /** Per class (index = class): +1 excitatory, −1 inhibitory. */
  signs: readonly number[];
}

/** The paper's regulation: η₀ = 1e-3, Δ = η₀/10, classes 5–9 excitatory, 0–4 inhibitory. */
export function paperRates(eta0 = 1e-3, classes = 10, excitatory: readonly number[] = [5, 6, 7, 8, 9]): RateParams {
  return { eta0, delta: eta0 / 10, floor: 1e-8, signs: Array.from({ length: classes }, (_, c) => (excitatory.includes(c) ? 1 : -1)) };
}

/** A regulator's state: η, a float32 scalar. */
export interface RateState {
  eta: Value;
}

export interface RateReadout {
  eta: Value;
  /** [classes]: η after a move for each class. */
  candidates: Value;
}

/** What the learner found at a decision point (all scalars of the graph). */
export interface Probe {
  /** The learner's predicted label for the current sample (int64). */
  predicted: Value;
  /** The sample's current label (int32). */
  label: Value;
  /** Correct predictions on the recent samples after a simulated step with η (float32). */
  keep: Value;
  /** … after a simulated step with candidates(η)[predicted]. */
  move: Value;
  /** 1 where the decision counts (the authors' `i > nMemo`), else 0 (float32). */
  decide: Value;
}

/** A regulator's coin at a decision point of random regulation. */
export interface Coin {
  label: Value;
  /** 1: move, 0: stay (float32). */
  coin: Value;
}

export function homeostat(p: RateParams, start: RateState): System<RateState, Probe | undefined, RateReadout> {
  const candidates = candidatesOf(p);
  return {
    name: 'homeostat',
    init: () => start,
    readout: (s) => ({ eta: s.eta, candidates: candidates(s.eta) }),
    update(s, probe) {
      if (!probe) return s;
      const g = s.eta.graph;
      return g.scope('homeostat', () => {
        const moved = o.where(o.greater(probe.move, probe.keep), o.gather(candidates(s.eta), probe.label), s.eta);
        return { eta: o.where(o.greater(probe.decide, 0), moved, s.eta) };
      });
    },
  };
}

export function randomRegulator(p: RateParams, start: RateState): System<RateState, Coin | undefined, RateReadout> {
  const candidates = candidatesOf(p);
  return {
    name: 'random regulation',
    init: () => start,
    readout: (s) => ({ eta: s.eta, candidates: candidates(s.eta) }),
    update(s, c) {
      if (!c) return s;
      return s.eta.graph.scope('random', () => ({ eta: o.where(o.greater(c.coin, 0), o.gather(candidates(s.eta), c.label), s.eta) }));
    },
  };
}

export function constantRate(p: RateParams, start: RateState): System<RateState, unknown, RateReadout> {
  const candidates = candidatesOf(p);
  return { name: 'constant', init: () => start, readout: (s) => ({ eta: s.eta, candidates: candidates(s.eta) }), update: (s) => s };
}

/** candidates(η) as graph ops, made once per η value (readouts are asked for at every tick). */
function candidatesOf(p: RateParams): (eta: Value) => Value {
  const made = new WeakMap<Value, Value>();
  return (eta) => {
    let c = made.get(eta);
    if (!c) {
      const g = eta.graph;
      c = g.scope('candidates', () => {
        const moves = g.constant(Float32Array.from(p.signs, (s) => s * p.delta), [p.signs.length]);
        const v = o.add(eta, moves);
        return o.where(o.less(v, 0), Math.fround(p.floor), v);
      });
      made.set(eta, c);
    }
    return c;
  };
}
