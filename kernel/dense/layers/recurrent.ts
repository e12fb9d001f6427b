/**
 * A recurrent layer unrolled over time, trained by backpropagation through time (the unrolled
 * graph is differentiated like any other):
 *   h₀ = 0
 *   hₜ = f(W_in xₜ + W_rec hₜ₋₁ + b)      xₜ [N, in], hₜ [N, hidden], f an activation
 * Input [T, N, in], output [T, N, hidden] (every step's state, for a loss on every step).
 * Liu et al. (PAPERS.md §5) use f = ReLU, no bias, and a rank-controlled W_rec initialiser.
 */
import type { Rng } from '../../core/rng';
import { GraphError, type Value } from '../graph';
import { initialize, type Init } from '../init';
import * as o from '../ops';
import { Parameter, type Bind } from '../params';
import { shapeText } from '../shapes';
import { activate, type ActivationKind, type Layer } from './layer';

export interface RecurrentOptions {
  activation?: ActivationKind;
  bias?: boolean;
  inputInit?: Init;
  recurrentInit?: Init;
}

export class Recurrent implements Layer {
  readonly wIn: Parameter;
  readonly wRec: Parameter;
  readonly bias?: Parameter;
  readonly activation: ActivationKind;

  constructor(readonly name: string, readonly inFeatures: number, readonly hidden: number, rng: Rng, opts: RecurrentOptions = {}) {
    this.activation = opts.activation ?? 'relu';
    const inShape = [hidden, inFeatures];
    const recShape = [hidden, hidden];
    this.wIn = new Parameter(`${name}.w_in`, inShape, initialize(opts.inputInit ?? { kind: 'torch' }, inShape, rng.fork(`${name}.w_in`), `${name}.inputInit`));
    this.wRec = new Parameter(`${name}.w_rec`, recShape, initialize(opts.recurrentInit ?? { kind: 'torch' }, recShape, rng.fork(`${name}.w_rec`), `${name}.recurrentInit`));
    if (opts.bias) this.bias = new Parameter(`${name}.bias`, [hidden]);
  }

  parameters(): Parameter[] {
    return this.bias ? [this.wIn, this.wRec, this.bias] : [this.wIn, this.wRec];
  }

  apply(x: Value, bind: Bind): Value {
    const g = x.graph;
    return g.scope(this.name, () => {
      if (x.shape.length !== 3 || x.shape[2] !== this.inFeatures) {
        throw new GraphError(g.where('Recurrent'), `expects input [T, N, ${this.inFeatures}], got ${shapeText(x.shape)}`);
      }
      const [steps, n] = x.shape;
      const wIn = bind(this.wIn);
      const wRec = bind(this.wRec);
      const b = this.bias && bind(this.bias);
      const states: Value[] = [];
      let h: Value | undefined;
      for (let t = 0; t < steps; t++) {
        const xt = o.reshape(o.slice(x, [t], [t + 1], [0]), [n, this.inFeatures]);
        const drive = o.gemm(xt, wIn, b, { transB: 1 }); // W_in xₜ + b
        const pre = h ? o.gemm(h, wRec, drive, { transB: 1 }) : drive; // + W_rec hₜ₋₁ (h₀ = 0 adds nothing)
        h = activate(pre, this.activation);
        states.push(o.reshape(h, [1, n, this.hidden]));
      }
      return steps === 1 ? states[0] : o.concat(states, 0);
    });
  }
}

/** Applies a layer to every time step: [T, N, …] → [T·N, …] → layer → [T, N, out]. */
export class TimeDistributed implements Layer {
  constructor(readonly name: string, readonly inner: Layer) {}
  parameters(): Parameter[] {
    return this.inner.parameters();
  }
  apply(x: Value, bind: Bind): Value {
    const [t, n, ...rest] = x.shape;
    const flat = x.graph.scope(this.name, () => o.reshape(x, [t * n, ...rest]));
    const y = this.inner.apply(flat, bind);
    return x.graph.scope(this.name, () => o.reshape(y, [t, n, ...y.shape.slice(1)]));
  }
}
