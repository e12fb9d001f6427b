/**
 * `.print` probes, recorded at the print steps into preallocated columns:
 * node voltage/phase (or a difference), and a device's voltage, phase or current.
 * Device currents follow the element laws (R: v/R; L: γ·(L⁻¹θ); C: C·dv/dt; junction:
 * Ic·sin + Iqp + C·dv/dt; I source: its value). A voltage source's current comes from
 * Kirchhoff's current law over the nodes on one side of it (its supernode).
 */
import { InputError } from '../core/errors';
import type { Circuit, FlatElement, TranSettings } from './circuit';
import { qpExcess } from './junction';
import { GAMMA } from './netlist/expr';
import type { PhaseSystem } from './system';
import type { SourceBank } from './waveforms';

/** The state just after a step: phases, and the history terms B, M that give v = γ(αφ − B). */
export interface ProbeViews {
  phi: Float64Array;
  B: Float64Array;
  M: Float64Array;
  alpha: number;
  bank: SourceBank;
  noise: { value: Float64Array; elem: Int32Array };
}

const MAX_VALUES = 50_000_000;

/** Rows recorded over a transient: the print steps from printStart on. */
function printRows(tran: TranSettings): number {
  return Math.floor((tran.steps - tran.printStart) / tran.printEvery) + 1;
}

/** Why recording `columns` quantities over `tran` would not fit in memory, or undefined. */
export function recordingProblem(tran: TranSettings, columns: number): string | undefined {
  const rows = printRows(tran);
  if (rows * Math.max(1, columns) <= MAX_VALUES) return undefined;
  return `the .print requests ask for ${rows} rows × ${columns} columns; at most ${MAX_VALUES} values: raise the print step (.tran's 4th value) or print fewer quantities`;
}

/** Node voltage at the new step: the BDF2 derivative of its phase. */
function volt(w: ProbeViews, slot: number): number {
  return GAMMA * (w.alpha * w.phi[slot] - w.B[slot]);
}

export class ProbeRecorder {
  readonly rows: number;
  readonly time: Float64Array;
  readonly columns: Float64Array[];
  readonly labels: string[];
  /** Rows recorded so far. */
  count = 0;
  private readonly kcl = new Map<number, { elem: number; sign: number }[]>();
  private readonly noiseOf = new Map<number, number>();
  private readonly qp = { i: 0, g: 0 };

  constructor(private readonly c: Circuit, private readonly sys: PhaseSystem, private readonly waveOf: Map<number, number>, enabled: boolean, noiseElems: Int32Array) {
    noiseElems.forEach((el, k) => this.noiseOf.set(el, k));
    this.rows = enabled ? printRows(c.tran) : 0;
    this.labels = c.probes.map((p) => p.label);
    const tooMany = enabled ? recordingProblem(c.tran, c.probes.length) : undefined;
    if (tooMany) throw new InputError([tooMany]);
    this.time = new Float64Array(this.rows);
    this.columns = c.probes.map(() => new Float64Array(this.rows));
    for (const p of c.probes) if (p.kind === 'devI' && c.elements[p.a].type === 'V') this.kcl.set(p.a, this.supernode(p.a));
  }

  record(step: number, t: number, w: ProbeViews): void {
    const { printStart, printEvery } = this.c.tran;
    if (this.count >= this.rows || step < printStart || (step - printStart) % printEvery !== 0) return;
    const r = this.count++;
    this.time[r] = t;
    const slot = this.sys.slotOf;
    const probes = this.c.probes;
    for (let k = 0; k < probes.length; k++) {
      const p = probes[k];
      let val: number;
      if (p.kind === 'nodeV') val = volt(w, slot[p.a]) - volt(w, slot[p.b]);
      else if (p.kind === 'nodeP') val = w.phi[slot[p.a]] - w.phi[slot[p.b]];
      else {
        const e = this.c.elements[p.a];
        if (p.kind === 'devP') val = w.phi[slot[e.n1]] - w.phi[slot[e.n2]];
        else if (p.kind === 'devV') val = e.type === 'V' ? w.bank.values[this.waveOf.get(p.a)!] : volt(w, slot[e.n1]) - volt(w, slot[e.n2]);
        else val = this.current(p.a, w);
      }
      this.columns[k][r] = val;
    }
  }

