/**
 * The ops a Neurite graph may contain — all standard ONNX (opset 18) — with their attributes
 * and shape/type inference. `infer` throws a plain message; the graph builder adds the layer
 * and op. Attributes that ONNX takes as tensor inputs (axes, shapes, slice bounds) are static
 * attributes here, so shapes are known while building; the serialiser lowers them (`lower`).
 */
import type { DType, Value } from './graph';
import { broadcast, isStatic, normAxis, numel, sameShape, shapeText, windowOut, type Shape } from './shapes';

export type AttrValue = number | number[] | string;
export type Attrs = Record<string, AttrValue>;
type AttrType = 'int' | 'ints' | 'float' | 'string' | 'dtype';
type Out = { shape: Shape; dtype: DType }[];

export interface OpDef {
  arity: [number, number];
  attrs: Record<string, { type: AttrType; default?: AttrValue; required?: boolean }>;
  infer(inputs: Value[], attrs: Attrs): Out;
  /** Attributes passed to ONNX as int64 tensor inputs, in input order after the value inputs. */
  lower?: string[];
  /** Trailing outputs that may be left unnamed when nothing reads them. */
  optionalOutputs?: number;
}

const FLOATS: DType[] = ['float32', 'float64'];
const NUMERIC: DType[] = ['float32', 'float64', 'int32', 'int64'];

function expectType(v: Value, allowed: DType[], what = 'input'): void {
  if (!allowed.includes(v.dtype)) throw new Error(`${what} ${v.name} is ${v.dtype}; expected ${allowed.join(' or ')}`);
}
function sameTypes(vs: Value[]): void {
  for (const v of vs) if (v.dtype !== vs[0].dtype) throw new Error(`input types differ: ${vs.map((x) => x.dtype).join(', ')}`);
}
function ints(a: Attrs, k: string): number[] {
  return a[k] as number[];
}
function pairs(a: Attrs, k: string, n: number, fill: number): number[] {
  const v = (a[k] as number[] | undefined) ?? [];
  if (v.length === 0) return new Array(n).fill(fill);
  if (v.length !== n) throw new Error(`${k} needs ${n} values, got ${v.length}`);
  return v;
}

const unary = (types: DType[] = FLOATS, attrs: OpDef['attrs'] = {}): OpDef => ({
  arity: [1, 1],
  attrs,
  infer: ([x]) => (expectType(x, types), [{ shape: x.shape, dtype: x.dtype }]),
});
const binary = (types: DType[], result?: DType): OpDef => ({
  arity: [2, 2],
  attrs: {},
  infer: ([a, b]) => (expectType(a, types), sameTypes([a, b]), [{ shape: broadcast(a.shape, b.shape), dtype: result ?? a.dtype }]),
});
const reduce = (): OpDef => ({
  arity: [1, 1],
  attrs: { axes: { type: 'ints', required: true }, keepdims: { type: 'int', default: 1 } },
  lower: ['axes'],
  infer: ([x], a) => {
    expectType(x, NUMERIC);
    const axes = ints(a, 'axes').map((k) => normAxis(k, x.shape.length));
    if (new Set(axes).size !== axes.length) throw new Error(`repeated axis in ${JSON.stringify(a.axes)}`);
    const shape = a.keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return [{ shape, dtype: x.dtype }];
  },
});
const softmax = (): OpDef => ({
  arity: [1, 1],
  attrs: { axis: { type: 'int', default: -1 } },
  infer: ([x], a) => (expectType(x, FLOATS), normAxis(a.axis as number, x.shape.length), [{ shape: x.shape, dtype: x.dtype }]),
});
const spatial = {
  strides: { type: 'ints' as const, default: [] },
  pads: { type: 'ints' as const, default: [] },
};

/** Output [N, M, H', W'] of a 2-D window op over x [N, C, H, W]. */
function window2d(x: Value, kernel: number[], a: Attrs, channels: number): number[] {
  if (x.shape.length !== 4) throw new Error(`expects a 4-D input [N, C, H, W], got ${shapeText(x.shape)}`);
  const strides = pairs(a, 'strides', 2, 1);
  const pads = pairs(a, 'pads', 4, 0);
  const dil = pairs(a, 'dilations', 2, 1);
  const out = [0, 1].map((i) => windowOut(x.shape[2 + i], kernel[i], strides[i], pads[i], pads[i + 2], dil[i]));
  if (out.some((o) => o !== -1 && o < 1)) throw new Error(`window ${kernel.join('×')} does not fit the ${x.shape[2]}×${x.shape[3]} input (stride ${strides.join(',')}, pads ${pads.join(',')})`);
  return [x.shape[0], channels, out[0], out[1]];
}

