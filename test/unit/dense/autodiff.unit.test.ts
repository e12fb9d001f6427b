/** Reverse-mode autodiff: the backward graph is built only where a gradient is needed. */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { gradients, liveNodes } from '../../../kernel/dense/autodiff';
import { Graph, GraphError } from '../../../kernel/dense/graph';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { ModelProto } from '../../../kernel/dense/onnx/onnx-proto';
import { serialize } from '../../../kernel/dense/onnx/serialize';
import * as o from '../../../kernel/dense/ops';
import { feedParams } from '../../../kernel/dense/params';
import { runOrt } from './helpers';

function mlp() {
  const g = new Graph();
  const rng = new Rng(3);
  const net = new Sequential('model', [new Linear('fc1', 784, 256, rng), new Activation('act', 'relu'), new Linear('fc2', 256, 10, rng)]);
  const { bind, bound } = feedParams(g);
  const x = g.input('x', [64, 784]);
  const loss = softmaxCrossEntropy(net.apply(x, bind), g.input('y', [64], 'int32'));
  const params = [...bound.values()];
  const grads = gradients(loss, params);
  g.output('loss', loss);
  grads.forEach((d, i) => g.output(`d${i}`, d));
  return { g, x, params, grads };
}

describe('dense autodiff', () => {
  it('builds no gradient for the data: nothing in the backward graph has the input\'s shape', () => {
    const { g } = mlp();
    const backward = g.nodes.filter((n) => n.scope.includes('∂'));
    assert.ok(backward.length > 5);
    for (const n of backward) for (const v of n.outputs) assert.notDeepStrictEqual(v.shape, [64, 784], `${n.scope} ${n.op} makes a [64,784] tensor`);
  });

  it('StopGradient passes values forward and no gradient back: ∂(sg(x)·x)/∂x = x, not 2x, and ONNX sees an Identity', async () => {
    const g = new Graph('float64');
    const x = g.param('x', [3]);
    const loss = o.reduceSum(o.mul(o.stopGradient(x), x), [0], false);
    g.output('loss', loss);
    g.output('dx', gradients(loss, [x])[0]);
    g.output('only', gradients(o.reduceSum(o.stopGradient(x), [0], false), [x])[0]);
    const r = await runOrt(g, { x: Float64Array.of(1, -2, 3) });
    assert.deepStrictEqual(Array.from(r.loss as Float64Array), [14]);
    assert.deepStrictEqual(Array.from(r.dx as Float64Array), [1, -2, 3]);
    assert.deepStrictEqual(Array.from(r.only as Float64Array), [0, 0, 0], 'a path through StopGradient alone gives zeros');
    const ops = (ModelProto.toObject(ModelProto.decode(serialize(g))) as { graph: { node: { op_type: string }[] } }).graph.node.map((n) => n.op_type);
    assert.ok(ops.includes('Identity') && !ops.includes('StopGradient'));
  });

  it('gives each parameter a gradient of its own shape', () => {
    const { params, grads } = mlp();
    grads.forEach((d, i) => assert.deepStrictEqual(d.shape, params[i].shape));
  });

  it('serialises only nodes some output needs', () => {
    const g = new Graph();
    const x = g.param('x', [3]);
    const unused = o.exp(o.mul(x, 2)); // a dead branch
    g.output('y', o.relu(x));
    const model = ModelProto.decode(serialize(g)) as any;
    assert.deepStrictEqual(model.graph.node.map((n: any) => n.op_type), ['Relu']);
    assert.strictEqual(liveNodes([unused]).length, 2);
  });

  it('starts from a seed when given one: the gradients of seed · loss (how SGD folds in its learning rate)', async () => {
    const g = new Graph('float64');
    const x = g.param('x', [4]);
    const y = o.reduceSum(o.add(o.mul(x, x), x), [0], false);
    g.output('dx', gradients(y, [x], g.input('s', []))[0]);
    const r = await runOrt(g, { x: Float64Array.of(-1, 0, 0.5, 3), s: Float64Array.of(0.5) });
    assert.deepStrictEqual(Array.from(r.dx as Float64Array), [-0.5, 0.5, 1, 3.5]);
    assert.throws(() => gradients(y, [x], g.input('bad', [2])), /seed \[2\] float64 does not match the loss \[\] float64/);
  });

  it('sums the gradients of a value used twice: d(x·x + x)/dx = 2x + 1', async () => {
    const g = new Graph('float64');
    const x = g.param('x', [4]);
    const y = o.reduceSum(o.add(o.mul(x, x), x), [0], false);
    g.output('dx', gradients(y, [x])[0]);
    const r = await runOrt(g, { x: Float64Array.of(-1, 0, 0.5, 3) });
    assert.deepStrictEqual(Array.from(r.dx as Float64Array), [-1, 1, 2, 7]);
  });

  it('passes no gradient through argmax and comparisons, and gives unused parameters zeros', async () => {
    const g = new Graph('float64');
    const x = g.param('x', [3]);
    const w = g.param('w', [2]);
    const picked = o.cast(o.argMax(x, 0, false), 'float64');
    const loss = o.add(o.reduceSum(o.mul(x, x), [0], false), picked);
    const [dx, dw] = gradients(loss, [x, w]);
    g.output('dx', dx);
    g.output('dw', dw);
    const r = await runOrt(g, { x: Float64Array.of(1, 5, 2), w: Float64Array.of(1, 1) });
    assert.deepStrictEqual(Array.from(r.dx as Float64Array), [2, 10, 4]);
    assert.deepStrictEqual(Array.from(r.dw as Float64Array), [0, 0]);
  });

  it('stops with a located error when an op without a rule lies between a parameter and the loss', () => {
    const g = new Graph();
    const w = g.param('w', [1, 1, 2, 2]);
    const y = g.scope('decoder.up', () => o.convTranspose(g.input('x', [1, 1, 3, 3]), w));
    assert.throws(() => gradients(o.reduceSum(y, [0, 1, 2, 3], false), [w]), (e: Error) => e instanceof GraphError && /decoder\.up: ConvTranspose: no gradient rule for ConvTranspose/.test(e.message));
  });
});
