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
 *
 * Latency (activity.ts): in a circuit without noise, once few nodes are moving, a step skips
 * the nodes that have been still for a few steps. It updates the history and junction currents
 * only at moving nodes, and solves for the change of φ caused by the change of the right-hand
 * side, φ(n+1) = φ(n) + A⁻¹·Δrhs, with a sparse solve that keeps changes above 1e-12 rad. The
 * chord iteration then runs on the junctions at nodes that moved. On ex_jtl_string (one pulse
 * on 2,006 junctions) most steps touch a few dozen of its 8,022 unknowns.
 */
import { RunFailure } from '../core/errors';
import type { Rng } from '../core/rng';
import { where, type Circuit } from './circuit';
import { Activity, quietAt } from './activity';
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
  /** Skip the nodes at rest when few move (default true; see the file comment). */
  latency?: boolean;
}

export interface TransientStats {
  steps: number;
  solves: number;
  newtonSteps: number;
  factorizations: number;
  unknowns: number;
  junctions: number;
  factorNonzeros: number;
  /** Steps that updated only the moving part of the circuit. */
  latentSteps: number;
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
  // Latency (absent with noise): which slots move, stored branch history currents, last source
  // values, the sparse right-hand side and its rows, the step's moved slots and junctions.
  private readonly act: Activity | undefined;
  private readonly ih: Float64Array;
  private readonly waveLast: Float64Array;
  private readonly phaseLast: Float64Array;
  private readonly changed: Int32Array;
  private nChanged = 0;
  private readonly dr: Float64Array;
  private readonly rows: Int32Array;
  private nRows = 0;
  private readonly rowMark: Int32Array;
  private readonly live: Int32Array;
  private readonly moved: Int32Array;
  private nMoved = 0;
  private readonly slotMark: Int32Array;
  private readonly jset: Int32Array;
  private nJ = 0;
  private readonly jjMark: Int32Array;
  private readonly dynMark: Int32Array;
  private mark = 0;
  private readonly floor = (k: number) => quietAt(this.phi[k]);

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
    this.stats = { steps: 0, solves: 0, newtonSteps: 0, factorizations: 1, unknowns: this.sys.nU, junctions: nj, factorNonzeros: this.sys.ldl.nnz, latentSteps: 0 };
    const noisy = this.noise.p.length > 0 || waves.some((w) => w.kind === 'noise');
    this.act = noisy || opts.latency === false ? undefined : new Activity(this.sys, waves.length);
    this.ih = new Float64Array(this.sys.dyn.p.length);
    this.waveLast = Float64Array.from(this.bank.values);
    this.phaseLast = Float64Array.from(this.bank.phases);
    this.changed = new Int32Array(waves.length);
    this.dr = new Float64Array(this.sys.nU);
    [this.rows, this.rowMark, this.live] = [new Int32Array(this.sys.nU), new Int32Array(this.sys.nU), new Int32Array(this.sys.nU)];
    [this.moved, this.slotMark] = [new Int32Array(n), new Int32Array(n)];
    [this.jset, this.jjMark, this.dynMark] = [new Int32Array(nj), new Int32Array(nj), new Int32Array(this.sys.dyn.p.length)];
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
    const t = (this.step + 1) * this.h;
    this.bank.advance(t);
    const act = this.act;
    // Latent only when few slots move and no source moved a tied node (then psi is unchanged).
    if (!(act && act.count <= this.sys.nSlots / 8 && this.sourcesChanged() && this.latentStep())) this.fullStep(t);
    this.waveLast.set(this.bank.values);
    this.phaseLast.set(this.bank.phases);
    this.step++;
    this.stats.steps++;
    this.recorder.record(this.step, t, this.views);
    // Rotate: n+1 becomes n; v(n) becomes v(n−1).
    const { phi, phi1, phi2, v, v1 } = this;
    this.phi2 = phi1;
    this.phi1 = phi;
    this.phi = this.phiNew;
    this.phiNew = this.views.phi = phi2;
    this.v1 = v;
    this.v = v1;
  }

  /** Lists the waveforms whose value changed this step; false if one of them sets a tied node. */
  private sourcesChanged(): boolean {
    const { values, phases } = this.bank;
    this.nChanged = 0;
    for (let w = 0; w < values.length; w++) {
      if (this.act!.movesTies[w] && (values[w] !== this.waveLast[w] || phases[w] !== this.phaseLast[w])) return false;
      if (values[w] !== this.waveLast[w]) this.changed[this.nChanged++] = w;
    }
    return true;
  }

  /** Every slot: history, tied phases, the right-hand side, then chord (or Newton). */
  private fullStep(t: number): void {
    const { sys, h, bank, psi, phi, phi1, phi2, v, v1, B, M, phiNew, act } = this;
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
    const ihs = this.ih;
    for (let b = 0; b < dp.length; b++) {
      const p = dp[b], q = dq[b];
      const ih = (ihs[b] = kB[b] * (B[p] - B[q]) + kM[b] * (M[p] - M[q]));
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
    const chord = this.chord();
    if (!chord) this.newton(t);
    if (!act) return;
    // Hold still what moved less than QUIET, so that a node at rest is exactly at rest.
    for (let i = 0; i < nU; i++) if (Math.abs(phiNew[i] - phi[i]) <= quietAt(phi[i])) phiNew[i] = phi[i];
    this.applyTied(phiNew);
    // After Newton, φ solves the Newton system, not A·φ = rhs: the next steps are full ones.
    if (chord) act.updateAll(phi, phiNew);
    else act.all();
  }

  /**
   * A step over the moving part only (see the file comment); false if its chord iteration
   * stalls, and the caller redoes the step in full (everything this wrote is recomputed there).
   */
  private latentStep(): boolean {
    const act = this.act!;
    const { sys, h, phi, phi1, phi2, v, v1, B, M, phiNew, psi, theta, ih, jset } = this;
    const { p: jp, q: jq } = sys.jj;
    const eq = sys.eqOf;
    const nU = sys.nU;
    const g = sys.groundSlot;
    const inv2h = 1 / (2 * h);
    const stamp = ++this.mark;
    this.nMoved = 0;
    this.nJ = 0;
    this.nRows = 0;
    // 1. History and prediction at the moving slots (the others hold their steady values).
    const { list, count } = act;
    for (let a = 0; a < count; a++) {
      const i = list[a];
      const p0 = phi[i], p1 = phi1[i], p2 = phi2[i];
      const vn = GAMMA * (3 * p0 - 4 * p1 + p2) * inv2h;
      B[i] = (4 * p0 - p1) * inv2h;
      M[i] = (4 * vn - v1[i]) * inv2h;
      v[i] = vn;
      if (i < nU) phiNew[i] = 3 * p0 - 3 * p1 + p2;
    }
    this.tieMoving(phiNew);
    // 2. The change of the right-hand side: branch histories, sources, junction currents.
    const { p: dp, q: dq, kB, kM } = sys.dyn;
    for (let a = 0; a < count; a++) {
      const i = list[a];
      for (let e = act.dynAt.ptr[i]; e < act.dynAt.ptr[i + 1]; e++) {
        const b = act.dynAt.idx[e];
        if (this.dynMark[b] === stamp) continue;
        this.dynMark[b] = stamp;
        const p = dp[b], q = dq[b];
        const now = kB[b] * (B[p] - B[q]) + kM[b] * (M[p] - M[q]);
        const d = now - ih[b];
        if (d === 0) continue;
        ih[b] = now;
        this.addRhs(eq[p], d);
        this.addRhs(eq[q], -d);
      }
    }
    const { values } = this.bank;
    for (let c = 0; c < this.nChanged; c++) {
      const w = this.changed[c];
      const d = values[w] - this.waveLast[w];
      for (let e = act.isrcOf.ptr[w]; e < act.isrcOf.ptr[w + 1]; e++) {
        const k = act.isrcOf.idx[e];
        this.addRhs(eq[sys.isrc.p[k]], -d);
        this.addRhs(eq[sys.isrc.q[k]], d);
      }
    }
    for (let a = 0; a < count; a++) this.joinJunctions(list[a], stamp, phiNew);
    for (let k = 0; k < this.nJ; k++) this.reevaluate(jset[k]);
    // 3. φ(n+1) = φ(n) + A⁻¹·Δrhs: moving slots restart from φ(n), then take the change.
    for (let a = 0; a < count; a++) {
      const i = list[a];
      if (i < nU) phiNew[i] = phi[i];
      this.see(i, stamp);
    }
    this.tieMoving(phiNew);
    // 4. Chord iteration (as in `chord`) on the junctions at moved slots.
    const r = sys.jjR;
    let last = Infinity;
    for (let it = 0; it < this.maxChord; it++) {
      this.solveChange(stamp);
      let err = 0;
      for (let k = 0; k < this.nJ; k++) {
        const j = jset[k];
        const lin = phiNew[jp[j]] - phiNew[jq[j]];
        const rg = r[j] * this.slope[j];
        const e = Math.abs(lin - theta[j]) * Math.max(Math.abs(rg / (1 + rg)), 0.01);
        if (!(e <= err)) err = e;
        theta[j] = rg > -0.5 ? (lin + rg * theta[j]) / (1 + rg) : lin;
      }
      if (err <= this.tol) break;
      if ((!(err < 0.7 * last) && it >= 2) || it === this.maxChord - 1) {
        for (let k = 0; k < this.nRows; k++) this.dr[this.rows[k]] = 0;
        return false;
      }
      last = err;
      for (let k = 0; k < this.nJ; k++) this.reevaluate(jset[k]);
    }
    // 5. Hold still what moved less than QUIET; count how long each slot has been still.
    const { moved, nMoved } = this;
    for (let a = 0; a < nMoved; a++) {
      const i = moved[a];
      if (i < nU && Math.abs(phiNew[i] - phi[i]) <= quietAt(phi[i])) phiNew[i] = phi[i];
    }
    for (let a = 0; a < nMoved; a++) {
      const i = moved[a], k = act.tiedEntry[i];
      if (k >= 0) phiNew[i] = (sys.tied.root[k] === g ? 0 : phiNew[sys.tied.root[k]]) + psi[i];
    }
    act.update(phi, phiNew, moved, nMoved);
    this.stats.latentSteps++;
    return true;
  }

  /** Tied slots among the moving ones follow their roots. */
  private tieMoving(x: Float64Array): void {
    const act = this.act!;
    const { root } = this.sys.tied;
    const g = this.sys.groundSlot;
    for (let a = 0; a < act.count; a++) {
      const i = act.list[a], k = act.tiedEntry[i];
      if (k >= 0) x[i] = (root[k] === g ? 0 : x[root[k]]) + this.psi[i];
    }
  }

  private addRhs(row: number, d: number): void {
    if (row < 0) return;
    if (this.rowMark[row] !== this.mark) {
      this.rowMark[row] = this.mark;
      this.rows[this.nRows++] = row;
    }
    this.dr[row] += d;
  }

  /** A slot moved this step: note it, and bring its junctions into the iteration. */
  private see(i: number, stamp: number): void {
    if (this.slotMark[i] === stamp) return;
    this.slotMark[i] = stamp;
    this.moved[this.nMoved++] = i;
    this.joinJunctions(i, stamp, this.phi);
  }

  /** Junctions at slot i join the iteration at phase θ taken from `at` (prediction, or φ(n) if they join later). */
  private joinJunctions(i: number, stamp: number, at: Float64Array): void {
    const act = this.act!;
    const { p: jp, q: jq } = this.sys.jj;
    for (let e = act.jjAt.ptr[i]; e < act.jjAt.ptr[i + 1]; e++) {
      const j = act.jjAt.idx[e];
      if (this.jjMark[j] === stamp) continue;
      this.jjMark[j] = stamp;
      this.jset[this.nJ++] = j;
      this.theta[j] = at[jp[j]] - at[jq[j]];
    }
  }

  /** Re-evaluate junction j at θ if it moved (or is above the gap); its current change goes to Δrhs. */
  private reevaluate(j: number): void {
    const th = this.theta[j];
    if (!this.qpOn[j] && Math.abs(th - this.evalAt[j]) < REUSE) return;
    const before = this.cur[j];
    this.evalJunction(j, th);
    const d = this.cur[j] - before;
    if (d === 0) return;
    const eq = this.sys.eqOf;
    this.addRhs(eq[this.sys.jj.p[j]], -d);
    this.addRhs(eq[this.sys.jj.q[j]], d);
  }

  /** Solve A·δ = Δrhs (sparse) and add δ to φ(n+1); the slots it moves (and their tied nodes) join. */
  private solveChange(stamp: number): void {
    const { dr, phiNew, live, sys } = this;
    const act = this.act!;
    const n = sys.ldl.solveSparse(dr, this.rows, this.nRows, this.floor, live);
    this.stats.solves++;
    this.nRows = 0;
    this.mark++; // new rows for the next right-hand side
    const g = sys.groundSlot;
    for (let a = 0; a < n; a++) {
      const i = live[a];
      phiNew[i] += dr[i];
      dr[i] = 0;
      this.see(i, stamp);
      for (let e = act.tiedAt.ptr[i]; e < act.tiedAt.ptr[i + 1]; e++) {
        const k = act.tiedAt.idx[e], c = sys.tied.child[k];
        phiNew[c] = (i === g ? 0 : phiNew[i]) + this.psi[c];
        this.see(c, stamp);
      }
    }
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
