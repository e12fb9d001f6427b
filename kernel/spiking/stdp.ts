/**
 * Pair-based spike-timing-dependent plasticity on one projection (Song, Miller & Abbott 2000;
 * Morrison, Diesmann & Gerstner 2008 for the pairing schemes). With Δt = t_post − t_pre:
 *
 *   Δt ≥ 0 (pre then post):  w ← w + A+ · e^(−Δt/τ+) · F+(w)     potentiation
 *   Δt < 0 (post then pre):  w ← w − A− · e^(Δt/τ−) · F−(w)      depression (PyNN sign: A− > 0
 *                                                                 depresses; A− < 0 potentiates)
 *   additive:        F+ = 1,            F− = 1
 *   multiplicative:  F+ = w_max − w,    F− = w − w_min
 *   then w ← clip(w, w_min, w_max)
 *
 * Which pairs count:
 *   all-to-all          every pre spike with every post spike: per-neuron traces
 *                       x_i ← x_i·e^(−Δ/τ+) + 1 at pre spikes, y_j likewise at post spikes
 *   nearest             each post pairs with the latest pre before it, each pre with the
 *                       latest post before it (symmetric nearest-neighbour, Morrison Fig. 7A)
 *   nearest-restricted  as nearest, but only immediate neighbours: a pre pairs with the latest
 *                       post only if no other pre came between them, and vice versa (Fig. 7C)
 * `windowMs` drops pairs further apart (nearest schemes only), like a lookup table that ends.
 *
 * Timing with a synaptic delay d: 'axonal' (Brian2) times the pre spike at its arrival and the
 * post spike when it happens; 'dendritic' (NEST, sPyNNaker) times the pre spike when it is
 * emitted and the post spike when it has travelled back to the synapse, d later. The engine
 * calls onPre/onPost at those times; within one step pre events come before post events, so
 * simultaneous spikes count as pre-then-post (Δt = 0), as in Brian2.
 */
export interface StdpParams {
  pairing: 'all-to-all' | 'nearest' | 'nearest-restricted';
  weightDependence: 'additive' | 'multiplicative';
  tauPlusMs: number;
  tauMinusMs: number;
  aPlus: number;
  aMinus: number;
  wMin: number;
  wMax: number;
  timing: 'axonal' | 'dendritic';
  windowMs: number;
}

/** The synapse table the rule updates; columns index the synapses onto each post neuron. */
export interface PlasticTable {
  w: Float64Array;
  rowStart: Int32Array;
  target: Int32Array;
  colStart: Int32Array;
  colSyn: Int32Array;
  preOf: Int32Array;
}

const NEVER = -(2 ** 30);

/** e^(−k·dt/τ) for whole steps k < table length (the common short gaps); longer gaps use Math.exp. */
function decayTable(dtOverTau: number): Float64Array {
  const len = Math.min(1 << 16, Math.ceil(40 / dtOverTau) + 1);
  return Float64Array.from({ length: len }, (_, k) => Math.exp(-k * dtOverTau));
}

export class Stdp {
  private readonly x: Float64Array;
  private readonly lastPre: Int32Array;
  private readonly y: Float64Array;
  private readonly lastPost: Int32Array;
  // Decay tables, read inline in the loops below. No allocation per spike: the loops avoid
  // helpers returning doubles and clip with Math.min/max (a ternary mixing a bound that is an
  // integer, like w_min = 0, with a double makes V8 box the result on every update).
  private readonly plus: Float64Array;
  private readonly minus: Float64Array;
  private readonly plusRate: number;
  private readonly minusRate: number;
  private readonly windowSteps: number;

  constructor(readonly p: StdpParams, private readonly t: PlasticTable, nPre: number, nPost: number, dtMs: number) {
    this.x = new Float64Array(nPre);
    this.lastPre = new Int32Array(nPre).fill(NEVER);
    this.y = new Float64Array(nPost);
    this.lastPost = new Int32Array(nPost).fill(NEVER);
    this.plusRate = dtMs / p.tauPlusMs;
    this.minusRate = dtMs / p.tauMinusMs;
    this.plus = decayTable(this.plusRate);
    this.minus = decayTable(this.minusRate);
    this.windowSteps = p.windowMs === Infinity ? Infinity : Math.floor((p.windowMs + 1e-9) / dtMs);
  }

