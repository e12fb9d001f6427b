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
  /** Mean over units and digits: the gate open (h > τ), the unit firing (h > 0). */
  openRotated: number;
  openUpright: number;
  firesRotated: number;
  firesUpright: number;
  /** Mean over units and rotated digits of 1[h > 0 and h > τ]: the unit's output is not zero (γ may be negative). */
  activeRotated: number;
  /** Units turned off for rotated digits that fire for upright ones (OFF_OPEN, ON_FIRES), and the first few of them by upright firing. */
  offForRotated: number;
  offUnits: number[];
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
  return {
    layer: r.layer,
    units: r.units,
    openRotated: mean(q.open),
    openUpright: mean(q.upright_open),
    firesRotated: mean(q.fires),
    firesUpright: mean(q.upright_fires),
    activeRotated: mean(q.fires) - mean(q.shut),
    offForRotated: off.length,
    offUnits: off.slice(0, 16),
    gain: range(q.gain),
    threshold: range(q.threshold),
  };
}

/** Per layer, units sorted by how often they fire for upright digits: that, and how often their gate is open for rotated and for upright ones. */
function gateTrace(records: AttributionRecord[]): XYTrace {
  const series = records.flatMap((r) => {
    const q = r.quantities!;
    const order = [...q.upright_fires.keys()].sort((a, b) => q.upright_fires[b] - q.upright_fires[a] || a - b);
    const x = order.map((_, i) => i);
    const pick = (v: number[]) => order.map((u) => v[u]);
    return [
      { name: `${r.layer} fires (upright)`, x, y: pick(q.upright_fires) },
      { name: `${r.layer} gate open (upright)`, x, y: pick(q.upright_open) },
      { name: `${r.layer} gate open (rotated)`, x, y: pick(q.open) },
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
