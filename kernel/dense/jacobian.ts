/**
 * Per-example Jacobians and empirical tangent kernels with respect to one weight matrix, built by
 * reverse mode (autodiff.ts) inside one graph, so each costs one onnxruntime run.
 *
 * For a model whose examples are independent along the batch axis of its output y (nothing mixes
 * examples: no batch statistics), and which uses the weight W only as the right operand of
 * row-wise products z_n = x_n Wᵀ (Gemm transB = 1) or z_n = x_n W (Gemm, MatMul) with one row per
 * example, the Jacobian of example b's output p is
 *   ∂y[b, p]/∂W = Σ_n δ_n[p][b]ᵀ x_n[b]        (x_n[b]ᵀ δ_n[p][b] for z = x W)
 *   δ_n[p] = ∂(Σ_b y[b, p])/∂z_n                 one backward pass per output position p
 * (Goodfellow's per-example gradients): since examples do not mix, one pass seeded with ones at
 * position p of every example gives δ for all examples at once; P = numel(y)/B passes in all.
 * An RNN uses W_rec once per step, so n runs over time steps.
 *
 * The tangent kernel K = J Jᵀ (rows of J: the pairs (b, p)) then needs no J:
 *   K[(b,p), (b',p')] = Σ_{n,n'} (δ_n[p][b] · δ_n'[p'][b']) (x_n[b] · x_n'[b'])
 * two Gram matrices, over the δ rows and over the x rows, multiplied and summed over the node
 * pairs. For an RNN of N units, T steps, that is (B·P·T)² · N multiply-adds instead of the
 * (B·P)² · N² of forming J and its Gram matrix (N = 300, T = 8: about 5× fewer).
 */
import { GraphError, Graph, type Node, type Value } from './graph';
import { gradients } from './autodiff';
import type { Layer } from './layers/layer';
import { tensor, type Tensor } from './ort';
import * as o from './ops';
import { serialize } from './onnx/serialize';
import { feedParams, type Parameter } from './params';
import { sessions, type Compiled, type ExecOptions } from './session';
import { numel, shapeText } from './shapes';

/** The factors of every example's Jacobian with respect to one weight. */
export interface JacobianFactors {
  /** δ for every example, output position and use of W: [B, P, n, out]. */
  deltas: Value;
  /** The rows that multiplied W in each use: [B, n, in]. */
  inputs: Value;
  /** W's shape: [out, in] (used as x Wᵀ) or [in, out] (used as x W). */
  weightShape: number[];
  transposed: boolean;
}

/**
 * The per-example Jacobian factors of `y` with respect to the weight `w` (a value of y's graph),
 * examples along `batchAxis` of y. Throws a GraphError naming the node if w reaches y other than
 * as the right operand of a row-wise product with one row per example.
 */
export function jacobianFactors(y: Value, w: Value, batchAxis = 0): JacobianFactors {
  const g = y.graph;
  const where = g.where('jacobian');
  if (w.shape.length !== 2) throw new GraphError(where, `the weight must be a matrix, got ${shapeText(w.shape)}`);
  const axis = (batchAxis + y.shape.length) % y.shape.length;
  const batch = y.shape[axis];
  const uses = usesOf(y, w, batch, where);
  const transposed = uses[0].transposed;
  const P = numel(y.shape) / batch;
  const zs = uses.map((u) => u.node.outputs[0]);
  const rows: Value[] = []; // per p: [B, 1, n, out]
  for (let p = 0; p < P; p++) {
    const seed = g.constant(oneHotAt(y.shape, axis, p, g.float), y.shape);
    const deltas = g.scope(`jacobian/∂y${p}`, () => gradients(y, zs, seed));
    rows.push(o.reshape(stack(deltas, 1), [batch, 1, uses.length, deltas[0].shape[1]]));
  }
  const deltas = P === 1 ? rows[0] : o.concat(rows, 1);
  const inputs = stack(uses.map((u) => u.input), 1);
  return { deltas, inputs, weightShape: [...w.shape], transposed };
}

/** J as [B·P, ...W's shape], rows in the order (b, p). Memory B·P·|W|: for tests and small nets. */
export function jacobianMatrix(f: JacobianFactors): Value {
  const [B, P, n] = f.deltas.shape;
  const inn = f.inputs.shape[2];
  const d = o.transpose(f.deltas, [0, 1, 3, 2]); // [B, P, out, n]
  const x = o.reshape(f.inputs, [B, 1, n, inn]);
  // Σ_n δ_nᵀ x_n per (b, p): [out, n] @ [n, in]; for z = x W, its transpose [in, out].
  const j = f.transposed ? o.matmul(d, x) : o.matmul(o.transpose(x, [0, 1, 3, 2]), o.transpose(d, [0, 1, 3, 2]));
  return o.reshape(j, [B * P, ...f.weightShape]);
}

