/**
 * The transient solver: fixed-step BDF2 in phase mode (equations in system.ts).
 *
 * Each step: evaluate sources, form the known history currents, predict the new phases by
 * quadratic extrapolation, then iterate on the junction nonlinearity with the matrix that
 * was factored once: a chord (modified-Newton) iteration in which only junction currents
 * move to the right-hand side, plus a per-junction Newton correction through the junction's
 * self-impedance r (see `chord`). The iteration stops when the estimated error of every
 * junction phase, |r·g/(1+r·g)|·|θ_lin − θ|, is below `tol`. If it stalls (large steps, a
 * junction driven across its gap) the step is redone with full Newton — the matrix plus each
 * junction's Ic·cos φ and quasiparticle slope, refactored per iteration. A step that still
 * does not converge, or a non-finite phase, stops the run with a RunFailure naming the time,
 * the junction and its netlist line. Nothing is allocated per step.
 */
import { RunFailure } from '../core/errors';
import type { Rng } from '../core/rng';
import { where, type Circuit } from './circuit';
import { qpExcess } from './junction';
import { addNoise, noiseSources, type NoiseSources } from './noise';
import { ProbeRecorder, type ProbeViews } from './probes';
import { GAMMA } from './netlist/expr';
import { buildSystem, type PhaseSystem } from './system';
import { SourceBank, type Waveform } from './waveforms';

export interface TransientOptions {
  rng: Rng;
  /** Largest estimated error of a junction phase at acceptance, rad (default 1e-4). */
  tol?: number;
  /** Chord iterations before falling back to full Newton. */
  maxChord?: number;
  /** Full-Newton iterations before giving up. */
  maxNewton?: number;
  /** Record probes (default true). */
  record?: boolean;
}

export interface TransientStats {
  steps: number;
  solves: number;
  newtonSteps: number;
  factorizations: number;
  unknowns: number;
  junctions: number;
  factorNonzeros: number;
}

/** Junction phases that moved less than this keep their last current evaluation. */
const REUSE = 1e-11;

export class Transient {
  readonly sys: PhaseSystem;
  readonly recorder: ProbeRecorder;
  readonly stats: TransientStats;
  /** Steps taken so far (time = step·h). */
  step = 0;
  private readonly h: number;
  private readonly alpha: number;
  private readonly bank: SourceBank;
  private readonly noise: NoiseSources;
  // Rotating history: phases at n+1 (new), n, n−1, n−2; voltages at n and n−1.
  private phiNew: Float64Array;
  private phi: Float64Array;
  private phi1: Float64Array;
  private phi2: Float64Array;
  private v: Float64Array;
  private v1: Float64Array;
  private readonly B: Float64Array;
  private readonly M: Float64Array;
  private readonly psi: Float64Array;
  private readonly rhs0: Float64Array;
  private readonly rhs: Float64Array;
  /** Per junction: the iterate θ, where its current was last evaluated, that current and its slope. */
  private readonly theta: Float64Array;
  private readonly evalAt: Float64Array;
  /** 1 where the last evaluation used the quasiparticle branch beyond the subgap (then it depends on v, not θ alone). */
  private readonly qpOn: Uint8Array;
  private readonly cur: Float64Array;
  private readonly slope: Float64Array;
  private readonly newtonDiag: Float64Array;
  private readonly newtonLow: Float64Array;
  private readonly qp = { i: 0, g: 0 };
  private readonly views: ProbeViews;
  private readonly tol: number;
  private readonly maxChord: number;
  private readonly maxNewton: number;

