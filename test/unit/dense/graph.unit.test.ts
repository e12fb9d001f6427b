/** Building graphs: shapes inferred as ops are added, and every mistake reported where it was made. */
import * as assert from 'assert';
import { InputError } from '../../../kernel/core/errors';
import { Rng } from '../../../kernel/core/rng';
import { Graph, GraphError } from '../../../kernel/dense/graph';
import { Conv2d, Pool2d } from '../../../kernel/dense/layers/conv';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { Recurrent } from '../../../kernel/dense/layers/recurrent';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import * as o from '../../../kernel/dense/ops';
import { feedParams } from '../../../kernel/dense/params';

const rng = new Rng(1);
const throwsGraph = (f: () => unknown, ...parts: (string | RegExp)[]) =>
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof GraphError && e instanceof InputError, `expected a GraphError, got ${e}`);
    for (const p of parts) assert.ok(typeof p === 'string' ? e.message.includes(p) : p.test(e.message), `"${e.message}" lacks ${p}`);
    return true;
  });

describe('dense graph builder', () => {
  it('infers the shapes of a conv net as PyTorch computes them', () => {
    const g = new Graph();
    const { bind } = feedParams(g);
    const x = g.input('x', [8, 1, 28, 28]);
    const c = new Conv2d('conv', 1, 6, 5, rng, { stride: 2, padding: 1 }).apply(x, bind);
    assert.deepStrictEqual(c.shape, [8, 6, 13, 13]); // ⌊(28 + 2 − 5)/2⌋ + 1
    assert.deepStrictEqual(new Pool2d('pool', 'max', 2).apply(c).shape, [8, 6, 6, 6]);
    assert.deepStrictEqual(new Pool2d('pool', 'avg', 3, 2, 1).apply(c).shape, [8, 6, 7, 7]);
    const h = new Recurrent('rnn', 3, 5, rng).apply(g.input('seq', [4, 2, 3]), bind);
    assert.deepStrictEqual(h.shape, [4, 2, 5]);
  });

  it('a layer fed the wrong width names the layer, what it expects and the shape it got', () => {
    const g = new Graph();
    const net = new Sequential('model', [new Linear('model.hidden[0]', 784, 256, rng), new Activation('model.hidden[0].activation', 'relu'), new Linear('model.output', 128, 10, rng)]);
    throwsGraph(() => net.apply(g.input('x', [64, 784]), feedParams(g).bind), 'model.output', 'expects 128 input features, got 256', '[64,256]');
  });

  it('an op shape mismatch names the scope, the op and both shapes', () => {
    const g = new Graph();
    const a = g.input('a', [64, 256]);
    const b = g.input('b', [10, 128]);
    throwsGraph(() => g.scope('model.output', () => o.gemm(a, b, undefined, { transB: 1 })), 'model.output: Gemm', 'inner dimensions differ', '[64,256]', '[10,128]');
    throwsGraph(() => g.scope('mix', () => o.add(a, g.input('c', [64, 128]))), 'mix: Add', 'do not broadcast', 'axis -1: 256 vs 128');
    throwsGraph(() => o.reshape(a, [100, 100]), 'Reshape', 'cannot reshape [64,256] (16384 values) to [100,100] (10000)');
  });

  it('conv and pooling mismatches say which channels or window do not fit', () => {
    const g = new Graph();
    const { bind } = feedParams(g);
    throwsGraph(() => new Conv2d('features.conv1', 3, 8, 3, rng).apply(g.input('x', [2, 1, 28, 28]), bind), 'features.conv1', 'expects input [N, 3, H, W], got [2,1,28,28]');
    throwsGraph(() => new Pool2d('features.pool', 'max', 5).apply(g.input('y', [2, 1, 4, 4])), 'features.pool: MaxPool', 'window 5×5 does not fit the 4×4 input');
  });

  it('unknown ops and attributes are rejected with the list of known ones', () => {
    const g = new Graph();
    const x = g.input('x', [2, 3]);
    throwsGraph(() => g.apply('Frobnicate', [x]), 'unknown op "Frobnicate"', 'known ops:', 'Gemm');
    throwsGraph(() => g.apply('Relu', [x], { alpha: 1 }), 'Relu', 'unknown attribute "alpha"');
    throwsGraph(() => g.apply('Transpose', [x]), 'attribute "perm" is required');
    throwsGraph(() => g.apply('Add', [x]), 'takes 2 inputs, got 1');
  });

  it('labels that do not match the logits are located at the loss', () => {
    const g = new Graph();
    throwsGraph(() => softmaxCrossEntropy(g.input('z', [64, 10]), g.input('y', [32], 'int32')), 'loss: cross-entropy', 'labels [32] do not match logits [64,10]');
  });

  it('tensor names must be unique and well formed', () => {
    const g = new Graph();
    g.input('x', [1]);
    throwsGraph(() => g.input('x', [2]), 'tensor name "x" is already used');
    throwsGraph(() => g.input('_hidden', [2]), 'is not a valid tensor name');
    throwsGraph(() => g.output('x', g.input('y', [1])), 'output name "x" is already used');
  });

  it('types are checked: float ops refuse integer tensors, Where needs a boolean condition', () => {
    const g = new Graph();
    const i = g.input('i', [3], 'int32');
    const f = g.input('f', [3]);
    throwsGraph(() => o.exp(i), 'Exp', 'is int32; expected float32 or float64');
    throwsGraph(() => o.where(f, f, f), 'Where', 'condition f is float32; expected bool');
    throwsGraph(() => o.add(i, f), 'input types differ');
  });
});
