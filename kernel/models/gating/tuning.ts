/**
 * The four ways Dopamine tuning (PAPERS.md §4) is compared, each on the same frozen base
 * (base.ts), whose weights are fed to every step and reached by no gradient:
 *   frozen    the base as it is (nothing trains)
 *   dopamine  per hidden unit a threshold τ and a gain γ after its activation (GateAndGain):
 *             soft while training, y = γ σ((h − τ)/T) h with T annealed per epoch; hard at
 *             inference, y = γ 1[h > τ] h. Only τ and γ train: 2 per hidden unit.
 *   lora      a rank-r update (α/r) B A beside every Linear (LoRALinear): r (in + out) per layer
 *   bias      the biases of every Linear (BitFit)
 */
import type { Rng } from '../../core/rng';
import { sequentialModel, type AttributionModel } from '../../dense/attribution/model';
import { GateAndGain } from '../../dense/layers/gate';
import { Sequential, type Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import { LoRALinear } from '../../dense/layers/lora';
import { freeze, scalarInput, type Parameter } from '../../dense/params';
import { baseLayerList, baseParameters, type BaseLayers } from './base';
import { gateAttribution, type UprightGates } from './gate-attribution';

export const tuningMethods = ['frozen', 'dopamine', 'lora', 'bias'] as const;
export type TuningMethod = (typeof tuningMethods)[number];

export interface TemperatureSchedule {
  start: number;
  end: number;
  /** exponential: T = start (end/start)^(e/(E−1)); linear: start + (end − start) e/(E−1); constant: start. */
  shape: 'exponential' | 'linear' | 'constant';
}

/** The soft gate's temperature in epoch `epoch` (0-based) of `epochs`: `start` in the first, `end` in the last (and after). */
export function temperatureAt(epoch: number, epochs: number, s: TemperatureSchedule): number {
  const t = epochs > 1 ? Math.min(1, Math.max(0, epoch / (epochs - 1))) : 1;
  if (s.shape === 'constant') return s.start;
  if (s.shape === 'linear') return s.start + (s.end - s.start) * t;
  return s.start * (s.end / s.start) ** t;
}

export interface TuningOptions {
  gate: { threshold: number; gain: number; temperature: TemperatureSchedule };
  lora: { rank: number; alpha: number };
}

export interface TunedModel {
  method: TuningMethod;
  base: BaseLayers;
  /** What the training step runs (soft gates). */
  train: Sequential;
  /** What is evaluated, attributed and exported (hard gates; the same parameters). */
  infer: Sequential;
  /** Every parameter the step is fed: the frozen base's, the trained ones, the temperature. */
  params: Parameter[];
  trained: Parameter[];
  /** dopamine: the soft gates' temperature (a scalar input) and the gates, one per hidden layer. */
  temperature?: Parameter;
  gates: GateAndGain[];
  /** Hidden layer ids for attribution: hidden0, hidden1, … */
  layerIds: string[];
}

/** The base (already loaded) tuned by `method`: the base's parameters are frozen here. */
export function tuneBase(base: BaseLayers, method: TuningMethod, o: TuningOptions, rng: Rng): TunedModel {
  const frozen = freeze(baseParameters(base));
  const layerIds = base.hidden.map((_, i) => `hidden${i}`);
  const plain = baseLayerList(base);
  const made = (train: Layer[], infer: Layer[], trained: Parameter[], extra: Partial<TunedModel> = {}): TunedModel => {
    const params = [...new Set([...frozen, ...trained, ...(extra.temperature ? [extra.temperature] : [])])];
    return { method, base, train: new Sequential('model', train), infer: new Sequential('model', infer), params, trained, gates: [], layerIds, ...extra };
  };
  switch (method) {
    case 'frozen':
      return made(plain, plain, []);
    case 'bias': {
      const biases = [...base.hidden.map((h) => h.linear), base.output].flatMap((l) => (l.bias ? [l.bias] : []));
      for (const b of biases) b.trainable = true;
      return made(plain, plain, biases);
    }
    case 'lora': {
      const wrap = (l: Layer) => (l instanceof Linear ? new LoRALinear(l, o.lora.rank, rng, { alpha: o.lora.alpha }) : l);
      const layers = plain.map(wrap);
      return made(layers, layers, layers.flatMap((l) => (l instanceof LoRALinear ? [l.a, l.b] : [])));
    }
    case 'dopamine': {
      const temperature = scalarInput('gate.temperature', o.gate.temperature.start);
      const gates = base.hidden.map((h, i) => new GateAndGain(`gate[${i}]`, h.linear.outFeatures, 'soft', temperature, { threshold: o.gate.threshold, gain: o.gate.gain }));
      const hard = gates.map((g) => g.as('hard'));
      const stack = (gs: GateAndGain[]) => [...base.hidden.flatMap((h, i) => [h.linear, h.activation, gs[i]]), base.output];
      return made(stack(gates), stack(hard), gates.flatMap((g) => g.parameters()), { temperature, gates });
    }
  }
}

/**
 * The tuned model for the attribution engine, with hard gates: taps `hidden<i>` after each hidden
 * block (after the gate for dopamine, which also taps the value entering it as `hidden<i>.pre`
 * and offers `dopamine.gate`, gate-attribution.ts).
 */
export function tunedAttributionModel(m: TunedModel, data: { features: number; classes: number; rows: number; cols: number }, upright?: UprightGates): AttributionModel {
  const taps: Record<string, string> = {};
  m.base.hidden.forEach((h, i) => {
    if (m.method === 'dopamine') {
      taps[h.activation.name] = `hidden${i}.pre`;
      taps[m.gates[i].name] = `hidden${i}`;
    } else taps[h.activation.name] = `hidden${i}`;
  });
  const extras = m.method === 'dopamine' ? [gateAttribution(m.gates, m.layerIds, upright)] : undefined;
  return sequentialModel(m.infer, { taps, features: data.features, classes: data.classes, inputType: 'uint8', inputShape: [data.rows, data.cols], extras });
}
