/**
 * Sparse LDLᵀ for the symmetric positive-definite phase-mode matrix.
 *
 * Ordering: minimum degree on the elimination graph (explicit, with a lazy heap). A JTL
 * string is a chain with small loops hanging off it, so eliminating the lowest-degree node
 * first produces almost no fill and the factor has ≈ 1.5 entries per row — fewer than a band
 * after reverse Cuthill–McKee. Unknowns are renumbered in elimination order, so the factor,
 * the right-hand side and the solution all live in that order and solves need no permutation.
 *
 * Factor: left-looking, column by column, in the fixed pattern the ordering produced; it is
 * computed once per step size (and again only for a full-Newton fallback). Solve: forward
 * substitution, diagonal scaling, backward substitution, in place, no allocation. A sparse
 * solve (`solveSparse`) does the same for a right-hand side with few non-zeros, touching only
 * the entries of the solution that are not negligible.
 */

/**
 * Elimination order of n unknowns given the undirected graph (neighbour lists, no self loops):
 * multiple minimum degree — each round eliminates an independent set of unknowns whose
 * degree is at most the minimum + 1 (MMD's "delta"). On a chain this halves the chain each
 * round (plain minimum degree would eat it from the ends, one at a time), so the elimination
 * tree is log-deep instead of a path: consecutive columns of the factor are then independent
 * and the triangular solves run at the CPU's throughput rather than its latency.
 */
export function minimumDegreeOrder(n: number, adj: Set<number>[], delta = 1): { order: Int32Array; pattern: number[][] } {
  const order = new Int32Array(n);
  const pattern: number[][] = []; // neighbours still present when each unknown is eliminated (old numbering)
  const eliminated = new Uint8Array(n);
  const touched = new Int32Array(n).fill(-1); // round in which a neighbour was eliminated
  const heap = new MinHeap(n * 4);
  for (let i = 0; i < n; i++) heap.push(adj[i].size, i);
  let k = 0;
  for (let round = 0; k < n; round++) {
    const deferred: number[] = [];
    const changed: number[] = [];
    let minDeg = -1;
    while (heap.size > 0) {
      const [deg, v] = heap.peek();
      if (eliminated[v] || deg !== adj[v].size) {
        heap.pop(); // stale entry
        continue;
      }
      if (minDeg < 0) minDeg = deg;
      if (deg > minDeg + delta) break;
      heap.pop();
      if (touched[v] === round) {
        deferred.push(v); // a neighbour went this round: its degree is about to change
        continue;
      }
      eliminated[v] = 1;
      order[k++] = v;
      const nb = [...adj[v]];
      pattern.push(nb);
      // Eliminating v joins its neighbours into a clique (the fill of this column).
      for (const u of nb) {
        const au = adj[u];
        au.delete(v);
        for (const w of nb) if (w !== u) au.add(w);
        if (touched[u] !== round) changed.push(u);
        touched[u] = round;
      }
      adj[v].clear();
    }
    // Neighbours of this round's eliminations have new degrees; re-queue them (and the deferred).
    for (const v of changed) if (!eliminated[v]) heap.push(adj[v].size, v);
    for (const v of deferred) if (touched[v] !== round) heap.push(adj[v].size, v);
  }
  return { order, pattern };
}

class MinHeap {
  private keys: Float64Array;
  private vals: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Int32Array(Math.max(16, capacity));
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    // Ties go to the lower index, so orderings are deterministic.
    const pri = key * 4294967296 + val;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= pri) break;
      this.keys[i] = this.keys[p];
      this.vals[i] = this.vals[p];
      i = p;
    }
    this.keys[i] = pri;
    this.vals[i] = val;
  }
  peek(): [number, number] {
    return [Math.floor(this.keys[0] / 4294967296), this.vals[0]];
  }
  pop(): [number, number] {
    const top = this.keys[0];
    const val = this.vals[0];
    const lastK = this.keys[--this.size];
    const lastV = this.vals[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.keys[c + 1] < this.keys[c]) c++;
      if (this.keys[c] >= lastK) break;
      this.keys[i] = this.keys[c];
      this.vals[i] = this.vals[c];
      i = c;
    }
    this.keys[i] = lastK;
    this.vals[i] = lastV;
    return [Math.floor(top / 4294967296), val];
  }
}

/**
 * The factor's structure (columns of L below the diagonal, rows sorted) in elimination
 * numbering, the matrix values in the same structure, and the factor itself.
 */
