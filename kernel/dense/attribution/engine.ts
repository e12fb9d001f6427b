/**
 * The attribution engine: one method, one layer, one data slice → every item's values and
 * their per-unit summary. For any dense model (an AttributionModel: a trained run's model
 * reloaded from its checkpoint, or one in memory) and any data (AttributionData).
 *
 * Method: (1) check the request against the model's layers; (2) build the method's graph
 * for a batch of items (graphs.ts) and compile it once (the session cache); (3) run it over
 * the slice batch by batch, the last batch padded to the same size, path points and ablated
 * units in chunks (by default all path points in one run); (4) keep every item's values in item
 * order and summarise them per unit (summary.ts). Rows are independent in every graph, so the
 * values do not depend on how the items were batched (tested: bit-identical).
 */
import { InputError } from '../../core/errors';
import type { AttributionOptions, BuiltinMethod } from '../../protocol/attribution';
import { tensor, type Tensor } from '../ort';
import { serialize } from '../onnx/serialize';
import { sessions, type Compiled, type ExecOptions } from '../session';
import * as graphs from './graphs';
import { INPUT, layersOf, type AttributionModel, type LayerInfo, type ModelAttribution } from './model';
import { quadrature } from './quadrature';
import { summarize, type UnitSummary } from './summary';

export interface AttributionData {
  /** Items in the slice. */
  readonly count: number;
  /** Each item's index in its data set (top inputs and per-item rows report these). */
  readonly ids: Int32Array;
  /** The items in order, up to `size` at a time: x as the model's input type, y class labels. */
  batches(size: number): Iterable<{ x: Float32Array | Uint8Array; y: Int32Array; size: number }>;
}

/** What the engine reports to and is stopped by (an EngineContext fits). */
export interface AttributionEnv {
  exec: ExecOptions;
  progress?(fraction: number, message?: string): void;
  /** Throws CancelledError once cancelled; yields now and then. */
  yieldOrThrowIfCancelled?(): Promise<void>;
}

export interface AttributionQuery {
  method: string;
  layer: string;
  neuron?: number;
  options: AttributionOptions;
}

export interface AttributionResult {
  method: string;
  /** Captum class followed, or `model-specific`. */
  definition: string;
  /** The layer whose units the values describe (`input` for NeuronConductance maps). */
  layer: string;
  neuron?: { layer: string; index: number };
  units: number;
  shape: number[];
  unit: string;
  target?: AttributionOptions['target'];
  items: number;
  ids: Int32Array;
  /** Every item's values, [items, units] row-major (absent for constants of a model). */
  perItem?: Float32Array;
  summary: UnitSummary;
  completeness?: { meanAbsDelta: number; maxAbsDelta: number; maxRelative: number; meanAbsGain: number };
  quantities?: Record<string, number[]>;
  seconds: number;
}

/** Rows (items × path points or ablation copies) per run unless `batchSize` says otherwise. */
const ROWS_PER_RUN = 8192;

interface Plan {
  definition: string;
  unit: string;
  /** The layer and units the values describe. */
  out: LayerInfo;
  needsTarget: boolean;
  /** Copies of each item in a run (path points, ablation masks); sizes the batch. */
  copies: number;
  /** Runs per batch (point or unit chunks). */
  chunks: number;
  build(rows: number): graphs.MethodGraph;
  /** Feeds of chunk c beyond x and t. */
  extra(chunk: number): Record<string, Tensor>;
  /** Where chunk c's `values` [rows, ≥ width] go among the layer's units, and whether chunks add up (all of them, or none). */
  place(chunk: number): { from: number; width: number; add: boolean };
}

