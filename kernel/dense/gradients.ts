/**
 * Every gradient rule of the dense engine, in one table (after tinygrad's gradient.py): for an
 * op y = f(x₁ … xₙ) and the incoming gradient dy = ∂L/∂y, a rule returns ∂L/∂xᵢ for the inputs
 * that need one (`needs[i]`), built from standard ONNX ops only, since onnxruntime has no
 * training kernels. Broadcast inputs get their gradient summed back to their own shape
 * (`unbroadcast`). Ops in `zeroGradient` pass no gradient (comparisons, argmax, casts from
 * integers, StopGradient by definition); an op in neither list stops autodiff with an error naming it.
 */
import type { Graph, Node, Value } from './graph';
import * as o from './ops';
import { broadcastAxes, numel, sameShape, windowOut, type Shape } from './shapes';

/** Incoming gradients per output (undefined: no gradient reaches it); returns one per input. */
export type GradRule = (node: Node, dy: (Value | undefined)[], needs: boolean[]) => (Value | undefined)[];

/** Sum a gradient over the axes along which `shape` was broadcast, back to `shape`. */
export function unbroadcast(g: Value, shape: Shape): Value {
  if (sameShape(g.shape, shape)) return g;
  const { axes } = broadcastAxes(shape, g.shape);
  const lead = g.shape.length - shape.length;
  // A bias [C] under [N, C]: the column sums as a product with a row of ones, 1ᵀ g (Gemm, then a
  // Reshape that only relabels the shape). onnxruntime's ReduceSum over the leading axis takes
  // 2–3× as long as the Gemm (bench/_dense-profile.ts: ~15 µs vs ~6 µs for [64, 256]).
  if (g.shape.length === 2 && shape.length === 1 && shape[0] === g.shape[1] && (g.dtype === 'float32' || g.dtype === 'float64')) return o.reshape(o.gemm(ones(g.graph, g.shape[0], g.dtype), g), shape);
  // Summing only the leading axes gives the shape directly.
  if (lead > 0 && axes.length === lead) return o.reduceSum(g, axes, false);
  return o.reshape(axes.length ? o.reduceSum(g, axes, true) : g, shape);
}

const onesRows = new WeakMap<Graph, Map<string, Value>>();
/** A constant row of n ones [1, n], one per graph, size and type. */
function ones(g: Graph, n: number, dtype: string): Value {
  const cache = onesRows.get(g) ?? onesRows.set(g, new Map()).get(g)!;
  const key = `${dtype}:${n}`;
  return cache.get(key) ?? cache.set(key, g.constant(filled(dtype, n, 1), [1, n], dtype as 'float32')).get(key)!;
}

const pairOr = (v: number[], n: number, fill: number) => (v.length ? v : new Array(n).fill(fill));
/** Swap the last two axes (a batched matrix transpose). */
const swapLast = (v: Value) => o.transpose(v, [...v.shape.keys()].map((i, _, a) => (i < a.length - 2 ? i : 2 * a.length - 3 - i)));
/** dy reduced with keepdims=0 has lost the reduced axes: put them back as size-1 axes. */
const keptShape = (n: Node) => n.inputs[0].shape.map((d, i) => ((n.attrs.axes as number[]).some((a) => (a + n.inputs[0].shape.length) % n.inputs[0].shape.length === i) ? 1 : d));

export const zeroGradient = new Set(['Sign', 'Greater', 'Less', 'Equal', 'ArgMax', 'ConstantOfShape', 'StopGradient']);

