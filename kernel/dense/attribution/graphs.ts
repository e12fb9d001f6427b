/**
 * One ONNX graph per attribution method, built from the model's own forward pass and the
 * engine's reverse-mode autodiff (kernel/dense/autodiff.ts), so every derivative comes from the
 * same rule table that trains the model. Each graph takes a batch of `rows` items and returns
 * per-item values; path integrals take all their points as one batch (rows × points) in one
 * run, ablation all the units of a chunk as one batch via a mask.
 *
 * Inputs (when a graph uses them): x [rows, features] (the model's input type), t [rows,
 * classes] (one-hot of each item's target: the rows' outputs F = Σ_c logits ⊙ t), b [1,
 * features] (the baseline), alpha [P] and w [P] (path points and their weights, quadrature.ts),
 * mask [J + 1, units] (row 0 all ones, row j + 1 zero at the j-th ablated unit).
 * Outputs: `values` [rows, units], `gain` [rows] (F(x) − F(b), what a path integral should
 * add up to), `logits` [rows, classes], `q.<name>` (model-specific quantities).
 */
import { gradients } from '../autodiff';
import { Graph, type Value } from '../graph';
import * as o from '../ops';
import { feedParams, type Bind, type Parameter } from '../params';
import { modelInput } from '../step';
import { INPUT, type AttributionModel, type ModelAttribution, type Tap } from './model';

export interface MethodGraph {
  graph: Graph;
  /** The parameters the graph reads (fed from the kernel's buffers). */
  params: Parameter[];
}

interface Start {
  g: Graph;
  /** The model's input as floats [rows, features]. */
  x: Value;
  bind: Bind;
  finish(): MethodGraph;
}

function begin(model: AttributionModel, rows: number): Start {
  const g = new Graph('float32');
  const x = modelInput(g, [rows, model.features], model.inputType, 'x');
  const { bind, bound } = feedParams(g);
  return { g, x, bind, finish: () => ({ graph: g, params: [...bound.keys()] }) };
}

const plain: Tap = (_, h) => h;

/** A tap that keeps the first value each layer shows (`tapped`) and continues with `at(h)` at `layer`. */
function recorder(layer?: string, at?: (h: Value) => Value): { tapped: Map<string, Value>; tap: Tap } {
  const tapped = new Map<string, Value>();
  const tap: Tap = (id, h) => {
    if (!tapped.has(id)) tapped.set(id, h);
    return id === layer && at ? at(h) : h;
  };
  return { tapped, tap };
}

/** Each row's target output Σ_c logits ⊙ t: [rows]. */
const picked = (logits: Value, t: Value) => o.reduceSum(o.mul(logits, t), [1], false);

/** [n, c] stacked `times` times: [times·n, c] (block k is a copy of v). */
function repeatRows(v: Value, times: number): Value {
  if (times === 1) return v;
  const [n, c] = v.shape;
  return o.reshape(o.expand(o.reshape(v, [1, n, c]), [times, n, c]), [times * n, c]);
}

/** The points b + α (x − b) for every α, α-major: [P·rows, features]; and x − b. */
function pathPoints(x: Value, b: Value, alpha: Value): { points: Value; diff: Value } {
  const [n, d] = x.shape;
  const p = alpha.shape[0];
  const diff = o.sub(x, b);
  const points = o.add(o.mul(o.reshape(alpha, [p, 1, 1]), o.reshape(diff, [1, n, d])), b);
  return { points: o.reshape(points, [p * n, d]), diff };
}

/** Σ_k w_k · v_k over the path points of v [P·rows, d]: [rows, d]. */
function weightedSum(v: Value, w: Value, rows: number): Value {
  const p = w.shape[0];
  return o.reduceSum(o.mul(o.reshape(v, [p, rows, v.shape[1]]), o.reshape(w, [p, 1, 1])), [0], false);
}

function targets(s: Start, model: AttributionModel, rows: number): Value {
  return s.g.input('t', [rows, model.classes]);
}

/** F(x) − F(b) for each row's target. */
function gain(model: AttributionModel, s: Start, b: Value, t: Value): Value {
  const atX = model.forward(s.x, s.bind, plain);
  const atB = model.forward(b, s.bind, plain);
  return picked(o.sub(atX, atB), t);
}

/** LayerActivation: the layer's values (the input itself for `input`), and the logits. */
export function activationGraph(model: AttributionModel, rows: number, layer: string): MethodGraph {
  const s = begin(model, rows);
  const r = recorder();
  const logits = model.forward(s.x, s.bind, r.tap);
  s.g.output('values', layer === INPUT ? s.x : r.tapped.get(layer)!);
  s.g.output('logits', logits);
  return s.finish();
}

/** LayerGradientXActivation (InputXGradient for `input`): a ⊙ ∂F/∂a. */
export function gradXActGraph(model: AttributionModel, rows: number, layer: string): MethodGraph {
  const s = begin(model, rows);
  const t = targets(s, model, rows);
  const r = recorder();
  const logits = model.forward(s.x, s.bind, r.tap);
  const a = layer === INPUT ? s.x : r.tapped.get(layer)!;
  const [da] = gradients(o.reduceSum(picked(logits, t), [0], false), [a]);
  s.g.output('values', o.mul(a, da));
  return s.finish();
}

