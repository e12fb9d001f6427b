/**
 * Circuit → the phase-mode nodal system, in typed arrays (modified nodal analysis with node
 * phases as unknowns; BDF2 with step h, α = 3/(2h), γ = Φ0/2π):
 *
 *   v(n+1)    = γ·(α·φ(n+1) − B),  B = (4φ(n) − φ(n−1))/(2h)    // BDF2 voltage from phase
 *   dv/dt     = α·v(n+1) − M,      M = (4v(n) − v(n−1))/(2h)    // BDF2 derivative of voltage
 *   i_branch  = G·θ − Ih                                          // θ = φp − φq (branch phase)
 *   G         = γα/R + γα²·C + γ/L                               // resistor, capacitor, inductor
 *   Ih        = γ(1/R + αC)·ΔB + C·ΔM                            // history current, known
 *   i_jj      = G(R0, C)·θ − Ih + Ic·sin(cpr·θ − phi) + Iqp_excess(v)  // RCSJ, nonlinear part
 *   i_mutual  = γ·(L⁻¹)·θ  for a group of coupled inductors        // K elements
 *
 * so each step solves A·φ = rhs with a constant matrix A (the linear conductances) and the
 * junction currents on the right. Voltage sources fix phase differences ψ = (2π/Φ0)∫V dt: a
 * node tied to another by voltage sources has no unknown of its own (its equation joins its
 * tree root's — a supernode), so A stays symmetric positive definite. Unknowns are numbered
 * in elimination order; tied nodes and ground come after them (`slot` numbering). Dangling
 * bias inductors are tied the same way (ties.ts).
 */
import { RunFailure } from '../core/errors';
import type { Circuit } from './circuit';
import type { JunctionInstance } from './junction';
import { GAMMA } from './netlist/expr';
import { minimumDegreeOrder, SparseLDL } from './sparse';
import { findTies } from './ties';

export interface PhaseSystem {
  /** Unknowns (free nodes); slots 0..nU-1. */
  nU: number;
  /** All node slots (unknowns, then ground and voltage-tied nodes). */
  nSlots: number;
  /** Slot of each circuit node. */
  slotOf: Int32Array;
  /** Circuit node of each slot. */
  nodeOf: Int32Array;
  /** Equation (unknown) a slot's currents go to: itself, its tree root, or -1 (ground). */
  eqOf: Int32Array;
  groundSlot: number;
  /**
   * Tied slots in tree order: psi[child] = psi[parent] + Σ coef·(value or phase of wave) over
   * the entry's terms (terms of entry k end at termEnd[k]).
   */
  tied: { child: Int32Array; parent: Int32Array; root: Int32Array; termEnd: Int32Array; wave: Int32Array; coef: Float64Array; isValue: Uint8Array };
  /** Branches with history currents (R, C, junctions): slots and coefficients of ΔB and ΔM. */
  dyn: { p: Int32Array; q: Int32Array; kB: Float64Array; kM: Float64Array };
  /** Linear current relations touching voltage-tied slots: i(rowP→rowQ) = g·(psi[colP] − psi[colQ]). */
  psiTerms: { rp: Int32Array; rq: Int32Array; cp: Int32Array; cq: Int32Array; g: Float64Array };
  jj: { p: Int32Array; q: Int32Array; elem: Int32Array; inst: JunctionInstance[] };
  /** Current sources (and noise): i flows p → q through the source. */
  isrc: { p: Int32Array; q: Int32Array; wave: Int32Array };
  /** Matrix (in `ldl.aDiag/aLow`), factored once. */
  ldl: SparseLDL;
  /** Where each junction's linear stamp lives, for the Newton matrix: diag slots and lower position. */
  jjStamp: { dp: Int32Array; dq: Int32Array; off: Int32Array };
  /** Each junction's self-impedance in phase units, (e_p − e_q)ᵀ·A⁻¹·(e_p − e_q), rad/A. */
  jjR: Float64Array;
  /** Inductive conductance per inductor element (γ/L, or the K group's diagonal); and coupled pairs. */
  inductorG: Map<number, number>;
  mutual: { a: number; b: number; g: number }[];
}

