/**
 * How much each perforated unit's output changes because of its dendrites, over a data slice:
 * per item and unit, s = Σ_k c_k · d_k (the dendrites' part of the pre-activation o) and whether
 * the dendrites flip the unit's sign (o and o − s on opposite sides of 0: o·(o − s) < 0). For a
 * convolution a unit is a channel; an item's value is its mean over positions (the flip: the
 * fraction of positions flipped). Averaged over the slice: mean s, mean |s|, flip fraction.
 *
 * Stored as an attribution record (docs/attribution-format.md, `neurite-attribution-1`, method
 * `perforated.dendrite`, definition `model-specific`) in artifacts/attribution/<id>.perforated.dendrite.json,
 * so the attribution views read it like any other: values.mean = mean s, values.meanAbs =
 * mean |s| (units ranked by it), quantities { contribution, flipFraction }.
 */
import * as path from 'path';
import { writeFileAtomic } from '../../core/files';
import { tensor } from '../../dense/ort';
import { Graph } from '../../dense/graph';
import { serialize } from '../../dense/onnx/serialize';
import * as o from '../../dense/ops';
import { feedParams } from '../../dense/params';
import { sessions, type ExecOptions } from '../../dense/session';
import { modelInput, type InputType } from '../../dense/step';
import type { PerforatedNet } from './perforated-net';

export interface Contribution {
  /** Attribution id of the layer (`hidden0`, `conv1`, `output`). */
  id: string;
  layer: string;
  units: number;
  items: number;
  mean: number[];
  meanAbs: number[];
  flipFraction: number[];
}

/** Per-unit dendrite contributions of every perforated layer with joined dendrites, over `batches`. */
export async function dendriteContributions(
  net: PerforatedNet,
  batches: Iterable<{ x: Float32Array | Uint8Array; size: number }>,
  io: { inputShape(n: number): number[]; inputType: InputType; exec: ExecOptions },
): Promise<Contribution[]> {
  const layers = net.perforated.filter((l) => l.joined > 0);
  if (!layers.length) return [];
  const sums = layers.map((l) => ({ s: new Float64Array(l.units), abs: new Float64Array(l.units), flip: new Float64Array(l.units) }));
  let items = 0;
  const compiled = new Map<number, { run(x: Float32Array | Uint8Array): Promise<Float32Array[]> }>();
  for (const b of batches) {
    let c = compiled.get(b.size);
    if (!c) compiled.set(b.size, (c = await compileFor(net, io, b.size)));
    const outs = await c.run(b.x);
    layers.forEach((l, k) => {
      const [s, abs, flip] = [outs[3 * k], outs[3 * k + 1], outs[3 * k + 2]];
      for (let n = 0; n < b.size; n++) {
        for (let i = 0; i < l.units; i++) {
          sums[k].s[i] += s[n * l.units + i];
          sums[k].abs[i] += abs[n * l.units + i];
          sums[k].flip[i] += flip[n * l.units + i];
        }
      }
    });
    items += b.size;
  }
  const mean = (v: Float64Array) => Array.from(v, (x) => x / items);
  return layers.map((l, k) => ({ id: net.ids.get(l)!, layer: l.name, units: l.units, items, mean: mean(sums[k].s), meanAbs: mean(sums[k].abs), flipFraction: mean(sums[k].flip) }));
}

/** The forward graph with, per perforated layer, s, |s| and the flip indicator per item and unit. */
async function compileFor(net: PerforatedNet, io: { inputShape(n: number): number[]; inputType: InputType; exec: ExecOptions }, size: number) {
  const g = new Graph('float32');
  const x = modelInput(g, io.inputShape(size), io.inputType);
  const { bind, bound } = feedParams(g);
  net.model.apply(x, bind);
  const layers = net.perforated.filter((l) => l.joined > 0);
  for (const [k, l] of layers.entries()) {
    const s = g.taps.get(`${l.name}.dendrites`)!;
    const out = g.taps.get(`${l.name}.output`)!;
    const flipped = o.cast(o.less(o.mul(out, o.sub(out, s)), 0), 'float32');
    const perItem = (v: ReturnType<typeof o.abs>) => (v.shape.length === 4 ? o.reduceMean(v, [2, 3], false) : v);
    g.output(`s${k}`, perItem(s));
    g.output(`abs${k}`, perItem(o.abs(s)));
    g.output(`flip${k}`, perItem(flipped));
  }
  const session = await sessions.get(serialize(g, { name: 'dendrite_contribution' }), io.exec);
  const params = [...bound.keys()];
  return {
    async run(xb: Float32Array | Uint8Array): Promise<Float32Array[]> {
      const feeds = { x: tensor(io.inputType, xb, io.inputShape(size)), ...Object.fromEntries(params.map((p) => [p.name, tensor('float32', p.data, [...p.shape])])) };
      const r = await session.run(feeds);
      return layers.flatMap((_, k) => [`s${k}`, `abs${k}`, `flip${k}`].map((n) => r[n].data as Float32Array));
    },
  };
}

/** Write one record per layer under `dir` (artifacts/attribution); returns the files written. */
export function writeContributions(dir: string, contributions: Contribution[], model: { kind: string; seconds: number }): string[] {
  return contributions.map((c) => {
    const rank = [...c.meanAbs.keys()].sort((a, b) => c.meanAbs[b] - c.meanAbs[a] || a - b);
    const record = {
      format: 'neurite-attribution-1',
      request: { method: 'perforated.dendrite', layer: c.id, data: { split: 'test', count: c.items }, options: {} },
      definition: 'model-specific',
      layer: c.id,
      units: c.units,
      shape: [c.units],
      unit: 'pre-activation',
      items: c.items,
      values: { mean: c.mean, meanAbs: c.meanAbs },
      rank,
      quantities: { contribution: c.mean, flipFraction: c.flipFraction },
      model: { kind: model.kind, checkpoint: 'final', layer: c.layer },
      createdAt: new Date().toISOString(),
      seconds: model.seconds,
    };
    const file = path.join(dir, `${c.id}.perforated.dendrite.json`);
    writeFileAtomic(file, JSON.stringify(record, null, 1));
    return file;
  });
}
