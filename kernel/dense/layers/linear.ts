/**
 * Linear (fully connected) layer, stored as PyTorch stores it:
 *   y = x Wᵀ + b      x [N, in], W [out, in], b [out], y [N, out]
 * one Gemm node (transB = 1), so the bias add and the transpose cost nothing extra.
 */
import type { Rng } from '../../core/rng';
import { GraphError, type Value } from '../graph';
import * as o from '../ops';
import type { Bind, Parameter } from '../params';
import { shapeText } from '../shapes';
import { weightAndBias, type Layer, type WeightBiasOptions } from './layer';

export type LinearOptions = WeightBiasOptions;

export class Linear implements Layer {
  readonly weight: Parameter;
  readonly bias?: Parameter;

  constructor(readonly name: string, readonly inFeatures: number, readonly outFeatures: number, rng: Rng, opts: LinearOptions = {}) {
    ({ weight: this.weight, bias: this.bias } = weightAndBias(name, [outFeatures, inFeatures], rng, opts));
  }

  parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  apply(x: Value, bind: Bind): Value {
    const g = x.graph;
    return g.scope(this.name, () => {
      if (x.shape.length !== 2) throw new GraphError(g.where('Linear'), `expects input [N, ${this.inFeatures}], got ${shapeText(x.shape)} (flatten it first)`);
      if (x.shape[1] !== this.inFeatures) throw new GraphError(g.where('Linear'), `expects ${this.inFeatures} input features, got ${x.shape[1]} (input ${shapeText(x.shape)})`);
      return o.gemm(x, bind(this.weight), this.bias && bind(this.bias), { transB: 1 });
    });
  }
}
