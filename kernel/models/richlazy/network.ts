/**
 * The RNN of Liu et al. 2024 (PAPERS.md §5) on the dense engine:
 *   hₜ = ReLU(W_in xₜ + W_rec hₜ₋₁),  h₋₁ = 0,  no biases
 *   yₜ = W_out hₜ                      (linear readout: fixate, choice 1, choice 2)
 *   L  = mean over every step t and trial b of the cross-entropy of softmax(yₜ,b) and its target
 * W_in and W_out start as PyTorch's nn.Linear does (U(±1/√fan_in)). W_rec starts from
 *   W₀ = gain · G/√N, G ~ N(0, 1)
 * truncated to its top-r singular components U_r S_r V_rᵀ and rescaled to ‖W₀‖_F (init.ts
 * `lowRank`; `rescale: false` keeps S_r, W₀'s own top singular values), or, aligned with the
 * task, with the same singular values S_r on the top-r singular vectors of a solution's
 * change ΔW (what a full-rank network learned on the task), rescaled alike.
 */
import type { Rng } from '../../core/rng';
import type { Value } from '../../dense/graph';
import { Sequential } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import { Recurrent, TimeDistributed } from '../../dense/layers/recurrent';
import { frobenius, scaleTo, transplantSpectrum } from '../../dense/linalg';
import { correctCount, softmaxCrossEntropy } from '../../dense/losses';
import * as o from '../../dense/ops';
import type { Parameter } from '../../dense/params';
import { DECISION_STEP, OUTPUTS, STEPS } from './tasks';

export interface RecurrentInit {
  rank: number;
  gain: number;
  /** Rescale the rank-r matrix to ‖W₀‖_F (the paper), or keep W₀'s top-r singular values. */
  rescale: boolean;
}

export interface RichLazyNet {
  model: Sequential;
  rnn: Recurrent;
  wRec: Parameter;
  init: RecurrentInit;
  /** W₀ = gain · G/√N, the full-rank draw the initial W_rec is made from (float64, row-major). */
  gaussian: Float64Array;
}

/** The network with W_rec made from W₀ (all of W_rec's randomness from `rng`'s fork `rnn.w_rec`). */
export function richLazyNet(inputs: number, hidden: number, init: RecurrentInit, rng: Rng): RichLazyNet {
  const recurrentInit = { kind: 'lowRank' as const, rank: init.rank, gain: init.gain, rescale: init.rescale };
  const rnn = new Recurrent('rnn', inputs, hidden, rng, { activation: 'relu', inputInit: { kind: 'torch' }, recurrentInit });
  const readout = new Linear('readout', hidden, OUTPUTS, rng, { bias: false, init: { kind: 'torch' } });
  const model = new Sequential('model', [rnn, new TimeDistributed('readout', readout)]);
  // The draw lowRank truncated: the same stream, scale and order (init.ts).
  const draw = rng.fork('rnn.w_rec');
  const scale = init.gain / Math.sqrt(hidden);
  const gaussian = Float64Array.from({ length: hidden * hidden }, () => scale * draw.normal());
  return { model, rnn, wRec: rnn.wRec, init, gaussian };
}

/** Give the net its task-aligned W_rec: W₀'s top-r singular values on the top-r singular vectors of `change`. */
export function alignInit(net: RichLazyNet, change: ArrayLike<number>): void {
  const n = net.rnn.hidden;
  const w = transplantSpectrum(net.gaussian, Float64Array.from(change), n, n, net.init.rank);
  net.wRec.set(net.init.rescale ? scaleTo(w, frobenius(net.gaussian)) : w);
}

/** Cross-entropy over every step: outputs [T, B, 3], targets [T·B]. */
export function everyStepLoss(out: Value, target: Value): Value {
  return softmaxCrossEntropy(o.reshape(out, [out.shape[0] * out.shape[1], OUTPUTS]), target);
}

/** Correct choices at the decision step (a count; the training loop reports it per trial). */
export function decisionCorrect(out: Value, target: Value): Value {
  const b = out.shape[1];
  const last = o.reshape(o.slice(out, [DECISION_STEP], [STEPS], [0]), [b, OUTPUTS]);
  return correctCount(last, o.slice(target, [DECISION_STEP * b], [STEPS * b], [0]));
}
