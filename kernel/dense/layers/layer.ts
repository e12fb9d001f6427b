/**
 * Layers: named parts of a model that own parameters and add their ops to a graph. A layer's
 * name is where problems are reported (e.g. `model.hidden[1]`), so a shape mismatch names the
 * layer that made it. Sequential chains layers; Activation and Flatten have no parameters.
 */
import type { Value } from '../graph';
import * as o from '../ops';
import type { Bind, Parameter } from '../params';

export interface Layer {
  readonly name: string;
  parameters(): Parameter[];
  /** Add the layer's ops on `x` (in the graph `x` belongs to); `bind` gives each parameter's graph value. */
  apply(x: Value, bind: Bind): Value;
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