export interface SourceTable {
  /** Waveform index of each I/V element. */
  waveOf: Map<number, number>;
}

export function buildSystem(c: Circuit, h: number, sources: SourceTable): PhaseSystem {
  const nNodes = c.nodes.length;
  const alpha = 3 / (2 * h);
  // 1. Nodes tied to others by voltage sources and dangling bias inductors (ties.ts).
  const { rootOf, list: tiedList } = findTies(c, sources.waveOf);
  const isTied = (i: number) => i !== 0 && rootOf[i] >= 0 && rootOf[i] !== i;
  const eqNode = (i: number) => (rootOf[i] >= 0 ? (rootOf[i] === 0 ? -1 : rootOf[i]) : i === 0 ? -1 : i); // node whose equation i joins

  // 2. Linear conductance stamps in node numbering; K groups through the inverse inductance matrix.
  const branchG = new Map<number, number>(); // element → G
  const inductorG = new Map<number, number>();
  const mutual: { a: number; b: number; g: number }[] = [];
  c.elements.forEach((e, i) => {
    if (e.type === 'R') branchG.set(i, (GAMMA * alpha) / e.value);
    else if (e.type === 'C') branchG.set(i, GAMMA * alpha * alpha * e.value);
    else if (e.type === 'L') inductorG.set(i, GAMMA / e.value);
    else if (e.type === 'B') branchG.set(i, GAMMA * alpha * e.jj!.g0 + GAMMA * alpha * alpha * e.jj!.cap);
  });
  coupleInductors(c, inductorG, mutual);
  for (const [i, g] of inductorG) branchG.set(i, (branchG.get(i) ?? 0) + g);

  // 3. Ordering on the equation graph.
  const eqNodes: number[] = [];
  const eqIndex = new Int32Array(nNodes).fill(-1);
  for (let i = 1; i < nNodes; i++) if (eqNode(i) === i) eqIndex[i] = eqNodes.push(i) - 1;
  const nU = eqNodes.length;
  const adj = Array.from({ length: nU }, () => new Set<number>());
  const link = (a: number, b: number) => {
    const ea = eqNode(a), eb = eqNode(b);
    if (ea < 0 || eb < 0 || ea === eb) return;
    adj[eqIndex[ea]].add(eqIndex[eb]);
    adj[eqIndex[eb]].add(eqIndex[ea]);
  };
  for (const i of branchG.keys()) link(c.elements[i].n1, c.elements[i].n2);
  for (const m of mutual) {
    const A = c.elements[m.a], B = c.elements[m.b];
    for (const x of [A.n1, A.n2]) for (const y of [B.n1, B.n2]) link(x, y);
  }
  const { order, pattern } = minimumDegreeOrder(nU, adj);
  const newOfEq = new Int32Array(nU);
  order.forEach((old, k) => (newOfEq[old] = k));
  const ldl = new SparseLDL(nU, pattern.map((rows) => rows.map((r) => newOfEq[r])));

  // 4. Slots: unknowns in elimination order, then ground, then tied nodes.
  const slotOf = new Int32Array(nNodes).fill(-1);
  const nodeOf = new Int32Array(nNodes);
  for (let k = 0; k < nU; k++) {
    slotOf[eqNodes[order[k]]] = k;
    nodeOf[k] = eqNodes[order[k]];
  }
  let next = nU;
  const groundSlot = next;
  slotOf[0] = next;
  nodeOf[next++] = 0;
  for (let i = 1; i < nNodes; i++) if (slotOf[i] < 0) {
    slotOf[i] = next;
    nodeOf[next++] = i;
  }
  const eqOf = new Int32Array(nNodes);
  for (let i = 0; i < nNodes; i++) eqOf[slotOf[i]] = eqNode(i) < 0 ? -1 : slotOf[eqNode(i)];
  const terms = tiedList.flatMap((t) => t.terms);
  const termEnd = new Int32Array(tiedList.length);
  tiedList.forEach((t, k) => (termEnd[k] = (k ? termEnd[k - 1] : 0) + t.terms.length));
  const tied = {
    child: Int32Array.from(tiedList, (t) => slotOf[t.child]),
    parent: Int32Array.from(tiedList, (t) => slotOf[t.parent]),
    root: Int32Array.from(tiedList, (t) => slotOf[rootOf[t.child]]),
    termEnd,
    wave: Int32Array.from(terms, (t) => t.wave),
    coef: Float64Array.from(terms, (t) => t.coef),
    isValue: Uint8Array.from(terms, (t) => (t.kind === 'value' ? 1 : 0)),
  };

  // 5. Assemble A (lower storage) and the lists the time loop reads.
  const addSym = (sa: number, sb: number, v: number) => {
    const ea = eqOf[sa], eb = eqOf[sb];
    if (ea < 0 || eb < 0) return;
    if (ea === eb) ldl.aDiag[ea] += 2 * v;
    else ldl.aLow[ldl.position(ea, eb)] += v;
  };
  const addDiag = (s: number, v: number) => {
    if (eqOf[s] >= 0) ldl.aDiag[eqOf[s]] += v;
  };
  const psi: number[][] = [];
  const stampBranch = (p: number, q: number, g: number) => {
    addDiag(p, g);
    addDiag(q, g);
    addSym(p, q, -g);
    if ((isTied(nodeOf[p]) || isTied(nodeOf[q])) && eqOf[p] !== eqOf[q]) psi.push([p, q, p, q, g]);
  };
  for (const [i, g] of branchG) stampBranch(slotOf[c.elements[i].n1], slotOf[c.elements[i].n2], g);
  for (const m of mutual) {
    const [ap, aq] = [slotOf[c.elements[m.a].n1], slotOf[c.elements[m.a].n2]];
    const [bp, bq] = [slotOf[c.elements[m.b].n1], slotOf[c.elements[m.b].n2]];
    addSym(ap, bp, m.g);
    addSym(ap, bq, -m.g);
    addSym(aq, bp, -m.g);
    addSym(aq, bq, m.g);
    if ([ap, aq, bp, bq].some((s) => isTied(nodeOf[s]))) psi.push([ap, aq, bp, bq, m.g], [bp, bq, ap, aq, m.g]);
  }
  const dynList: [number, number, number, number][] = [];
  const jjList: number[] = [];
  const isrcList: [number, number, number][] = [];
  c.elements.forEach((e, i) => {
    const p = slotOf[e.n1], q = slotOf[e.n2];
    if (e.type === 'R') dynList.push([p, q, GAMMA / e.value, 0]);
    else if (e.type === 'C') dynList.push([p, q, GAMMA * alpha * e.value, e.value]);
    else if (e.type === 'B') {
      dynList.push([p, q, GAMMA * (e.jj!.g0 + alpha * e.jj!.cap), e.jj!.cap]);
      jjList.push(i);
    } else if (e.type === 'I') isrcList.push([p, q, sources.waveOf.get(i)!]);
  });
  const jjStamp = {
    dp: Int32Array.from(jjList, (i) => eqOf[slotOf[c.elements[i].n1]]),
    dq: Int32Array.from(jjList, (i) => eqOf[slotOf[c.elements[i].n2]]),
    off: Int32Array.from(jjList, (i) => {
      const a = eqOf[slotOf[c.elements[i].n1]], b = eqOf[slotOf[c.elements[i].n2]];
      return a >= 0 && b >= 0 && a !== b ? ldl.position(a, b) : -1;
    }),
  };
  const bad = ldl.factor();
  if (bad >= 0) throw new RunFailure(`the circuit matrix is singular at node ${c.nodes[nodeOf[bad]]} (line ${c.nodeAt[nodeOf[bad]].line}): check that it is connected to ground`);
  const z = ldl.selectedInverse();
  const jjR = Float64Array.from(jjList, (_, j) => {
    const a = jjStamp.dp[j], b = jjStamp.dq[j];
    if (a === b) return 0;
    if (a < 0) return z.diag[b];
    if (b < 0) return z.diag[a];
    return z.diag[a] + z.diag[b] - 2 * z.low[jjStamp.off[j]];
  });
  return {
    nU,
    nSlots: nNodes,
    slotOf,
    nodeOf,
    eqOf,
    groundSlot,
    tied,
    dyn: { p: col(dynList, 0, Int32Array), q: col(dynList, 1, Int32Array), kB: col(dynList, 2, Float64Array), kM: col(dynList, 3, Float64Array) },
    psiTerms: { rp: col(psi, 0, Int32Array), rq: col(psi, 1, Int32Array), cp: col(psi, 2, Int32Array), cq: col(psi, 3, Int32Array), g: col(psi, 4, Float64Array) },
    jj: { p: Int32Array.from(jjList, (i) => slotOf[c.elements[i].n1]), q: Int32Array.from(jjList, (i) => slotOf[c.elements[i].n2]), elem: Int32Array.from(jjList), inst: jjList.map((i) => c.elements[i].jj!) },
    isrc: { p: col(isrcList, 0, Int32Array), q: col(isrcList, 1, Int32Array), wave: col(isrcList, 2, Int32Array) },
    ldl,
    jjStamp,
    jjR,
    inductorG,
    mutual,
  };
}

