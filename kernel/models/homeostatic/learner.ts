/**
 * The learner of Man, Damasio & Neven (2022), PAPERS.md §2, as a System over one sample per
 * tick — the authors' loop (lrh.py): each sample is forwarded and its gradient accumulated, and
 * the weights move once per minibatch of m samples. It is compiled into an ONNX graph
 * (kernel/dense/program.ts): its state holds graph values, its update adds ops.
 *
 * State: the parameters W (graph values) and how many samples of the current minibatch it has
 * seen. Input at each tick: the minibatch the sample belongs to (pixels x [m, features] as
 * floats, current labels y [m]) and the sample's index j in it; the regulator's readout (η and
 * the candidate rates per class); at a decision point, the memory (the 20 most recent samples
 * with their current labels) and whether the decision counts.
 *
 *   step (j = m − 1):   W ← W − η ∇ mean_b CE(f(x_b; W), y_b)
 *                       = W − (η/m) Σ_b ∇ CE_b, the authors' update, with the η the regulator
 *                       reads out at this tick (so a decision earlier in the minibatch counts)
 *   probe (at a decision point, before anything else):
 *     predicted = argmax f(x_j; W)
 *     g = (1/m) Σ_{b ≤ j} ∇ CE_b                 (the gradient accumulated so far, as the authors')
 *     W_keep = W − η g,   W_move = W − candidates[predicted] g        (simulated steps)
 *     keep = #correct of f(·; W_keep) on the memory,   move = the same for W_move
 *   W itself is untouched by the probe: the simulated weights are values of their own.
 *
 * The first layer's simulated weights are never formed when the model starts with a Linear
 * layer (the [80, 784] matrices would cost more than the rest of the probe): with Δ the gradient
 * at that layer's output for the pending samples X_p (so g₁ = Δᵀ X_p, g_b = Σ_rows Δ), the
 * memory's pre-activations after a simulated step with rate r are
 *     X_M (W₁ − r g₁)ᵀ + (b₁ − r g_b) = (X_M W₁ᵀ + b₁) − r ((X_M X_pᵀ) Δ + g_b),
 * the first term shared by both steps (`lowRank: false` forms the weights instead; tested equal).
 *
 * Readout: the probe of the last tick (read once, by the wiring, at the next tick) and, after a
 * step, the minibatch's mean loss and number of correct predictions (before the step).
 */
