/**
 * Small dense linear algebra in float64 for initialisers: singular value decomposition by
 * one-sided Jacobi rotations (Hestenes), which orthogonalises the columns of A·V until
 * A·V = U·Σ; the singular values are the column norms.
 */

/** Singular values (descending) and the factors of a rows×cols row-major matrix. */
export function svd(a: Float64Array, rows: number, cols: number): { s: Float64Array; us: Float64Array[]; vs: Float64Array[] } {
  const t = cols > rows; // work on the transpose so columns are the shorter side
  const m = t ? cols : rows;
  const n = t ? rows : cols;
  const u: Float64Array[] = [];
  const v: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = t ? a[j * cols + i] : a[i * cols + j];
    u.push(col);
    const e = new Float64Array(n);
    e[j] = 1;
    v.push(e);
  }
  for (let sweep = 0; sweep < 80; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const up = u[p], uq = u[q];
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += up[i] * up[i];
          beta += uq[i] * uq[i];
          gamma += up[i] * uq[i];
        }
        if (alpha === 0 || beta === 0) continue;
        const c0 = Math.abs(gamma) / Math.sqrt(alpha * beta);
        if (c0 < 1e-15) continue;
        off = Math.max(off, c0);
        // The rotation that zeroes the (p, q) entry of the column Gram matrix.
        const zeta = (beta - alpha) / (2 * gamma);
        const tt = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + tt * tt);
        const s = c * tt;
        rotate(up, uq, c, s);
        rotate(v[p], v[q], c, s);
      }
    }
    if (off < 1e-13) break;
  }
  const norms = u.map((col) => Math.sqrt(col.reduce((acc, x) => acc + x * x, 0)));
  const order = [...norms.keys()].sort((i, j) => norms[j] - norms[i]);
  const s = Float64Array.from(order.map((j) => norms[j]));
  const left = order.map((j) => u[j].map((x) => (norms[j] > 0 ? x / norms[j] : 0)));
  const right = order.map((j) => v[j]);
  return t ? { s, us: right, vs: left } : { s, us: left, vs: right };
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = y[i];
    x[i] = c * a - s * b;
    y[i] = s * a + c * b;
  }
}

/**
 * The best rank-`rank` approximation of A (its top singular components), rescaled to A's
 * Frobenius norm unless `rescale` is false.
 */
export function truncateRank(a: Float64Array, rows: number, cols: number, rank: number, rescale = true): Float64Array {
  if (rank >= Math.min(rows, cols)) return a.slice(); // nothing to drop: A itself, exactly
  const { s, us, vs } = svd(a, rows, cols);
  const out = compose(s, us, vs, rows, cols, rank);
  return rescale ? scaleTo(out, frobenius(a)) : out;
}

/**
 * The rank-`rank` matrix with the top singular values of `values` on the top singular vectors
 * of `vectors` (both rows×cols): Σₖ sₖ(values) uₖ(vectors) vₖ(vectors)ᵀ. Same spectrum,
 * other directions (e.g. a random matrix's spectrum on a trained matrix's directions).
 */
export function transplantSpectrum(values: Float64Array, vectors: Float64Array, rows: number, cols: number, rank: number): Float64Array {
  const { s } = svd(values, rows, cols);
  const { us, vs } = svd(vectors, rows, cols);
  return compose(s, us, vs, rows, cols, rank);
}

/** Σₖ<rank sₖ uₖ vₖᵀ */
function compose(s: Float64Array, us: Float64Array[], vs: Float64Array[], rows: number, cols: number, rank: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < rank; k++) {
    const u = us[k], v = vs[k], sk = s[k];
    for (let i = 0; i < rows; i++) {
      const ui = sk * u[i];
      for (let j = 0; j < cols; j++) out[i * cols + j] += ui * v[j];
    }
  }
  return out;
}

export function frobenius(x: ArrayLike<number>): number {
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += x[i] * x[i];
  return Math.sqrt(acc);
}

/** x scaled (in place) to Frobenius norm `norm`. */
export function scaleTo<T extends Float64Array | Float32Array>(x: T, norm: number): T {
  const f = norm / (frobenius(x) || 1);
  for (let i = 0; i < x.length; i++) x[i] *= f;
  return x;
}
