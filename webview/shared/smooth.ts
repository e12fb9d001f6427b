/**
 * Smoothing of noisy training curves, as TensorBoard does it: an exponential moving average
 * with weight w, debiased so the first points are not pulled towards 0:
 *   mₖ = w·mₖ₋₁ + (1 − w)·yₖ,  m₀ = 0;   ŷₖ = mₖ / (1 − wᵏ)
 * (k counts the finite points so far). Gaps (null, NaN) stay gaps and do not reset the average.
 * w = 0 returns the values as they are.
 */
export function smooth(y: ArrayLike<number | null>, w: number): (number | null)[] {
  const out: (number | null)[] = new Array(y.length);
  if (!(w > 0)) {
    for (let i = 0; i < y.length; i++) out[i] = y[i];
    return out;
  }
  let m = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    m = w * m + (1 - w) * v;
    k++;
    out[i] = m / (1 - w ** k);
  }
  return out;
}
