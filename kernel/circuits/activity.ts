/**
 * Latency: most of an SFQ circuit sits still most of the time — a pulse on a 1,000-stage JTL
 * occupies a few stages. A node whose phase has not changed for `REST` steps has constant
 * history terms (B, M and both stored voltages), so a step can leave it alone and solve only
 * for the change of the right-hand side (Transient's latent step). This file keeps the
 * bookkeeping: how long each slot has been still, the list of slots that have not, and which
 * branches, junctions, sources and tied nodes each slot or waveform touches.
 *
 * Why REST = 6: the skipped history reads φ(n)…φ(n−4) (v(n−1) needs φ(n−1..n−3) and M needs
 * v(n) and v(n−1)), and the four rotating phase buffers must all hold the same value.
 */
import type { PhaseSystem } from './system';

export const REST = 6;

/**
 * Phase changes below this are not made (rad; or 2⁻⁵⁰ of the phase where that is larger): the
 * solver's own tolerance is 1e-4 rad, and a node must be able to come exactly to rest.
 */
export const QUIET = 1e-12;

export const quietAt = (phase: number) => Math.max(QUIET, Math.abs(phase) * 2 ** -50);

/** Compressed lists: the items of key k are idx[ptr[k] .. ptr[k+1]). */
export interface Lists {
  ptr: Int32Array;
  idx: Int32Array;
}

function lists(keys: number, pairs: [number, number][]): Lists {
  const ptr = new Int32Array(keys + 1);
  for (const [k] of pairs) ptr[k + 1]++;
  for (let k = 0; k < keys; k++) ptr[k + 1] += ptr[k];
  const at = ptr.slice(0, keys);
  const idx = new Int32Array(pairs.length);
  for (const [k, v] of pairs) idx[at[k]++] = v;
  return { ptr, idx };
}

export class Activity {
  /** Steps each slot has been still (capped at REST). */
  readonly rest: Uint8Array;
  /** Slots that moved within the last REST steps. */
  list: Int32Array;
  count = 0;
  private next: Int32Array;
  /** Per slot: history branches (sys.dyn) and junctions at it. */
  readonly dynAt: Lists;
  readonly jjAt: Lists;
  /** Per waveform: the current sources it drives. */
  readonly isrcOf: Lists;
  /** Per slot: the tied entries whose root it is. */
  readonly tiedAt: Lists;
  /** 1 for waveforms that set a tied node's phase (a change there needs a full step). */
  readonly movesTies: Uint8Array;
  /** Per slot: its tied entry (sys.tied), or -1. */
  readonly tiedEntry: Int32Array;
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(sys: PhaseSystem, waves: number) {
    const n = sys.nSlots;
    this.rest = new Uint8Array(n);
    this.list = new Int32Array(n);
    this.next = new Int32Array(n);
    this.mark = new Int32Array(n).fill(-1);
    const g = sys.groundSlot;
    const at = (p: Int32Array, q: Int32Array) => {
      const pairs: [number, number][] = [];
      for (let b = 0; b < p.length; b++) {
        if (p[b] !== g) pairs.push([p[b], b]);
        if (q[b] !== g && q[b] !== p[b]) pairs.push([q[b], b]);
      }
      return lists(n, pairs);
    };
    this.dynAt = at(sys.dyn.p, sys.dyn.q);
    this.jjAt = at(sys.jj.p, sys.jj.q);
    this.isrcOf = lists(waves, Array.from(sys.isrc.wave, (w, k) => [w, k]));
    const { child, root, wave, termEnd } = sys.tied;
    this.tiedAt = lists(n, Array.from(child, (_, k) => [root[k], k]));
    this.tiedEntry = new Int32Array(n).fill(-1);
    child.forEach((c, k) => (this.tiedEntry[c] = k));
    this.movesTies = new Uint8Array(waves);
    for (let t = 0; t < (termEnd[termEnd.length - 1] ?? 0); t++) this.movesTies[wave[t]] = 1;
    this.all();
  }

  /** Everything counts as moving (at the start and after a full-Newton step). */
  all(): void {
    this.rest.fill(0);
    this.count = 0;
    for (let s = 0; s < this.rest.length; s++) this.list[this.count++] = s;
  }

  /**
   * After a step: slots in `moved` (and the listed ones) whose phase changed restart their
   * count; the list keeps the slots still counting.
   */
  update(before: Float64Array, after: Float64Array, moved: Int32Array, nMoved: number): void {
    const { rest, mark, list } = this;
    const stamp = ++this.stamp;
    let m = 0;
    const see = (s: number) => {
      if (mark[s] === stamp) return;
      mark[s] = stamp;
      if (after[s] !== before[s]) rest[s] = 0;
      else if (rest[s] < REST) rest[s]++;
      if (rest[s] < REST) this.next[m++] = s;
    };
    for (let a = 0; a < this.count; a++) see(list[a]);
    for (let a = 0; a < nMoved; a++) see(moved[a]);
    this.list = this.next;
    this.next = list;
    this.count = m;
  }

  /** After a full step: every slot compared. */
  updateAll(before: Float64Array, after: Float64Array): void {
    const { rest, list } = this;
    let m = 0;
    for (let s = 0; s < rest.length; s++) {
      if (after[s] !== before[s]) rest[s] = 0;
      else if (rest[s] < REST) rest[s]++;
      if (rest[s] < REST) list[m++] = s;
    }
    this.count = m;
  }
}
