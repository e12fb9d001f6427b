/**
 * Exported inference models reload in a fresh onnxruntime session and give the same outputs.
 * "The same" has two parts: the file holds the trained parameters bit for bit, and a fresh
 * session of the file gives bit-identical outputs to the kernel's session of the same model.
 * Against the training graph (parameters fed as inputs, not baked in) outputs agree to float32
 * rounding only: onnxruntime picks other kernels for constant weights (prepacked Gemm, NCHWc
 * convolutions), which sum in another order.
 */
import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { Rng } from '../../../kernel/core/rng';
import { Evaluator } from '../../../kernel/dense/evaluate';
import { exportOnnx } from '../../../kernel/dense/export';
import { Conv2d, Pool2d } from '../../../kernel/dense/layers/conv';
import { Activation, Flatten, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer } from '../../../kernel/dense/optimizers';
import { ModelProto } from '../../../kernel/dense/onnx/onnx-proto';
import { createSession, execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../kernel/dense/step';
import * as fs from 'fs';
import { tempDir } from '../helpers';
import { maxAbsDiff } from './helpers';

describe('dense ONNX export', () => {
  it('a trained conv net written to a file holds its parameters bit for bit and reloads in a fresh session with the kernel\'s outputs at any batch size', async () => {
    const rng = new Rng(4);
    const model = new Sequential('net', [
      new Conv2d('conv', 1, 4, 3, rng, { padding: 1 }),
      new Activation('act', 'elu'),
      new Pool2d('pool', 'max', 2),
      new Flatten('flat'),
      new Linear('out', 4 * 6 * 6, 5, rng),
    ]);
    const exec = execOptions('cpu', { threads: 1 });
    const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'adam', lr: 0.01 }));
    const step = await TrainStep.compile({ model, state, inputShape: [8, 1, 12, 12], target: { shape: [8], dtype: 'int32' }, loss: softmaxCrossEntropy, exec });
    const x = new Float32Array(8 * 144).map(() => rng.normal());
    for (let i = 0; i < 3; i++) await step.run(x, Int32Array.from({ length: 8 }, (_, k) => k % 5), 0.01);

    const file = path.join(tempDir('neurite-export-'), 'model.onnx');
    const bytes = exportOnnx(model, file, { inputShape: [-1, 1, 12, 12], outputName: 'logits', metadata: { kind: 'test' } });
    assert.ok(bytes > 4 * model.parameters().reduce((s, p) => s + p.size, 0), 'the parameters are inside the file');
    const proto = ModelProto.toObject(ModelProto.decode(fs.readFileSync(file)), { bytes: Buffer }) as any;
    for (const p of model.parameters()) {
      const init = proto.graph.initializer.find((t: any) => t.name === p.name);
      assert.ok(init, `${p.name} is baked in`);
      assert.deepStrictEqual(new Float32Array(new Uint8Array(init.raw_data).buffer), p.data, `${p.name} holds the trained values`);
    }
    const kernelSession = await createSession(fs.readFileSync(file), exec);
    const fresh = await ort.InferenceSession.create(file);
    assert.deepStrictEqual(fresh.inputNames, ['input']);
    assert.deepStrictEqual(fresh.outputNames, ['logits']);
    for (const n of [8, 1, 3]) {
      const batch = x.subarray(0, n * 144);
      const feed = { input: new ort.Tensor('float32', batch, [n, 1, 12, 12]) };
      const got = (await fresh.run(feed)).logits.data as Float32Array;
      const kernel = (await kernelSession.run(feed)).logits.data as Float32Array;
      assert.deepStrictEqual(Array.from(got), Array.from(kernel), `batch ${n}: reloaded vs kernel session`);
      const trainingForward = (await (await Evaluator.compile({ model, inputShape: [n, 1, 12, 12], exec })).run(batch)).output;
      const d = maxAbsDiff(got, trainingForward);
      assert.ok(d <= 2e-6 * Math.max(1, ...Array.from(got, Math.abs)), `batch ${n}: ${d} from the training graph's forward pass`);
    }
    await kernelSession.release();
    await fresh.release();
  });
});
