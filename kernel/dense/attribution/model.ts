/**
 * What the attribution engine needs of a dense model: its forward pass with taps (the points
 * where it shows the engine a layer of units), its parameters, and the model-specific
 * attributions it offers. Any dense model can be explained this way: a Sequential through
 * `sequentialModel`, anything else by writing `forward` with its own `tap` calls.
 */
import { GraphError, Graph, type Value } from '../graph';
import type { Sequential } from '../layers/layer';
import { feedParams, type Bind, type Parameter } from '../params';
import { shapeText } from '../shapes';
import type { InputType } from '../step';

/**
 * Called by a model's forward pass with a layer's value h [rows, units]; the pass continues with
 * what it returns (h itself, or h with units zeroed for ablation, where the rows may become
 * (J + 1)·rows: so what follows a tap must treat rows independently, as MLPs do).
 */
export type Tap = (layer: string, h: Value) => Value;

/**
 * A model-specific attribution (Dopamine gate state and gain, perforated dendrite
 * contributions, …): per-unit quantities of some layers, averaged over the data slice by the
 * engine and stored like every other method. A model lists the ones it offers in `extras`; the
 * engine knows none of them by name.
 */
export interface ModelAttribution {
  /** The method name in requests and file names: the model family first, e.g. `dopamine.gate`. */
  readonly method: string;
  readonly description: string;
  /** The layer ids (taps) it describes. */
  readonly layers: readonly string[];
  /** What its score quantity measures (the stored record's `unit`). */
  readonly unit: string;
  /**
   * Per-item, per-unit quantities of `layer`, built in the forward graph from the values the
   * model tapped (`tapped(id)`, [rows, units] of that tap; undefined for an id never tapped) and
   * its parameters (`bind`); each [rows, units of layer]. The first one is the score: units are
   * ranked by its mean |value| and its top inputs are kept.
   */
  perItem?(layer: string, tapped: (id: string) => Value | undefined, bind: Bind): Record<string, Value>;
  /** Per-unit constants of `layer` read from the model (e.g. each gate's gain γ); the score when there is no perItem. */
  perUnit?(layer: string): Record<string, ArrayLike<number>>;
}

export interface AttributionModel {
  /** Input features per item (784 for 28×28 images). */
  readonly features: number;
  /** How the input is fed: float32 values, or bytes the graph scales by 1/255 (as in training). */
  readonly inputType: InputType;
  /** How the input features are laid out for maps ([28, 28] for images); default [features]. */
  readonly inputShape?: readonly number[];
  readonly classes: number;
  readonly params: readonly Parameter[];
  /** The forward pass from float input [rows, features] to logits [rows, classes], calling `tap` at each layer. */
  forward(x: Value, bind: Bind, tap: Tap): Value;
  readonly extras?: readonly ModelAttribution[];
}

export interface LayerInfo {
  id: string;
  units: number;
  /** Layout of the units: [units], or the input's shape for `input`. */
  shape: number[];
}

/** The pseudo-layer of input features (input-space maps). */
export const INPUT = 'input';

/**
 * The layers of a model, input first then every tap in forward order, found by building the
 * forward pass once for one item. A tap must see [rows, units] values.
 */
export function layersOf(model: AttributionModel): LayerInfo[] {
  const known = traced.get(model);
  if (known) return known;
  const g = new Graph('float32');
  const seen: LayerInfo[] = [{ id: INPUT, units: model.features, shape: [...(model.inputShape ?? [model.features])] }];
  model.forward(g.input('x', [1, model.features]), feedParams(g).bind, (id, h) => {
    if (id === INPUT) throw new GraphError(`tap ${id}`, `"${INPUT}" names the model's input; give the layer another id`);
    if (h.shape.length !== 2 || h.shape[0] !== 1) throw new GraphError(`tap ${id}`, `a tapped layer must be [rows, units], got ${shapeText(h.shape)} for one item`);
    if (!seen.some((l) => l.id === id)) seen.push({ id, units: h.shape[1], shape: [h.shape[1]] });
    return h;
  });
  traced.set(model, seen);
  return seen;
}

const traced = new WeakMap<AttributionModel, LayerInfo[]>();

/**
 * A Sequential model with a tap after each layer named in `taps` (layer name → tap id), e.g.
 * `{ 'model.hidden[0].activation': 'hidden0' }`.
 */
export function sequentialModel(
  seq: Sequential,
  o: { taps: Record<string, string>; features: number; classes: number; inputType?: InputType; inputShape?: number[]; extras?: ModelAttribution[] },
): AttributionModel {
  for (const name of Object.keys(o.taps)) if (!seq.layers.some((l) => l.name === name)) throw new Error(`sequentialModel: no layer named ${name} in ${seq.name}`);
  return {
    features: o.features,
    inputType: o.inputType ?? 'float32',
    inputShape: o.inputShape,
    classes: o.classes,
    params: seq.parameters(),
    extras: o.extras,
    forward: (x, bind, tap) =>
      seq.layers.reduce((h, layer) => {
        const y = layer.apply(h, bind);
        const id = o.taps[layer.name];
        return id === undefined ? y : tap(id, y);
      }, x),
  };
}
