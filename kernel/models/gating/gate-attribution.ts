/**
 * `dopamine.gate`: the state and gain of every gate of a Dopamine-tuned model, through the
 * attribution engine's extension point (kernel/dense/attribution/model.ts). With h the unit's
 * value entering its gate (the tap `<layer>.pre`: the frozen base's unit for hidden0, and for
 * later layers the base's unit fed by the gated layer before it), per item and unit:
 *   shut    1[0 < h ≤ τ]   the unit fires, the gate turns it off   (the score units are ranked by)
 *   open    1[h > τ]       the gate passes it
 *   fires   1[h > 0]
 *   output  γ 1[h > τ] h   what the gated unit sends on
 * The engine averages them over the slice (fractions of items, and the mean output). Per unit it
 * also stores the gate's gain γ and threshold τ and, when given, the same fractions over the
 * same test digits upright (`upright_shut`, `upright_open`, `upright_fires`), so one record says
 * which units the gate turns off for rotated digits that fire for upright ones.
 */
import { attribute, type AttributionData, type AttributionEnv } from '../../dense/attribution/engine';
import type { AttributionModel, ModelAttribution } from '../../dense/attribution/model';
import type { GateAndGain } from '../../dense/layers/gate';
import * as o from '../../dense/ops';
import { attributionOptions } from '../../protocol/attribution';

export const GATE_METHOD = 'dopamine.gate';

/** Per layer id, per unit: the fractions of the upright test digits on which the gate is shut, open, and the unit fires. */
export type UprightGates = Record<string, { shut: number[]; open: number[]; fires: number[] }>;

/** `dopamine.gate` for the gates of layers `ids` (gates[i] is the gate of ids[i]). */
export function gateAttribution(gates: readonly GateAndGain[], ids: readonly string[], upright?: UprightGates): ModelAttribution {
  const gateOf = (layer: string) => gates[ids.indexOf(layer)];
  return {
    method: GATE_METHOD,
    description: 'Dopamine gate per unit: shut (fires but gated off), open, fires, output; gain γ and threshold τ',
    layers: [...ids],
    unit: 'fraction of items',
    perItem(layer, tapped, bind) {
      const h = tapped(`${layer}.pre`);
      if (!h) throw new Error(`${GATE_METHOD}: the model does not tap ${layer}.pre`);
      const gate = gateOf(layer);
      const isOpen = o.greater(h, bind(gate.threshold));
      const fires = o.cast(o.greater(h, 0), 'float32');
      const open = o.cast(isOpen, 'float32');
      return {
        shut: o.mul(fires, o.sub(1, open)),
        open,
        fires,
        output: o.where(isOpen, o.mul(h, bind(gate.gain)), 0),
      };
    },
    perUnit(layer) {
      const gate = gateOf(layer);
      const u = upright?.[layer];
      return {
        gain: gate.gain.data,
        threshold: gate.threshold.data,
        ...(u ? { upright_shut: u.shut, upright_open: u.open, upright_fires: u.fires } : {}),
      };
    },
  };
}

/** The gate fractions of every layer of `model` (which offers dopamine.gate) over `data` (the upright test digits). */
export async function uprightGates(model: AttributionModel, data: AttributionData, env: AttributionEnv): Promise<UprightGates> {
  const ext = model.extras?.find((e) => e.method === GATE_METHOD);
  if (!ext) throw new Error(`uprightGates: the model offers no ${GATE_METHOD}`);
  const out: UprightGates = {};
  for (const layer of ext.layers) {
    const r = await attribute(model, data, { method: GATE_METHOD, layer, options: attributionOptions.parse({ perItem: false, topK: 0 }) }, env);
    out[layer] = { shut: r.quantities!.shut, open: r.quantities!.open, fires: r.quantities!.fires };
  }
  return out;
}
