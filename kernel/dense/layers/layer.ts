/**
 * Layers: named parts of a model that own parameters and add their ops to a graph. A layer's
 * name is where problems are reported (e.g. `model.hidden[1]`), so a shape mismatch names the
 * layer that made it. Sequential chains layers; Activation and Flatten have no parameters.
 */
import type { Rng } from '../../core/rng';
import type { Value } from '../graph';
import { fans, initialize, type Init } from '../init';
import * as o from '../ops';
import { Parameter, type Bind } from '../params';
import type { Shape } from '../shapes';

export interface Layer {
  readonly name: string;
  parameters(): Parameter[];
  /** Add the layer's ops on `x` (in the graph `x` belongs to); `bind` gives each parameter's graph value. */
  apply(x: Value, bind: Bind): Value;
}

/** Options of a layer with a weight and a bias (Linear, Conv2d). */
export interface WeightBiasOptions {
  bias?: boolean;
  init?: Init;
  biasInit?: Init;
}

/**
 * A layer's weight `<name>.weight` of `shape` [out, in, …] (init default he) and, unless
 * `bias: false`, its bias `<name>.bias` of [out] (default 0; a fan-based bias init uses the
 * weight's fans, as PyTorch does).
 */
export function weightAndBias(name: string, shape: Shape, rng: Rng, opts: WeightBiasOptions): { weight: Parameter; bias?: Parameter } {
  const weight = new Parameter(`${name}.weight`, shape, initialize(opts.init ?? { kind: 'he' }, shape, rng.fork(`${name}.weight`), `${name}.init`));
  if (!(opts.bias ?? true)) return { weight };
  const b = initialize(opts.biasInit ?? { kind: 'constant', value: 0 }, [shape[0]], rng.fork(`${name}.bias`), `${name}.biasInit`, fans(shape));
  return { weight, bias: new Parameter(`${name}.bias`, [shape[0]], b) };
}

export type ActivationKind = 'relu' | 'elu' | 'sigmoid' | 'tanh' | 'identity';
export const activationKinds: readonly ActivationKind[] = ['relu', 'elu', 'sigmoid', 'tanh', 'identity'];

/** y = f(x) elementwise: relu max(0,x); elu x if x>0 else α(eˣ−1); sigmoid 1/(1+e⁻ˣ); tanh; identity x. */
export function activate(x: Value, kind: ActivationKind, alpha = 1): Value {
  switch (kind) {
    case 'relu':
      return o.relu(x);
    case 'elu':
      return o.elu(x, alpha);
    case 'sigmoid':
      return o.sigmoid(x);
    case 'tanh':
      return o.tanh(x);
    case 'identity':
      return x;
  }
}

export class Activation implements Layer {
  constructor(readonly name: string, readonly kind: ActivationKind, readonly alpha = 1) {}
  parameters(): Parameter[] {
    return [];
  }
  apply(x: Value): Value {
    return x.graph.scope(this.name, () => activate(x, this.kind, this.alpha));
  }
}

/** [N, d₁, d₂, …] → [N, d₁·d₂·…] */
export class Flatten implements Layer {
  constructor(readonly name: string) {}
  parameters(): Parameter[] {
    return [];
  }
  apply(x: Value): Value {
    return x.shape.length === 2 ? x : x.graph.scope(this.name, () => o.flatten(x, 1));
  }
}

export class Sequential implements Layer {
  constructor(readonly name: string, readonly layers: Layer[]) {}
  parameters(): Parameter[] {
    return this.layers.flatMap((l) => l.parameters());
  }
  apply(x: Value, bind: Bind): Value {
    return this.layers.reduce((h, l) => l.apply(h, bind), x);
  }
}