export const gradients: Record<string, GradRule> = {
  Identity: (_, [dy]) => [dy],
  Neg: (_, [dy]) => [o.neg(dy!)],
  Abs: ({ inputs: [x] }, [dy]) => [o.mul(dy!, o.sign(x))],
  // d exp(x) = exp(x) = y
  Exp: ({ outputs: [y] }, [dy]) => [o.mul(dy!, y)],
  Log: ({ inputs: [x] }, [dy]) => [o.div(dy!, x)],
  // d √x = 1 / (2 √x)
  Sqrt: ({ outputs: [y] }, [dy]) => [o.div(o.mul(dy!, 0.5), y)],
  // d (1/x) = −1/x² = −y²
  Reciprocal: ({ outputs: [y] }, [dy]) => [o.neg(o.mul(dy!, o.mul(y, y)))],
  Relu: ({ outputs: [y] }, [dy]) => [o.where(o.greater(y, 0), dy!, 0)],
  // σ' = σ (1 − σ)
  Sigmoid: ({ outputs: [y] }, [dy]) => [o.mul(dy!, o.mul(y, o.sub(1, y)))],
  // tanh' = 1 − tanh²
  Tanh: ({ outputs: [y] }, [dy]) => [o.mul(dy!, o.sub(1, o.mul(y, y)))],
  // elu'(x) = 1 for x > 0, else α eˣ = y + α (α as ONNX stores it: float32)
  Elu: ({ inputs: [x], outputs: [y], attrs }, [dy]) => [o.where(o.greater(x, 0), dy!, o.mul(dy!, o.add(y, Math.fround(attrs.alpha as number))))],

  Add: ({ inputs: [a, b] }, [dy], n) => [n[0] ? unbroadcast(dy!, a.shape) : undefined, n[1] ? unbroadcast(dy!, b.shape) : undefined],
  Sub: ({ inputs: [a, b] }, [dy], n) => [n[0] ? unbroadcast(dy!, a.shape) : undefined, n[1] ? unbroadcast(o.neg(dy!), b.shape) : undefined],
  Mul: ({ inputs: [a, b] }, [dy], n) => [n[0] ? unbroadcast(o.mul(dy!, b), a.shape) : undefined, n[1] ? unbroadcast(o.mul(dy!, a), b.shape) : undefined],
  // d(a/b)/db = −a/b² = −y/b
  Div: ({ inputs: [a, b], outputs: [y] }, [dy], n) => [
    n[0] ? unbroadcast(o.div(dy!, b), a.shape) : undefined,
    n[1] ? unbroadcast(o.neg(o.div(o.mul(dy!, y), b)), b.shape) : undefined,
  ],
  // d aᵇ/da = b aᵇ⁻¹, d aᵇ/db = aᵇ ln a
  Pow: ({ inputs: [a, b], outputs: [y] }, [dy], n) => [
    n[0] ? unbroadcast(o.mul(dy!, o.mul(b, o.pow(a, o.sub(b, 1)))), a.shape) : undefined,
    n[1] ? unbroadcast(o.mul(dy!, o.mul(y, o.log(a))), b.shape) : undefined,
  ],
  Where: ({ inputs: [c, a, b] }, [dy], n) => [
    undefined,
    n[1] ? unbroadcast(o.where(c, dy!, 0), a.shape) : undefined,
    n[2] ? unbroadcast(o.where(c, 0, dy!), b.shape) : undefined,
  ],
  Cast: ({ inputs: [x] }, [dy]) => [x.dtype === 'float32' || x.dtype === 'float64' ? o.cast(dy!, x.dtype) : undefined],

  // Y = A B (batched): dA = dY Bᵀ, dB = Aᵀ dY, summed over broadcast batch axes.
  MatMul: ({ inputs: [a, b] }, [dy], n) => {
    if (a.shape.length === 2 && b.shape.length === 2) {
      return [n[0] ? o.gemm(dy!, b, undefined, { transB: 1 }) : undefined, n[1] ? o.gemm(a, dy!, undefined, { transA: 1 }) : undefined];
    }
    return [n[0] ? unbroadcast(o.matmul(dy!, swapLast(b)), a.shape) : undefined, n[1] ? unbroadcast(o.matmul(swapLast(a), dy!), b.shape) : undefined];
  },
  // Y = α A' B' + β C with A' = Aᵀ if transA (B likewise): dA' = α dY B'ᵀ, dB' = α A'ᵀ dY, dC = β dY.
  // Written with Gemm's own transpose flags, so no Transpose node is ever made.
  Gemm: ({ inputs: [a, b, c], attrs }, [dy], n) => {
    const { alpha, beta, transA: tA, transB: tB } = attrs as Record<string, number>;
    const dA = !n[0] ? undefined : tA ? o.gemm(b, dy!, undefined, { alpha, transA: tB, transB: 1 }) : o.gemm(dy!, b, undefined, { alpha, transB: tB ? 0 : 1 });
    const dB = !n[1] ? undefined : tB ? o.gemm(dy!, a, undefined, { alpha, transA: 1, transB: tA }) : o.gemm(a, dy!, undefined, { alpha, transA: tA ? 0 : 1 });
    const dC = c && n[2] ? unbroadcast(beta === 1 ? dy! : o.mul(dy!, Math.fround(beta)), c.shape) : undefined; // β is a float32 attribute
    return [dA, dB, dC];
  },

  ReduceSum: (node, [dy]) => [o.expand(node.attrs.keepdims ? dy! : o.reshape(dy!, keptShape(node)), node.inputs[0].shape)],
  ReduceMean: (node, [dy]) => {
    const x = node.inputs[0];
    const count = numel(x.shape) / numel(node.outputs[0].shape);
    return [o.expand(o.mul(node.attrs.keepdims ? dy! : o.reshape(dy!, keptShape(node)), 1 / count), x.shape)];
  },
  // The gradient goes to every element equal to the maximum.
  ReduceMax: (node, [dy]) => {
    const x = node.inputs[0];
    const kept = (v: Value) => (node.attrs.keepdims ? v : o.reshape(v, keptShape(node)));
    return [o.where(o.equal(x, kept(node.outputs[0])), o.expand(kept(dy!), x.shape), 0)];
  },
  // dx = y ⊙ (dy − Σ dy ⊙ y)
  Softmax: ({ outputs: [y], attrs }, [dy]) => [o.mul(y, o.sub(dy!, o.reduceSum(o.mul(dy!, y), [attrs.axis as number], true)))],
  // d loss/d scores = (softmax − onehot(labels)) · dy (/ N for the mean), softmax = exp(log_prob);
  // the one-hot is subtracted by adding −1 at each row's label (ScatterElements): one node
  // instead of Reshape, Equal, Cast and Sub, the same values (p + (−1) is p − 1 exactly).
  SoftmaxCrossEntropyLoss: ({ inputs: [z, y], outputs: [, logProb], attrs }, [dy]) => {
    const scale = attrs.reduction === 'mean' ? o.mul(dy!, 1 / z.shape[0]) : dy!;
    const minusOne = z.graph.constant(filled(z.dtype, z.shape[0], -1), [z.shape[0], 1], z.dtype);
    return [o.mul(o.scatterAdd(o.exp(logProb), o.reshape(y, [z.shape[0], 1]), minusOne, 1), scale), undefined];
  },
  // dx = dy − softmax ⊙ Σ dy, softmax = exp(y)
  LogSoftmax: ({ outputs: [y], attrs }, [dy]) => [o.sub(dy!, o.mul(o.exp(y), o.reduceSum(dy!, [attrs.axis as number], true)))],

  Reshape: ({ inputs: [x] }, [dy]) => [o.reshape(dy!, x.shape)],
  Flatten: ({ inputs: [x] }, [dy]) => [o.reshape(dy!, x.shape)],
  Transpose: ({ attrs }, [dy]) => {
    const perm = attrs.perm as number[];
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [o.transpose(dy!, inv)];
  },
  Expand: ({ inputs: [x] }, [dy]) => [unbroadcast(dy!, x.shape)],
  Slice: ({ inputs: [x], attrs }, [dy]) => {
    const r = x.shape.length;
    const pads = new Array(2 * r).fill(0);
    (attrs.axes as number[]).forEach((a, i) => {
      const ax = (a + r) % r;
      pads[ax] = (attrs.starts as number[])[i];
      pads[ax + r] = x.shape[ax] - (attrs.ends as number[])[i];
    });
    return [o.pad(dy!, pads)];
  },
  Pad: ({ inputs: [x], attrs }, [dy]) => {
    const p = attrs.pads as number[];
    const axes = [...x.shape.keys()];
    return [o.slice(dy!, axes.map((i) => p[i]), axes.map((i) => p[i] + x.shape[i]), axes)];
  },
  Concat: ({ inputs, attrs }, [dy], n) => {
    const ax = ((attrs.axis as number) + dy!.shape.length) % dy!.shape.length;
    let at = 0;
    return inputs.map((x, i) => {
      const from = at;
      at += x.shape[ax];
      return n[i] ? o.slice(dy!, [from], [at], [ax]) : undefined;
    });
  },

  // y = x ⋆ W + b. dx is the transposed convolution of dy with W; dW correlates x with dy
  // (a convolution with batch and channel axes swapped, stride and dilation exchanged).
  Conv: ({ inputs: [x, w, b], attrs }, [dy], n) => {
    if ((attrs.group as number) !== 1) throw new Error('the Conv gradient supports group = 1 only');
    const k = w.shape.slice(2);
    const s = pairOr((attrs.strides as number[]), 2, 1);
    const p = pairOr((attrs.pads as number[]), 4, 0);
    const d = pairOr((attrs.dilations as number[]), 2, 1);
    let dx: Value | undefined;
    if (n[0]) {
      // ConvTranspose's output is s(H'−1) + d(k−1) + 1 − pads; output_padding adds the rows the forward stride skipped.
      const outPad = [0, 1].map((i) => x.shape[2 + i] - (s[i] * (dy!.shape[2 + i] - 1) + d[i] * (k[i] - 1) + 1 - p[i] - p[i + 2]));
      dx = o.convTranspose(dy!, w, { strides: s, pads: p, dilations: d, output_padding: outPad });
    }
    let dw: Value | undefined;
    if (n[1]) {
      const corr = o.conv(o.transpose(x, [1, 0, 2, 3]), o.transpose(dy!, [1, 0, 2, 3]), undefined, { strides: d, dilations: s, pads: p });
      const full = [0, 1].map((i) => windowOut(x.shape[2 + i], dy!.shape[2 + i], d[i], p[i], p[i + 2], s[i]));
      const cropped = full[0] > k[0] || full[1] > k[1] ? o.slice(corr, [0, 0], k, [2, 3]) : corr;
      dw = o.transpose(cropped, [1, 0, 2, 3]);
    }
    return [dx, dw, b && n[2] ? o.reduceSum(dy!, [0, 2, 3], false) : undefined];
  },
  // Each pooled gradient goes back to the input element that was the maximum (MaxPool's flat indices).
  MaxPool: ({ inputs: [x], outputs: [, idx] }, [dy]) => {
    const flat = o.scatterAdd(o.fill(dy!, [numel(x.shape)]), o.reshape(idx, [numel(idx.shape)]), o.reshape(dy!, [numel(dy!.shape)]));
    return [o.reshape(flat, x.shape)];
  },
  // Each pooled gradient is shared equally by its window: a transposed convolution per channel
  // with a constant kernel of 1/(kH·kW).
  AveragePool: ({ inputs: [x], attrs }, [dy]) => {
    const k = attrs.kernel_shape as number[];
    const p = pairOr((attrs.pads as number[]), 4, 0);
    if (p.some((v) => v) && !attrs.count_include_pad) throw new Error('the AveragePool gradient needs count_include_pad = 1 when padded');
    const s = pairOr((attrs.strides as number[]), 2, 1);
    const c = x.shape[1];
    const kernel = x.graph.constant(filled(x.dtype, c * k[0] * k[1], 1 / (k[0] * k[1])), [c, 1, k[0], k[1]], x.dtype);
    const outPad = [0, 1].map((i) => x.shape[2 + i] - (s[i] * (dy!.shape[2 + i] - 1) + k[i] - p[i] - p[i + 2]));
    return [o.convTranspose(dy!, kernel, { strides: s, pads: p, group: c, output_padding: outPad })];
  },
};

function filled(dtype: string, n: number, v: number): Float32Array | Float64Array {
  return dtype === 'float64' ? new Float64Array(n).fill(v) : new Float32Array(n).fill(v);
}
