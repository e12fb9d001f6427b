/**
 * Monte Carlo check of the SDR error formulas (Ahmad & Hawkins 2016, arXiv 1601.00720): draw
 * random patterns (a of n cells) and random dendritic segments (s distinct cells) and count how
 * often a segment sees ≥ θ active synapses. sdr-theory.ts has the exact values.
 *
 * Why a pattern may serve many segments (and a segment many patterns). Cells are exchangeable,
 * so for a uniform segment S and any fixed pattern A, q = P(|S ∩ A| ≥ θ | A) is the same for
 * every A; likewise P(match | S) = q for every S. Take two tests that share a pattern (or a
 * segment) and draw the rest independently: given the shared part they are independent with
 * probability q each, whatever the shared part is — so they are independent, P(both) = q².
 * Every pair of tests is independent, hence Var(hits) = N·q·(1−q) exactly, as for a binomial,
 * and the Wilson interval keeps its meaning. This lets one drawn segment be tested against 32
 * patterns at once, each pattern one bit of a 32-bit word per cell (counted with bit-sliced
 * adders). It does not hold for unions: tests sharing a union U are correlated through |U|, so
 * UnionSim draws a fresh union for every test (against a shared test pattern, which is fine).
 *
 * Hot loops use preallocated typed arrays; "cell taken" means mark[c] === the current stamp, so
 * nothing is cleared or allocated per test.
 */
import type { FalseNegativeParams, FalsePositiveParams, UnionParams } from './sdr-theory';

/** A seeded source of uniform numbers; the project's RNG satisfies it. */
export interface Uniform {
  next(): number; // uniform 32-bit unsigned integer
  float(): number; // uniform in [0, 1)
}

export interface SimResult { trials: number; hits: number; p: number; ci: [number, number]; level: number }

/** A simulation advanced in chunks; the caller may yield to its event loop between them. */
export interface ChunkedSim { readonly trials: number; readonly hits: number; runChunk(trials: number): void; result(level?: number): SimResult }

/** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2e−9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0,1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Wilson score interval for a binomial proportion; sound even with a handful of hits. */
export function wilsonInterval(hits: number, trials: number, level = 0.95): [number, number] {
  if (trials === 0) return [0, 1];
  const z = normalQuantile(0.5 + level / 2);
  const pHat = hits / trials, z2n = (z * z) / trials;
  const center = (pHat + z2n / 2) / (1 + z2n); // (p̂ + z²/2N) / (1 + z²/N)
  const half = (z / (1 + z2n)) * Math.sqrt(pHat * (1 - pHat) / trials + z2n / (4 * trials)); // z/(1+z²/N)·√(p̂(1−p̂)/N + z²/4N²)
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** Largest population for which draws are exact (u·n must stay below 2^53). */
export const MAX_CELLS = 2 ** 21;

function checkInts(p: object): void {
  for (const [k, v] of Object.entries(p)) if (!Number.isSafeInteger(v)) throw new RangeError(`${k} must be an integer, got ${v}`);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Counters, the result, unbiased integer draws. */
abstract class SimBase implements ChunkedSim {
  trials = 0; // tests run
  hits = 0; // tests that counted as errors
  protected readonly mark: Uint32Array;
  protected readonly perm: Int32Array; // a permutation of the cells, shuffled in place to draw patterns
  private stamp = 0;
  private readonly rejectCell: number;
  constructor(protected readonly rng: Uniform, protected readonly n: number) {
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CELLS) throw new RangeError(`n must be in 1…${MAX_CELLS}, got ${n}`);
    this.mark = new Uint32Array(n);
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.rejectCell = 4294967296 % n; // precomputed: fmod is slow in the hot loop
  }
  abstract runChunk(trials: number): void;
  result(level = 0.95): SimResult {
    const p = this.trials > 0 ? this.hits / this.trials : 0;
    return { trials: this.trials, hits: this.hits, p, ci: wilsonInterval(this.hits, this.trials, level), level };
  }
  /** Uniform integer in [0, k ≤ 2^21) by Lemire's multiply-shift: u·k is exact in a double, its high
   *  word is the index; rejecting low words below 2^32 mod k makes every index exactly equally likely. */
  protected below(k: number, reject = 4294967296 % k): number {
    for (;;) {
      const m = this.rng.next() * k;
      const index = Math.floor(m / 4294967296);
      if (m - index * 4294967296 >= reject) return index;
    }
  }
  protected cell(): number { return this.below(this.n, this.rejectCell); }
  /** A fresh stamp: every cell becomes "not taken" (clears only on the 2^32 wrap-around). */
  protected newStamp(): number {
    if (++this.stamp === 0xffffffff) { this.mark.fill(0); this.stamp = 1; } return this.stamp;
  }
  /** Partial Fisher–Yates: perm[0..k) becomes a uniform k-subset of perm[0..len), whatever the prior order. */
  protected shuffleFront(perm: Int32Array, len: number, k: number): void {
    for (let i = 0, j = 0, t = 0; i < k; i++) { j = i + this.below(len - i); t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
  }
}

const LANES = 32; // patterns per word
/**
 * 32 tests per drawn segment. Bit k of lanes[c] says whether cell c is active in pattern k; a
 * segment is s distinct cells drawn uniformly from `pool`, and planes[p] accumulates bit p of
 * every lane's count of active synapses (ripple-carry adds of the cells' words).
 */
abstract class LaneSim extends SimBase {
  protected readonly lanes: Int32Array;
  protected readonly pool: Int32Array; // cells a segment may use
  private readonly planes: Int32Array;
  private untilRedraw = 0;
  /** @param hitBelow a hit is "fewer than θ" (false negative) instead of "at least θ". */
  constructor(rng: Uniform, n: number, private readonly s: number, private readonly theta: number,
    poolSize: number, private readonly hitBelow: boolean, private readonly redrawEvery: number) {
    super(rng, n);
    this.lanes = new Int32Array(n);
    this.pool = new Int32Array(poolSize);
    this.planes = new Int32Array(32 - Math.clz32(s)); // enough bits to count to s
  }
  /** Draws the 32 patterns into `lanes` (and the pool when it depends on them). */
  protected abstract redraw(): void;
  runChunk(trials: number): void {
    const { s, theta, lanes, pool, mark, planes } = this;
    const L = planes.length, poolSize = pool.length, rejectPool = 4294967296 % poolSize;
    let atLeast = 0; // tests with ≥ θ active synapses
    if (theta <= 0) atLeast = trials; // any count is ≥ θ
    else if (theta <= s) {
      for (let left = trials; left > 0; left -= LANES) {
        if (--this.untilRedraw <= 0) { this.redraw(); this.untilRedraw = this.redrawEvery; }
        planes.fill(0);
        const stamp = this.newStamp();
        for (let i = 0; i < s; i++) { // a fresh segment: s distinct uniform cells of the pool
          let c = pool[this.below(poolSize, rejectPool)];
          while (mark[c] === stamp) c = pool[this.below(poolSize, rejectPool)];
          mark[c] = stamp;
          for (let p = 0, carry = lanes[c], next = 0; carry !== 0 && p < L; p++) { // +1 in lanes where c is active
            next = planes[p] & carry; planes[p] ^= carry; carry = next;
          }
        }
        let greater = 0, equal = -1; // lanes whose count is >, = θ on the bits seen so far (MSB first)
        for (let p = L - 1; p >= 0; p--) {
          if ((theta >>> p) & 1) equal &= planes[p]; else { greater |= equal & planes[p]; equal &= ~planes[p]; }
        }
        const used = left >= LANES ? -1 : ~(-1 << left); // a last, partial round counts fewer lanes
        atLeast += popcount32((greater | equal) & used);
      }
    } // θ > s: no count reaches θ
    this.trials += trials;
    this.hits += this.hitBelow ? trials - atLeast : atLeast;
  }
}

/** False positives: fresh segments (s distinct cells of n) against 32 random a-of-n patterns. */
export class FalsePositiveSim extends LaneSim {
  constructor(readonly params: FalsePositiveParams & { redrawEvery?: number }, rng: Uniform) {
    const { n, a, s, theta } = params;
    checkInts(params);
    if (!(a >= 0 && a <= n && s >= 0 && s <= n)) throw new RangeError('need 0 ≤ a ≤ n and 0 ≤ s ≤ n');
    // Redrawing costs 32·a draws, a segment s: redraw rarely enough to keep that near 10%.
    super(rng, n, s, theta, n, false, params.redrawEvery ?? Math.max(256, Math.ceil((10 * LANES * a) / Math.max(1, s))));
    this.pool.set(this.perm); // any cell may carry a synapse
  }
  protected redraw(): void {
    const { n, a } = this.params;
    this.lanes.fill(0);
    for (let k = 0; k < LANES; k++) {
      this.shuffleFront(this.perm, n, a); // pattern k = a uniform a-subset
      for (let i = 0; i < a; i++) this.lanes[this.perm[i]] |= 1 << k;
    }
  }
}

/**
 * False negatives: a stored a-of-n pattern and 32 noisy versions, each with v random cells of it
 * removed and v random cells from outside it added (n − a ≥ v); fresh segments of s distinct cells
 * of the stored pattern. A hit: fewer than θ synapses active in the noisy version. By symmetry,
 * fixing the noise and drawing the segment equals the paper's fixed segment with fresh noise.
 */
export class FalseNegativeSim extends LaneSim {
  private readonly scratch: Int32Array;
  private readonly inPattern: Uint8Array;
  constructor(readonly params: FalseNegativeParams & { n: number; redrawEvery?: number }, rng: Uniform) {
    const { n, a, s, theta, v } = params;
    checkInts(params);
    if (!(s >= 0 && s <= a && v >= 0 && v <= a && a + v <= n && a >= 1)) throw new RangeError('need 0 ≤ s ≤ a, 0 ≤ v ≤ a, a + v ≤ n');
    super(rng, n, s, theta, a, true, params.redrawEvery ?? Math.max(256, Math.ceil((10 * (a + 2 * LANES * v)) / Math.max(1, s))));
    this.scratch = new Int32Array(a);
    this.inPattern = new Uint8Array(n);
  }
  protected redraw(): void {
    const { n, a, v } = this.params;
    const { lanes, pool, scratch, inPattern } = this;
    lanes.fill(0);
    inPattern.fill(0);
    this.shuffleFront(this.perm, n, a); // the stored pattern
    for (let i = 0; i < a; i++) { pool[i] = scratch[i] = this.perm[i]; inPattern[pool[i]] = 1; lanes[pool[i]] = -1; }
    for (let k = 0; k < LANES; k++) {
      this.shuffleFront(scratch, a, v); // remove v of the a pattern cells
      for (let i = 0; i < v; i++) lanes[scratch[i]] &= ~(1 << k);
      const stamp = this.newStamp();
      for (let i = 0; i < v; i++) { // add v distinct noise cells from outside the pattern
        let c = this.cell();
        while (inPattern[c] === 1 || this.mark[c] === stamp) c = this.cell();
        this.mark[c] = stamp;
        lanes[c] |= 1 << k;
      }
    }
  }
}

/**
 * Union property: a segment holds s synapses to each of M random patterns (union U); a hit is a
 * random a-of-n pattern activating ≥ θ cells of U. Each pattern's synapses are a uniform s-subset
 * of n (as a uniform s-subset of a uniform a-subset is). |U| is random: compare with
 * unionFalsePositiveExact (unionFalsePositive uses the rounded mean |U|).
 */
export class UnionSim extends SimBase {
  private readonly active: Uint8Array;
  private readonly inUnion: Uint32Array;
  private unionStamp = 0;
  constructor(readonly params: UnionParams, rng: Uniform) {
    super(rng, params.n);
    checkInts(params);
    const { n, a, s, M } = params;
    if (!(a >= 0 && a <= n && s >= 0 && s <= n && M >= 0)) throw new RangeError('need 0 ≤ a, s ≤ n, M ≥ 0');
    this.active = new Uint8Array(n);
    this.inUnion = new Uint32Array(n);
  }
  runChunk(trials: number): void {
    const { n, a, s, theta, M } = this.params;
    const { active, inUnion, mark, perm } = this;
    let hits = 0;
    for (let i = 0; i < a; i++) active[perm[i]] = 0; // a new test pattern per chunk (one would do, by symmetry)
    this.shuffleFront(perm, n, a);
    for (let i = 0; i < a; i++) active[perm[i]] = 1;
    for (let t = 0; t < trials; t++) {
      if (++this.unionStamp === 0xffffffff) { inUnion.fill(0); this.unionStamp = 1; }
      const union = this.unionStamp;
      let on = 0, drawsLeft = M * s;
      // Each draw adds at most one union cell, so once on + drawsLeft < θ no match is possible.
      outer: for (let m = 0; m < M; m++) {
        const stamp = this.newStamp(); // distinct cells within one pattern's s synapses
        for (let k = 0; k < s; k++) {
          let c = this.cell();
          while (mark[c] === stamp) c = this.cell();
          mark[c] = stamp;
          drawsLeft--;
          if (inUnion[c] !== union) { // a cell new to the union
            inUnion[c] = union;
            if (active[c] === 1 && ++on >= theta) break outer;
          }
          if (on + drawsLeft < theta) break outer;
        }
      }
      if (on >= theta) hits++;
    }
    this.trials += trials;
    this.hits += hits;
  }
}

export interface RunOptions {
  chunk?: number; // trials per chunk (default 1e6)
  shouldStop?: () => boolean; // asked before every chunk; true stops early (the result covers the trials done)
  onProgress?: (done: number, total: number, partial: SimResult) => void; // after every chunk
  level?: number; // interval level of the result (default 0.95)
}

/** Runs one chunk of a run of `total` trials; returns the trials done, or −1 when the run is over. */
function step(sim: ChunkedSim, done: number, total: number, opts: RunOptions): number {
  if (done >= total || opts.shouldStop?.()) return -1;
  const k = Math.min(Math.max(1, opts.chunk ?? 1e6), total - done);
  sim.runChunk(k);
  opts.onProgress?.(done + k, total, sim.result(opts.level));
  return done + k;
}

/** Runs `total` more trials in chunks, synchronously. */
export function runChunked(sim: ChunkedSim, total: number, opts: RunOptions = {}): SimResult {
  for (let done = 0; done >= 0;) done = step(sim, done, total, opts);
  return sim.result(opts.level);
}

/** As runChunked, but yields to the event loop (setImmediate) between chunks, so a caller can cancel. */
export async function runChunkedAsync(sim: ChunkedSim, total: number, opts: RunOptions = {}): Promise<SimResult> {
  for (let done = step(sim, 0, total, opts); done >= 0; done = step(sim, done, total, opts)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return sim.result(opts.level);
}