import type { System } from '../../core/system';
import { gradients } from '../../dense/autodiff';
import type { Value } from '../../dense/graph';
import { Sequential, type Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import { correctCount, softmaxCrossEntropy } from '../../dense/losses';
import * as o from '../../dense/ops';
import { makeOptimizer } from '../../dense/optimizers';
import type { Parameter } from '../../dense/params';
import type { Probe, RateReadout } from './regulators';

export interface LearnerState {
  params: ReadonlyMap<Parameter, Value>;
  /** Samples of the current minibatch seen so far. */
  seen: number;
  probe?: Probe;
  step?: { loss: Value; correct: Value };
}

export interface Memory {
  /** The recent samples [n, features] (floats) and their labels now [n] (int32). */
  x: Value;
  y: Value;
  /** 1 where the decision counts, else 0. */
  decide: Value;
}

export interface SampleTick {
  /** The minibatch the sample belongs to: x [m, features] (floats), y [m] (current labels, int32). */
  batch: { x: Value; y: Value };
  /** The sample's index in it. */
  index: number;
  /** Given at a decision point of a learner that probes. */
  memory?: Memory;
}

export type LearnerInput = SampleTick & RateReadout;

export interface LearnerReadout {
  probe?: Probe;
  step?: { loss: Value; correct: Value };
}

const sgd = makeOptimizer({ kind: 'sgd', lr: 1 }); // the rate comes from the regulator, per step

export function learner(name: string, model: Layer, batchSize: number, start: LearnerState, options: { lowRank?: boolean } = {}): System<LearnerState, LearnerInput, LearnerReadout> {
  const params = model.parameters();
  const split = options.lowRank === false ? undefined : firstLinear(model);
  return {
    name,
    init: () => start,
    readout: (s) => ({ probe: s.probe, step: s.step }),
    update(s, input) {
      if (input.index !== s.seen) throw new Error(`${name}: sample ${input.index} of a minibatch arrived after ${s.seen} samples`);
      if (input.batch.y.shape[0] !== batchSize) throw new Error(`${name}: a minibatch of ${input.batch.y.shape[0]} samples; this learner takes ${batchSize}`);
      const g = input.eta.graph;
      const probe = input.memory && g.scope(`${name}/probe`, () => probeAt(s, input, input.memory!));
      if (s.seen + 1 < batchSize) return { params: s.params, seen: s.seen + 1, probe };
      return g.scope(`${name}/step`, () => {
        const bind = (p: Parameter) => s.params.get(p)!;
        const z = model.apply(input.batch.x, bind);
        const loss = softmaxCrossEntropy(z, input.batch.y);
        const correct = correctCount(z, input.batch.y);
        const now = params.map(bind);
        // ∇(η · loss): the backward pass starts from η (optimizers.ts, sgd)
        const grads = gradients(loss, now, sgd.seed!([input.eta]));
        const next = new Map(params.map((p, i) => [p, sgd.update(now[i], grads[i], [], [input.eta]).param]));
        return { params: next, seen: 0, probe, step: { loss, correct } };
      });
    },
  };

  function probeAt(s: LearnerState, input: LearnerInput, memory: Memory): Probe {
    const j = input.index;
    const g = input.eta.graph;
    const bind = (p: Parameter) => s.params.get(p)!;
    const upTo = (v: Value) => (j + 1 === v.shape[0] ? v : o.slice(v, [0], [j + 1], [0]));
    const xp = upTo(input.batch.x);
    // The first layer's output on the pending samples is differentiated as a value of its own when the low-rank path is taken.
    const z1 = split && split.first.apply(xp, bind);
    const z = split ? split.rest.apply(z1!, bind) : model.apply(xp, bind);
    const predicted = o.reshape(o.argMax(o.slice(z, [j], [j + 1], [0]), 1, false), []);
    const label = o.reshape(o.slice(input.batch.y, [j], [j + 1], [0]), []);
    // (j+1)/m · the mean over the j+1 samples = (1/m) · their sum
    const trained = split ? split.rest.parameters() : params;
    const now = trained.map(bind);
    const grads = gradients(softmaxCrossEntropy(z, upTo(input.batch.y)), split ? [z1!, ...now] : now, g.scalar((j + 1) / batchSize));
    const restGrads = split ? grads.slice(1) : grads;
    // Shared by both simulated steps: X_M W₁ᵀ + b₁ and (X_M X_pᵀ) Δ + Σ_rows Δ.
    const lowRank = split && {
      h0: split.first.apply(memory.x, bind),
      correction: o.gemm(o.gemm(memory.x, xp, undefined, { transB: 1 }), grads[0], o.reduceSum(grads[0], [0], true)),
    };
    const score = (rate: Value) => {
      const simulated = new Map(trained.map((p, i) => [p, o.sub(now[i], o.mul(restGrads[i], rate))]));
      const bindSimulated = (p: Parameter) => simulated.get(p)!;
      const out = lowRank ? split!.rest.apply(o.sub(lowRank.h0, o.mul(lowRank.correction, rate)), bindSimulated) : model.apply(memory.x, bindSimulated);
      return correctCount(out, memory.y);
    };
    const keep = g.scope('keep', () => score(input.eta));
    const move = g.scope('move', () => score(o.gather(input.candidates, predicted)));
    return { predicted, label, keep, move, decide: memory.decide };
  }
}

/** A Sequential that starts with a Linear layer with a bias, as that layer and the rest. */
function firstLinear(model: Layer): { first: Linear; rest: Layer } | undefined {
  if (!(model instanceof Sequential) || !(model.layers[0] instanceof Linear) || !model.layers[0].bias) return undefined;
  return { first: model.layers[0], rest: new Sequential(`${model.name}.rest`, model.layers.slice(1)) };
}
