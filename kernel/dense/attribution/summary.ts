/**
 * Per-unit summaries of per-item values [items, units] (row-major): mean and mean |value|,
 * the fraction of items on which a unit is active, a histogram with edges shared by the
 * layer, the top inputs of each unit, and the units ranked by mean |value|. Sums run in
 * float64 in item order, so the summary of the same values is the same however the items
 * were batched.
 */

export interface UnitSummary {
  mean: Float64Array;
  meanAbs: Float64Array;
  /** Units by meanAbs, largest first (ties: lower index first). */
  rank: Int32Array;
  fractionActive?: Float64Array;
  histogram?: { edges: number[]; counts: Int32Array[] };
  topInputs?: { k: number; items: Int32Array[]; values: Float32Array[] };
}

export interface SummaryOptions {
  /** Count the fraction of items with a value above this (activation). */
  activeAbove?: number;
  /** Histogram bins (activation). */
  bins?: number;
  /** Top inputs per unit: the data items (by `ids`) with the largest values. */
  topK?: number;
  ids?: Int32Array;
}

export function summarize(values: Float32Array, items: number, units: number, o: SummaryOptions = {}): UnitSummary {
  if (values.length !== items * units) throw new Error(`summarize: ${values.length} values for ${items} items × ${units} units`);
  const sum = new Float64Array(units);
  const sumAbs = new Float64Array(units);
  const active = new Float64Array(units);
  const above = o.activeAbove ?? Infinity; // hoisted: the loop stays monomorphic
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < items; i++) {
    const row = i * units;
    for (let u = 0; u < units; u++) {
      const v = values[row + u];
      sum[u] += v;
      sumAbs[u] += Math.abs(v);
      if (v > above) active[u]++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const mean = sum.map((s) => s / items);
  const meanAbs = sumAbs.map((s) => s / items);
  const rank = Int32Array.from({ length: units }, (_, u) => u).sort((a, b) => meanAbs[b] - meanAbs[a] || a - b);
  const out: UnitSummary = { mean, meanAbs, rank };
  if (o.activeAbove !== undefined) out.fractionActive = active.map((c) => c / items);
  if (o.bins) out.histogram = histogram(values, items, units, o.bins, lo, hi);
  if (o.topK && o.ids) out.topInputs = topInputs(values, items, units, Math.min(o.topK, items), o.ids);
  return out;
}

/** Counts per unit in `bins` equal bins over [lo, hi] (the layer's range; a constant layer gets [v − ½, v + ½]). */
function histogram(values: Float32Array, items: number, units: number, bins: number, lo: number, hi: number) {
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = Array.from({ length: units }, () => new Int32Array(bins));
  for (let i = 0; i < items; i++) {
    for (let u = 0; u < units; u++) {
      const k = Math.min(bins - 1, Math.floor((values[i * units + u] - lo) / width));
      counts[u][k]++;
    }
  }
  return { edges, counts };
}

/** For each unit, the k items with the largest values, largest first (ties: earlier item first). */
function topInputs(values: Float32Array, items: number, units: number, k: number, ids: Int32Array) {
  // Flat arrays, unit-major, and each unit's current k-th value as a threshold: most values fail it at once.
  const top = new Float32Array(units * k).fill(-Infinity);
  const at = new Int32Array(units * k).fill(-1);
  const floor = new Float32Array(units).fill(-Infinity);
  const filled = new Int32Array(units);
  for (let i = 0; i < items; i++) {
    const row = i * units;
    for (let u = 0; u < units; u++) {
      const v = values[row + u];
      if (!(v > floor[u]) && filled[u] === k) continue;
      const base = u * k;
      let j = Math.min(filled[u], k - 1);
      while (j > 0 && v > top[base + j - 1]) {
        top[base + j] = top[base + j - 1];
        at[base + j] = at[base + j - 1];
        j--;
      }
      top[base + j] = v;
      at[base + j] = i;
      if (filled[u] < k) filled[u]++;
      floor[u] = top[base + k - 1];
    }
  }
  const unitsOf = <T extends Float32Array | Int32Array>(a: T, map: (x: number) => number) => Array.from({ length: units }, (_, u) => a.slice(u * k, u * k + filled[u]).map(map) as T);
  return { k, items: unitsOf(at, (i) => ids[i]), values: unitsOf(top, (v) => v) };
}
