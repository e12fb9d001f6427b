/**
 * Connectors: which (pre, post) pairs a projection connects, as a compressed sparse row (CSR)
 * table ordered by presynaptic neuron — the layout the engine walks when a spike arrives.
 *   one-to-one        pre i → post i
 *   all-to-all        every pair (optionally without i → i within one population)
 *   random            every pair independently with probability p (Brian2 `connect(p=…)`,
 *                     PyNN FixedProbabilityConnector), from a seeded stream
 *   list              explicit pairs (PyNN FromListConnector)
 * Sources and targets may be slices [start, end) of their populations.
 */
import type { Rng } from '../core/rng';

export type Connector =
  | { type: 'one-to-one' }
  | { type: 'all-to-all'; allowSelf: boolean }
  | { type: 'random'; p: number; allowSelf: boolean }
  | { type: 'list'; pairs: readonly (readonly [number, number])[] };

export interface Range {
  start: number;
  end: number;
}

/** Synapses in CSR order: row i of the full presynaptic population is rowStart[i] … rowStart[i+1]−1. */
export interface Csr {
  rowStart: Int32Array;
  target: Int32Array;
}

/**
 * Build the synapse table. `nPre` is the size of the whole presynaptic population (rows exist
 * for every neuron, empty outside the slice). `sameGroup` says pre and post are one population
 * (so i → i is a self-connection).
 */
export function connect(c: Connector, nPre: number, pre: Range, post: Range, sameGroup: boolean, rng: Rng): Csr {
  const rows: number[][] = Array.from({ length: nPre }, () => []);
  const nPost = post.end - post.start;
  switch (c.type) {
    case 'one-to-one': {
      if (pre.end - pre.start !== nPost) throw new RangeError(`one-to-one needs equal sizes, got ${pre.end - pre.start} → ${nPost}`);
      for (let k = 0; k < nPost; k++) rows[pre.start + k].push(post.start + k);
      break;
    }
    case 'all-to-all':
      for (let i = pre.start; i < pre.end; i++) {
        for (let j = post.start; j < post.end; j++) if (c.allowSelf || !sameGroup || i !== j) rows[i].push(j);
      }
      break;
    case 'random': {
      // Bernoulli(p) for every pair, drawn as geometric gaps along each row.
      const logQ = Math.log1p(-c.p);
      const gap = () => (c.p >= 1 ? 0 : Math.floor(Math.log(1 - rng.float()) / logQ));
      if (c.p <= 0) break;
      for (let i = pre.start; i < pre.end; i++) {
        for (let k = gap(); k < nPost; k += 1 + gap()) {
          const j = post.start + k;
          if (c.allowSelf || !sameGroup || i !== j) rows[i].push(j);
        }
      }
      break;
    }
    case 'list':
      for (const [i, j] of c.pairs) {
        if (!(i >= 0 && i < pre.end - pre.start)) throw new RangeError(`pair (${i}, ${j}): source index outside 0…${pre.end - pre.start - 1}`);
        if (!(j >= 0 && j < nPost)) throw new RangeError(`pair (${i}, ${j}): target index outside 0…${nPost - 1}`);
        rows[pre.start + i].push(post.start + j);
      }
      break;
  }
  const rowStart = new Int32Array(nPre + 1);
  for (let i = 0; i < nPre; i++) rowStart[i + 1] = rowStart[i] + rows[i].length;
  const target = new Int32Array(rowStart[nPre]);
  for (let i = 0; i < nPre; i++) target.set(rows[i], rowStart[i]);
  return { rowStart, target };
}
