/**
 * Convolution and pooling over images [N, C, H, W] (PyTorch's layout and conventions):
 *   Conv2d:    y[n,m] = b[m] + Σ_c W[m,c] ⋆ x[n,c]    (cross-correlation, stride s, zero padding p)
 *   MaxPool2d: y = max over each k×k window           (stride defaults to k)
 *   AvgPool2d: y = mean over each k×k window          (padding counts as zeros)
 * Output size per axis: ⌊(H + 2p − k)/s⌋ + 1.
 */
import type { Rng } from '../../core/rng';
import { GraphError, type Value } from '../graph';
import * as o from '../ops';
import type { Bind, Parameter } from '../params';
import { shapeText } from '../shapes';
import { weightAndBias, type Layer, type WeightBiasOptions } from './layer';

export interface Conv2dOptions extends WeightBiasOptions {
  stride?: number;
  padding?: number;
}

export class Conv2d implements Layer {
  readonly weight: Parameter;
  readonly bias?: Parameter;
  readonly stride: number;
  readonly padding: number;

  constructor(readonly name: string, readonly inChannels: number, readonly outChannels: number, readonly kernel: number, rng: Rng, opts: Conv2dOptions = {}) {
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    ({ weight: this.weight, bias: this.bias } = weightAndBias(name, [outChannels, inChannels, kernel, kernel], rng, opts));
  }

  parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  apply(x: Value, bind: Bind): Value {
    const g = x.graph;
    return g.scope(this.name, () => {
      if (x.shape.length !== 4 || x.shape[1] !== this.inChannels) {
        throw new GraphError(g.where('Conv2d'), `expects input [N, ${this.inChannels}, H, W], got ${shapeText(x.shape)}`);
      }
      const p = this.padding;
      return o.conv(x, bind(this.weight), this.bias && bind(this.bias), { strides: [this.stride, this.stride], pads: [p, p, p, p] });
    });
  }
}

export class Pool2d implements Layer {
  readonly stride: number;
  constructor(readonly name: string, readonly kind: 'max' | 'avg', readonly kernel: number, stride?: number, readonly padding = 0) {
    this.stride = stride ?? kernel;
  }
  parameters(): Parameter[] {
    return [];
  }
  apply(x: Value): Value {
    const k = [this.kernel, this.kernel];
    const opts = { strides: [this.stride, this.stride], pads: [this.padding, this.padding, this.padding, this.padding] };
    return x.graph.scope(this.name, () => (this.kind === 'max' ? o.maxPool(x, k, opts)[0] : o.avgPool(x, k, opts)));
  }
}