/** K = J Jᵀ [B·P, B·P], rows in the order (b, p), from the factors (J is never formed). */
export function tangentKernel(f: JacobianFactors): Value {
  const [B, P, n, out] = f.deltas.shape;
  const inn = f.inputs.shape[2];
  const d = o.reshape(f.deltas, [B * P * n, out]);
  const x = o.reshape(f.inputs, [B * n, inn]);
  const dd = o.reshape(o.gemm(d, d, undefined, { transB: 1 }), [B, P, n, B, P, n]);
  const xx = o.reshape(o.gemm(x, x, undefined, { transB: 1 }), [B, 1, n, B, 1, n]);
  return o.reshape(o.reduceSum(o.mul(dd, xx), [2, 5], false), [B * P, B * P]);
}

interface Use {
  node: Node;
  input: Value;
  transposed: boolean;
}

/** The products through which w reaches y, checked to be row-wise with `batch` rows. */
function usesOf(y: Value, w: Value, batch: number, where: string): Use[] {
  const reaches = new Set<Value>([y]);
  const nodes = y.graph.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].outputs.some((v) => reaches.has(v))) for (const v of nodes[i].inputs) reaches.add(v);
  if (!reaches.has(w)) throw new GraphError(where, `${y.name} does not depend on ${w.name}`);
  const uses: Use[] = [];
  for (const n of nodes) {
    if (!n.inputs.includes(w) || !n.outputs.some((v) => reaches.has(v))) continue;
    const at = `${n.scope ? `${n.scope}: ` : ''}${n.op}`;
    const a = n.inputs[0];
    const rowWise = (n.op === 'Gemm' || n.op === 'MatMul') && n.inputs[1] === w && a !== w && !n.attrs.transA && a.shape.length === 2;
    if (!rowWise) throw new GraphError(at, `per-example Jacobians need ${w.name} used only as the right operand of a row-wise product (x Wᵀ or x W)`);
    if (a.shape[0] !== batch) throw new GraphError(at, `per-example Jacobians need one row per example: ${a.shape[0]} rows against a batch of ${batch}`);
    const alpha = n.op === 'Gemm' ? (n.attrs.alpha as number) : 1;
    uses.push({ node: n, input: alpha === 1 ? a : o.mul(a, Math.fround(alpha)), transposed: n.op === 'Gemm' && n.attrs.transB === 1 });
  }
  if (uses.some((u) => u.transposed !== uses[0].transposed)) throw new GraphError(where, `${w.name} is used both as W and as Wᵀ`);
  return uses;
}

/** Values of one shape [B, k] stacked along a new axis: [B, …, k] with the new axis at `axis`. */
function stack(vs: Value[], axis: number): Value {
  const shaped = vs.map((v) => o.reshape(v, [...v.shape.slice(0, axis), 1, ...v.shape.slice(axis)]));
  return shaped.length === 1 ? shaped[0] : o.concat(shaped, axis);
}

/** Ones where the index of y, without its batch axis, flattened, is p. */
function oneHotAt(shape: readonly number[], axis: number, p: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const out = dtype === 'float64' ? new Float64Array(numel(shape)) : new Float32Array(numel(shape));
  const inner = numel(shape.slice(axis + 1));
  const batch = shape[axis];
  const outerIndex = Math.floor(p / inner);
  const innerIndex = p % inner;
  for (let b = 0; b < batch; b++) out[(outerIndex * batch + b) * inner + innerIndex] = 1;
  return out;
}

/**
 * The tangent kernel of a model's outputs with respect to one of its weights, compiled once per
 * input shape: each `run` is one onnxruntime run on the current parameters. With `jacobian`,
 * J itself comes out too (B·P·|W| values: for tests and small nets).
 */
export class TangentKernel {
  private readonly paramTensors = new Map<Float32Array, Tensor>();
  private constructor(
    readonly session: Compiled,
    readonly params: Parameter[],
    readonly inputShape: number[],
    /** Rows of K: examples × outputs per example. */
    readonly size: number,
  ) {}

  static async compile(o: { model: Layer; weight: Parameter; inputShape: number[]; batchAxis?: number; jacobian?: boolean; exec: ExecOptions }): Promise<TangentKernel> {
    const g = new Graph('float32');
    const { bind, bound } = feedParams(g);
    const y = o.model.apply(g.input('x', o.inputShape), bind);
    const w = bound.get(o.weight);
    if (!w) throw new GraphError('jacobian', `the model does not use ${o.weight.name}`);
    const f = jacobianFactors(y, w, o.batchAxis ?? 0);
    g.output('output', y);
    g.output('kernel', tangentKernel(f));
    if (o.jacobian) g.output('jacobian', jacobianMatrix(f));
    const session = await sessions.get(serialize(g, { name: 'tangent_kernel' }), o.exec);
    return new TangentKernel(session, [...bound.keys()], o.inputShape, f.deltas.shape[0] * f.deltas.shape[1]);
  }

  async run(x: Float32Array): Promise<{ output: Float32Array; kernel: Float32Array; jacobian?: Float32Array }> {
    const feeds: Record<string, Tensor> = { x: tensor('float32', x, this.inputShape) };
    for (const p of this.params) {
      let t = this.paramTensors.get(p.data);
      if (!t) this.paramTensors.set(p.data, (t = tensor('float32', p.data, [...p.shape])));
      feeds[p.name] = t;
    }
    const r = await this.session.run(feeds);
    return { output: r.output.data as Float32Array, kernel: r.kernel.data as Float32Array, jacobian: r.jacobian?.data as Float32Array | undefined };
  }
}
