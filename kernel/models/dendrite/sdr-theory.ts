/**
 * Exact error probabilities of a dendritic segment reading a sparse distributed representation
 * (Ahmad & Hawkins 2016, arXiv 1601.00720). A population has n cells, a of them active; a segment
 * has s synapses and fires (NMDA spike) when at least θ of them see an active cell.
 *
 *   P_FP(n,a,s,θ) = Σ_{b=θ}^{min(s,a)} C(s,b)·C(n−s,a−b) / C(n,a)        (random pattern matches)
 *   P_FN(a,s,θ,v) = Σ_{b=s−θ+1}^{s}    C(s,b)·C(a−s,v−b) / C(a,v)        (noisy pattern is missed)
 *   s'(n,s,M)     = round(n·(1 − (1 − s/n)^M))                            (synapses of M unions)
 *
 * Everything is counted exactly with BigInt and divided once at the end (ratioToNumber), so
 * n = 20000, a = 2000 neither overflows nor loses the 1e−300 tail to cancellation.
 */

/** A segment tested against a uniformly random pattern: counts of cells, synapses, threshold. */
export interface FalsePositiveParams { n: number; a: number; s: number; theta: number }
/** A segment of s synapses on a stored pattern of a cells, v of which are replaced by noise. */
export interface FalseNegativeParams { a: number; s: number; theta: number; v: number }
/** A segment holding s synapses for each of M random patterns (the union property). */
export interface UnionParams extends FalsePositiveParams { M: number }