  /** A presynaptic spike of neuron i reaches the rule at step n: depression. */
  onPre(i: number, n: number): void {
    const { w, rowStart, target } = this.t;
    const { aMinus, wMin, wMax } = this.p;
    const { plus, minus, plusRate, minusRate, lastPost } = this;
    const mult = this.p.weightDependence === 'multiplicative';
    if (this.p.pairing === 'all-to-all') {
      const gap = n - this.lastPre[i];
      this.x[i] = this.x[i] * (gap < plus.length ? plus[gap] : Math.exp(-gap * plusRate)) + 1; // x_i ← x_i·e^(−Δ/τ+) + 1
      this.lastPre[i] = n;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
        const j = target[k];
        if (lastPost[j] === NEVER) continue;
        const g = n - lastPost[j];
        const y = this.y[j] * (g < minus.length ? minus[g] : Math.exp(-g * minusRate)); // y_j(t) decayed
        const v = mult ? w[k] - aMinus * y * (w[k] - wMin) : w[k] - aMinus * y;
        w[k] = Math.min(wMax, Math.max(wMin, v));
      }
      return;
    }
    const restricted = this.p.pairing === 'nearest-restricted';
    const prevPre = this.lastPre[i];
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const post = lastPost[target[k]];
      const g = n - post;
      if (post === NEVER || g > this.windowSteps) continue;
      if (restricted && post < prevPre) continue; // another pre came after that post
      const y = g < minus.length ? minus[g] : Math.exp(-g * minusRate); // e^(Δt/τ−), Δt = t_post − t_pre ≤ 0
      const v = mult ? w[k] - aMinus * y * (w[k] - wMin) : w[k] - aMinus * y;
      w[k] = Math.min(wMax, Math.max(wMin, v));
    }
    this.lastPre[i] = n;
  }

  /** A postsynaptic spike of neuron j reaches the rule at step n: potentiation. */
  onPost(j: number, n: number): void {
    const { w, colStart, colSyn, preOf } = this.t;
    const { aPlus, wMin, wMax } = this.p;
    const { plus, minus, plusRate, minusRate, lastPre } = this;
    const mult = this.p.weightDependence === 'multiplicative';
    if (this.p.pairing === 'all-to-all') {
      const gap = n - this.lastPost[j];
      this.y[j] = this.y[j] * (gap < minus.length ? minus[gap] : Math.exp(-gap * minusRate)) + 1; // y_j ← y_j·e^(−Δ/τ−) + 1
      this.lastPost[j] = n;
      for (let c = colStart[j]; c < colStart[j + 1]; c++) {
        const k = colSyn[c];
        const i = preOf[k];
        if (lastPre[i] === NEVER) continue;
        const g = n - lastPre[i];
        const x = this.x[i] * (g < plus.length ? plus[g] : Math.exp(-g * plusRate)); // x_i(t) decayed
        const v = mult ? w[k] + aPlus * x * (wMax - w[k]) : w[k] + aPlus * x;
        w[k] = Math.min(wMax, Math.max(wMin, v));
      }
      return;
    }
    const restricted = this.p.pairing === 'nearest-restricted';
    const prevPost = this.lastPost[j];
    for (let c = colStart[j]; c < colStart[j + 1]; c++) {
      const k = colSyn[c];
      const pre = lastPre[preOf[k]];
      const g = n - pre;
      if (pre === NEVER || g > this.windowSteps) continue;
      if (restricted && pre <= prevPost) continue; // another post came after that pre
      const x = g < plus.length ? plus[g] : Math.exp(-g * plusRate); // e^(−Δt/τ+)
      const v = mult ? w[k] + aPlus * x * (wMax - w[k]) : w[k] + aPlus * x;
      w[k] = Math.min(wMax, Math.max(wMin, v)); // clip to [w_min, w_max]
    }
    this.lastPost[j] = n;
  }

  clear(): void {
    this.x.fill(0);
    this.y.fill(0);
    this.lastPre.fill(NEVER);
    this.lastPost.fill(NEVER);
  }
}

/** Column index (synapses onto each post neuron) for a CSR table. */
export function columns(rowStart: Int32Array, target: Int32Array, nPost: number): { colStart: Int32Array; colSyn: Int32Array; preOf: Int32Array } {
  const nSyn = target.length;
  const colStart = new Int32Array(nPost + 1);
  for (let k = 0; k < nSyn; k++) colStart[target[k] + 1]++;
  for (let j = 0; j < nPost; j++) colStart[j + 1] += colStart[j];
  const fill = colStart.slice(0, nPost);
  const colSyn = new Int32Array(nSyn);
  const preOf = new Int32Array(nSyn);
  for (let i = 0; i + 1 < rowStart.length; i++) {
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      preOf[k] = i;
      colSyn[fill[target[k]]++] = k;
    }
  }
  return { colStart, colSyn, preOf };
}