export async function attribute(model: AttributionModel, data: AttributionData, q: AttributionQuery, env: AttributionEnv): Promise<AttributionResult> {
  const t0 = performance.now();
  if (data.count < 1) throw new InputError(['data: the slice has no items']);
  const layers = layersOf(model);
  const layer = layers.find((l) => l.id === q.layer);
  if (!layer) throw new InputError([`layer: "${q.layer}" is not a layer of this model; its layers: ${layers.map((l) => l.id).join(', ')}`]);
  const o = q.options;
  if (typeof o.target === 'number' && o.target >= model.classes) throw new InputError([`options.target: class ${o.target} does not exist (the model has ${model.classes} classes)`]);
  const ext = model.extras?.find((e) => e.method === q.method);
  if (ext) return extension(model, data, q, ext, layer, env, t0);
  const plan = planFor(model, q, layer, layers[0]);
  const perItem = new Float32Array(data.count * plan.out.units);
  const gains = plan.needsTarget && (q.method === 'ig' || (q.method === 'conductance' && q.neuron === undefined)) ? new Float64Array(data.count) : undefined;
  const rows = Math.min(data.count, o.batchSize ?? Math.max(1, Math.floor(ROWS_PER_RUN / plan.copies)));
  const key = [q.method, q.layer, q.neuron, plan.copies, q.method === 'ablation' ? o.objective : '', rows].join(':');
  const session = await compiled(model, key, () => plan.build(rows), env.exec);
  const forward = o.target === 'predicted' && plan.needsTarget ? await compiled(model, `forward:${rows}`, () => graphs.activationGraph(model, rows, INPUT), env.exec) : undefined;
  const runs = Math.ceil(data.count / rows) * plan.chunks;
  const padded = new Padder(rows, model.features, model.inputType);
  let done = 0;
  let at = 0;
  for (const batch of data.batches(rows)) {
    const feeds: Record<string, Tensor> = { ...paramFeeds(session), x: padded.fill(batch.x, batch.size) };
    if (plan.needsTarget) feeds.t = await targetFeed(batch, rows, model.classes, q, forward && ((x) => forward.run({ ...paramFeeds(forward), x }, 'logits')), feeds.x);
    const units = plan.out.units;
    // Chunks that add up (path points in several runs) are summed in float64; otherwise values go straight in.
    const acc = plan.chunks > 1 && plan.place(1).add ? new Float64Array(batch.size * units) : undefined;
    for (let c = 0; c < plan.chunks; c++) {
      const r = await session.session.run({ ...feeds, ...plan.extra(c) });
      const values = r.values.data as Float32Array;
      const stride = r.values.dims[1]; // the graph's columns: a padded last chunk has more than it places
      const { from, width } = plan.place(c);
      if (acc) for (let k = 0; k < batch.size * units; k++) acc[k] += values[k];
      else if (stride === units) perItem.set(values.subarray(0, batch.size * units), at * units);
      else for (let i = 0; i < batch.size; i++) perItem.set(values.subarray(i * stride, i * stride + width), (at + i) * units + from);
      if (gains && c === 0) gains.set((r.gain.data as Float32Array).subarray(0, batch.size), at);
      env.progress?.(++done / runs, `${q.method} ${q.layer}: ${Math.min(at + batch.size, data.count)}/${data.count} items`);
      await env.yieldOrThrowIfCancelled?.();
    }
    if (acc) perItem.set(acc, at * units);
    at += batch.size;
  }
  if (at !== data.count) throw new Error(`attribute: the data gave ${at} items, expected ${data.count}`);
  const isActivation = q.method === 'activation';
  const summary = summarize(perItem, data.count, plan.out.units, {
    activeAbove: isActivation ? o.activeAbove : undefined,
    bins: isActivation ? o.bins : undefined,
    topK: plan.out.id === INPUT ? 0 : o.topK,
    ids: data.ids,
  });
  return {
    method: q.method,
    definition: plan.definition,
    layer: plan.out.id,
    neuron: q.neuron === undefined ? undefined : { layer: q.layer, index: q.neuron },
    units: plan.out.units,
    shape: plan.out.shape,
    unit: plan.unit,
    target: plan.needsTarget && !(q.method === 'ablation' && o.objective === 'loss') ? o.target : undefined,
    items: data.count,
    ids: data.ids,
    perItem,
    summary,
    completeness: gains && completeness(perItem, gains, plan.out.units),
    seconds: (performance.now() - t0) / 1000,
  };
}

