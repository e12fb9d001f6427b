/**
 * How lazy learning was (Liu et al. 2024, after Chizat et al. 2019 and Flesch et al. 2022),
 * measured on a fixed probe set of trials against the network at initialisation:
 *   weight change             ‖W_rec − W_rec(0)‖_F
 *   representation alignment  cos(H Hᵀ, H₀ H₀ᵀ), H [trials, N] the hidden states at the
 *                             decision step (the last step) of every probe trial
 *   tangent-kernel alignment  cos(J Jᵀ, J₀ J₀ᵀ), J = ∂outputs/∂W_rec for every step, trial and
 *                             output of the first `kernelTrials` probe trials (dense/jacobian.ts)
 * with cos(A, B) = ⟨A, B⟩_F / (‖A‖_F ‖B‖_F). Lazy learning keeps both alignments near 1.
 */
import { Evaluator } from '../../dense/evaluate';
import { TangentKernel } from '../../dense/jacobian';
import type { ExecOptions } from '../../dense/session';
import { frobenius } from '../../dense/linalg';
import { decisionCorrect, everyStepLoss, type RichLazyNet } from './network';
import { DECISION_STEP, STEPS, type TrialBatch } from './tasks';

export interface Laziness {
  loss: number;
  accuracy: number;
  weightChange: number;
  repAlignment: number;
  kernelAlignment: number;
}

/** cos(A, B) over all elements, accumulated in float64. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/** H Hᵀ for the rows of H at `step` of states [T, B, N] (float64). */
export function decisionGram(states: Float32Array, trials: number, hidden: number, step = DECISION_STEP): Float64Array {
  const at = step * trials * hidden;
  const g = new Float64Array(trials * trials);
  for (let a = 0; a < trials; a++)
    for (let b = a; b < trials; b++) {
      let s = 0;
      for (let i = 0; i < hidden; i++) s += states[at + a * hidden + i] * states[at + b * hidden + i];
      g[a * trials + b] = g[b * trials + a] = s;
    }
  return g;
}

/** The probe: compiled once, run on the network's current parameters; the first run is the reference. */
export class LazinessProbe {
  private reference?: { w: Float32Array; gram: Float64Array; kernel: Float32Array };

  private constructor(
    private readonly net: RichLazyNet,
    private readonly trials: TrialBatch,
    private readonly kernelX: Float32Array,
    private readonly states: Evaluator,
    private readonly outputs: Evaluator,
    private readonly kernel: TangentKernel,
    private readonly size: number,
  ) {}

  static async compile(net: RichLazyNet, trials: TrialBatch, size: number, kernelTrials: number, exec: ExecOptions): Promise<LazinessProbe> {
    const inputs = trials.x.length / (STEPS * size);
    const states = await Evaluator.compile({ model: net.rnn, inputShape: [STEPS, size, inputs], exec });
    const outputs = await Evaluator.compile({ model: net.model, inputShape: [STEPS, size, inputs], target: { shape: [STEPS * size], dtype: 'int32' }, loss: everyStepLoss, metrics: { correct: decisionCorrect }, exec });
    // The kernel's trials: the first `kernelTrials` of the probe set, every step.
    const kernelX = new Float32Array(STEPS * kernelTrials * inputs);
    for (let t = 0; t < STEPS; t++) kernelX.set(trials.x.subarray(t * size * inputs, (t * size + kernelTrials) * inputs), t * kernelTrials * inputs);
    const kernel = await TangentKernel.compile({ model: net.model, weight: net.wRec, inputShape: [STEPS, kernelTrials, inputs], batchAxis: 1, exec });
    return new LazinessProbe(net, trials, kernelX, states, outputs, kernel, size);
  }

  /** The measures now; the first call fixes the reference (its alignments are 1 by definition of cos). */
  async measure(): Promise<Laziness> {
    const hidden = this.net.rnn.hidden;
    const gram = decisionGram((await this.states.run(this.trials.x)).output, this.size, hidden);
    const { values } = await this.outputs.run(this.trials.x, this.trials.y);
    const kernel = (await this.kernel.run(this.kernelX)).kernel.slice();
    const w = this.net.wRec.data;
    const ref = (this.reference ??= { w: w.slice(), gram, kernel });
    const dw = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) dw[i] = w[i] - ref.w[i];
    return {
      loss: values.loss,
      accuracy: values.correct / this.size,
      weightChange: frobenius(dw),
      repAlignment: cosine(gram, ref.gram),
      kernelAlignment: cosine(kernel, ref.kernel),
    };
  }
}
