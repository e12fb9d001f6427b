/**
 * Tensor graphs built in TypeScript. Every op added is checked and its output shapes and types
 * inferred at once (kernel/dense/op-table.ts), so a shape mismatch is reported where it is
 * made: which layer (the builder's scope), which op, which shapes. The same builder makes
 * forward graphs, backward graphs (kernel/dense/autodiff.ts) and optimizer updates, so every
 * node of a training step is checked the same way.
 */
import { InputError } from '../core/errors';
import { opTable, type AttrValue, type Attrs } from './op-table';
import { shapeText, type Shape } from './shapes';

export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';
export type FloatType = 'float32' | 'float64';
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface Value {
  readonly graph: Graph;
  readonly id: number;
  /** Unique in the graph; inputs keep the name they were given, internal names start with `_`. */
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  /** input: fed each run; param: a fed input that a model trains; const: baked in; op: computed. */
  readonly kind: 'input' | 'param' | 'const' | 'op';
  readonly producer?: Node;
  readonly data?: TensorData;
}

export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: Readonly<Attrs>;
  /** Where it was made (a layer's path, e.g. `model.hidden[0]`), for messages. */
  readonly scope: string;
}

/** A shape or type error made while building a graph, located at the layer and op. */
export class GraphError extends InputError {
  constructor(where: string, message: string) {
    super([`${where}: ${message}`]);
    this.name = 'GraphError';
  }
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: { name: string; value: Value }[] = [];
  /**
   * Values a layer shows under a name while it builds (its input, its output, a part of it),
   * for code that builds on them afterwards without the layer returning them: a training
   * objective over a layer's output, a per-unit attribution. The last value tapped under a name
   * wins; a tap adds no node.
   */
  readonly taps = new Map<string, Value>();
  private readonly names = new Set<string>();
  private readonly scalars = new Map<string, Value>();
  private readonly scopes: string[] = [];
  private nextId = 0;

  /** `float` is the element type of every floating tensor the builders make. */
  constructor(readonly float: FloatType = 'float32') {}

  /** A tensor fed at each run (data, labels, hyper-parameters). */
  input(name: string, shape: Shape, dtype: DType = this.float): Value {
    return this.feed(name, shape, dtype, 'input');
  }

  /** A trainable tensor: fed at each run from the kernel's typed arrays; an initializer when exported. */
  param(name: string, shape: Shape): Value {
    return this.feed(name, shape, this.float, 'param');
  }

  /** A constant baked into the graph. */
  constant(data: TensorData, shape: Shape, dtype: DType = this.float): Value {
    const n = shape.reduce((a, b) => a * b, 1);
    if (data.length !== n) throw new GraphError(this.where('constant'), `${data.length} values for shape ${shapeText(shape)} (${n})`);
    return this.value({ name: `_c${this.nextId}`, shape: [...shape], dtype, kind: 'const', data });
  }

  /** A scalar constant (shape []), shared by every use of the same value and type. */
  scalar(v: number, dtype: DType = this.float): Value {
    const key = `${dtype}:${Object.is(v, -0) ? '-0' : v}`;
    let s = this.scalars.get(key);
    if (!s) {
      const data = dtype === 'float64' ? Float64Array.of(v) : dtype === 'float32' ? Float32Array.of(v) : dtype === 'int64' ? BigInt64Array.of(BigInt(v)) : Int32Array.of(v);
      s = this.constant(data, [], dtype);
      this.scalars.set(key, s);
    }
    return s;
  }

  /** Add one op; returns its outputs. Throws GraphError (located) for bad shapes, types or attributes. */
  apply(op: string, inputs: Value[], attrs: Record<string, AttrValue | undefined> = {}): Value[] {
    const where = this.where(op);
    const def = opTable[op];
    if (!def) throw new GraphError(where, `unknown op "${op}"; known ops: ${Object.keys(opTable).join(', ')}`);
    for (const v of inputs) if (v.graph !== this) throw new GraphError(where, `input ${v.name} belongs to another graph`);
    const [lo, hi] = def.arity;
    if (inputs.length < lo || inputs.length > hi) throw new GraphError(where, `takes ${lo === hi ? lo : `${lo} to ${hi}`} inputs, got ${inputs.length}`);
    const resolved: Attrs = {};
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      if (!def.attrs[k]) throw new GraphError(where, `unknown attribute "${k}"${Object.keys(def.attrs).length ? `; it takes ${Object.keys(def.attrs).join(', ')}` : ''}`);
      resolved[k] = v;
    }
    for (const [k, spec] of Object.entries(def.attrs)) {
      if (resolved[k] === undefined && spec.default !== undefined) resolved[k] = spec.default;
      if (resolved[k] === undefined && spec.required) throw new GraphError(where, `attribute "${k}" is required`);
    }
    let types: { shape: Shape; dtype: DType }[];
    try {
      types = def.infer(inputs, resolved);
    } catch (e) {
      throw new GraphError(where, `${(e as Error).message} (inputs ${inputs.map((v) => `${shapeText(v.shape)} ${v.dtype}`).join(', ')})`);
    }
    const node: Node = { id: this.nodes.length, op, inputs: [...inputs], outputs: [], attrs: resolved, scope: this.scopes.join('/') };
    (node.outputs as Value[]).push(...types.map((t) => this.value({ name: `_t${this.nextId}`, shape: [...t.shape], dtype: t.dtype, kind: 'op', producer: node })));
    this.nodes.push(node);
    return node.outputs as Value[];
  }

  /** Mark a value as a graph output under `name`. */
  output(name: string, value: Value): void {
    if (this.outputs.some((o) => o.name === name) || this.inputs.some((v) => v.name === name)) {
      throw new GraphError(this.where('output'), `output name "${name}" is already used`);
    }
    this.outputs.push({ name, value });
  }

  /** Record `value` under `name` in `taps` (replacing an earlier one); returns the value. */
  tap(name: string, value: Value): Value {
    if (value.graph !== this) throw new GraphError(this.where('tap'), `${name}: the value belongs to another graph`);
    this.taps.set(name, value);
    return value;
  }

  /** Build inside a named scope (a layer); errors and node names carry it. */
  scope<T>(name: string, build: () => T): T {
    this.scopes.push(name);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  where(op: string): string {
    return this.scopes.length ? `${this.scopes.join('/')}: ${op}` : op;
  }

  private feed(name: string, shape: Shape, dtype: DType, kind: 'input' | 'param'): Value {
    if (!/^[A-Za-z][A-Za-z0-9_.:/\[\]-]*$/.test(name)) throw new GraphError(this.where('input'), `"${name}" is not a valid tensor name`);
    if (this.names.has(name)) throw new GraphError(this.where('input'), `tensor name "${name}" is already used`);
    if (shape.some((d) => !Number.isInteger(d) || d < -1)) throw new GraphError(this.where('input'), `${name}: bad shape ${shapeText(shape)}`);
    const v = this.value({ name, shape: [...shape], dtype, kind });
    this.inputs.push(v);
    return v;
  }

  private value(v: Omit<Value, 'graph' | 'id'>): Value {
    const value: Value = { ...v, graph: this, id: this.nextId++ };
    this.names.add(value.name);
    return value;
  }
}