  constructor(readonly circuit: Circuit, opts: TransientOptions) {
    const { h } = circuit.tran;
    this.h = h;
    this.alpha = 3 / (2 * h);
    this.tol = opts.tol ?? 1e-4;
    this.maxChord = opts.maxChord ?? 30;
    this.maxNewton = opts.maxNewton ?? 40;
    // Sources: identical deterministic waveforms share one slot in the bank.
    const waves: Waveform[] = [];
    const needsPhase: boolean[] = [];
    const key = new Map<string, number>();
    const waveOf = new Map<number, number>();
    circuit.elements.forEach((e, i) => {
      if (!e.wave) return;
      const k = e.wave.kind === 'noise' ? `#${i}` : `${e.type}${JSON.stringify(e.wave)}`;
      let w = key.get(k);
      if (w === undefined) {
        key.set(k, (w = waves.length));
        waves.push(e.wave);
        needsPhase.push(e.type === 'V');
      }
      waveOf.set(i, w);
    });
    this.bank = new SourceBank(waves, needsPhase, opts.rng.fork('sources'));
    this.sys = buildSystem(circuit, h, { waveOf });
    this.noise = noiseSources(circuit, this.sys.slotOf, h, opts.rng.fork('johnson'));
    const n = this.sys.nSlots;
    const nj = this.sys.jj.p.length;
    [this.phiNew, this.phi, this.phi1, this.phi2, this.v, this.v1, this.B, this.M, this.psi] = Array.from({ length: 9 }, () => new Float64Array(n));
    [this.rhs0, this.rhs, this.newtonDiag] = Array.from({ length: 3 }, () => new Float64Array(this.sys.nU));
    [this.theta, this.evalAt, this.cur, this.slope] = Array.from({ length: 4 }, () => new Float64Array(nj));
    this.evalAt.fill(NaN); // nothing evaluated yet
    this.qpOn = new Uint8Array(nj);
    this.newtonLow = new Float64Array(this.sys.ldl.nnz);
    this.stats = { steps: 0, solves: 0, newtonSteps: 0, factorizations: 1, unknowns: this.sys.nU, junctions: nj, factorNonzeros: this.sys.ldl.nnz };
    this.views = { phi: this.phiNew, B: this.B, M: this.M, alpha: this.alpha, bank: this.bank, noise: this.noise };
    this.recorder = new ProbeRecorder(circuit, this.sys, waveOf, opts.record ?? true, this.noise.elem);
    this.recorder.record(0, 0, this.views);
  }

  get done(): boolean {
    return this.step >= this.circuit.tran.steps;
  }

  get time(): number {
    return this.step * this.h;
  }

  /** Take up to `count` steps (fewer at the end). */
  advance(count: number): void {
    const end = Math.min(this.circuit.tran.steps, this.step + count);
    while (this.step < end) this.takeStep();
  }

  private takeStep(): void {
    const { sys, h, bank, psi, phi, phi1, phi2, v, v1, B, M, phiNew } = this;
    const t = (this.step + 1) * h;
    bank.advance(t);
    const { child, parent, termEnd, wave, coef, isValue } = sys.tied;
    for (let k = 0, t = 0; k < child.length; k++) {
      let s = psi[parent[k]];
      for (; t < termEnd[k]; t++) s += coef[t] * (isValue[t] ? bank.values[wave[t]] : bank.phases[wave[t]]);
      psi[child[k]] = s;
    }
    // History per slot: v(n) from the BDF2 difference, B and M, and the predicted phase.
    const inv2h = 1 / (2 * h);
    const nU = sys.nU;
    for (let i = 0; i < sys.nSlots; i++) {
      const p0 = phi[i], p1 = phi1[i], p2 = phi2[i];
      const vn = GAMMA * (3 * p0 - 4 * p1 + p2) * inv2h;
      B[i] = (4 * p0 - p1) * inv2h;
      M[i] = (4 * vn - v1[i]) * inv2h;
      v[i] = vn;
      if (i < nU) phiNew[i] = 3 * p0 - 3 * p1 + p2;
    }
    this.applyTied(phiNew);
    // Known currents: history of R, C and junction branches, voltage-source offsets, sources.
    const rhs0 = this.rhs0;
    rhs0.fill(0);
    const eq = sys.eqOf;
    const { p: dp, q: dq, kB, kM } = sys.dyn;
    for (let b = 0; b < dp.length; b++) {
      const p = dp[b], q = dq[b];
      const ih = kB[b] * (B[p] - B[q]) + kM[b] * (M[p] - M[q]);
      const ep = eq[p], eq2 = eq[q];
      if (ep >= 0) rhs0[ep] += ih;
      if (eq2 >= 0) rhs0[eq2] -= ih;
    }
    const pt = sys.psiTerms;
    for (let k = 0; k < pt.g.length; k++) {
      const i = pt.g[k] * (psi[pt.cp[k]] - psi[pt.cq[k]]);
      if (eq[pt.rp[k]] >= 0) rhs0[eq[pt.rp[k]]] -= i;
      if (eq[pt.rq[k]] >= 0) rhs0[eq[pt.rq[k]]] += i;
    }
    const is = sys.isrc;
    for (let k = 0; k < is.p.length; k++) {
      const i = bank.values[is.wave[k]];
      const ep = eq[is.p[k]], eq2 = eq[is.q[k]];
      if (ep >= 0) rhs0[ep] -= i;
      if (eq2 >= 0) rhs0[eq2] += i;
    }
    addNoise(this.noise, eq, rhs0);
    if (!this.chord()) this.newton(t);
    this.step++;
    this.stats.steps++;
    this.recorder.record(this.step, t, this.views);
    // Rotate: n+1 becomes n; v(n) becomes v(n−1).
    this.phi2 = phi1;
    this.phi1 = phi;
    this.phi = phiNew;
    this.phiNew = this.views.phi = phi2;
    this.v1 = v;
    this.v = v1;
  }

