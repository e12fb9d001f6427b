/**
 * Attribution for dense experiment kinds: the `attribution:` spec block every dense kind
 * embeds (computed at the end of the run, stored in artifacts/attribution/), and the
 * AttributionSubject a kind gives the engine: its trained model and a way to slice its data.
 * A kind offers attribution by embedding `attribution: attributionBlock.optional()` and
 * implementing `Experiment.attribution.load` (rebuild a finished run's model from its
 * checkpoint), as dense.mlp does.
 */
import { z } from 'zod';
import type { EngineContext } from '../core/engine-context';
import { InputError } from '../core/errors';
import { attribute, type AttributionData, type AttributionEnv } from '../dense/attribution/engine';
import { INPUT, layersOf, type AttributionModel } from '../dense/attribution/model';
import { toRecord, writeRecord, type ModelSource } from '../dense/attribution/store';
import type { ExecOptions } from '../dense/session';
import { attributionOptions, dataSlice, methodName, type AttributionOptions, type AttributionRecord, type AttributionRequest, type DataSlice } from '../protocol/attribution';

/** A trained model and its run's data, as the attribution engine takes them. */
export interface AttributionSubject {
  model: AttributionModel;
  /** The items of a slice of the run's data (loaded on first use). */
  data(slice: DataSlice): Promise<AttributionData>;
  source: ModelSource;
  exec: ExecOptions;
}

export const attributionBlock = z
  .strictObject({
    data: dataSlice.default({ split: 'test', count: 1000 }).describe('The items averaged over (the first `count` of the split, or all when it has fewer).'),
    layers: z.array(z.string().min(1)).min(1).optional().describe('Layer ids (input, hidden0, hidden1, …); default: every hidden layer. ig always attributes to the input.'),
    methods: z.array(methodName).min(1).default(['activation', 'gradxact', 'conductance']).describe('Methods: activation, gradxact, ig, conductance, ablation, or a model-specific one.'),
    options: attributionOptions.prefault({}),
  })
  .describe('Attributions computed at the end of the run into artifacts/attribution/<layer>.<method>.json (docs/attribution-format.md); absent: none.');
export type AttributionBlock = z.infer<typeof attributionBlock>;

/** The item ids of a slice of a split (ids: the split's data set indices, ascending). */
export function sliceIds(split: Int32Array, slice: DataSlice): Int32Array {
  if (slice.indices) {
    const member = new Set(split);
    const outside = slice.indices.filter((i) => !member.has(i));
    if (outside.length) throw new InputError([`data.indices: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''} ${outside.length === 1 ? 'is' : 'are'} not in the ${slice.split} split (${split.length} items)`]);
    return Int32Array.from(slice.indices);
  }
  if (split.length === 0) throw new InputError([`data.split: the ${slice.split} split of this run is empty`]);
  return split.slice(0, Math.min(split.length, slice.count ?? split.length));
}

/** The layers a method describes: the one asked for, else ig → input, a model-specific one → its layers, others → every hidden layer. */
export function layersFor(model: AttributionModel, method: string, layers?: readonly string[]): string[] {
  const ext = model.extras?.find((e) => e.method === method);
  if (method === 'ig') return [INPUT];
  const all = ext ? [...ext.layers] : layersOf(model).map((l) => l.id).filter((id) => id !== INPUT);
  if (!layers) return all;
  // A block's layer list limits each method to the layers it can describe (conductance has no input units).
  return layers.filter((l) => (method === 'conductance' ? l !== INPUT : true) && (!ext || ext.layers.includes(l)));
}

/**
 * A block's methods and layers checked against the model before any training, so that a typo
 * fails the run at its start rather than after it trained: every problem as `path: message`.
 */
export function checkAttributionBlock(block: AttributionBlock, model: AttributionModel): void {
  const layers = layersOf(model).map((l) => l.id);
  const methods = ['activation', 'gradxact', 'ig', 'conductance', 'ablation', ...(model.extras ?? []).map((e) => e.method)];
  const problems = [
    ...block.methods.flatMap((m, i) => (methods.includes(m) ? [] : [`attribution.methods[${i}]: "${m}" is not a method of this model; methods: ${methods.join(', ')}`])),
    ...(block.layers ?? []).flatMap((l, i) => (layers.includes(l) ? [] : [`attribution.layers[${i}]: "${l}" is not a layer of this model; its layers: ${layers.join(', ')}`])),
  ];
  if (problems.length) throw new InputError(problems);
}

export interface AttributionAsk {
  method: string;
  layer: string;
  neuron?: number;
  data: DataSlice;
  options: AttributionOptions;
}

/** Compute one request on a subject: its record (every item's values inline when kept). */
export async function computeRecord(subject: AttributionSubject, ask: AttributionAsk, env: Omit<AttributionEnv, 'exec'>): Promise<AttributionRecord> {
  const data = await subject.data(ask.data);
  const result = await attribute(subject.model, data, { method: ask.method, layer: ask.layer, neuron: ask.neuron, options: ask.options }, { ...env, exec: subject.exec });
  const request: AttributionRequest = { method: ask.method, layer: ask.layer, ...(ask.neuron !== undefined ? { neuron: ask.neuron } : {}), data: ask.data, options: ask.options };
  return toRecord(result, request, subject.source, ask.options.perItem ?? data.count <= 100);
}

/** The spec's `attribution:` block at the end of a run: every method × layer, stored; returns the files (relative to the run). */
export async function writeRunAttributions(block: AttributionBlock, subject: AttributionSubject, ctx: EngineContext): Promise<string[]> {
  const dir = ctx.artifactPath('attribution');
  const asks = block.methods.flatMap((method) => layersFor(subject.model, method, block.layers).map((layer) => ({ method, layer })));
  const files: string[] = [];
  for (const a of asks) {
    const record = await computeRecord(subject, { ...a, data: block.data, options: block.options }, { yieldOrThrowIfCancelled: () => ctx.yieldOrThrowIfCancelled() });
    const file = writeRecord(dir, record);
    files.push(`artifacts/attribution/${file.slice(dir.length + 1)}`);
    const top = record.rank.slice(0, 3).map((u) => `${u} (${record.values.meanAbs[u].toPrecision(3)})`).join(', ');
    ctx.log(`attribution ${a.method} ${a.layer}: ${record.items} items in ${record.seconds.toFixed(2)} s; top units ${top}`);
  }
  return files;
}