function col<T extends Int32ArrayConstructor | Float64ArrayConstructor>(rows: number[][], k: number, ctor: T): InstanceType<T> {
  const out = new ctor(rows.length);
  rows.forEach((r, i) => (out[i] = r[k]));
  return out as InstanceType<T>;
}

/**
 * Coupled inductors: each connected group of K couplings gets the inverse of its inductance
 * matrix (L_ii = L_i, L_ij = k·√(L_i L_j)); diagonal terms replace γ/L, off-diagonal terms
 * couple branch pairs. A group whose inductance matrix is not positive definite is an error.
 */
function coupleInductors(c: Circuit, inductorG: Map<number, number>, mutual: { a: number; b: number; g: number }[]): void {
  if (c.couplings.length === 0) return;
  const groups = new Map<number, Set<number>>();
  const groupOf = new Map<number, number>();
  for (const k of c.couplings) {
    const ga = groupOf.get(k.a), gb = groupOf.get(k.b);
    const target = ga ?? gb ?? k.a;
    const set = groups.get(target) ?? new Set<number>();
    groups.set(target, set);
    for (const g of [ga, gb]) if (g !== undefined && g !== target) {
      for (const m of groups.get(g)!) (set.add(m), groupOf.set(m, target));
      groups.delete(g);
    }
    for (const m of [k.a, k.b]) (set.add(m), groupOf.set(m, target));
  }
  for (const set of groups.values()) {
    const ids = [...set];
    const n = ids.length;
    const L = ids.map((a) => ids.map((b) => (a === b ? c.elements[a].value : 0)));
    for (const k of c.couplings) {
      if (!set.has(k.a)) continue;
      const i = ids.indexOf(k.a), j = ids.indexOf(k.b);
      const m = k.k * Math.sqrt(c.elements[k.a].value * c.elements[k.b].value);
      L[i][j] += m;
      L[j][i] += m;
    }
    const inv = invertSpd(L);
    if (!inv) {
      const names = ids.map((i) => c.elements[i].name).join(', ');
      throw new RunFailure(`the inductance matrix of coupled inductors ${names} is not positive definite: the coupling factors are too large together`);
    }
    for (let i = 0; i < n; i++) {
      inductorG.set(ids[i], GAMMA * inv[i][i]);
      for (let j = i + 1; j < n; j++) if (inv[i][j] !== 0) mutual.push({ a: ids[i], b: ids[j], g: GAMMA * inv[i][j] });
    }
  }
}

/** Inverse of a small symmetric matrix by Cholesky; undefined if not positive definite. */
function invertSpd(a: number[][]): number[][] | undefined {
  const n = a.length;
  const l = a.map((r) => r.map(() => 0));
  for (let j = 0; j < n; j++) {
    let s = a[j][j];
    for (let k = 0; k < j; k++) s -= l[j][k] ** 2;
    if (!(s > 1e-12 * a[j][j])) return undefined;
    l[j][j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = a[i][j];
      for (let k = 0; k < j; k++) t -= l[i][k] * l[j][k];
      l[i][j] = t / l[j][j];
    }
  }
  const inv = a.map((r) => r.map(() => 0));
  for (let col = 0; col < n; col++) {
    const y = new Array(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * inv[k][col];
      inv[i][col] = s / l[i][i];
    }
  }
  return inv;
}
