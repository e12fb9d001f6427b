/**
 * The cases of the gradient checks: small graphs over random inputs, with broadcasting, that
 * together exercise every rule of kernel/dense/gradients.ts (gradients.unit.test.ts checks that
 * from the graphs built here). Shared by the finite-difference test and the reference
 * evaluator's own test.
 */
import { gradients } from '../../../kernel/dense/autodiff';
import { gradients as rules } from '../../../kernel/dense/gradients';
import { Graph, type FloatType, type Value } from '../../../kernel/dense/graph';
import { GateAndGain } from '../../../kernel/dense/layers/gate';
import { Linear } from '../../../kernel/dense/layers/linear';
import { LoRALinear } from '../../../kernel/dense/layers/lora';
import { meanSquaredError, softmaxCrossEntropy } from '../../../kernel/dense/losses';
import * as o from '../../../kernel/dense/ops';
import { scalarInput, type Parameter } from '../../../kernel/dense/params';
import { numel } from '../../../kernel/dense/shapes';
import { randn, seeded, type Feeds } from './helpers';

export type Dist = 'normal' | 'positive' | 'nonzero';
interface In {
  shape: number[];
  /** data: an input not differentiated; labels: int32 class ids. */
  role?: 'param' | 'data' | 'labels';
  dist?: Dist;
}
export interface Case {
  name: string;
  inputs: In[];
  build(v: Value[]): Value;
  engine?: 'ort' | 'ts';
  h?: number;
  tol?: number;
}

const P = (...shape: number[]): In => ({ shape });
const Pd = (dist: Dist, ...shape: number[]): In => ({ shape, dist });
const D = (...shape: number[]): In => ({ shape, role: 'data' });
/** Σ over the spatial axes of an [N, C, H, W] value. */
const hw = (x: Value) => o.reduceSum(x, [2, 3], false);
/** ReduceMean keeping its axis, then ReduceSum dropping the others. */
const keptMean = (x: Value) => o.reduceSum(o.reduceMean(x, [2], true), [0, 2], false);
const convStridePadDilate = ([x, w, b]: Value[]) => o.conv(x, w, b, { strides: [2, 1], pads: [1, 0, 1, 1], dilations: [1, 2] });
const convSkippingRows = ([x, w]: Value[]) => o.conv(x, w, undefined, { strides: [3, 2] });
const maxPools = ([x]: Value[]) => o.add(hw(o.maxPool(x, [2, 2], { strides: [2, 2] })[0]), hw(o.maxPool(x, [3, 3], { strides: [1, 1], pads: [1, 1, 1, 1] })[0]));
/** A layer applied with its parameters bound to the case's inputs, in the order of `params`. */
const layerOn = (x: Value, layer: { apply(x: Value, bind: (p: Parameter) => Value): Value }, params: Parameter[], values: Value[]) => layer.apply(x, (p) => values[params.indexOf(p)]);
const temperature = scalarInput('T', 1);
const softGate = ([h, tau, gamma, t]: Value[]) => {
  const gate = new GateAndGain('gate', 4, 'soft', temperature);
  return layerOn(h, gate, [gate.threshold, gate.gain, temperature], [tau, gamma, t]);
};
const hardGate = ([h, tau, gamma]: Value[]) => {
  const gate = new GateAndGain('gate', 4, 'hard');
  return layerOn(h, gate, [gate.threshold, gate.gain], [tau, gamma]);
};
const lora = ([x, w, b, a, bb]: Value[]) => {
  const layer = new LoRALinear(new Linear('fc', 5, 4, seeded(1)), 2, seeded(2), { alpha: 3 });
  return layerOn(x, layer, [layer.base.weight, layer.base.bias!, layer.a, layer.b], [w, b, a, bb]);
};
const avgPools = ([x]: Value[]) => o.add(hw(o.avgPool(x, [2, 2], { strides: [2, 2] })), hw(o.avgPool(x, [3, 2], { strides: [2, 2], pads: [1, 0, 1, 1] })));

