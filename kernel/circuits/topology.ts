/**
 * Checks that make the phase-mode system solvable, as located problems:
 * - every node must reach ground through R, L, C, B or V elements (a node reached only
 *   through current sources, or an inductor loop with no ground path, has no defined phase);
 * - voltage sources must not form loops (two sources would fix the same phase difference);
 * and warnings for elements whose two terminals are the same node and for dangling nodes.
 */
import { where, type FlatElement } from './circuit';
import type { Loc } from './netlist/types';
import type { Problem } from './netlist/lexer';

export class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(a: number): number {
    const p = this.parent;
    while (p[a] !== a) {
      p[a] = p[p[a]];
      a = p[a];
    }
    return a;
  }
  /** Join; false if a and b were already joined. */
  union(a: number, b: number): boolean {
    const ra = this.find(a), rb = this.find(b);
    if (ra === rb) return false;
    // keep ground (0) as the root of its set
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

export function checkTopology(
  nodes: string[],
  nodeAt: (Loc & { via: string })[],
  elements: FlatElement[],
  problems: Problem[],
  warnings: string[],
): void {
  const n = nodes.length;
  const uf = new UnionFind(n);
  const degree = new Int32Array(n);
  for (const e of elements) {
    degree[e.n1]++;
    degree[e.n2]++;
    if (e.n1 === e.n2) {
      if (e.type === 'V') problems.push({ ...e.at, message: `${e.name}: both terminals are node ${nodes[e.n1]}` });
      else warnings.push(`${where(e)}: ${e.name} has both terminals on node ${nodes[e.n1]}; it does nothing`);
      continue;
    }
    if (e.type !== 'I') uf.union(e.n1, e.n2);
  }
  // Floating islands: one problem per island, at its first node.
  const islands = new Map<number, number[]>();
  for (let i = 1; i < n; i++) {
    const r = uf.find(i);
    if (r === uf.find(0)) continue;
    const list = islands.get(r) ?? [];
    list.push(i);
    islands.set(r, list);
  }
  for (const members of islands.values()) {
    const set = new Set(members);
    const inside = elements.filter((e) => set.has(e.n1) || set.has(e.n2));
    const first = nodeAt[members[0]];
    const names = members.slice(0, 6).map((i) => nodes[i]).join(', ') + (members.length > 6 ? `, … (${members.length} nodes)` : '');
    const passive = inside.filter((e) => e.type !== 'I');
    let message: string;
    if (passive.length > 0 && passive.every((e) => e.type === 'L')) {
      message = `inductor loop ${passive.slice(0, 6).map((e) => e.name).join(', ')} has no path to ground (nodes ${names}): its phase is undefined`;
    } else {
      const sources = inside.filter((e) => e.type === 'I').map((e) => e.name);
      message = `floating node${members.length > 1 ? 's' : ''} ${names}: no path to ground through R, L, C, B or V elements${sources.length ? ` (current sources ${sources.slice(0, 4).join(', ')} do not define a phase)` : ''}`;
    }
    problems.push({ line: first.line, col: first.col, message: first.via ? `${message} (in ${first.via})` : message });
  }
  // Voltage-source loops.
  const vuf = new UnionFind(n);
  for (const e of elements) {
    if (e.type !== 'V' || e.n1 === e.n2) continue;
    if (!vuf.union(e.n1, e.n2)) problems.push({ ...e.at, message: `${e.name}: voltage sources form a loop through nodes ${nodes[e.n1]} and ${nodes[e.n2]}` });
  }
  for (let i = 1; i < n; i++) {
    if (degree[i] === 1) warnings.push(`line ${nodeAt[i].line}${nodeAt[i].via ? ` (in ${nodeAt[i].via})` : ''}: node ${nodes[i]} has only one connection`);
  }
}
