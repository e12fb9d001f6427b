/**
 * The viewer's lanes: stacked (one trace per lane, like a logic analyser) or overlaid (traces
 * of one quantity from one file share a lane); each raster gets a lane of spikes and a lane of
 * its population rate beneath. Free of the DOM.
 */
import type { WaveformRasterInfo, WaveformTraceInfo } from '../../kernel/protocol/waveforms';

export type Lane =
  | { key: string; kind: 'traces'; title: string; unit: string; ids: number[]; height: number }
  | { key: string; kind: 'raster'; title: string; id: number; neurons: number; height: number }
  | { key: string; kind: 'rate'; title: string; id: number; height: number };

export const traceLaneHeight = { stacked: 84, overlaid: 150 };
export const rasterLaneHeight = 180;
export const rateLaneHeight = 64;

export function buildLanes(traces: WaveformTraceInfo[], rasters: WaveformRasterInfo[], overlaid: boolean, hidden: ReadonlySet<number>): Lane[] {
  const lanes: Lane[] = [];
  const shown = traces.filter((t) => !hidden.has(t.id));
  if (overlaid) {
    const groups = new Map<string, WaveformTraceInfo[]>();
    for (const t of shown) {
      const key = `${t.source}\u0000${t.quantity}\u0000${t.unit}`;
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
    for (const [key, ts] of groups) lanes.push({ key, kind: 'traces', title: ts[0].quantity, unit: ts[0].unit, ids: ts.map((t) => t.id), height: traceLaneHeight.overlaid });
  } else {
    for (const t of shown) lanes.push({ key: `t${t.id}`, kind: 'traces', title: t.name, unit: t.unit, ids: [t.id], height: traceLaneHeight.stacked });
  }
  for (const r of rasters.filter((x) => !hidden.has(x.id))) {
    lanes.push({ key: `r${r.id}`, kind: 'raster', title: `${r.name} · ${r.spikes.toLocaleString('en')} spikes · ${r.neurons.toLocaleString('en')} neurons`, id: r.id, neurons: r.neurons, height: rasterLaneHeight });
    lanes.push({ key: `q${r.id}`, kind: 'rate', title: `${r.name} population rate`, id: r.id, height: rateLaneHeight });
  }
  return lanes;
}

/** Lanes stacked from `top`, each with its y offset. */
export function layout(lanes: Lane[], top: number, gap = 6): { lane: Lane; top: number }[] {
  let y = top;
  return lanes.map((lane) => {
    const at = { lane, top: y };
    y += lane.height + gap;
    return at;
  });
}
