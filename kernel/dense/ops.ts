/**
 * Functional builders over the op table: `add(a, b)`, `gemm(x, w, b, { transB: 1 })`, …
 * Each adds one node to the graph its first input belongs to (shapes checked there). A plain
 * number where a tensor is expected becomes a scalar constant of the other operand's type.
 */
import type { DType, Value } from './graph';
import type { AttrValue } from './op-table';
import { sameShape } from './shapes';

type Operand = Value | number;

function one(op: string, inputs: Value[], attrs?: Record<string, AttrValue | undefined>): Value {
  return inputs[0].graph.apply(op, inputs, attrs)[0];
}
function pair(a: Operand, b: Operand): [Value, Value] {
  if (typeof a === 'number' && typeof b === 'number') throw new Error('at least one operand must be a tensor');
  const va = typeof a === 'number' ? (b as Value).graph.scalar(a, (b as Value).dtype) : a;
  const vb = typeof b === 'number' ? va.graph.scalar(b, va.dtype) : b;
  return [va, vb];
}

export const identity = (x: Value) => one('Identity', [x]);
/** x itself, through which autodiff passes no gradient (a detached input, a constant target). */
export const stopGradient = (x: Value) => one('StopGradient', [x]);
export const neg = (x: Value) => one('Neg', [x]);
export const abs = (x: Value) => one('Abs', [x]);
export const sign = (x: Value) => one('Sign', [x]);
export const exp = (x: Value) => one('Exp', [x]);
export const log = (x: Value) => one('Log', [x]);
export const sqrt = (x: Value) => one('Sqrt', [x]);
export const reciprocal = (x: Value) => one('Reciprocal', [x]);
export const relu = (x: Value) => one('Relu', [x]);
export const sigmoid = (x: Value) => one('Sigmoid', [x]);
export const tanh = (x: Value) => one('Tanh', [x]);
export const elu = (x: Value, alpha = 1) => one('Elu', [x], { alpha });

export const add = (a: Operand, b: Operand) => one('Add', pair(a, b));
export const sub = (a: Operand, b: Operand) => one('Sub', pair(a, b));
export const mul = (a: Operand, b: Operand) => one('Mul', pair(a, b));
export const div = (a: Operand, b: Operand) => one('Div', pair(a, b));
export const pow = (a: Operand, b: Operand) => one('Pow', pair(a, b));
export const greater = (a: Operand, b: Operand) => one('Greater', pair(a, b));
export const less = (a: Operand, b: Operand) => one('Less', pair(a, b));
export const equal = (a: Operand, b: Operand) => one('Equal', pair(a, b));
export function where(cond: Value, a: Operand, b: Operand): Value {
  const [va, vb] = pair(a, b);
  return one('Where', [cond, va, vb]);
}
export const cast = (x: Value, to: DType) => (x.dtype === to ? x : one('Cast', [x], { to }));

export const matmul = (a: Value, b: Value) => one('MatMul', [a, b]);
/** `alpha · A' · B' + beta · C` with A' = Aᵀ when transA (likewise B). */
export function gemm(a: Value, b: Value, c?: Value, o: { alpha?: number; beta?: number; transA?: number; transB?: number } = {}): Value {
  return one('Gemm', c ? [a, b, c] : [a, b], o);
}

export const reduceSum = (x: Value, axes: number[], keepdims = true) => one('ReduceSum', [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceMean = (x: Value, axes: number[], keepdims = true) => one('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceMax = (x: Value, axes: number[], keepdims = true) => one('ReduceMax', [x], { axes, keepdims: keepdims ? 1 : 0 });
export const argMax = (x: Value, axis: number, keepdims = false) => one('ArgMax', [x], { axis, keepdims: keepdims ? 1 : 0 });
export const softmax = (x: Value, axis = -1) => one('Softmax', [x], { axis });
export const logSoftmax = (x: Value, axis = -1) => one('LogSoftmax', [x], { axis });

export const reshape = (x: Value, shape: readonly number[]) => (sameShape(x.shape, shape) ? x : one('Reshape', [x], { shape: [...shape] }));
export const flatten = (x: Value, axis = 1) => one('Flatten', [x], { axis });
export const transpose = (x: Value, perm: number[]) => one('Transpose', [x], { perm });
export const expand = (x: Value, shape: readonly number[]) => (sameShape(x.shape, shape) ? x : one('Expand', [x], { shape: [...shape] }));
export const slice = (x: Value, starts: number[], ends: number[], axes: number[]) => one('Slice', [x], { starts, ends, axes });
export const pad = (x: Value, pads: number[]) => (pads.every((p) => p === 0) ? x : one('Pad', [x], { pads }));
export const concat = (xs: Value[], axis: number) => one('Concat', xs, { axis });
/** A tensor of zeros (or `value`) made at run time, so large ones are not stored in the model. */
export function fill(like: Value, shape: readonly number[], value = 0, dtype: DType = like.dtype): Value {
  return like.graph.apply('ConstantOfShape', [], { shape: [...shape], value, dtype })[0];
}
/** `data` taken at `indices` along `axis` (a table lookup; no gradient rule). */
export const gather = (data: Value, indices: Value, axis = 0) => one('Gather', [data, indices], { axis });
export const scatterAdd = (data: Value, indices: Value, updates: Value, axis = 0) => one('ScatterElements', [data, indices, updates], { axis, reduction: 'add' });

export interface Conv2dOpts {
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  group?: number;
}
export const conv = (x: Value, w: Value, b?: Value, o: Conv2dOpts = {}) => one('Conv', b ? [x, w, b] : [x, w], { ...o });
export const convTranspose = (x: Value, w: Value, o: Conv2dOpts & { output_padding?: number[] } = {}) => one('ConvTranspose', [x, w], { ...o });
/** Max pooling; returns the pooled values and the flat indices of the maxima (for the gradient). */
export function maxPool(x: Value, kernel: number[], o: { strides?: number[]; pads?: number[] } = {}): [Value, Value] {
  const [y, idx] = x.graph.apply('MaxPool', [x], { kernel_shape: kernel, ...o });
  return [y, idx];
}
export const avgPool = (x: Value, kernel: number[], o: { strides?: number[]; pads?: number[] } = {}) => one('AveragePool', [x], { kernel_shape: kernel, ...o });
