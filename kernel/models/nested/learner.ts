/**
 * Training as nested systems (PAPERS.md §8): the learner is a System whose state is the
 * parameters (and Adam's moments) and whose update is one training step — it holds the batch
 * on the network system (layers.ts) until it settles, reads the gradients off its readout and
 * takes an Adam step. The data stream is a System too (state: how many batches it has given;
 * readout: the next batch), and the trainer is the two wired: the stream's readout is the
 * learner's input. Nothing here mutates a state it was given.
 */
import { adamStep } from '../../core/adam';
import { wire, type System } from '../../core/system';
import { networkSystem, settle, type LinearParams, type NetInput } from './layers';

export interface Batch {
  /** [N, features], float64. */
  x: Float64Array;
  labels: Int32Array;
}

export interface LearnerState {
  params: LinearParams[];
  /** Adam's first and second moments, per layer. */
  m: LinearParams[];
  v: LinearParams[];
  /** Steps taken. */
  t: number;
  /** Loss of the last step's batch, before its update. */
  loss: number;
}

export interface AdamSpec {
  lr: number;
  weightDecay: number;
}

const zerosLike = (p: LinearParams): LinearParams => ({ weight: new Float64Array(p.weight.length), bias: new Float64Array(p.bias.length) });
const copy = (p: LinearParams): LinearParams => ({ weight: Float64Array.from(p.weight), bias: Float64Array.from(p.bias) });

/** The learner of an MLP `sizes` (tanh hidden layers, softmax cross-entropy) on batches of n rows. */
export function learnerSystem(sizes: readonly number[], n: number, init: LinearParams[], adam: AdamSpec): System<LearnerState, Batch, LearnerState> {
  const net = networkSystem(sizes, n);
  const parts = 2 * (sizes.length - 1); // linear and tanh parts, and the loss
  return {
    name: 'learner',
    init: () => ({ params: init.map(copy), m: init.map(zerosLike), v: init.map(zerosLike), t: 0, loss: NaN }),
    readout: (s) => s,
    update: (s, batch) => {
      const input: NetInput = { x: batch.x, labels: batch.labels, params: s.params };
      const { output } = settle(net, parts, input);
      const t = s.t + 1;
      const [params, m, v] = [s.params.map(copy), s.m.map(copy), s.v.map(copy)];
      output.grads.forEach(({ dW, db }, l) => {
        adamStep(params[l].weight, dW!, m[l].weight, v[l].weight, t, adam);
        adamStep(params[l].bias, db!, m[l].bias, v[l].bias, t, adam);
      });
      return { params, m, v, t, loss: output.loss };
    },
  };
}

/** A stream of batches as a System: its readout is batch k, given the state k. */
export function streamSystem(batchAt: (k: number) => Batch): System<number, null, Batch> {
  return { name: 'data', init: () => 0, readout: batchAt, update: (k) => k + 1 };
}

/** The trainer: data stream and learner wired; its readout is the learner's state. */
export function trainerSystem(data: System<number, null, Batch>, learner: System<LearnerState, Batch, LearnerState>) {
  return wire('trainer', { data, learner }, {
    inputs: (_: null, out) => ({ data: null, learner: out.data }),
    output: (out) => out.learner,
  });
}
