/**
 * Per-example Jacobians and tangent kernels (kernel/dense/jacobian.ts): J against central finite
 * differences in float64, K against J Jᵀ, and the located refusal of weights used otherwise.
 */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { Graph, GraphError, type Value } from '../../../kernel/dense/graph';
import { jacobianFactors, jacobianMatrix, TangentKernel, tangentKernel } from '../../../kernel/dense/jacobian';
import { Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { Recurrent, TimeDistributed } from '../../../kernel/dense/layers/recurrent';
import * as o from '../../../kernel/dense/ops';
import { feedParams } from '../../../kernel/dense/params';
import { execOptions } from '../../../kernel/dense/session';
import { compileOrt, maxAbsDiff, randn, type Feeds } from './helpers';

/** A small net in float64: its output, the weight differentiated, and feeds for every input. */
interface Net {
  y: Value;
  w: Value;
  batchAxis: number;
  feeds: Feeds;
}

const T = 4, B = 3, I = 2, H = 5, K = 2;

/** hₜ = ReLU(W_in xₜ + W_rec hₜ₋₁), yₜ = W_out hₜ: W_rec used (as x Wᵀ) at steps 1 … T−1. */
function recurrent(g: Graph, rng: Rng): Net {
  const model = new Sequential('rnn', [new Recurrent('rnn', I, H, rng), new TimeDistributed('readout', new Linear('readout', H, K, rng, { bias: false }))]);
  const { bind, bound } = feedParams(g);
  const y = model.apply(g.input('x', [T, B, I]), bind);
  const feeds: Feeds = { x: randn(rng, T * B * I) };
  for (const [p, v] of bound) feeds[v.name] = Float64Array.from(p.data);
  feeds['rnn.w_rec'] = randn(rng, H * H, 0.6); // large enough that many units are active
  return { y, w: bound.get(model.parameters()[1])!, batchAxis: 1, feeds };
}

/** y = tanh(x W) V with W [in, out] used as x W (MatMul) and as 0.5 · x W (Gemm, alpha). */
function matmulTwice(g: Graph, rng: Rng): Net {
  const x = g.input('x', [B, I]);
  const w = g.param('w', [I, H]);
  const v = g.param('v', [H, K]);
  const h = o.tanh(o.add(o.matmul(x, w), o.gemm(o.mul(x, x), w, undefined, { alpha: 0.5 })));
  return { y: o.matmul(h, v), w, batchAxis: 0, feeds: { x: randn(rng, B * I), w: randn(rng, I * H), v: randn(rng, H * K) } };
}

const nets: [string, (g: Graph, rng: Rng) => Net][] = [
  ['a ReLU RNN, W_rec as x Wᵀ at every step, examples on axis 1', recurrent],
  ['a weight used as x W by MatMul and by a Gemm with alpha 0.5', matmulTwice],
];

describe('dense per-example Jacobians and tangent kernels', () => {
  for (const [name, make] of nets) {
    it(`J matches central finite differences and K = J Jᵀ (float64): ${name}`, async () => {
      const g = new Graph('float64');
      const net = make(g, new Rng(7));
      const f = jacobianFactors(net.y, net.w, net.batchAxis);
      g.output('y', net.y);
      g.output('j', jacobianMatrix(f));
      g.output('k', tangentKernel(f));
      const run = await compileOrt(g);
      const r = await run.run(net.feeds);
      const j = r.j as Float64Array;
      const batch = net.y.shape[net.batchAxis];
      const P = net.y.shape.reduce((a, b) => a * b, 1) / batch;
      const cols = net.w.shape[0] * net.w.shape[1];
      assert.strictEqual(j.length, batch * P * cols);
      // Row (b, p) of J is ∂y[b, p]/∂W; y's flat index of (b, p) follows its own axis order.
      const inner = net.y.shape.slice(net.batchAxis + 1).reduce((a, b) => a * b, 1);
      const flat = (b: number, p: number) => (Math.floor(p / inner) * batch + b) * inner + (p % inner);
      const eps = 1e-6;
      let worst = 0;
      for (let c = 0; c < cols; c++) {
        const w = Float64Array.from(net.feeds[net.w.name] as Float64Array);
        w[c] += eps;
        const up = (await run.run({ ...net.feeds, [net.w.name]: w })).y as Float64Array;
        w[c] -= 2 * eps;
        const down = (await run.run({ ...net.feeds, [net.w.name]: w })).y as Float64Array;
        for (let b = 0; b < batch; b++)
          for (let p = 0; p < P; p++) worst = Math.max(worst, Math.abs((up[flat(b, p)] - down[flat(b, p)]) / (2 * eps) - j[(b * P + p) * cols + c]));
      }
      assert.ok(worst < 1e-7, `J differs from finite differences by up to ${worst}`);
      assert.ok(maxAbsDiff(j, new Float64Array(j.length)) > 0.1, 'J is not all zero');
      const rows = batch * P;
      const jjt = new Float64Array(rows * rows);
      for (let a = 0; a < rows; a++) for (let b = 0; b < rows; b++) for (let c = 0; c < cols; c++) jjt[a * rows + b] += j[a * cols + c] * j[b * cols + c];
      assert.ok(maxAbsDiff(r.k as Float64Array, jjt) < 1e-10 * Math.max(...jjt), `K differs from J Jᵀ by ${maxAbsDiff(r.k as Float64Array, jjt)}`);
      await run.release();
    });
  }

  it('the compiled kernel (float32, one run) agrees with its own J Jᵀ and with the model output', async () => {
    const rng = new Rng(3);
    const model = new Sequential('rnn', [new Recurrent('rnn', I, H, rng), new TimeDistributed('readout', new Linear('readout', H, K, rng, { bias: false }))]);
    const tk = await TangentKernel.compile({ model, weight: model.parameters()[1], inputShape: [T, B, I], batchAxis: 1, jacobian: true, exec: execOptions('cpu', { threads: 1 }) });
    const r = await tk.run(Float32Array.from(randn(rng, T * B * I)));
    const rows = tk.size;
    assert.strictEqual(rows, B * T * K);
    const cols = H * H;
    const j = r.jacobian!;
    let scale = 0, worst = 0;
    for (let a = 0; a < rows; a++)
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += j[a * cols + c] * j[b * cols + c];
        scale = Math.max(scale, Math.abs(s));
        worst = Math.max(worst, Math.abs(s - r.kernel[a * rows + b]));
      }
    assert.ok(scale > 0 && worst < 1e-5 * scale, `K vs J Jᵀ: ${worst} of ${scale}`);
    assert.strictEqual(r.output.length, T * B * K);
  });

  // The output y for a weight w [3, 3] of graph g; the message the refusal must carry.
  const refusals: [string, (g: Graph, w: Value) => Value, RegExp][] = [
    ['W as the left operand', (g, w) => o.matmul(w, g.input('x', [3, 3])), /MatMul: per-example Jacobians need w used only as the right operand/],
    ['W read by an elementwise op', (g, w) => o.matmul(g.input('x', [2, 3]), o.mul(w, 2)), /Mul: per-example Jacobians need w used only as the right operand/],
    ['rows that are not the examples', (g, w) => o.reshape(o.gemm(g.input('x', [4, 3]), w), [2, 2, 3]), /Gemm: .*one row per example: 4 rows against a batch of 2/],
  ];
  for (const [name, make, message] of refusals) {
    it(`refuses, naming the node, a weight that reaches the output otherwise: ${name}`, () => {
      const g = new Graph();
      const w = g.param('w', [3, 3]);
      const y = make(g, w);
      assert.throws(() => jacobianFactors(y, w, 0), (e: Error) => e instanceof GraphError && message.test(e.message));
    });
  }
});