export const opTable: Record<string, OpDef> = {
  // Elementwise
  Identity: unary([...NUMERIC, 'bool']),
  // Identity in the forward pass, no gradient in the backward pass (written to ONNX as Identity).
  StopGradient: unary([...NUMERIC, 'bool']),
  Neg: unary(NUMERIC),
  Abs: unary(NUMERIC),
  Sign: unary(NUMERIC),
  Exp: unary(),
  Log: unary(),
  Sqrt: unary(),
  Reciprocal: unary(),
  Relu: unary(),
  Sigmoid: unary(),
  Tanh: unary(),
  Elu: unary(FLOATS, { alpha: { type: 'float', default: 1 } }),
  Add: binary(NUMERIC),
  Sub: binary(NUMERIC),
  Mul: binary(NUMERIC),
  Div: binary(NUMERIC),
  Pow: binary(FLOATS),
  Greater: binary(NUMERIC, 'bool'),
  Less: binary(NUMERIC, 'bool'),
  Equal: binary(NUMERIC, 'bool'),
  Where: {
    arity: [3, 3],
    attrs: {},
    infer: ([c, a, b]) => {
      expectType(c, ['bool'], 'condition');
      sameTypes([a, b]);
      return [{ shape: broadcast(c.shape, a.shape, b.shape), dtype: a.dtype }];
    },
  },
  Cast: {
    arity: [1, 1],
    attrs: { to: { type: 'dtype', required: true } },
    infer: ([x], a) => [{ shape: x.shape, dtype: a.to as DType }],
  },

  // Linear algebra
  MatMul: {
    arity: [2, 2],
    attrs: {},
    infer: ([a, b]) => {
      expectType(a, FLOATS);
      sameTypes([a, b]);
      if (a.shape.length < 2 || b.shape.length < 2) throw new Error('both operands need rank ≥ 2');
      const [m, k] = a.shape.slice(-2);
      const [k2, n] = b.shape.slice(-2);
      if (k !== k2) throw new Error(`inner dimensions differ: ${shapeText(a.shape)} × ${shapeText(b.shape)} (${k} vs ${k2})`);
      return [{ shape: [...broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n], dtype: a.dtype }];
    },
  },
  Gemm: {
    arity: [2, 3],
    attrs: { alpha: { type: 'float', default: 1 }, beta: { type: 'float', default: 1 }, transA: { type: 'int', default: 0 }, transB: { type: 'int', default: 0 } },
    infer: ([a, b, c], at) => {
      expectType(a, FLOATS);
      sameTypes(c ? [a, b, c] : [a, b]);
      if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`A and B must be 2-D, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`);
      const [m, k] = at.transA ? [a.shape[1], a.shape[0]] : a.shape;
      const [k2, n] = at.transB ? [b.shape[1], b.shape[0]] : b.shape;
      if (k !== k2) throw new Error(`inner dimensions differ: A ${shapeText(a.shape)}${at.transA ? 'ᵀ' : ''} × B ${shapeText(b.shape)}${at.transB ? 'ᵀ' : ''} (${k} vs ${k2})`);
      if (c && !sameShape(broadcast(c.shape, [m, n]), [m, n])) throw new Error(`C ${shapeText(c.shape)} does not broadcast to [${m},${n}]`);
      return [{ shape: [m, n], dtype: a.dtype }];
    },
  },

  // Reductions and normalisations
  ReduceSum: reduce(),
  ReduceMean: reduce(),
  ReduceMax: reduce(),
  ArgMax: {
    arity: [1, 1],
    attrs: { axis: { type: 'int', default: 0 }, keepdims: { type: 'int', default: 1 } },
    infer: ([x], a) => {
      const ax = normAxis(a.axis as number, x.shape.length);
      return [{ shape: a.keepdims ? x.shape.map((d, i) => (i === ax ? 1 : d)) : x.shape.filter((_, i) => i !== ax), dtype: 'int64' }];
    },
  },
  Softmax: softmax(),
  LogSoftmax: softmax(),
  // loss = −mean (or sum) of log softmax(scores)[label] over the rows; log_prob is the log softmax.
  // Serialised as LogSoftmax, GatherElements, ReduceMean (or ReduceSum) and Neg (serialize.ts):
  // onnxruntime's inlining of the ONNX function adds six shape nodes.
  SoftmaxCrossEntropyLoss: {
    arity: [2, 2],
    attrs: { reduction: { type: 'string', default: 'mean' } },
    optionalOutputs: 1,
    infer: ([z, y], a) => {
      expectType(z, FLOATS, 'scores');
      expectType(y, ['int32', 'int64'], 'labels');
      if (z.shape.length !== 2 || y.shape.length !== 1 || y.shape[0] !== z.shape[0]) throw new Error(`expects scores [N, C] and labels [N], got ${shapeText(z.shape)} and ${shapeText(y.shape)}`);
      if (a.reduction !== 'mean' && a.reduction !== 'sum') throw new Error(`reduction must be "mean" or "sum", got "${a.reduction}"`);
      return [{ shape: [], dtype: z.dtype }, { shape: z.shape, dtype: z.dtype }];
    },
  },

  // Shape
  Reshape: {
    arity: [1, 1],
    attrs: { shape: { type: 'ints', required: true } },
    lower: ['shape'],
    infer: ([x], a) => {
      const shape = ints(a, 'shape');
      if (!isStatic(x.shape) || !isStatic(shape)) throw new Error(`needs static shapes, got ${shapeText(x.shape)} → ${shapeText(shape)}`);
      if (numel(shape) !== numel(x.shape)) throw new Error(`cannot reshape ${shapeText(x.shape)} (${numel(x.shape)} values) to ${shapeText(shape)} (${numel(shape)})`);
      return [{ shape, dtype: x.dtype }];
    },
  },
  Flatten: {
    arity: [1, 1],
    attrs: { axis: { type: 'int', default: 1 } },
    infer: ([x], a) => {
      const ax = a.axis as number;
      if (ax < 0 || ax > x.shape.length) throw new Error(`axis ${ax} is out of range for rank ${x.shape.length}`);
      const head = x.shape.slice(0, ax);
      const tail = x.shape.slice(ax);
      if (!isStatic(tail)) throw new Error(`dimensions after axis ${ax} must be static`);
      return [{ shape: [isStatic(head) ? numel(head) : -1, numel(tail)], dtype: x.dtype }];
    },
  },
  Transpose: {
    arity: [1, 1],
    attrs: { perm: { type: 'ints', required: true } },
    infer: ([x], a) => {
      const perm = ints(a, 'perm');
      if (perm.length !== x.shape.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) throw new Error(`perm ${JSON.stringify(perm)} is not a permutation of the ${x.shape.length} axes`);
      return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
    },
  },
  Expand: {
    arity: [1, 1],
    attrs: { shape: { type: 'ints', required: true } },
    lower: ['shape'],
    infer: ([x], a) => {
      const shape = ints(a, 'shape');
      const out = broadcast(x.shape, shape);
      if (!sameShape(out, shape)) throw new Error(`cannot expand ${shapeText(x.shape)} to ${shapeText(shape)}`);
      return [{ shape, dtype: x.dtype }];
    },
  },
  Slice: {
    arity: [1, 1],
    attrs: { starts: { type: 'ints', required: true }, ends: { type: 'ints', required: true }, axes: { type: 'ints', required: true } },
    lower: ['starts', 'ends', 'axes'],
    infer: ([x], a) => {
      const [st, en, ax] = [ints(a, 'starts'), ints(a, 'ends'), ints(a, 'axes')];
      if (st.length !== ax.length || en.length !== ax.length) throw new Error('starts, ends and axes need the same length');
      const shape = [...x.shape];
      ax.forEach((k, i) => {
        const axis = normAxis(k, x.shape.length);
        const d = x.shape[axis];
        if (!(st[i] >= 0 && st[i] < en[i] && en[i] <= d)) throw new Error(`slice [${st[i]}, ${en[i]}) is empty or outside axis ${axis} of size ${d}`);
        shape[axis] = en[i] - st[i];
      });
      return [{ shape, dtype: x.dtype }];
    },
  },
  Pad: {
    arity: [1, 1],
    attrs: { pads: { type: 'ints', required: true } },
    lower: ['pads'],
    infer: ([x], a) => {
      const p = ints(a, 'pads');
      const r = x.shape.length;
      if (p.length !== 2 * r || p.some((v) => v < 0)) throw new Error(`pads needs ${2 * r} non-negative values, got ${JSON.stringify(p)}`);
      return [{ shape: x.shape.map((d, i) => d + p[i] + p[i + r]), dtype: x.dtype }];
    },
  },
  Concat: {
    arity: [1, 1024],
    attrs: { axis: { type: 'int', required: true } },
    infer: (xs, a) => {
      sameTypes(xs);
      const r = xs[0].shape.length;
      const ax = normAxis(a.axis as number, r);
      const shape = [...xs[0].shape];
      shape[ax] = 0;
      for (const x of xs) {
        if (x.shape.length !== r || x.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) throw new Error(`shapes ${xs.map((v) => shapeText(v.shape)).join(', ')} differ off axis ${ax}`);
        shape[ax] += x.shape[ax];
      }
      return [{ shape, dtype: xs[0].dtype }];
    },
  },
  ConstantOfShape: {
    arity: [0, 0],
    attrs: { shape: { type: 'ints', required: true }, value: { type: 'float', default: 0 }, dtype: { type: 'dtype', required: true } },
    lower: ['shape'],
    infer: (_, a) => [{ shape: ints(a, 'shape'), dtype: a.dtype as DType }],
  },
  ScatterElements: {
    arity: [3, 3],
    attrs: { axis: { type: 'int', default: 0 }, reduction: { type: 'string', default: 'none' } },
    infer: ([data, idx, upd]) => {
      expectType(idx, ['int64', 'int32'], 'indices');
      if (!sameShape(idx.shape, upd.shape) || idx.shape.length !== data.shape.length) throw new Error('indices and updates need the same shape and the rank of data');
      return [{ shape: data.shape, dtype: data.dtype }];
    },
  },
  // data taken at `indices` along `axis`: shape data[:axis] ++ indices ++ data[axis+1:] (a table lookup)
  Gather: {
    arity: [2, 2],
    attrs: { axis: { type: 'int', default: 0 } },
    infer: ([data, idx], a) => {
      expectType(idx, ['int64', 'int32'], 'indices');
      const ax = normAxis(a.axis as number, data.shape.length);
      return [{ shape: [...data.shape.slice(0, ax), ...idx.shape, ...data.shape.slice(ax + 1)], dtype: data.dtype }];
    },
  },

  // Convolution and pooling (2-D, NCHW)
  Conv: {
    arity: [2, 3],
    attrs: { ...spatial, dilations: { type: 'ints', default: [] }, group: { type: 'int', default: 1 } },
    infer: ([x, w, b], a) => {
      expectType(x, FLOATS);
      sameTypes(b ? [x, w, b] : [x, w]);
      if (w.shape.length !== 4) throw new Error(`weight must be [M, C/group, kH, kW], got ${shapeText(w.shape)}`);
      const g = a.group as number;
      if (x.shape[1] !== w.shape[1] * g) throw new Error(`input has ${x.shape[1]} channels but the weight ${shapeText(w.shape)} expects ${w.shape[1] * g}`);
      if (b && !sameShape(b.shape, [w.shape[0]])) throw new Error(`bias must be [${w.shape[0]}], got ${shapeText(b.shape)}`);
      return [{ shape: window2d(x, w.shape.slice(2), a, w.shape[0]), dtype: x.dtype }];
    },
  },
  ConvTranspose: {
    arity: [2, 3],
    attrs: { ...spatial, dilations: { type: 'ints', default: [] }, group: { type: 'int', default: 1 }, output_padding: { type: 'ints', default: [] } },
    infer: ([x, w], a) => {
      expectType(x, FLOATS);
      if (x.shape.length !== 4 || w.shape.length !== 4) throw new Error('input and weight must be 4-D');
      if (x.shape[1] !== w.shape[0]) throw new Error(`input has ${x.shape[1]} channels but the weight ${shapeText(w.shape)} expects ${w.shape[0]}`);
      const [s, p, d, op] = [pairs(a, 'strides', 2, 1), pairs(a, 'pads', 4, 0), pairs(a, 'dilations', 2, 1), pairs(a, 'output_padding', 2, 0)];
      const hw = [0, 1].map((i) => s[i] * (x.shape[2 + i] - 1) + op[i] + (w.shape[2 + i] - 1) * d[i] + 1 - p[i] - p[i + 2]);
      return [{ shape: [x.shape[0], w.shape[1] * (a.group as number), hw[0], hw[1]], dtype: x.dtype }];
    },
  },
  MaxPool: {
    arity: [1, 1],
    attrs: { ...spatial, kernel_shape: { type: 'ints', required: true } },
    optionalOutputs: 1,
    infer: ([x], a) => {
      expectType(x, FLOATS);
      const shape = window2d(x, ints(a, 'kernel_shape'), a, x.shape[1]);
      return [{ shape, dtype: x.dtype }, { shape, dtype: 'int64' }];
    },
  },
  AveragePool: {
    arity: [1, 1],
    attrs: { ...spatial, kernel_shape: { type: 'ints', required: true }, count_include_pad: { type: 'int', default: 1 } },
    infer: ([x], a) => (expectType(x, FLOATS), [{ shape: window2d(x, ints(a, 'kernel_shape'), a, x.shape[1]), dtype: x.dtype }]),
  },
};