export class SparseLDL {
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  /** Matrix: diagonal and strictly-lower entries (in L's pattern). */
  readonly aDiag: Float64Array;
  readonly aLow: Float64Array;
  /** Factor: D, its inverse, and L below the diagonal. */
  readonly d: Float64Array;
  readonly invD: Float64Array;
  readonly lx: Float64Array;
  /** For each row j: the columns k < j with L[j][k] ≠ 0 and where that entry is. */
  private readonly rowPtr: Int32Array;
  private readonly rowCol: Int32Array;
  private readonly rowPos: Int32Array;
  private readonly work: Float64Array;
  /** Elimination-tree parent of each column (its first row below the diagonal), -1 at a root. */
  readonly parent: Int32Array;
  // Scratch for solveSparse: visit marks, the reached columns, a max-heap of columns to finish.
  private readonly seen: Int32Array;
  private readonly reach: Int32Array;
  private readonly heap: Int32Array;
  private visit = 0;

  /** `pattern[k]`: rows (new numbering, all > k) of column k. */
  constructor(readonly n: number, pattern: number[][]) {
    this.colPtr = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) this.colPtr[k + 1] = this.colPtr[k] + pattern[k].length;
    const nnz = this.colPtr[n];
    this.rowIdx = new Int32Array(nnz);
    const rowCount = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const rows = pattern[k].slice().sort((a, b) => a - b);
      this.rowIdx.set(rows, this.colPtr[k]);
      for (const r of rows) rowCount[r + 1]++;
    }
    this.rowPtr = new Int32Array(n + 1);
    for (let j = 0; j < n; j++) this.rowPtr[j + 1] = this.rowPtr[j] + rowCount[j + 1];
    this.rowCol = new Int32Array(nnz);
    this.rowPos = new Int32Array(nnz);
    const fillAt = this.rowPtr.slice(0, n);
    for (let k = 0; k < n; k++) {
      for (let p = this.colPtr[k]; p < this.colPtr[k + 1]; p++) {
        const r = this.rowIdx[p];
        this.rowCol[fillAt[r]] = k;
        this.rowPos[fillAt[r]++] = p;
      }
    }
    this.aDiag = new Float64Array(n);
    this.aLow = new Float64Array(nnz);
    this.d = new Float64Array(n);
    this.invD = new Float64Array(n);
    this.lx = new Float64Array(nnz);
    this.work = new Float64Array(n);
    this.parent = Int32Array.from({ length: n }, (_, k) => (this.colPtr[k] < this.colPtr[k + 1] ? this.rowIdx[this.colPtr[k]] : -1));
    this.seen = new Int32Array(n);
    this.reach = new Int32Array(n);
    this.heap = new Int32Array(n);
  }

  get nnz(): number {
    return this.rowIdx.length;
  }

  /** Position of entry (i, j), i ≠ j, in the lower storage; -1 if outside the pattern. */
  position(i: number, j: number): number {
    if (i < j) [i, j] = [j, i];
    let lo = this.colPtr[j], hi = this.colPtr[j + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rowIdx[mid];
      if (r === i) return mid;
      if (r < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Factor the matrix given by (diag, low) — by default this object's own aDiag/aLow.
   * Returns -1 on success, else the first unknown whose pivot is not positive and finite.
   */
  factor(diag: Float64Array = this.aDiag, low: Float64Array = this.aLow): number {
    const { n, colPtr, rowIdx, rowPtr, rowCol, rowPos, d, lx, work } = this;
    for (let j = 0; j < n; j++) {
      for (let p = colPtr[j]; p < colPtr[j + 1]; p++) work[rowIdx[p]] = low[p];
      let dj = diag[j];
      for (let q = rowPtr[j]; q < rowPtr[j + 1]; q++) {
        const k = rowCol[q];
        const pjk = rowPos[q];
        const ljk = lx[pjk];
        const f = ljk * d[k];
        dj -= ljk * f;
        for (let p = pjk + 1; p < colPtr[k + 1]; p++) work[rowIdx[p]] -= lx[p] * f;
      }
      if (!(dj > 0) || !Number.isFinite(dj)) return j;
      d[j] = dj;
      const inv = 1 / dj;
      this.invD[j] = inv;
      for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
        const r = rowIdx[p];
        lx[p] = work[r] * inv;
        work[r] = 0;
      }
    }
    return -1;
  }

  /**
   * Entries of A⁻¹ on the factor's pattern (Takahashi's equations, from the last column back):
   *   Z_ij = −Σ_{k∈col j} Z_ik·L_kj  (i in col j),   Z_jj = 1/d_j − Σ_{k∈col j} L_kj·Z_kj.
   * The pattern of each column is a clique of the filled graph, so every Z_ik needed is stored.
   */
  selectedInverse(): { diag: Float64Array; low: Float64Array } {
    const { n, colPtr, rowIdx, d, lx } = this;
    const diag = new Float64Array(n);
    const low = new Float64Array(this.nnz);
    const z = (i: number, k: number) => (i === k ? diag[i] : low[this.position(i, k)]);
    for (let j = n - 1; j >= 0; j--) {
      const p0 = colPtr[j], p1 = colPtr[j + 1];
      for (let a = p0; a < p1; a++) {
        const i = rowIdx[a];
        let s = 0;
        for (let b = p0; b < p1; b++) s -= z(i, rowIdx[b]) * lx[b];
        low[a] = s;
      }
      let djj = 1 / d[j];
      for (let b = p0; b < p1; b++) djj -= lx[b] * low[b];
      diag[j] = djj;
    }
    return { diag, low };
  }

  /**
   * Solve L·D·Lᵀ·x = b for a b that is zero except at `rows[0..count)`, keeping only the
   * entries of x above `floor(k)`; x holds b on entry (zero elsewhere) and the kept entries of x
   * on return (zero elsewhere); their indices go to `live`, and their number is returned.
   *
   *   forward:  L·y = b touches only the elimination-tree paths from the rows to the root
   *   backward: x_k = y_k/d_k − Σ_{i∈col k} L_ik·x_i, from the top of the tree down, visiting a
   *             column only if it is on those paths or some x_i it reads was kept
   *
   * A circuit's response to a local change decays along the circuit, so x is local: on a JTL
   * string a junction's current change moves about a dozen nodes by more than 1e-12 rad. The
   * dropped entries are below `floor`, so the result is the full solve's to within that.
   */
  solveSparse(x: Float64Array, rows: Int32Array, count: number, floor: (k: number) => number, live: Int32Array): number {
    const { colPtr, rowIdx, rowPtr, rowCol, invD, lx, parent, seen, reach, heap } = this;
    const mark = ++this.visit;
    // Columns on the tree paths from each row to the root, in increasing order.
    let m = 0;
    for (let r = 0; r < count; r++) {
      for (let k = rows[r]; k >= 0 && seen[k] !== mark; k = parent[k]) {
        seen[k] = mark;
        reach[m++] = k;
      }
    }
    const path = reach.subarray(0, m).sort();
    for (let a = 0; a < m; a++) {
      const k = path[a];
      const xk = x[k];
      if (xk !== 0) for (let p = colPtr[k]; p < colPtr[k + 1]; p++) x[rowIdx[p]] -= lx[p] * xk;
    }
    // Backward from the largest column: a column's rows are its ancestors, so they are final
    // when it is popped; a kept entry queues the columns that read it (row k of L).
    let size = 0;
    const push = (k: number) => {
      let i = size++;
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (heap[up] >= k) break;
        heap[i] = heap[up];
        i = up;
      }
      heap[i] = k;
    };
    for (let a = 0; a < m; a++) push(path[a]);
    const queued = ++this.visit;
    for (let a = 0; a < m; a++) seen[path[a]] = queued;
    let kept = 0;
    while (size > 0) {
      const k = heap[0];
      const last = heap[--size];
      for (let i = 0; ; ) {
        let c = 2 * i + 1;
        if (c >= size) {
          heap[i] = last;
          break;
        }
        if (c + 1 < size && heap[c + 1] > heap[c]) c++;
        if (heap[c] <= last) {
          heap[i] = last;
          break;
        }
        heap[i] = heap[c];
        i = c;
      }
      let s = x[k] * invD[k];
      for (let p = colPtr[k]; p < colPtr[k + 1]; p++) s -= lx[p] * x[rowIdx[p]];
      if (Math.abs(s) > floor(k)) {
        x[k] = s;
        live[kept++] = k;
        for (let q = rowPtr[k]; q < rowPtr[k + 1]; q++) {
          const c = rowCol[q];
          if (seen[c] !== queued) {
            seen[c] = queued;
            push(c);
          }
        }
      } else x[k] = 0;
    }
    return kept;
  }

  /**
   * Solve L·D·Lᵀ·x = b in place in the first n entries of x (they hold b on entry; entries past
   * n are left alone, so x may be a longer array and needs no subarray view). Circuit factors
   * have one or two entries in most columns, so the first two of each are unrolled (≈17%
   * faster than a plain loop).
   */
  solve(x: Float64Array): void {
    const { n, colPtr, rowIdx, invD, lx } = this;
    for (let k = 0; k < n; k++) {
      const xk = x[k];
      if (xk === 0) continue;
      let p = colPtr[k];
      const e = colPtr[k + 1];
      if (p === e) continue;
      x[rowIdx[p]] -= lx[p] * xk;
      if (++p === e) continue;
      x[rowIdx[p]] -= lx[p] * xk;
      for (p++; p < e; p++) x[rowIdx[p]] -= lx[p] * xk;
    }
    for (let k = n - 1; k >= 0; k--) {
      let s = x[k] * invD[k]; // D⁻¹ folded into the backward pass
      let p = colPtr[k];
      const e = colPtr[k + 1];
      if (p < e) {
        s -= lx[p] * x[rowIdx[p]];
        if (++p < e) {
          s -= lx[p] * x[rowIdx[p]];
          for (p++; p < e; p++) s -= lx[p] * x[rowIdx[p]];
        }
      }
      x[k] = s;
    }
  }

}