function planFor(model: AttributionModel, q: AttributionQuery, layer: LayerInfo, input: LayerInfo): Plan {
  const o = q.options;
  const m = q.method as BuiltinMethod;
  const isInput = layer.id === INPUT;
  const bad = (msg: string) => new InputError([msg]);
  if (q.neuron !== undefined && m !== 'conductance') throw bad(`neuron: only conductance takes a neuron (NeuronConductance); ${q.method} describes every unit of the layer`);
  const whole = (c: number) => ({ from: 0, width: layer.units, add: c > 0 });
  const none = () => ({});
  switch (m) {
    case 'activation':
      return { definition: 'LayerActivation', unit: 'activation', out: layer, needsTarget: false, copies: 1, chunks: 1, build: (rows) => graphs.activationGraph(model, rows, layer.id), extra: none, place: whole };
    case 'gradxact':
      return { definition: isInput ? 'InputXGradient' : 'LayerGradientXActivation', unit: 'logit', out: layer, needsTarget: true, copies: 1, chunks: 1, build: (rows) => graphs.gradXActGraph(model, rows, layer.id), extra: none, place: whole };
    case 'ig': {
      if (!isInput) throw bad(`layer: ig attributes the output to the input features (layer "${INPUT}"); for the units of ${layer.id} use conductance`);
      const path = pathChunks(o, o.steps, false);
      return { definition: 'IntegratedGradients', unit: 'logit', out: layer, needsTarget: true, copies: path.size, chunks: path.chunks, build: (rows) => graphs.integratedGradientsGraph(model, rows, path.size), extra: path.feeds(model.features, o.baseline), place: whole };
    }
    case 'conductance': {
      if (isInput) throw bad(`layer: conductance describes the units of a hidden layer; for the input features use ig`);
      if (q.neuron === undefined) {
        // Captum evaluates steps + 1 points and sums over consecutive pairs: chunks overlap by one point.
        const path = pathChunks(o, o.steps + 1, true);
        return { definition: 'LayerConductance', unit: 'logit', out: layer, needsTarget: true, copies: path.size, chunks: path.chunks, build: (rows) => graphs.layerConductanceGraph(model, rows, layer.id, path.size), extra: path.feeds(model.features, o.baseline), place: whole };
      }
      if (q.neuron >= layer.units) throw bad(`neuron: ${layer.id} has ${layer.units} units (0…${layer.units - 1}), got ${q.neuron}`);
      const j = q.neuron;
      const path = pathChunks(o, o.steps, false);
      return { definition: 'NeuronConductance', unit: 'logit', out: input, needsTarget: true, copies: path.size, chunks: path.chunks, build: (rows) => graphs.neuronConductanceGraph(model, rows, layer.id, j, path.size), extra: path.feeds(model.features, o.baseline), place: (c) => ({ from: 0, width: input.units, add: c > 0 }) };
    }
    case 'ablation': {
      const per = Math.min(o.unitsPerRun, layer.units);
      const chunks = Math.ceil(layer.units / per);
      const masks = Array.from({ length: chunks }, (_, c) => {
        const m = new Float32Array((per + 1) * layer.units).fill(1);
        for (let j = 0; j < per && c * per + j < layer.units; j++) m[(j + 1) * layer.units + c * per + j] = 0;
        return { mask: tensor('float32', m, [per + 1, layer.units]) };
      });
      return {
        definition: isInput ? 'FeatureAblation' : 'LayerFeatureAblation',
        unit: o.objective,
        out: layer,
        needsTarget: true,
        copies: per + 1,
        chunks,
        build: (rows) => graphs.ablationGraph(model, rows, layer.id, layer.units, per, o.objective),
        extra: (c) => masks[c],
        // The last chunk's mask rows past the layer zero nothing; their (zero) drops are dropped here.
        place: (c) => ({ from: c * per, width: Math.min(per, layer.units - c * per), add: false }),
      };
    }
    default:
      throw bad(`method: "${q.method}" is not a method of this model; methods: activation, gradxact, ig, conductance, ablation${model.extras?.length ? `, ${model.extras.map((e) => e.method).join(', ')}` : ''}`);
  }
}

