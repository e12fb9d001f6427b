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

/** e^(−k·dt/τ) for whole steps k, from a table for the common short gaps. */
class StepDecay {
  private readonly table: Float64Array;
  constructor(private readonly dtOverTau: number) {
    const len = Math.min(1 << 16, Math.ceil(40 / dtOverTau) + 1);
    this.table = new Float64Array(len);
    for (let k = 0; k < len; k++) this.table[k] = Math.exp(-k * dtOverTau);
  }
  at(k: number): number {
    return k < this.table.length ? this.table[k] : Math.exp(-k * this.dtOverTau);
  }
}

export class Stdp {
  private readonly x: Float64Array;
  private readonly lastPre: Int32Array;
  private readonly y: Float64Array;
  private readonly lastPost: Int32Array;
  private readonly plus: StepDecay;
  private readonly minus: StepDecay;
  private readonly windowSteps: number;

  constructor(readonly p: StdpParams, private readonly t: PlasticTable, nPre: number, nPost: number, dtMs: number) {
    this.x = new Float64Array(nPre);
    this.lastPre = new Int32Array(nPre).fill(NEVER);
    this.y = new Float64Array(nPost);
    this.lastPost = new Int32Array(nPost).fill(NEVER);
    this.plus = new StepDecay(dtMs / p.tauPlusMs);
    this.minus = new StepDecay(dtMs / p.tauMinusMs);
    this.windowSteps = p.windowMs === Infinity ? Infinity : Math.floor((p.windowMs + 1e-9) / dtMs);
  }

  /** A presynaptic spike of neuron i reaches the rule at step n: depression. */
  onPre(i: number, n: number): void {
    const { w, rowStart, target } = this.t;
    const { aMinus, wMin, wMax } = this.p;
    const mult = this.p.weightDependence === 'multiplicative';
    if (this.p.pairing === 'all-to-all') {
      this.x[i] = this.x[i] * this.plus.at(n - this.lastPre[i]) + 1; // x_i ← x_i·e^(−Δ/τ+) + 1
      this.lastPre[i] = n;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
        const j = target[k];
        if (this.lastPost[j] === NEVER) continue;
        const y = this.y[j] * this.minus.at(n - this.lastPost[j]); // y_j(t) decayed
        w[k] = clip(w[k] - aMinus * y * (mult ? w[k] - wMin : 1), wMin, wMax);
      }
      return;
    }
    const restricted = this.p.pairing === 'nearest-restricted';
    const prevPre = this.lastPre[i];
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const j = target[k];
      const post = this.lastPost[j];
      if (post === NEVER || n - post > this.windowSteps) continue;
      if (restricted && post < prevPre) continue; // another pre came after that post
      const y = this.minus.at(n - post); // e^(Δt/τ−), Δt = t_post − t_pre ≤ 0
      w[k] = clip(w[k] - aMinus * y * (mult ? w[k] - wMin : 1), wMin, wMax);
    }
    this.lastPre[i] = n;
  }

  /** A postsynaptic spike of neuron j reaches the rule at step n: potentiation. */
  onPost(j: number, n: number): void {
    const { w, colStart, colSyn, preOf } = this.t;
    const { aPlus, wMin, wMax } = this.p;
    const mult = this.p.weightDependence === 'multiplicative';
    if (this.p.pairing === 'all-to-all') {
      this.y[j] = this.y[j] * this.minus.at(n - this.lastPost[j]) + 1; // y_j ← y_j·e^(−Δ/τ−) + 1
      this.lastPost[j] = n;
      for (let c = colStart[j]; c < colStart[j + 1]; c++) {
        const k = colSyn[c];
        const i = preOf[k];
        if (this.lastPre[i] === NEVER) continue;
        const x = this.x[i] * this.plus.at(n - this.lastPre[i]); // x_i(t) decayed
        w[k] = clip(w[k] + aPlus * x * (mult ? wMax - w[k] : 1), wMin, wMax);
      }
      return;
    }
    const restricted = this.p.pairing === 'nearest-restricted';
    const prevPost = this.lastPost[j];
    for (let c = colStart[j]; c < colStart[j + 1]; c++) {
      const k = colSyn[c];
      const pre = this.lastPre[preOf[k]];
      if (pre === NEVER || n - pre > this.windowSteps) continue;
      if (restricted && pre <= prevPost) continue; // another post came after that pre
      const x = this.plus.at(n - pre); // e^(−Δt/τ+)
      w[k] = clip(w[k] + aPlus * x * (mult ? wMax - w[k] : 1), wMin, wMax);
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

function clip(w: number, lo: number, hi: number): number {
  return w < lo ? lo : w > hi ? hi : w;
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
