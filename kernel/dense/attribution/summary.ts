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
  const active = o.activeAbove === undefined ? undefined : new Float64Array(units);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < items; i++) {
    const row = i * units;
    for (let u = 0; u < units; u++) {
      const v = values[row + u];
      sum[u] += v;
      sumAbs[u] += Math.abs(v);
      if (active && v > o.activeAbove!) active[u]++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const mean = sum.map((s) => s / items);
  const meanAbs = sumAbs.map((s) => s / items);
  const rank = Int32Array.from({ length: units }, (_, u) => u).sort((a, b) => meanAbs[b] - meanAbs[a] || a - b);
  const out: UnitSummary = { mean, meanAbs, rank };
  if (active) out.fractionActive = active.map((c) => c / items);
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
  const best = Array.from({ length: units }, () => ({ at: new Int32Array(k).fill(-1), v: new Float32Array(k).fill(-Infinity) }));
  for (let i = 0; i < items; i++) {
    for (let u = 0; u < units; u++) {
      const v = values[i * units + u];
      const b = best[u];
      if (!(v > b.v[k - 1]) && b.at[k - 1] >= 0) continue;
      let j = k - 1;
      while (j > 0 && (v > b.v[j - 1] || b.at[j - 1] < 0)) {
        b.v[j] = b.v[j - 1];
        b.at[j] = b.at[j - 1];
        j--;
      }
      b.v[j] = v;
      b.at[j] = i;
    }
  }
  return { k, items: best.map((b) => b.at.map((i) => ids[i])), values: best.map((b) => b.v) };
}