/** IntegratedGradients: (x − b) ⊙ Σ_k w_k ∂F/∂x at b + α_k (x − b). */
export function integratedGradientsGraph(model: AttributionModel, rows: number, points: number): MethodGraph {
  const s = begin(model, rows);
  const t = targets(s, model, rows);
  const b = s.g.input('b', [1, model.features]);
  const w = s.g.input('w', [points]);
  const path = pathPoints(s.x, b, s.g.input('alpha', [points]));
  const logits = model.forward(path.points, s.bind, plain);
  const [dp] = gradients(o.reduceSum(picked(logits, repeatRows(t, points)), [0], false), [path.points]);
  s.g.output('values', o.mul(weightedSum(dp, w, rows), path.diff));
  s.g.output('gain', gain(model, s, b, t));
  return s.finish();
}

/**
 * LayerConductance of `layer`'s units: Σ_k ∂F/∂a(p_k) ⊙ (a(p_{k+1}) − a(p_k)) over consecutive
 * path points p_0 … p_{P−1} (Captum evaluates steps + 1 points and takes no weights).
 */
export function layerConductanceGraph(model: AttributionModel, rows: number, layer: string, points: number): MethodGraph {
  const s = begin(model, rows);
  const t = targets(s, model, rows);
  const b = s.g.input('b', [1, model.features]);
  const path = pathPoints(s.x, b, s.g.input('alpha', [points]));
  const r = recorder();
  const logits = model.forward(path.points, s.bind, r.tap);
  const a = r.tapped.get(layer)!;
  const [da] = gradients(o.reduceSum(picked(logits, repeatRows(t, points)), [0], false), [a]);
  const units = a.shape[1];
  const a3 = o.reshape(a, [points, rows, units]);
  const g3 = o.reshape(da, [points, rows, units]);
  const step = o.sub(o.slice(a3, [1], [points], [0]), o.slice(a3, [0], [points - 1], [0]));
  s.g.output('values', o.reduceSum(o.mul(o.slice(g3, [0], [points - 1], [0]), step), [0], false));
  s.g.output('gain', gain(model, s, b, t));
  return s.finish();
}

/**
 * NeuronConductance of unit `neuron` of `layer`, over the input features:
 * (x − b) ⊙ Σ_k w_k ∂F/∂a_j(p_k) · ∂a_j/∂x(p_k).
 */
export function neuronConductanceGraph(model: AttributionModel, rows: number, layer: string, neuron: number, points: number): MethodGraph {
  const s = begin(model, rows);
  const t = targets(s, model, rows);
  const b = s.g.input('b', [1, model.features]);
  const w = s.g.input('w', [points]);
  const path = pathPoints(s.x, b, s.g.input('alpha', [points]));
  const r = recorder();
  const logits = model.forward(path.points, s.bind, r.tap);
  const a = r.tapped.get(layer)!;
  const [da] = gradients(o.reduceSum(picked(logits, repeatRows(t, points)), [0], false), [a]);
  const aj = o.slice(a, [neuron], [neuron + 1], [1]);
  const [dx] = gradients(o.reduceSum(aj, [0, 1], false), [path.points]);
  const through = o.mul(dx, o.slice(da, [neuron], [neuron + 1], [1]));
  s.g.output('values', o.mul(weightedSum(through, w, rows), path.diff));
  return s.finish();
}

/**
 * LayerFeatureAblation (FeatureAblation for `input`) of `units` units at once: the objective of
 * each item with the layer as it is (mask row 0) minus with one unit zeroed (row j + 1):
 * values [rows, units]. The objective is each row's target logit, or its log-probability of
 * the label (t: the label's one-hot), so that the drop is the loss increase.
 */
export function ablationGraph(model: AttributionModel, rows: number, layer: string, layerUnits: number, units: number, objective: 'logit' | 'loss'): MethodGraph {
  const s = begin(model, rows);
  const t = targets(s, model, rows);
  const mask = s.g.input('mask', [units + 1, layerUnits]);
  const copies = units + 1;
  const zeroed = (h: Value) => o.reshape(o.mul(o.reshape(h, [1, rows, layerUnits]), o.reshape(mask, [copies, 1, layerUnits])), [copies * rows, layerUnits]);
  const logits = layer === INPUT ? model.forward(zeroed(s.x), s.bind, plain) : model.forward(s.x, s.bind, recorder(layer, zeroed).tap);
  const scores = objective === 'loss' ? o.logSoftmax(logits, 1) : logits;
  const obj = o.reshape(picked(scores, repeatRows(t, copies)), [copies, rows]);
  const drop = o.sub(o.slice(obj, [0], [1], [0]), o.slice(obj, [1], [copies], [0]));
  s.g.output('values', o.transpose(drop, [1, 0]));
  return s.finish();
}

/** A model-specific attribution's per-item quantities of `layer`, as outputs `q.<name>`. */
export function extensionGraph(model: AttributionModel, rows: number, ext: ModelAttribution, layer: string): { graph: MethodGraph; names: string[] } {
  const s = begin(model, rows);
  const r = recorder();
  model.forward(s.x, s.bind, r.tap);
  const q = ext.perItem!(layer, (id) => (id === INPUT ? s.x : r.tapped.get(id)), s.bind);
  const names = Object.keys(q);
  for (const n of names) s.g.output(`q.${n}`, q[n]);
  return { graph: s.finish(), names };
}
