/** Graphs as ONNX ModelProto bytes that onnxruntime (and any ONNX tool) reads. */
import * as assert from 'assert';
import { Graph } from '../../../kernel/dense/graph';
import { DataType, ModelProto } from '../../../kernel/dense/onnx/onnx-proto';
import { IR_VERSION, OPSET, serialize } from '../../../kernel/dense/onnx/serialize';
import * as o from '../../../kernel/dense/ops';
import { runOrt } from './helpers';

const decode = (g: Graph, opts = {}) => ModelProto.toObject(ModelProto.decode(serialize(g, opts)), { longs: Number, bytes: Buffer }) as any;

describe('dense ONNX serialisation', () => {
  it('writes opset 18, IR 8, the producer and metadata', () => {
    const g = new Graph();
    g.output('y', o.relu(g.input('x', [2])));
    const m = decode(g, { metadata: { kind: 'test' } });
    assert.strictEqual(m.ir_version, IR_VERSION);
    assert.deepStrictEqual(m.opset_import, [{ domain: '', version: OPSET }]);
    assert.strictEqual(m.producer_name, 'neurite');
    assert.deepStrictEqual(m.metadata_props, [{ key: 'kind', value: 'test' }]);
  });

  it('passes static axes and shapes as int64 initializers, as opset 18 wants', () => {
    const g = new Graph();
    g.output('s', o.reduceSum(g.input('x', [2, 3]), [1], false));
    const m = decode(g);
    const node = m.graph.node[0];
    assert.strictEqual(node.op_type, 'ReduceSum');
    assert.strictEqual(node.input.length, 2);
    const axes = m.graph.initializer.find((t: any) => t.name === node.input[1]);
    assert.strictEqual(axes.data_type, DataType.int64);
    assert.deepStrictEqual(Array.from(new BigInt64Array(new Uint8Array(axes.raw_data).buffer), Number), [1]);
    assert.deepStrictEqual(node.attribute.map((a: any) => [a.name, a.i]), [['keepdims', 0]]);
  });

  it('names op results after the outputs they are, and copies an input that is also an output', async () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    g.output('doubled', o.mul(x, 2));
    g.output('same', x);
    const m = decode(g);
    assert.deepStrictEqual(m.graph.output.map((v: any) => v.name), ['doubled', 'same']);
    assert.ok(m.graph.node.some((n: any) => n.op_type === 'Identity' && n.output[0] === 'same'));
    const r = await runOrt(g, { x: Float32Array.of(1.5, -2) });
    assert.deepStrictEqual([...(r.doubled as Float32Array)], [3, -4]);
    assert.deepStrictEqual([...(r.same as Float32Array)], [1.5, -2]);
  });

  it('copies an op result that is two outputs under the name it took as the first', async () => {
    const g = new Graph();
    const doubled = o.mul(g.input('x', [2]), 2);
    g.output('doubled', doubled);
    g.output('again', doubled);
    const r = await runOrt(g, { x: Float32Array.of(1.5, -2) });
    assert.deepStrictEqual([...(r.doubled as Float32Array)], [3, -4]);
    assert.deepStrictEqual([...(r.again as Float32Array)], [3, -4]);
  });

  it('writes a dynamic dimension as the symbol N, and runs at any batch size', async () => {
    const g = new Graph();
    g.output('y', o.flatten(o.relu(g.input('x', [-1, 2, 2])), 1));
    const m = decode(g);
    assert.deepStrictEqual(m.graph.input[0].type.tensor_type.shape.dim, [{ dim_param: 'N' }, { dim_value: 2 }, { dim_value: 2 }]);
    for (const n of [1, 3]) {
      const r = await runOrt(g, { x: new Float32Array(n * 4).fill(-1) });
      assert.strictEqual((r.y as Float32Array).length, n * 4);
    }
  });

  it('leaves out attributes at their ONNX default and unread optional outputs', () => {
    const g = new Graph();
    g.output('y', o.maxPool(g.input('x', [1, 1, 4, 4]), [2, 2])[0]);
    const node = decode(g).graph.node[0];
    assert.deepStrictEqual(node.attribute.map((a: any) => a.name), ['kernel_shape']);
    assert.strictEqual(node.output.length, 1);
  });
});
