/**
 * Parameters owned by the kernel in typed arrays. Each has two buffers: a training step reads
 * the current one and onnxruntime writes the updated values straight into the other, then
 * they swap, so no copy is made per step. Read `data` afresh after a step: it is the buffer
 * that holds the current values. Optimizer state (momentum, Adam moments) uses the same type.
 */
import type { Graph, Value } from './graph';
import type { Shape } from './shapes';

export class Parameter {
  private readonly buffers: [Float32Array, Float32Array];
  private current = 0;

  constructor(
    /** Unique, e.g. `hidden0.weight`; the graph input and the checkpoint entry share it. */
    readonly name: string,
    readonly shape: Shape,
    init?: Float32Array,
    /** Frozen parameters are fed but never updated. */
    public trainable = true,
  ) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (init && init.length !== n) throw new Error(`${name}: ${init.length} initial values for shape [${shape.join(',')}] (${n})`);
    this.buffers = [init ? Float32Array.from(init) : new Float32Array(n), new Float32Array(n)];
  }

  get size(): number {
    return this.buffers[0].length;
  }

  /** The current values. */
  get data(): Float32Array {
    return this.buffers[this.current];
  }

  /** The buffer the next step writes (not the current values). */
  get spare(): Float32Array {
    return this.buffers[1 - this.current];
  }

  /** Which of the two buffers is current (0 or 1); steps pick their prebuilt bindings by it. */
  get parity(): number {
    return this.current;
  }

  buffer(k: number): Float32Array {
    return this.buffers[k];
  }

  /** After a step has written `spare`: it becomes current. */
  swap(): void {
    this.current = 1 - this.current;
  }

  set(values: ArrayLike<number>): void {
    if (values.length !== this.size) throw new Error(`${this.name}: ${values.length} values for ${this.size}`);
    this.data.set(values);
  }
}

/** Maps parameters to graph values of one graph (made on first use). */
export type Bind = (p: Parameter) => Value;

/** A binder that feeds parameters as graph params (training and evaluation graphs). */
export function feedParams(g: Graph): { bind: Bind; bound: Map<Parameter, Value> } {
  const bound = new Map<Parameter, Value>();
  const bind: Bind = (p) => {
    let v = bound.get(p);
    if (!v) {
      v = g.param(p.name, p.shape);
      bound.set(p, v);
    }
    return v;
  };
  return { bind, bound };
}

/**
 * Freeze parameters: a training step still feeds them (graph inputs), but builds no gradient
 * and no update for them (autodiff differentiates only the trainable ones), and their bytes
 * never change. Returns the same parameters.
 */
export function freeze<T extends Iterable<Parameter>>(params: T): T {
  for (const p of params) p.trainable = false;
  return params;
}

/**
 * A scalar that every run is fed and nothing trains: a hyper-parameter a layer reads inside the
 * graph (a gate's temperature), changed between runs with `set([v])` (e.g. once per epoch on a
 * schedule) without rebuilding any graph, since steps feed the buffer it lives in.
 */
export function scalarInput(name: string, value: number): Parameter {
  return new Parameter(name, [], Float32Array.of(value), false);
}