  private applyTied(x: Float64Array): void {
    const { root, child } = this.sys.tied;
    const g = this.sys.groundSlot;
    for (let k = 0; k < child.length; k++) x[child[k]] = (root[k] === g ? 0 : x[root[k]]) + this.psi[child[k]];
  }

  /** Current and slope dI/dθ of junction j at phase th (quasiparticle part from its voltage). */
  private evalJunction(j: number, th: number): void {
    const J = this.sys.jj.inst[j];
    const arg = J.cpr * th - J.phi;
    let i = J.ic * Math.sin(arg);
    let g = J.ic * J.cpr * Math.cos(arg);
    let on = 0;
    if (!J.linear) {
      const p = this.sys.jj.p[j], q = this.sys.jj.q[j];
      const vj = GAMMA * (this.alpha * th - (this.B[p] - this.B[q]));
      if (vj > J.v1 || vj < -J.v1) {
        qpExcess(J, vj, this.qp);
        i += this.qp.i;
        g += this.qp.g * GAMMA * this.alpha;
        on = 1;
      }
    }
    this.qpOn[j] = on;
    this.evalAt[j] = th;
    this.cur[j] = i;
    this.slope[j] = g;
  }

  /**
   * Chord iteration with a per-junction Newton correction. A solve with currents evaluated
   * at θᵏ gives the linear response θ_lin; a junction seeing its own current change through
   * its self-impedance r satisfies θ* ≈ θ_lin − r·g·(θ* − θᵏ), so the next iterate is
   * (θ_lin + r·g·θᵏ)/(1 + r·g). What is left is the weak coupling between junctions, so a
   * switching step converges in two or three solves. Junctions that did not move keep their
   * current, and the right-hand side is updated only where a current changed.
   */
  private chord(): boolean {
    const { sys, rhs, rhs0, phiNew, theta, cur, slope } = this;
    const { p: jp, q: jq } = sys.jj;
    const eq = sys.eqOf;
    const r = sys.jjR;
    rhs.set(rhs0);
    const { evalAt, qpOn } = this;
    for (let j = 0; j < theta.length; j++) {
      const th = (theta[j] = phiNew[jp[j]] - phiNew[jq[j]]);
      // A junction at rest (same phase, subgap) has the same current as last step: skip sin/cos.
      if (qpOn[j] || !(Math.abs(th - evalAt[j]) < REUSE)) this.evalJunction(j, th);
      const ep = eq[jp[j]], eq2 = eq[jq[j]];
      if (ep >= 0) rhs[ep] -= cur[j];
      if (eq2 >= 0) rhs[eq2] += cur[j];
    }
    let last = Infinity;
    for (let it = 0; it < this.maxChord; it++) {
      phiNew.set(rhs); // the unknowns are slots 0..nU-1
      sys.ldl.solve(phiNew);
      this.stats.solves++;
      this.applyTied(phiNew);
      let err = 0;
      for (let j = 0; j < theta.length; j++) {
        const lin = phiNew[jp[j]] - phiNew[jq[j]];
        const rg = r[j] * slope[j];
        const e = Math.abs(lin - theta[j]) * Math.max(Math.abs(rg / (1 + rg)), 0.01);
        if (!(e <= err)) err = e; // also catches NaN
        theta[j] = rg > -0.5 ? (lin + rg * theta[j]) / (1 + rg) : lin;
      }
      if (err <= this.tol) return true;
      if (!(err < 0.7 * last) && it >= 2) return false; // stalled or diverging
      last = err;
      // Re-evaluate the junctions that moved; patch the right-hand side by the change.
      for (let j = 0; j < theta.length; j++) {
        const th = theta[j];
        if (!qpOn[j] && Math.abs(th - evalAt[j]) < REUSE) continue;
        const before = cur[j];
        this.evalJunction(j, th);
        const d = cur[j] - before;
        const ep = eq[jp[j]], eq2 = eq[jq[j]];
        if (ep >= 0) rhs[ep] -= d;
        if (eq2 >= 0) rhs[eq2] += d;
      }
    }
    return false;
  }

