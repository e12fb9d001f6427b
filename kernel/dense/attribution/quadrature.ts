/**
 * The points α ∈ [0, 1] along the straight path baseline → input at which integrated gradients
 * and conductance evaluate the model, and the weight of each point in the integral
 * ∫₀¹ g(α) dα ≈ Σₖ wₖ g(αₖ). The rules and their conventions are Captum's
 * (captum/attr/_utils/approximation_methods.py), so results match Captum's for the same
 * `steps` and rule:
 *   riemann_left      αₖ = k/n,               wₖ = 1/n            k = 0 … n−1
 *   riemann_right     αₖ = (k+1)/n,           wₖ = 1/n
 *   riemann_middle    αₖ = (k+½)/n,           wₖ = 1/n
 *   riemann_trapezoid αₖ = k/(n−1),           wₖ = 1/n, halved at both ends (Captum's: the
 *                     weights sum to 1 − 1/n, not 1)
 *   gausslegendre     αₖ = (1 + xₖ)/2,        wₖ = vₖ/2, (xₖ, vₖ) the n-point Gauss–Legendre
 *                     nodes and weights on [−1, 1] (numpy's leggauss), ascending
 */
import type { integrationRules } from '../../protocol/attribution';

export type IntegrationRule = (typeof integrationRules)[number];

export interface Quadrature {
  alphas: Float64Array;
  weights: Float64Array;
}

export function quadrature(rule: IntegrationRule, n: number): Quadrature {
  if (!Number.isInteger(n) || n < 1 || (rule !== 'gausslegendre' && n < 2)) throw new RangeError(`${rule}: needs a whole number of steps ≥ ${rule === 'gausslegendre' ? 1 : 2}, got ${n}`);
  if (rule === 'gausslegendre') {
    const { nodes, weights } = gaussLegendre(n);
    return { alphas: nodes.map((x) => (1 + x) / 2), weights: weights.map((w) => w / 2) };
  }
  const weights = new Float64Array(n).fill(1 / n);
  const alphas = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (rule === 'riemann_trapezoid') alphas[k] = k / (n - 1);
    else if (rule === 'riemann_left') alphas[k] = k / n;
    else if (rule === 'riemann_right') alphas[k] = (k + 1) / n;
    else alphas[k] = (k + 0.5) / n;
  }
  if (rule === 'riemann_trapezoid') {
    weights[0] /= 2;
    weights[n - 1] /= 2;
  }
  return { alphas, weights };
}

/**
 * The n-point Gauss–Legendre rule on [−1, 1], nodes ascending: each node is a root of the
 * Legendre polynomial Pₙ, found by Newton's method from Tricomi's estimate
 * cos(π(i − ¼)/(n + ½)); the weight is 2 / ((1 − x²) Pₙ'(x)²).
 */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 1; i <= Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P₀ … Pₙ at x by the three-term recurrence (k+1) Pₖ₊₁ = (2k+1) x Pₖ − k Pₖ₋₁
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) [p0, p1] = [p1, ((2 * k + 1) * x * p1 - k * p0) / (k + 1)];
      dp = (n * (x * p1 - p0)) / (x * x - 1); // Pₙ'(x) = n (x Pₙ − Pₙ₋₁) / (x² − 1)
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i - 1] = -x; // ascending: the largest root first from the estimate, mirrored
    nodes[n - i] = x;
    weights[i - 1] = weights[n - i] = w;
  }
  return { nodes, weights };
}
