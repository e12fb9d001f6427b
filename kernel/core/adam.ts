/**
 * PyTorch's Adam (torch.optim.Adam, amsgrad off) on float64 arrays, for the TypeScript paths
 * (evolution strategies, the nested-system learner). For step t ≥ 1, gradient g, parameter p:
 *   g ← g + λp;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − (η/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
 * with the operations in the order the dense engine's update graph performs them
 * (kernel/dense/optimizers.ts), so the two agree to the last bit on the same gradients.
 */
export interface AdamOptions {
  lr: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** One Adam step at step t (1-based) on p, m and v in place. */
export function adamStep(p: Float64Array, grad: ArrayLike<number>, m: Float64Array, v: Float64Array, t: number, o: AdamOptions): void {
  const [b1, b2, eps, wd] = [o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.eps ?? 1e-8, o.weightDecay ?? 0];
  const stepSize = o.lr / (1 - b1 ** t);
  const sqrtBc2 = Math.sqrt(1 - b2 ** t);
  for (let i = 0; i < p.length; i++) {
    const g = wd ? grad[i] + p[i] * wd : grad[i];
    m[i] = m[i] * b1 + g * (1 - b1);
    v[i] = v[i] * b2 + g * g * (1 - b2);
    p[i] = p[i] - (m[i] / (Math.sqrt(v[i]) / sqrtBc2 + eps)) * stepSize;
  }
}

/** Adam with its moments kept inside, stepping one parameter vector in place. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(size: number, readonly options: AdamOptions) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  step(theta: Float64Array, grad: ArrayLike<number>): void {
    adamStep(theta, grad, this.m, this.v, ++this.t, this.options);
  }
}