  private newton(t: number): void {
    const { sys, rhs, rhs0, phiNew, phi, phi1, phi2, theta, cur, slope } = this;
    const { p: jp, q: jq } = sys.jj;
    const { dp, dq, off } = sys.jjStamp;
    this.stats.newtonSteps++;
    for (let i = 0; i < sys.nU; i++) phiNew[i] = 3 * phi[i] - 3 * phi1[i] + phi2[i]; // restart from the prediction
    this.applyTied(phiNew);
    let delta = Infinity, at = -1;
    for (let it = 0; it < this.maxNewton; it++) {
      this.newtonDiag.set(sys.ldl.aDiag);
      this.newtonLow.set(sys.ldl.aLow);
      rhs.set(rhs0);
      for (let j = 0; j < theta.length; j++) {
        theta[j] = phiNew[jp[j]] - phiNew[jq[j]];
        this.evalJunction(j, theta[j]);
        const g = slope[j];
        const i = cur[j] - g * theta[j]; // i(θ*) ≈ i(θ) + g·(θ* − θ)
        if (dp[j] >= 0) (this.newtonDiag[dp[j]] += g), (rhs[dp[j]] -= i);
        if (dq[j] >= 0) (this.newtonDiag[dq[j]] += g), (rhs[dq[j]] += i);
        if (off[j] >= 0) this.newtonLow[off[j]] -= g;
      }
      const bad = sys.ldl.factor(this.newtonDiag, this.newtonLow);
      this.stats.factorizations++;
      if (bad >= 0) break;
      phiNew.set(rhs); // the unknowns are slots 0..nU-1
      sys.ldl.solve(phiNew);
      this.stats.solves++;
      this.applyTied(phiNew);
      delta = 0;
      for (let j = 0; j < theta.length; j++) {
        const d = Math.abs(phiNew[jp[j]] - phiNew[jq[j]] - theta[j]);
        if (!(d <= delta)) (delta = d), (at = j);
      }
      if (!Number.isFinite(delta)) break;
      if (delta <= this.tol) {
        sys.ldl.factor(); // back to the constant matrix for the next steps
        this.stats.factorizations++;
        return;
      }
    }
    const j = at >= 0 ? this.circuit.elements[sys.jj.elem[at]] : undefined;
    throw new RunFailure(
      `transient: the solver did not converge at t = ${(t * 1e12).toPrecision(6)} ps (step ${this.step + 1} of ${this.circuit.tran.steps})` +
        (j ? `: junction ${j.name} (${where(j)}) ${Number.isFinite(delta) ? `still moved ${delta.toExponential(2)} rad in the last Newton iteration` : 'reached a non-finite phase'}` : '') +
        `. Try a smaller .tran time step (now ${(this.h * 1e12).toPrecision(4)} ps).`,
    );
  }
}
