/**
 * The baseline controller of PAPERS.md §3: a multilayer perceptron on dm_control's swim
 * observation, as the authors' ES runs use it (garage's GaussianMLPPolicy, hidden 64-64, tanh,
 * linear output, evaluated deterministically: the mean action):
 *
 *   x  = [joint angles (N − 1), body velocities vx vy ωz per link (3N)]
 *   hₖ = tanh(Wₖ hₖ₋₁ + bₖ),  u = W_out h_L + b_out     (u is clamped to [−1, 1] by the body)
 *
 * Weights are stored as PyTorch's Linear stores them (W [out, in] row-major, then b), layer by
 * layer, in one flat vector; initialised Xavier-uniform U(±√(6/(fan_in + fan_out))), biases 0
 * (garage's defaults). The policy has no memory: the System's state is nothing.
 * Small enough (≈6,000 weights) to run in TypeScript, in float64, without the dense engine.
 */
import type { Rng } from '../../core/rng';
import type { System } from '../../core/system';
import type { Policy } from './circuit';

/** Layer widths input → hidden… → output for an N-link swimmer. */
export function mlpSizes(nLinks: number, hidden: readonly number[]): number[] {
  return [nLinks - 1 + 3 * nLinks, ...hidden, nLinks - 1];
}

export function mlpParameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * sizes[l - 1] + sizes[l];
  return n;
}

export function mlpInit(sizes: readonly number[], rng: Rng): Float64Array {
  const w = new Float64Array(mlpParameterCount(sizes));
  let at = 0;
  for (let l = 1; l < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l - 1], sizes[l]];
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < fanIn * fanOut; i++) w[at++] = bound * (2 * rng.float() - 1);
    at += fanOut; // biases start at 0
  }
  return w;
}

/** The network's output for input x. */
export function mlpForward(sizes: readonly number[], w: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  let h: ArrayLike<number> = x;
  let at = 0;
  for (let l = 1; l < sizes.length; l++) {
    const [nIn, nOut] = [sizes[l - 1], sizes[l]];
    const out = new Float64Array(nOut);
    const bias = at + nIn * nOut;
    for (let o = 0; o < nOut; o++) {
      let s = w[bias + o];
      const row = at + o * nIn;
      for (let i = 0; i < nIn; i++) s += w[row + i] * h[i];
      out[o] = l < sizes.length - 1 ? Math.tanh(s) : s;
    }
    at = bias + nOut;
    h = out;
  }
  return h as Float64Array;
}

export function mlpSystem(sizes: readonly number[], weights: ArrayLike<number>): System<null, unknown, Policy> {
  const w = Float64Array.from(weights);
  if (w.length !== mlpParameterCount(sizes)) throw new Error(`MLP: ${w.length} weights for ${mlpParameterCount(sizes)} parameters`);
  const nJoints = sizes[sizes.length - 1];
  const x = new Float64Array(sizes[0]);
  const policy: Policy = (obs) => {
    for (let j = 0; j < nJoints; j++) x[j] = obs.joints[j];
    for (let k = 0; k < x.length - nJoints; k++) x[nJoints + k] = obs.bodyVelocities[k];
    return mlpForward(sizes, w, x);
  };
  return { name: 'mlp', init: () => null, readout: () => policy, update: () => null };
}