export const cases: Case[] = [
  { name: 'unary ops', inputs: [Pd('nonzero', 3, 4)], build: ([x]) => o.add(o.add(o.identity(o.neg(o.abs(x))), o.exp(o.mul(x, 0.3))), o.add(o.sigmoid(x), o.tanh(x))) },
  { name: 'log, sqrt, reciprocal', inputs: [Pd('positive', 2, 5)], build: ([x]) => o.add(o.log(x), o.add(o.sqrt(x), o.reciprocal(x))) },
  { name: 'relu and elu away from the kink', inputs: [Pd('nonzero', 4, 3)], build: ([x]) => o.add(o.relu(x), o.elu(x, 0.7)) },
  { name: 'add and sub with broadcasting both ways', inputs: [P(3, 1), P(4), P(2, 3, 4)], build: ([a, b, c]) => o.sub(o.add(a, b), o.sub(c, b)) },
  { name: 'add of a one-element [1] under a matrix (its gradient sums every element)', inputs: [P(3, 4), P(1)], build: ([a, b]) => o.add(a, b) },
  { name: 'mul and div with broadcasting', inputs: [P(2, 3, 4), P(3, 1), Pd('nonzero', 4)], build: ([a, b, c]) => o.div(o.mul(a, b), c) },
  { name: 'pow in base and exponent', inputs: [Pd('positive', 3, 2), P(2)], build: ([a, b]) => o.pow(a, b) },
  { name: 'where routes the gradient by the condition', inputs: [D(3, 4), P(3, 4), P(4)], build: ([c, a, b]) => o.where(o.greater(c, 0), a, b) },
  { name: 'cast to float32 and back passes the gradient', inputs: [P(2, 3)], build: ([x]) => o.cast(o.cast(x, 'float32'), 'float64'), h: 1e-2, tol: 1e-4 },
  { name: 'matmul 2-D (its gradient made with Gemm)', inputs: [P(3, 4), P(4, 5)], build: ([a, b]) => o.matmul(a, b) },
  { name: 'matmul batched with broadcast batch axes', inputs: [P(2, 3, 4), P(4, 5)], build: ([a, b]) => o.matmul(a, b) },
  { name: 'matmul broadcasting the left operand', inputs: [P(3, 4), P(2, 4, 2)], build: ([a, b]) => o.matmul(a, b) },
  ...[0, 1].flatMap((tA) =>
    [0, 1].map((tB) => ({
      name: `gemm transA=${tA} transB=${tB}, α, β and a broadcast C`,
     
      inputs: [P(...(tA ? [4, 3] : [3, 4])), P(...(tB ? [5, 4] : [4, 5])), tA === tB ? P(5) : P(3, 1)],
      build: ([a, b, c]: Value[]) => o.gemm(a, b, c, { alpha: 0.7, beta: 1.3, transA: tA, transB: tB }),
    })),
  ),
  { name: 'reductions keeping and dropping axes', inputs: [P(2, 3, 4)], build: ([x]) => o.add(o.add(o.reduceSum(x, [0, 2], false), o.reduceMean(x, [0, -1], false)), keptMean(x)) },
  { name: 'reduce max over distinct values', inputs: [P(3, 4)], build: ([x]) => o.add(o.reduceMax(x, [1], false), o.reduceSum(o.reduceMax(x, [0], true), [1], false)) },
  { name: 'softmax over each axis', inputs: [P(3, 4)], build: ([x]) => o.add(o.softmax(x, 0), o.softmax(x, -1)) },
  { name: 'log-softmax', inputs: [P(3, 5)], build: ([x]) => o.logSoftmax(x, 1) },
  { name: 'reshape, flatten, transpose', inputs: [P(2, 3, 4)], build: ([x]) => o.transpose(o.reshape(o.flatten(o.transpose(x, [2, 0, 1]), 1), [4, 3, 2]), [1, 2, 0]) },
  { name: 'expand sums back over the expanded axes', inputs: [P(3, 1)], build: ([x]) => o.expand(x, [2, 3, 4]) },
  { name: 'slice, pad and concat', inputs: [P(3, 5), P(3, 2)], build: ([a, b]) => o.concat([o.slice(a, [1, 0], [4, 3], [1, 0]), o.pad(b, [0, 0, 0, 1])], 0) },
  { name: 'conv with stride, padding, dilation and bias', engine: 'ts', inputs: [P(2, 2, 6, 7), P(3, 2, 3, 2), P(3)], build: convStridePadDilate },
  { name: 'conv whose stride skips input rows (output padding, cropped weight gradient)', engine: 'ts', inputs: [P(1, 2, 7, 6), P(2, 2, 2, 3)], build: convSkippingRows },
  { name: 'max pool non-overlapping and overlapping with padding', inputs: [P(2, 2, 4, 5)], build: maxPools },
  { name: 'average pool plain and padded (padding counted)', engine: 'ts', inputs: [P(2, 3, 5, 6)], build: avgPools },
  { name: 'softmax cross-entropy on int labels', inputs: [P(5, 4), { shape: [5], role: 'labels' }], build: ([z, y]) => softmaxCrossEntropy(z, y) },
  { name: 'mean squared error', inputs: [P(3, 4), D(3, 4)], build: ([p, t]) => meanSquaredError(p, t) },
  { name: 'soft gate-and-gain γ σ((h − τ)/T) h: h, τ and γ (T fed)', inputs: [P(3, 4), P(4), P(4), { shape: [], role: 'data', dist: 'positive' }], build: softGate },
  { name: 'hard gate-and-gain γ 1[h > τ] h: h and γ (no gradient to τ)', inputs: [P(3, 4), P(4), P(4)], build: hardGate },
  { name: 'LoRA linear x Wᵀ + b + (α/r)(x Aᵀ) Bᵀ: W, b, A and B', inputs: [D(3, 5), P(4, 5), P(4), P(2, 5), P(4, 2)], build: lora },
];