  /** Current through element i from its first node to its second. */
  current(i: number, w: ProbeViews): number {
    const e = this.c.elements[i];
    const s = this.sys.slotOf;
    const p = s[e.n1], q = s[e.n2];
    const v = volt(w, p) - volt(w, q);
    const dvdt = w.alpha * v - (w.M[p] - w.M[q]);
    const noise = this.noiseOf.has(i) ? w.noise.value[this.noiseOf.get(i)!] : 0;
    switch (e.type) {
      case 'R':
        return v / e.value + noise;
      case 'C':
        return e.value * dvdt;
      case 'L': {
        let cur = this.sys.inductorG.get(i)! * (w.phi[p] - w.phi[q]);
        for (const m of this.sys.mutual) {
          const other = m.a === i ? m.b : m.b === i ? m.a : -1;
          if (other >= 0) cur += m.g * (w.phi[s[this.c.elements[other].n1]] - w.phi[s[this.c.elements[other].n2]]);
        }
        return cur;
      }
      case 'B': {
        const j = e.jj!;
        const th = w.phi[p] - w.phi[q];
        qpExcess(j, v, this.qp);
        return j.ic * Math.sin(j.cpr * th - j.phi) + j.g0 * v + this.qp.i + j.cap * dvdt + noise;
      }
      case 'I':
        return w.bank.values[this.waveOf.get(i)!];
      case 'V': {
        let sum = 0;
        for (const { elem, sign } of this.kcl.get(i)!) sum += sign * this.current(elem, w);
        return sum;
      }
    }
  }

  /** KCL terms for a voltage source's current: the elements leaving one side of it. */
  private supernode(src: number): { elem: number; sign: number }[] {
    const els = this.c.elements;
    const vAdj = new Map<number, number[]>();
    els.forEach((e, i) => {
      if (e.type !== 'V' || i === src) return;
      for (const [a, b] of [[e.n1, e.n2], [e.n2, e.n1]]) vAdj.set(a, [...(vAdj.get(a) ?? []), b]);
    });
    const side = (start: number) => {
      const set = new Set([start]);
      const queue = [start];
      for (let k = 0; k < queue.length; k++) for (const b of vAdj.get(queue[k]) ?? []) if (!set.has(b)) (set.add(b), queue.push(b));
      return set;
    };
    const e = els[src];
    const s1 = side(e.n1);
    // I(V) flows into n1 through the source: −Σ(out of n1's side), or +Σ(out of n2's side).
    const [set, sign] = s1.has(0) ? [side(e.n2), 1] : [s1, -1];
    const terms: { elem: number; sign: number }[] = [];
    els.forEach((x: FlatElement, i) => {
      if (x.type === 'V') return;
      const s = (set.has(x.n1) ? 1 : 0) - (set.has(x.n2) ? 1 : 0);
      if (s !== 0) terms.push({ elem: i, sign: sign * s });
    });
    return terms;
  }

  /** The recorded rows of the column labelled `label` (e.g. `P(B01)`), or of `time`. */
  column(label: string): Float64Array {
    if (label === 'time') return this.time.subarray(0, this.count);
    const k = this.labels.indexOf(label);
    if (k < 0) throw new Error(`no column ${label}; columns: ${this.labels.join(', ')}`);
    return this.columns[k].subarray(0, this.count);
  }

  /** CSV like JoSIM's: `time` then one column per probe, values as C's %.6e. */
  csv(): string {
    const lines = [['time', ...this.labels].join(',')];
    for (let r = 0; r < this.count; r++) {
      let line = sci(this.time[r]);
      for (const col of this.columns) line += ',' + sci(col[r]);
      lines.push(line);
    }
    return lines.join('\n') + '\n';
  }
}

/** 1.234560e-12 with a two-digit exponent, as printf("%.6e") writes it. */
export function sci(x: number): string {
  return x.toExponential(6).replace(/e([+-])(\d)$/, 'e$10$2');
}

