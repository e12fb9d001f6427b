/**
 * What a gating.dopamine run reports beside accuracy, all computed by the attribution engine:
 * the fraction of active units per layer (hard gates), and per gated layer a summary of the
 * `dopamine.gate` records: how often gates are open for rotated and for upright digits, and
 * which units the gate turns off for rotated digits although they fire for upright ones.
 */
import { attribute, type AttributionData, type AttributionEnv } from '../../dense/attribution/engine';
import type { AttributionModel } from '../../dense/attribution/model';
import { attributionOptions, type AttributionRecord } from '../../protocol/attribution';
import type { XYTrace } from '../../protocol/types';
import { uprightGates, type UprightGates } from './gate-attribution';
import { tunedAttributionModel, type TunedModel } from './tuning';

/**
 * Per layer, the fraction of (unit, item) pairs whose output is above 0 (LayerActivation,
 * activeAbove 0): for ReLU units, those whose output is not zero. (Gated layers count theirs
 * from the gate records instead, GateLayerReport.activeRotated, since a gain may be negative.)
 */
export async function layerActivity(model: AttributionModel, data: AttributionData, layers: readonly string[], env: AttributionEnv): Promise<{ layer: string; fraction: number }[]> {
  const out: { layer: string; fraction: number }[] = [];
  for (const layer of layers) {
    const r = await attribute(model, data, { method: 'activation', layer, options: attributionOptions.parse({ activeAbove: 0, perItem: false, topK: 0, bins: 1 }) }, env);
    out.push({ layer, fraction: mean(r.summary.fractionActive!) });
  }
  return out;
}

/**
 * A unit the gate turns off for rotated digits that fires for upright ones: its gate is open on
 * fewer than OFF_OPEN of the rotated test digits, and it fires (h > 0) on at least ON_FIRES of the
 * same digits upright.
 */
export const OFF_OPEN = 0.05;
export const ON_FIRES = 0.25;

export interface GateLayerReport {
  layer: string;
  units: number;
  /** Means over units and test digits (rotated; the same digits upright) of: the unit fires, h > 0; */
  firesRotated: number;
  firesUpright: number;
  /** the gate passes it, h > 0 and h > τ (its output is not zero; γ may be negative); */
  activeRotated: number;
  activeUpright: number;
  /** it fires and the gate turns it off, 0 < h ≤ τ; */
  shutRotated: number;
  shutUpright: number;
  /** the gate is open, h > τ (also where h = 0 passes nothing, when τ < 0). */
  openRotated: number;
  openUpright: number;
  /** Units turned off for rotated digits that fire for upright ones (OFF_OPEN, ON_FIRES), the first few by upright firing, and how often the gate passes them for upright digits. */
  offForRotated: number;
  offUnits: number[];
  offActiveUpright: number;
  gain: { min: number; mean: number; max: number };
  threshold: { min: number; mean: number; max: number };
}

/**
 * The gates of a dopamine-tuned model: the fractions over `upright` (the upright test digits)
 * computed first, so that the attribution model's `dopamine.gate` carries them beside its own
 * per-slice fractions; then a layer summary of its records and a trace for the views.
 */
export async function gateReport(m: TunedModel, dims: Parameters<typeof tunedAttributionModel>[1], upright: AttributionData, env: AttributionEnv) {
  const plain = tunedAttributionModel(m, dims);
  const u: UprightGates = await uprightGates(plain, upright, env);
  return {
    model: tunedAttributionModel(m, dims, u),
    /** The layer summaries and the trace, from the model's `dopamine.gate` records over the rotated test digits. */
    summarize: (records: AttributionRecord[]) => ({ layers: records.map(layerReport), trace: gateTrace(records) }),
  };
}

function layerReport(r: AttributionRecord): GateLayerReport {
  const q = r.quantities!;
  const off = [...q.open.keys()].filter((u) => q.open[u] < OFF_OPEN && q.upright_fires[u] >= ON_FIRES).sort((a, b) => q.upright_fires[b] - q.upright_fires[a] || a - b);
  const active = (fires: number[], shut: number[]) => fires.map((f, u) => f - shut[u]);
  const upActive = active(q.upright_fires, q.upright_shut);
  return {
    layer: r.layer,
    units: r.units,
    firesRotated: mean(q.fires),
    firesUpright: mean(q.upright_fires),
    activeRotated: mean(active(q.fires, q.shut)),
    activeUpright: mean(upActive),
    shutRotated: mean(q.shut),
    shutUpright: mean(q.upright_shut),
    openRotated: mean(q.open),
    openUpright: mean(q.upright_open),
    offForRotated: off.length,
    offUnits: off.slice(0, 16),
    offActiveUpright: off.length ? mean(off.map((u) => upActive[u])) : 0,
    gain: range(q.gain),
    threshold: range(q.threshold),
  };
}

/** Per layer, units sorted by how often they fire for upright digits: that, and how often the gate passes them (fires and above τ) for upright and for rotated digits. */
function gateTrace(records: AttributionRecord[]): XYTrace {
  const series = records.flatMap((r) => {
    const q = r.quantities!;
    const order = [...q.upright_fires.keys()].sort((a, b) => q.upright_fires[b] - q.upright_fires[a] || a - b);
    const x = order.map((_, i) => i);
    const pick = (v: number[]) => order.map((u) => v[u]);
    return [
      { name: `${r.layer} fires (upright)`, x, y: pick(q.upright_fires) },
      { name: `${r.layer} passed (upright)`, x, y: pick(q.upright_fires.map((f, u) => f - q.upright_shut[u])) },
      { name: `${r.layer} passed (rotated)`, x, y: pick(q.fires.map((f, u) => f - q.shut[u])) },
    ];
  });
  return { type: 'xy', title: 'Dopamine gates per unit (units by how often they fire for upright digits)', xLabel: 'unit, by upright firing', yLabel: 'fraction of test digits', series };
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / Math.max(1, v.length);
}

function range(v: ArrayLike<number>): { min: number; mean: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    min = Math.min(min, v[i]);
    max = Math.max(max, v[i]);
  }
  return { min, mean: mean(v), max };
}