function checkCount(name: string, x: number): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${name} must be a count ≥ 0, got ${x}`);
}

/** lo·(lo+1)·…·hi by binary splitting: balanced operands keep BigInt multiplication fast. */
function rangeProduct(lo: number, hi: number): bigint {
  if (lo > hi) return 1n;
  if (hi - lo < 8) {
    let p = 1n;
    for (let i = lo; i <= hi; i++) p *= BigInt(i);
    return p;
  }
  const mid = Math.floor((lo + hi) / 2);
  return rangeProduct(lo, mid) * rangeProduct(mid + 1, hi);
}

// Sweeps ask for the same C(n, k) many times (C(n, a) once per θ, per series); a bounded cache
// keeps that free. Entries are at most a few kB (C(20000, 2000) has ~9400 bits).
const binomialCache = new Map<string, bigint>();
const BINOMIAL_CACHE_LIMIT = 4096;

/** C(n, k) exactly; 0 when k < 0 or k > n. */
export function binomial(n: number, k: number): bigint {
  checkCount('n', n);
  if (!Number.isSafeInteger(k)) throw new RangeError(`k must be an integer, got ${k}`);
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k); // C(n,k) = C(n,n−k): multiply the shorter range
  if (kk === 0) return 1n;
  if (kk === 1) return BigInt(n);
  const key = `${n},${kk}`;
  const hit = binomialCache.get(key);
  if (hit !== undefined) return hit;
  const value = rangeProduct(n - kk + 1, n) / rangeProduct(1, kk); // n!/((n−k)!·k!), exact division
  if (binomialCache.size >= BINOMIAL_CACHE_LIMIT) binomialCache.clear();
  binomialCache.set(key, value);
  return value;
}

function bitLength(x: bigint): number {
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

/** x·2^e without overflowing or underflowing the intermediate power of two. */
function scaleByPowerOfTwo(x: number, e: number): number {
  for (; e > 1000; e -= 1000) x *= 2 ** 1000;
  for (; e < -1000; e += 1000) x *= 2 ** -1000;
  return x * 2 ** e;
}

/**
 * num/den as a double. The quotient is first formed with ≥ 64 significant bits and a sticky bit
 * for a non-zero remainder, so the single rounding in Number() is correct for every normal
 * result; results down to the subnormal range (~1e−308) are returned, never flushed to 0 early.
 */
export function ratioToNumber(num: bigint, den: bigint): number {
  if (den === 0n) throw new RangeError('ratioToNumber: division by zero');
  if (num === 0n) return 0;
  if ((num < 0n) !== (den < 0n)) return -ratioToNumber(num < 0n ? -num : num, den < 0n ? -den : den);
  if (num < 0n) return ratioToNumber(-num, -den);
  const shift = bitLength(den) - bitLength(num) + 65; // num·2^shift/den ≥ 2^64
  const scaledNum = shift >= 0 ? num << BigInt(shift) : num;
  const scaledDen = shift >= 0 ? den : den << BigInt(-shift);
  let q = scaledNum / scaledDen;
  if (scaledNum % scaledDen !== 0n) q |= 1n; // sticky bit: breaks ties the right way
  return scaleByPowerOfTwo(Number(q), -shift);
}

/**
 * Terms C(s,b)·C(n−s,a−b) for b = lo…hi: how many a-subsets of n cells share exactly b cells
 * with a fixed s-subset. Two full binomials, then exact one-step recurrences.
 * Callers guarantee 0 ≤ lo ≤ hi ≤ min(s, a) and lo ≥ a − (n − s).
 */
function overlapTerms(n: number, a: number, s: number, lo: number, hi: number): bigint[] {
  let inSegment = binomial(s, lo); // C(s, b)
  let outside = binomial(n - s, a - lo); // C(n−s, a−b)
  const terms: bigint[] = [];
  for (let b = lo; b <= hi; b++) {
    terms.push(inSegment * outside); // one term C(s,b)·C(n−s,a−b)
    if (b === hi) break;
    inSegment = (inSegment * BigInt(s - b)) / BigInt(b + 1); // C(s,b+1) = C(s,b)·(s−b)/(b+1)
    outside = (outside * BigInt(a - b)) / BigInt(n - s - a + b + 1); // C(N,k−1) = C(N,k)·k/(N−k+1)
  }
  return terms;
}

const sum = (xs: bigint[]) => xs.reduce((acc, x) => acc + x, 0n);

function checkFalsePositive({ n, a, s, theta }: FalsePositiveParams): void {
  checkCount('n', n); checkCount('a', a); checkCount('s', s);
  if (!Number.isSafeInteger(theta)) throw new RangeError(`theta must be an integer, got ${theta}`);
  if (a > n) throw new RangeError(`a (${a}) must not exceed n (${n})`);
  if (s > n) throw new RangeError(`s (${s}) must not exceed n (${n})`);
}

/**
 * The overlap distribution is symmetric in the two sets: C(s,b)·C(n−s,a−b)/C(n,a) =
 * C(a,b)·C(n−a,s−b)/C(n,s). Counting with the smaller set as the "pattern" gives the same exact
 * ratio with far smaller integers (C(190000, 50) instead of C(190000, 5700)).
 */
function overlapTail(n: number, a: number, s: number, lo: number, hi: number): { terms: bigint[]; total: bigint } {
  const [k, m] = a <= s ? [a, s] : [s, a];
  return { terms: overlapTerms(n, k, m, lo, hi), total: binomial(n, k) };
}

/** P_FP = Σ_{b=θ}^{min(s,a)} C(s,b)·C(n−s,a−b) / C(n,a): a random a-of-n pattern activates ≥ θ synapses. */
export function falsePositive(p: FalsePositiveParams): number {
  checkFalsePositive(p);
  const { n, a, s, theta } = p;
  const hi = Math.min(s, a); // cannot overlap more than either set
  const lo = Math.max(theta, 0, a - (n - s)); // terms below a−(n−s) have C(n−s,a−b) = 0
  if (lo > hi) return 0;
  const { terms, total } = overlapTail(n, a, s, lo, hi);
  return ratioToNumber(sum(terms), total);
}

/** P_FP for every θ = 0…s at once (index = θ): one set of terms, suffix sums. */
export function falsePositiveCurve(n: number, a: number, s: number): number[] {
  checkFalsePositive({ n, a, s, theta: 0 });
  const lo = Math.max(0, a - (n - s));
  const hi = Math.min(s, a);
  const curve = new Array<number>(s + 1).fill(0);
  const { terms, total } = overlapTail(n, a, s, lo, hi);
  let tail = 0n;
  for (let b = hi; b >= lo; b--) {
    tail += terms[b - lo]; // Σ_{b'≥b} C(s,b')·C(n−s,a−b')
    curve[b] = ratioToNumber(tail, total);
  }
  for (let t = 0; t < lo; t++) curve[t] = curve[lo]; // every pattern overlaps by ≥ lo anyway
  return curve;
}

function checkFalseNegative({ a, s, theta, v }: FalseNegativeParams): void {
  checkCount('a', a); checkCount('s', s); checkCount('v', v);
  if (!Number.isSafeInteger(theta)) throw new RangeError(`theta must be an integer, got ${theta}`);
  if (s > a) throw new RangeError(`s (${s}) must not exceed a (${a}): synapses sit on the pattern`);
  if (v > a) throw new RangeError(`v (${v}) must not exceed a (${a})`);
}

/**
 * P_FN = Σ_{b=s−θ+1}^{s} C(s,b)·C(a−s,v−b) / C(a,v). b is how many of the segment's s cells are
 * among the v removed ones; the replacement (noise) cells lie outside the stored pattern, so
 * they never carry one of its synapses. The segment misses when s − b < θ.
 */
export function falseNegative(p: FalseNegativeParams): number {
  checkFalseNegative(p);
  const { a, s, theta, v } = p;
  const lo = Math.max(s - theta + 1, 0, v - (a - s)); // s−b < θ, and v−b ≤ a−s
  const hi = Math.min(s, v); // cannot remove more segment cells than exist or than are removed
  if (lo > hi) return 0;
  return ratioToNumber(sum(overlapTerms(a, v, s, lo, hi)), binomial(a, v));
}

/** P_FN for every θ = 0…s (index = θ). */
export function falseNegativeCurve(a: number, s: number, v: number): number[] {
  const curve: number[] = [];
  for (let theta = 0; theta <= s; theta++) curve.push(falseNegative({ a, s, theta, v }));
  return curve;
}

/** s' = round(n·(1 − (1 − s/n)^M)): expected distinct synapses after storing M random patterns. */
export function unionSynapses(n: number, s: number, M: number): number {
  checkCount('M', M);
  return Math.round(n * (1 - (1 - s / n) ** M)); // P(cell unused by all M) = (1 − s/n)^M
}

/** The paper's union error: P_FP with s replaced by the expected union size s'. */
export function unionFalsePositive(p: UnionParams): number {
  return falsePositive({ n: p.n, a: p.a, s: unionSynapses(p.n, p.s, p.M), theta: p.theta });
}

const logFactorialCache = new Map<number, Float64Array>();
function logFactorials(n: number): Float64Array {
  let table = logFactorialCache.get(n);
  if (!table) {
    table = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) table[i] = table[i - 1] + Math.log(i);
    if (logFactorialCache.size > 8) logFactorialCache.clear();
    logFactorialCache.set(n, table);
  }
  return table;
}

/**
 * Distribution of the union size |U_M| of M independent uniform s-subsets of n cells
 * (index = size). Transition: P(|U_{m+1}| = k+j | |U_m| = k) = C(n−k,j)·C(k,s−j) / C(n,s).
 * Hypergeometric weights in log space (relative error ~1e−9), good enough for a distribution.
 */
export function unionSizeDistribution(n: number, s: number, M: number): Float64Array {
  checkCount('n', n); checkCount('s', s); checkCount('M', M);
  if (s > n) throw new RangeError(`s (${s}) must not exceed n (${n})`);
  const lf = logFactorials(n);
  const logC = (N: number, k: number) => lf[N] - lf[k] - lf[N - k];
  const maxSize = Math.min(n, M * s);
  let dist = new Float64Array(maxSize + 1);
  dist[0] = 1; // before the first pattern the union is empty
  for (let m = 0; m < M; m++) {
    const next = new Float64Array(maxSize + 1);
    for (let k = 0; k <= Math.min(maxSize, m * s); k++) {
      if (dist[k] === 0) continue;
      for (let j = Math.max(0, s - k); j <= Math.min(s, n - k); j++) {
        next[k + j] += dist[k] * Math.exp(logC(n - k, j) + logC(k, s - j) - logC(n, s)); // j new cells
      }
    }
    dist = next;
  }
  return dist;
}

/** Union error averaged over the random union size, Σ_k P(|U_M| = k)·P_FP(n,a,k,θ): what a simulation measures. */
export function unionFalsePositiveExact(p: UnionParams): number {
  const dist = unionSizeDistribution(p.n, p.s, p.M);
  let sum = 0;
  for (let k = 0; k < dist.length; k++) {
    if (dist[k] > 0) sum += dist[k] * falsePositive({ n: p.n, a: p.a, s: k, theta: p.theta });
  }
  return sum;
}

/** Errors of a segment vs its threshold: P_FP(θ), P_FN(θ) and their sum for θ = 1…s. */
export interface ThresholdTradeoff { thetas: number[]; fp: number[]; fn: number[]; total: number[]; best: number }

/**
 * For a segment of s synapses reading a-of-n patterns with v of the a cells replaced by noise:
 * both error curves against θ, and the θ minimising P_FP + P_FN (the smallest one on ties).
 */
export function thresholdTradeoff(p: { n: number; a: number; s: number; v: number }): ThresholdTradeoff {
  const fpCurve = falsePositiveCurve(p.n, p.a, p.s);
  const fnCurve = falseNegativeCurve(p.a, p.s, p.v);
  const out: ThresholdTradeoff = { thetas: [], fp: [], fn: [], total: [], best: 1 };
  for (let theta = 1; theta <= p.s; theta++) {
    out.thetas.push(theta);
    out.fp.push(fpCurve[theta]);
    out.fn.push(fnCurve[theta]);
    out.total.push(fpCurve[theta] + fnCurve[theta]);
  }
  let bestIndex = 0;
  out.total.forEach((t, i) => { if (t < out.total[bestIndex]) bestIndex = i; });
  out.best = out.thetas[bestIndex];
  return out;
}

/** The θ minimising P_FP + P_FN (see thresholdTradeoff). */
export function optimalThreshold(p: { n: number; a: number; s: number; v: number }): number {
  return thresholdTradeoff(p).best;
}