/**
 * Path points in chunks of `stepsPerRun` (default: all in one run). A short last chunk is padded
 * so one graph serves every chunk: with weight 0 (adds 0), or for conductance by repeating its
 * last point (adds a(p) − a(p) = 0). Conductance chunks overlap by one point.
 */
function pathChunks(o: AttributionOptions, total: number, overlapping: boolean) {
  const rule = quadrature(o.integration, total);
  const size = Math.min(total, Math.max(overlapping ? 2 : 1, o.stepsPerRun ?? total));
  const stride = overlapping ? size - 1 : size;
  const chunks = Math.ceil((overlapping ? total - 1 : total) / stride);
  return {
    size,
    chunks,
    feeds(features: number, baseline: number) {
      const b = tensor('float32', new Float32Array(features).fill(baseline), [1, features]);
      const per = Array.from({ length: chunks }, (_, c) => {
        const alpha = new Float32Array(size);
        const w = new Float32Array(size);
        for (let k = 0; k < size; k++) {
          const i = Math.min(c * stride + k, total - 1);
          alpha[k] = rule.alphas[i];
          w[k] = c * stride + k < total ? rule.weights[i] : 0;
        }
        return { b, alpha: tensor('float32', alpha, [size]), w: tensor('float32', w, [size]) };
      });
      return (c: number) => per[c];
    },
  };
}

/** A model-specific attribution: its per-item quantities averaged, its per-unit constants as they are. */
async function extension(model: AttributionModel, data: AttributionData, q: AttributionQuery, ext: ModelAttribution, layer: LayerInfo, env: AttributionEnv, t0: number): Promise<AttributionResult> {
  if (!ext.layers.includes(layer.id)) throw new InputError([`layer: ${ext.method} describes ${ext.layers.join(', ')}, not ${layer.id}`]);
  if (q.neuron !== undefined) throw new InputError([`neuron: ${ext.method} describes every unit of the layer`]);
  const quantities: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(ext.perUnit?.(layer.id) ?? {})) {
    if (v.length !== layer.units) throw new Error(`${ext.method}: ${name} has ${v.length} values for ${layer.units} units of ${layer.id}`);
    quantities[name] = Array.from(v);
  }
  const base = { method: q.method, definition: 'model-specific', layer: layer.id, units: layer.units, shape: layer.shape, unit: ext.unit, items: data.count, ids: data.ids };
  if (!ext.perItem) {
    const [first] = Object.values(quantities);
    if (!first) throw new Error(`${ext.method}: neither perItem nor perUnit gives a quantity`);
    const values = Float32Array.from(first);
    const summary = summarize(values, 1, layer.units);
    return { ...base, summary, quantities, seconds: (performance.now() - t0) / 1000 };
  }
  const rows = Math.min(data.count, q.options.batchSize ?? ROWS_PER_RUN);
  const built = graphs.extensionGraph(model, rows, ext, layer.id); // built each time: its output names come with it
  const session = await compiled(model, `${ext.method}:${layer.id}:${rows}`, () => built.graph, env.exec);
  const per = built.names.map(() => new Float32Array(data.count * layer.units));
  const padded = new Padder(rows, model.features, model.inputType);
  let at = 0;
  for (const batch of data.batches(rows)) {
    const r = await session.session.run({ ...paramFeeds(session), x: padded.fill(batch.x, batch.size) });
    built.names.forEach((n, k) => per[k].set((r[`q.${n}`].data as Float32Array).subarray(0, batch.size * layer.units), at * layer.units));
    at += batch.size;
    env.progress?.(at / data.count, `${q.method} ${layer.id}: ${at}/${data.count} items`);
    await env.yieldOrThrowIfCancelled?.();
  }
  const summary = summarize(per[0], data.count, layer.units, { topK: q.options.topK, ids: data.ids });
  built.names.forEach((n, k) => (quantities[n] = Array.from(k === 0 ? summary.mean : summarize(per[k], data.count, layer.units).mean)));
  return { ...base, perItem: per[0], summary, quantities, seconds: (performance.now() - t0) / 1000 };
}

