/**
 * Nodes whose phase is known from another node's, so they need no unknown of their own:
 *
 *   φ(n1) − φ(n2) = (2π/Φ0)·∫V dt        // across a voltage source (trees of them)
 *   φ(n)  − φ(m)  = (L/γ)·I_in(n)         // a node whose only passive element is the inductor L to m,
 *                                          // fed by current sources with net current I_in(n)
 *
 * The second kind is the bias feed of almost every SFQ cell (a current source into a small
 * inductor): tying it removes one unknown per bias point (11% of a JTL's). A tied node's
 * currents join its root's equation (a supernode), so the matrix stays symmetric positive
 * definite. Entries are in tree order: a node's parent comes before it.
 */
import type { Circuit } from './circuit';
import { GAMMA } from './netlist/expr';

export interface Ties {
  /** Root of each node's tree (itself if it is a root; -1 if not tied to anything). */
  rootOf: Int32Array;
  /** Tied nodes in tree order: child, parent, and the terms of psi[child] − psi[parent]. */
  list: { child: number; parent: number; terms: { wave: number; coef: number; kind: 'phase' | 'value' }[] }[];
}

export function findTies(c: Circuit, waveOf: Map<number, number>): Ties {
  const n = c.nodes.length;
  const rootOf = new Int32Array(n).fill(-1);
  const list: Ties['list'] = [];
  // Voltage-source trees, rooted at ground where they reach it.
  const vAdj: { to: number; wave: number; sign: number }[][] = Array.from({ length: n }, () => []);
  c.elements.forEach((e, i) => {
    if (e.type !== 'V') return;
    const w = waveOf.get(i)!;
    vAdj[e.n1].push({ to: e.n2, wave: w, sign: -1 }); // φ(n2) = φ(n1) − Ψ
    vAdj[e.n2].push({ to: e.n1, wave: w, sign: +1 }); // φ(n1) = φ(n2) + Ψ
  });
  const visit = (root: number) => {
    rootOf[root] = root;
    const queue = [root];
    for (let k = 0; k < queue.length; k++) {
      for (const { to, wave, sign } of vAdj[queue[k]]) {
        if (rootOf[to] >= 0) continue;
        rootOf[to] = root;
        list.push({ child: to, parent: queue[k], terms: [{ wave, coef: sign, kind: 'phase' }] });
        queue.push(to);
      }
    }
  };
  visit(0);
  for (let i = 1; i < n; i++) if (rootOf[i] < 0 && vAdj[i].length) visit(i);

  // Dangling inductors: count passive elements per node; K-coupled inductors stay unknowns.
  const passive = Array.from({ length: n }, () => [] as number[]);
  const sources = Array.from({ length: n }, () => [] as number[]);
  const coupled = new Set(c.couplings.flatMap((k) => [k.a, k.b]));
  c.elements.forEach((e, i) => {
    if (e.n1 === e.n2) return;
    const into = e.type === 'I' ? sources : passive;
    into[e.n1].push(i);
    into[e.n2].push(i);
  });
  const dangling = new Set<number>();
  for (let node = 1; node < n; node++) {
    if (rootOf[node] >= 0 || passive[node].length !== 1) continue;
    const e = c.elements[passive[node][0]];
    if (e.type === 'L' && !coupled.has(passive[node][0])) dangling.add(node);
  }
  for (const node of dangling) {
    const e = c.elements[passive[node][0]];
    const other = e.n1 === node ? e.n2 : e.n1;
    if (dangling.has(other)) continue; // two dangling ends of one inductor float: topology reports it
    // A source drives its current from n1 to n2: into `node` it is +I at n2, −I at n1.
    const terms = sources[node].map((i) => ({ wave: waveOf.get(i)!, coef: ((c.elements[i].n2 === node ? 1 : -1) * e.value) / GAMMA, kind: 'value' as const }));
    rootOf[node] = rootOf[other] >= 0 ? rootOf[other] : other;
    if (rootOf[other] < 0 && other !== 0) rootOf[other] = other; // `other` becomes a root of its own tree
    if (other === 0) rootOf[node] = 0;
    list.push({ child: node, parent: other, terms });
  }
  return { rootOf, list };
}
