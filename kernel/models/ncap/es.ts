/**
 * Evolution strategies as the NCAP authors train their swimmers (their `estorch` ES, after
 * Salimans et al. 2017), PAPERS.md §3. Each generation, from parameters θ:
 *
 *   1. εₖ ~ N(0, σ² I), k = 1…P/2; the population is θ + εₖ and θ − εₖ   (antithetic)
 *   2. Fᵢ = the return of one episode of member i
 *   3. uᵢ = rank(Fᵢ)/(P − 1) − ½           rank-centred fitness (ties: the earlier member ranks lower)
 *   4. ĝ  = Σᵢ uᵢ εᵢ / (P σ)               the search gradient of expected return
 *   5. g  = clip(−ĝ, −1, 1) elementwise, then one Adam step on g with L2 weight decay λθ added
 *      (PyTorch's Adam: lr 0.01, β 0.9 / 0.999, ε 1e-8; the authors' λ = 0.005)
 *   6. the learning curve: the return of θ after the step, over a few episodes.
 *
 * All arithmetic is float64; the noise comes from the run's seeded stream, drawn in the same
 * order however the episodes are spread over workers.
 */
import { Adam } from '../../core/adam';
import type { Rng } from '../../core/rng';

export interface EsOptions {
  /** P, even. */
  population: number;
  generations: number;
  sigma: number;
  lr: number;
  weightDecay: number;
  /** Elementwise gradient clip. */
  clip: number;
}

export interface GenerationRecord {
  /** 1-based. */
  generation: number;
  /** Population returns of this generation, member order (θ + ε₁…, then θ − ε₁…). */
  returns: number[];
  /** θ after this generation's update. */
  theta: Float64Array;
}

/** Rank-centred fitness: the i-th smallest return gets i/(P − 1) − ½ (a stable sort breaks ties by member order). */
export function centredRanks(returns: readonly number[]): number[] {
  const order = returns.map((r, i) => [r, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const u = new Array<number>(returns.length);
  order.forEach(([, i], rank) => (u[i] = rank / (returns.length - 1) - 0.5));
  return u;
}

/**
 * Run ES from θ₀. `fitness` returns one episode return per member (it may spread them over
 * workers); `onGeneration` sees each generation after its update (learning curve, logging,
 * cancellation). Returns the final θ.
 */
export async function evolve(
  theta0: ArrayLike<number>,
  o: EsOptions,
  rng: Rng,
  fitness: (members: Float64Array[], generation: number) => Promise<number[]>,
  onGeneration: (g: GenerationRecord) => Promise<void>,
): Promise<Float64Array> {
  if (o.population < 2 || o.population % 2 !== 0) throw new RangeError(`ES: population must be even and ≥ 2, got ${o.population}`);
  const theta = Float64Array.from(theta0);
  const n = theta.length;
  const half = o.population / 2;
  const adam = new Adam(n, { lr: o.lr, weightDecay: o.weightDecay });
  for (let g = 1; g <= o.generations; g++) {
    // (1) antithetic population
    const eps = Array.from({ length: half }, () => Float64Array.from({ length: n }, () => o.sigma * rng.normal()));
    const members = [...eps.map((e) => theta.map((x, i) => x + e[i])), ...eps.map((e) => theta.map((x, i) => x - e[i]))];
    // (2) fitness
    const returns = await fitness(members, g);
    if (returns.length !== o.population || returns.some((r) => !Number.isFinite(r))) throw new Error(`ES generation ${g}: expected ${o.population} finite returns`);
    // (3–4) rank-centred search gradient; member k + P/2 carries −εₖ
    const u = centredRanks(returns);
    const grad = new Float64Array(n);
    for (let k = 0; k < half; k++) {
      const w = u[k] - u[k + half];
      for (let i = 0; i < n; i++) grad[i] += w * eps[k][i];
    }
    // (5) descent direction −ĝ, clipped, then Adam
    for (let i = 0; i < n; i++) grad[i] = Math.min(o.clip, Math.max(-o.clip, -grad[i] / (o.population * o.sigma)));
    adam.step(theta, grad);
    await onGeneration({ generation: g, returns, theta: Float64Array.from(theta) });
  }
  return theta;
}