function makeInputs(g: Graph, c: Case, seed: number): { values: Value[]; feeds: Feeds; params: Value[] } {
  const rng = seeded(seed);
  const feeds: Feeds = {};
  const values: Value[] = [];
  const params: Value[] = [];
  c.inputs.forEach((inp, i) => {
    const name = `in${i}`;
    const n = numel(inp.shape);
    if (inp.role === 'labels') {
      const v = g.input(name, inp.shape, 'int32');
      feeds[name] = Int32Array.from({ length: n }, () => rng.int(inp.shape.length ? 4 : 1));
      values.push(v);
      return;
    }
    const v = inp.role === 'data' ? g.input(name, inp.shape) : g.param(name, inp.shape);
    let data = randn(rng, n);
    // Keep away from kinks and poles, so a finite difference never straddles one.
    if (inp.dist === 'positive') data = data.map((x) => 0.5 + Math.abs(x));
    if (inp.dist === 'nonzero') data = data.map((x) => Math.sign(x || 1) * (0.2 + Math.abs(x)));
    feeds[name] = data;
    values.push(v);
    if (inp.role !== 'data') params.push(v);
  });
  return { values, feeds, params };
}

/**
 * Runs `f` with every rule of kernel/dense/gradients.ts wrapped to record its op when autodiff
 * calls it: the rules a case's gradient is really made of, not the ones its name suggests.
 */
function recordingRules<T>(f: () => T): { result: T; used: Set<string> } {
  const used = new Set<string>();
  const saved = { ...rules };
  for (const [op, rule] of Object.entries(saved)) {
    rules[op] = (...args) => {
      used.add(op);
      return rule(...args);
    };
  }
  try {
    return { result: f(), used };
  } finally {
    Object.assign(rules, saved);
  }
}

/**
 * Build the case's graph with loss L = Σ y ⊙ R (R fixed random); with `grads`, also ∂L/∂params.
 * `forwardOps`: the op types of the forward graph; `rulesUsed`: the gradient rules autodiff
 * called to differentiate it (empty without `grads`).
 */
export function build(c: Case, withGrads: boolean, dtype: FloatType = 'float64') {
  const g = new Graph(dtype);
  const { values, feeds, params } = makeInputs(g, c, 7);
  const y = c.build(values);
  const rv = randn(seeded(11), numel(y.shape));
  const r = g.constant(dtype === 'float64' ? rv : Float32Array.from(rv), y.shape, dtype);
  const loss = o.reduceSum(o.mul(y, r), [...y.shape.keys()], false);
  g.output('loss', loss);
  const forwardOps = new Set(g.nodes.map((n) => n.op));
  let rulesUsed = new Set<string>();
  if (withGrads) {
    const { result, used } = recordingRules(() => gradients(loss, params));
    result.forEach((d, i) => g.output(`d_${params[i].name}`, d));
    rulesUsed = used;
  }
  return { g, feeds, params, forwardOps, rulesUsed };
}

