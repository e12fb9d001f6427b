/**
 * The networks of the perforated-backpropagation experiment: an optional stack of convolutions
 * (k×k, same padding, activation, 2×2 max pooling), hidden Linear layers, and a Linear output;
 * any of the Linear and Conv2d layers wrapped as PerforatedLayers. Also what the training
 * schedule does to a network: which parameters each phase trains, snapshots of the whole net
 * (structure and values) to restore the best one, and parameter counts with N dendrite sets
 * (for the wider plain net of the same size).
 */
import type { Rng } from '../../core/rng';
import { Conv2d, Pool2d } from '../../dense/layers/conv';
import { Activation, Flatten, Sequential, type ActivationKind, type Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import type { Parameter } from '../../dense/params';
import { PerforatedLayer, type Neuron } from './perforated-layer';

export interface NetSpec {
  /** Channels of each convolution, input side first ([] for an MLP). */
  conv: number[];
  /** Kernel size of the convolutions. */
  kernel: number;
  hidden: number[];
  activation: ActivationKind;
  init: 'he' | 'xavier' | 'torch';
  /** Layers to perforate by name, or every Linear and Conv2d. */
  perforate: 'all' | string[];
  /** Dendrites see their layer's input through a StopGradient (PerforatedLayer). */
  detachInputs?: boolean;
}

export interface InputInfo {
  rows: number;
  cols: number;
  classes: number;
}

/** A layer with weights, as the spec names it (`model.conv[0]`, `model.hidden[1]`, `model.output`). */
export interface WeightLayerInfo {
  name: string;
  /** The attribution id of its units: `conv0`, `hidden1`, `output`. */
  id: string;
  weightShape: number[];
  units: number;
}

/** Every layer the spec makes with weights, input side first. */
export function weightLayers(spec: Pick<NetSpec, 'conv' | 'kernel' | 'hidden'>, input: InputInfo): WeightLayerInfo[] {
  const out: WeightLayerInfo[] = [];
  let channels = 1;
  let side = [input.rows, input.cols];
  spec.conv.forEach((c, i) => {
    out.push({ name: `model.conv[${i}]`, id: `conv${i}`, weightShape: [c, channels, spec.kernel, spec.kernel], units: c });
    channels = c;
    side = side.map((s) => Math.floor(s / 2));
  });
  let width = channels * side[0] * side[1];
  spec.hidden.forEach((h, i) => {
    out.push({ name: `model.hidden[${i}]`, id: `hidden${i}`, weightShape: [h, width], units: h });
    width = h;
  });
  out.push({ name: 'model.output', id: 'output', weightShape: [input.classes, width], units: input.classes });
  return out;
}

/** Every layer name of the net (with activations, pools and the flatten), for messages. */
export function layerNames(spec: Pick<NetSpec, 'conv' | 'hidden'>): { name: string; kind: string }[] {
  const names: { name: string; kind: string }[] = [];
  spec.conv.forEach((_, i) => names.push({ name: `model.conv[${i}]`, kind: 'Conv2d' }, { name: `model.conv[${i}].activation`, kind: 'an activation' }, { name: `model.conv[${i}].pool`, kind: 'a max pool' }));
  if (spec.conv.length) names.push({ name: 'model.flatten', kind: 'a flatten' });
  spec.hidden.forEach((_, i) => names.push({ name: `model.hidden[${i}]`, kind: 'Linear' }, { name: `model.hidden[${i}].activation`, kind: 'an activation' }));
  names.push({ name: 'model.output', kind: 'Linear' });
  return names;
}

/** A layer as `perforate` may name it: `model.hidden[0]`, or its attribution id `hidden0` (`conv1`, `output`), which YAML takes unquoted in a flow list. */
export function layerName(name: string): string {
  const m = /^(conv|hidden)(\d+)$/.exec(name);
  return m ? `model.${m[1]}[${Number(m[2])}]` : name === 'output' ? 'model.output' : name;
}

/** The names of the layers to perforate ('all': every Linear and Conv2d). */
export function perforatedNames(spec: Pick<NetSpec, 'conv' | 'hidden' | 'perforate'>): string[] {
  const weighted = layerNames(spec).filter((l) => l.kind === 'Linear' || l.kind === 'Conv2d').map((l) => l.name);
  if (spec.perforate === 'all') return weighted;
  const asked = spec.perforate.map(layerName);
  return weighted.filter((n) => asked.includes(n));
}

/** Problems of `perforate` against the layers the spec makes: [index, message]. */
export function perforateProblems(spec: Pick<NetSpec, 'conv' | 'hidden' | 'perforate'>): { index: number; message: string }[] {
  if (spec.perforate === 'all') return [];
  const all = layerNames(spec);
  const weighted = all.filter((l) => l.kind === 'Linear' || l.kind === 'Conv2d').map((l) => l.name);
  const asked = spec.perforate.map(layerName);
  return asked.flatMap((name, index) => {
    const layer = all.find((l) => l.name === name);
    if (!layer) return [{ index, message: `no layer "${spec.perforate[index]}" in this model; its Linear and Conv2d layers are ${weighted.join(', ')}` }];
    if (layer.kind !== 'Linear' && layer.kind !== 'Conv2d') return [{ index, message: `"${name}" is ${layer.kind}; only Linear and Conv2d layers can be perforated (${weighted.join(', ')})` }];
    if (asked.indexOf(name) !== index) return [{ index, message: `"${spec.perforate[index]}" names ${name} a second time` }];
    return [];
  });
}

/** Parameters of the net with `sets` dendrite sets joined to every perforated layer. */
export function parameterCount(spec: NetSpec, input: InputInfo, sets = 0): number {
  const perforated = new Set(perforatedNames(spec));
  let n = 0;
  for (const l of weightLayers(spec, input)) {
    const weights = l.weightShape.reduce((a, b) => a * b, 1);
    n += weights + l.units; // W, b
    if (perforated.has(l.name)) for (let k = 0; k < sets; k++) n += weights + l.units + k * l.units + l.units; // U, a, v (k × units), c
  }
  return n;
}

/**
 * Hidden widths of a plain net (nothing perforated) with at least as many parameters as `spec`
 * ends with after `sets` dendrite sets: every hidden width scaled by the same smallest factor
 * (in steps of 1%) that gets there. The convolutions keep their channels.
 */
export function widenedHidden(spec: NetSpec, input: InputInfo, sets: number): number[] {
  const target = parameterCount(spec, input, sets);
  for (let f = 1; ; f += 0.01) {
    const hidden = spec.hidden.map((h) => Math.ceil(h * f - 1e-9));
    if (parameterCount({ ...spec, hidden, perforate: [] }, input) >= target) return hidden;
  }
}

export class PerforatedNet {
  private constructor(
    readonly model: Sequential,
    /** The perforated layers, input side first. */
    readonly perforated: PerforatedLayer[],
    /** Every weight layer with its attribution id. */
    readonly ids: Map<Layer, string>,
  ) {}

  static build(spec: NetSpec, input: InputInfo, rng: Rng): PerforatedNet {
    const wrap = new Set(perforatedNames(spec));
    const perforated: PerforatedLayer[] = [];
    const ids = new Map<Layer, string>();
    const init = { init: { kind: spec.init } } as const;
    const weighted = (info: WeightLayerInfo, neuron: Neuron): Layer => {
      if (!wrap.has(info.name)) return (ids.set(neuron, info.id), neuron);
      const p = new PerforatedLayer(info.name, neuron, spec.detachInputs);
      perforated.push(p);
      ids.set(p, info.id);
      return p;
    };
    const layers: Layer[] = [];
    const infos = weightLayers(spec, input);
    for (const [i, c] of spec.conv.entries()) {
      const info = infos[i];
      const pad = Math.floor(spec.kernel / 2);
      layers.push(weighted(info, new Conv2d(info.name, info.weightShape[1], c, spec.kernel, rng, { ...init, padding: pad })));
      layers.push(new Activation(`${info.name}.activation`, spec.activation), new Pool2d(`${info.name}.pool`, 'max', 2));
    }
    if (spec.conv.length) layers.push(new Flatten('model.flatten'));
    for (const info of infos.slice(spec.conv.length)) {
      layers.push(weighted(info, new Linear(info.name, info.weightShape[1], info.units, rng, init)));
      if (info.name !== 'model.output') layers.push(new Activation(`${info.name}.activation`, spec.activation));
    }
    return new PerforatedNet(new Sequential('model', layers), perforated, ids);
  }

  parameters(): Parameter[] {
    return this.model.parameters();
  }

  /** Parameters the inference model uses (a candidate's are not yet part of it). */
  parameterCount(): number {
    const candidate = new Set(this.perforated.flatMap((l) => (l.candidate ? [l.candidate.weight, l.candidate.bias, l.candidate.cascade, l.candidate.out] : [])));
    return this.parameters().reduce((n, p) => n + (candidate.has(p) ? 0 : p.size), 0);
  }

  /** Dendrite sets joined per perforated layer (the same for all: they grow together). */
  get cycles(): number {
    return this.perforated[0]?.joined ?? 0;
  }

  /**
   * Which parameters train. neuron: W, b and every c (joined dendrites frozen), or with
   * `dendritesLearn` (the gradient-descent variant) every parameter; dendrite: only the
   * candidates' U, a and v.
   */
  setPhase(phase: 'neuron' | 'dendrite', dendritesLearn = false): void {
    for (const p of this.parameters()) p.trainable = phase === 'neuron';
    for (const l of this.perforated) {
      const cand = l.candidate;
      if (cand) for (const p of [cand.weight, cand.bias, cand.cascade, cand.out]) if (p) p.trainable = phase === 'dendrite' && p !== cand.out;
      if (phase === 'neuron' && !dendritesLearn) for (const p of l.dendriteParameters().inputs) p.trainable = false;
    }
  }

  snapshot(): NetSnapshot {
    return {
      sets: this.perforated.map((l) => ({ count: l.sets.length, joined: l.joined })),
      values: new Map(this.parameters().map((p) => [p, p.data.slice()])),
    };
  }

  /** Back to a snapshot: later dendrite sets dropped, every value as it was. */
  restore(s: NetSnapshot): void {
    this.perforated.forEach((l, i) => {
      l.truncate(s.sets[i].count);
      l.joined = s.sets[i].joined;
    });
    for (const p of this.parameters()) {
      const v = s.values.get(p);
      if (!v) throw new Error(`restore: ${p.name} is not in the snapshot`);
      p.set(v);
    }
  }
}

export interface NetSnapshot {
  sets: { count: number; joined: number }[];
  values: Map<Parameter, Float32Array>;
}
