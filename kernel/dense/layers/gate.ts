/**
 * Gate-and-gain (Dopamine, PAPERS.md §4): each unit j of a layer's output h [N, units] gets a
 * threshold τⱼ and a gain γⱼ.
 *   soft (training):  y = γ · σ((h − τ) / T) · h     T: a scalar fed each run (scalarInput),
 *                                                    annealed on a schedule towards a hard gate
 *   hard (inference): y = γ · 1[h > τ] · h
 * At τ = 0, γ = 1 the hard gate passes a ReLU layer's output unchanged (h ≥ 0, and h = 0 gives 0
 * either way). The soft gate's gradient reaches τ (and h) through the sigmoid; the hard gate's
 * reaches γ and h only (a comparison passes none). Parameters: `<name>.threshold`,
 * `<name>.gain`, both [units].
 */
import { GraphError, type Value } from '../graph';
import * as o from '../ops';
import { Parameter, type Bind } from '../params';
import { shapeText } from '../shapes';
import type { Layer } from './layer';

export type GateMode = 'soft' | 'hard';

export class GateAndGain implements Layer {
  readonly threshold: Parameter;
  readonly gain: Parameter;

  constructor(
    readonly name: string,
    readonly units: number,
    readonly mode: GateMode,
    /** The soft gate's temperature T (a scalar input); not read by the hard gate. */
    readonly temperature?: Parameter,
    init: { threshold?: number; gain?: number } = {},
    shared?: { threshold: Parameter; gain: Parameter },
  ) {
    if (mode === 'soft' && (!temperature || temperature.size !== 1)) throw new Error(`${name}: a soft gate needs a scalar temperature`);
    this.threshold = shared?.threshold ?? new Parameter(`${name}.threshold`, [units], new Float32Array(units).fill(init.threshold ?? 0));
    this.gain = shared?.gain ?? new Parameter(`${name}.gain`, [units], new Float32Array(units).fill(init.gain ?? 1));
  }

  /** The same gate (the same τ and γ Parameters) in the other mode: train soft, evaluate hard. */
  as(mode: GateMode): GateAndGain {
    return new GateAndGain(this.name, this.units, mode, this.temperature, {}, { threshold: this.threshold, gain: this.gain });
  }

  parameters(): Parameter[] {
    return [this.threshold, this.gain];
  }

  apply(h: Value, bind: Bind): Value {
    const g = h.graph;
    return g.scope(this.name, () => {
      if (h.shape.length !== 2 || h.shape[1] !== this.units) throw new GraphError(g.where('GateAndGain'), `expects [N, ${this.units}], got ${shapeText(h.shape)}`);
      const tau = bind(this.threshold);
      const gamma = bind(this.gain);
      if (this.mode === 'hard') return o.where(o.greater(h, tau), o.mul(h, gamma), 0); // γ · 1[h > τ] · h
      const open = o.sigmoid(o.div(o.sub(h, tau), bind(this.temperature!))); // σ((h − τ)/T)
      return o.mul(o.mul(open, h), gamma);
    });
  }
}
