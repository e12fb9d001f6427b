/**
 * Minimum and maximum of any index range of a sampled trace in O(log n): level k holds the
 * min and max of aligned blocks of 2^k samples (level 0 is the samples), and a range is covered
 * bottom-up by at most two blocks per level, as in a segment tree. This is what lets a view of
 * 10⁶ samples answer each pixel column's min/max without touching every sample.
 */
export class MinMaxPyramid {
  private readonly mins: Float32Array[] = [];
  private readonly maxs: Float32Array[] = [];

  constructor(private readonly y: Float32Array) {
    let lo: Float32Array = y;
    let hi: Float32Array = y;
    while (lo.length >= 2) {
      const m = lo.length >> 1;
      const nlo = new Float32Array(m);
      const nhi = new Float32Array(m);
      for (let j = 0; j < m; j++) {
        nlo[j] = Math.min(lo[2 * j], lo[2 * j + 1]);
        nhi[j] = Math.max(hi[2 * j], hi[2 * j + 1]);
      }
      this.mins.push(nlo);
      this.maxs.push(nhi);
      lo = nlo;
      hi = nhi;
    }
  }

  /** [min, max] of samples a (inclusive) to b (exclusive); [NaN, NaN] for an empty range. */
  range(a: number, b: number): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    const y = this.y;
    // level 0: the samples themselves
    if (a & 1 && a < b) {
      lo = Math.min(lo, y[a]);
      hi = Math.max(hi, y[a]);
      a++;
    }
    if (b & 1 && a < b) {
      b--;
      lo = Math.min(lo, y[b]);
      hi = Math.max(hi, y[b]);
    }
    a >>= 1;
    b >>= 1;
    for (let k = 0; a < b; k++) {
      const mn = this.mins[k];
      const mx = this.maxs[k];
      if (a & 1) {
        lo = Math.min(lo, mn[a]);
        hi = Math.max(hi, mx[a]);
        a++;
      }
      if (b & 1) {
        b--;
        lo = Math.min(lo, mn[b]);
        hi = Math.max(hi, mx[b]);
      }
      a >>= 1;
      b >>= 1;
    }
    return lo === Infinity ? [NaN, NaN] : [lo, hi];
  }
}