/** Σ over units − (F(x) − F(b)), per item: how far the attributions are from completeness. */
function completeness(perItem: Float32Array, gains: Float64Array, units: number) {
  let sumAbs = 0;
  let maxAbs = 0;
  let maxRel = 0;
  let gainAbs = 0;
  for (let i = 0; i < gains.length; i++) {
    let s = 0;
    for (let u = 0; u < units; u++) s += perItem[i * units + u];
    const d = Math.abs(s - gains[i]);
    sumAbs += d;
    maxAbs = Math.max(maxAbs, d);
    gainAbs += Math.abs(gains[i]);
    if (Math.abs(gains[i]) > 1e-6) maxRel = Math.max(maxRel, d / Math.abs(gains[i]));
  }
  return { meanAbsDelta: sumAbs / gains.length, maxAbsDelta: maxAbs, maxRelative: maxRel, meanAbsGain: gainAbs / gains.length };
}

interface Session {
  session: Compiled;
  params: graphs.MethodGraph['params'];
  run(feeds: Record<string, Tensor>, output: string): Promise<Float32Array>;
}

/**
 * Each model's method graphs, serialised once (by method, layer, batch shape): a repeated
 * request (a panel, hover hints) skips building and serialising. The compiled sessions stay in
 * the process-wide cache, which may release them; so only the bytes are kept here.
 */
const serialized = new WeakMap<AttributionModel, Map<string, { bytes: Uint8Array; params: graphs.MethodGraph['params'] }>>();

async function compiled(model: AttributionModel, key: string, build: () => graphs.MethodGraph, exec: ExecOptions): Promise<Session> {
  const graphsOf = serialized.get(model) ?? serialized.set(model, new Map()).get(model)!;
  let m = graphsOf.get(key);
  if (!m) {
    const g = build();
    m = { bytes: serialize(g.graph, { name: 'attribution' }), params: g.params };
    graphsOf.set(key, m);
  }
  const session = await sessions.get(m.bytes, exec);
  return { session, params: m.params, run: async (feeds, output) => (await session.run(feeds))[output].data as Float32Array };
}

function paramFeeds(s: Session): Record<string, Tensor> {
  const needed = new Set(s.session.inputNames);
  const feeds: Record<string, Tensor> = {};
  for (const p of s.params) if (needed.has(p.name)) feeds[p.name] = tensor('float32', p.data, [...p.shape]);
  return feeds;
}

/** One-hot targets [rows, classes] of a batch: labels, a fixed class, or the model's prediction. */
async function targetFeed(batch: { y: Int32Array; size: number }, rows: number, classes: number, q: AttributionQuery, predict: ((x: Tensor) => Promise<Float32Array>) | undefined, x: Tensor): Promise<Tensor> {
  const t = new Float32Array(rows * classes);
  const target = q.method === 'ablation' && q.options.objective === 'loss' ? 'label' : q.options.target;
  const logits = target === 'predicted' ? await predict!(x) : undefined;
  for (let i = 0; i < batch.size; i++) {
    let c: number;
    if (target === 'label') c = batch.y[i];
    else if (typeof target === 'number') c = target;
    else {
      const row = logits!.subarray(i * classes, (i + 1) * classes);
      c = row.indexOf(Math.max(...row));
    }
    if (!(c >= 0 && c < classes)) throw new InputError([`data: item ${i} has label ${c}, outside the model's ${classes} classes`]);
    t[i * classes + c] = 1;
  }
  return tensor('float32', t, [rows, classes]);
}

/** Batches as input tensors of a fixed number of rows: a short batch is copied and padded with zeros. */
class Padder {
  private readonly buf: Float32Array | Uint8Array;
  constructor(private readonly rows: number, private readonly features: number, private readonly type: 'float32' | 'uint8') {
    this.buf = type === 'uint8' ? new Uint8Array(rows * features) : new Float32Array(rows * features);
  }
  fill(x: Float32Array | Uint8Array, size: number): Tensor {
    if (size === this.rows) return tensor(this.type, x, [this.rows, this.features]);
    this.buf.fill(0);
    this.buf.set(x.subarray(0, size * this.features));
    return tensor(this.type, this.buf, [this.rows, this.features]);
  }
}
