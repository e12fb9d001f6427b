/** Models and data for the attribution tests: MLPs with named taps, in-memory slices, a trained MNIST MLP. */
import { Rng } from '../../../../kernel/core/rng';
import { byteBatches, loadData, type ImageSet } from '../../../../kernel/data';
import type { AttributionData } from '../../../../kernel/dense/attribution/engine';
import { sequentialModel, type AttributionModel } from '../../../../kernel/dense/attribution/model';
import { Activation, Sequential, type ActivationKind, type Layer } from '../../../../kernel/dense/layers/layer';
import { Linear } from '../../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../../kernel/dense/losses';
import { makeOptimizer } from '../../../../kernel/dense/optimizers';
import { execOptions } from '../../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../../kernel/dense/step';

export const exec = execOptions('cpu', { threads: 1 });

/**
 * An MLP sizes[0] → … → sizes[last] with layers `l0`, `l1`, … and activations `a0`, `a1`, …
 * tapped as hidden0, hidden1, …; biases uniform in ±0.5 so that no path is trivially linear.
 */
export function mlp(sizes: number[], activations: ActivationKind[], o: { seed?: number; inputType?: 'float32' | 'uint8'; inputShape?: number[] } = {}): { seq: Sequential; model: AttributionModel } {
  const rng = new Rng(o.seed ?? 1);
  const layers: Layer[] = [];
  const taps: Record<string, string> = {};
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(`l${i}`, sizes[i], sizes[i + 1], rng, { biasInit: { kind: 'uniform', low: -0.5, high: 0.5 } }));
    if (i + 2 < sizes.length) {
      layers.push(new Activation(`a${i}`, activations[i]));
      taps[`a${i}`] = `hidden${i}`;
    }
  }
  const seq = new Sequential('mlp', layers);
  return { seq, model: sequentialModel(seq, { taps, features: sizes[0], classes: sizes[sizes.length - 1], inputType: o.inputType, inputShape: o.inputShape }) };
}

/** Items given as arrays: x [count, features] floats, labels; ids default 0, 1, … */
export function arrayData(x: Float32Array, y: Int32Array, features: number, ids?: Int32Array): AttributionData {
  const count = y.length;
  return {
    count,
    ids: ids ?? Int32Array.from({ length: count }, (_, i) => i),
    *batches(size) {
      for (let at = 0; at < count; at += size) {
        const n = Math.min(size, count - at);
        yield { x: x.subarray(at * features, (at + n) * features), y: y.subarray(at, at + n), size: n };
      }
    },
  };
}

let trained: Promise<{ seq: Sequential; model: AttributionModel; test: ImageSet }> | undefined;

/** An MLP 784-64-10 (ReLU) trained for 2 epochs on 3,000 real MNIST digits (~1 s), and the test digits. */
export function trainedMnistMlp(): Promise<{ seq: Sequential; model: AttributionModel; test: ImageSet }> {
  trained ??= (async () => {
    const data = await loadData({ name: 'mnist', download: false, trainLimit: 3000, testLimit: 500, validation: 0 });
    const { seq, model } = mlp([784, 64, 10], ['relu'], { seed: 3, inputType: 'uint8', inputShape: [28, 28] });
    const state = new TrainState(seq.parameters(), makeOptimizer({ kind: 'momentum', lr: 0.05, momentum: 0.9 }));
    const step = await TrainStep.compile({ model: seq, state, inputShape: [100, 784], inputType: 'uint8', target: { shape: [100], dtype: 'int32' }, loss: softmaxCrossEntropy, exec });
    const ids = Int32Array.from({ length: 3000 }, (_, i) => i);
    const rng = new Rng(4);
    for (let epoch = 0; epoch < 2; epoch++) for (const b of byteBatches(data.train, ids, 100, rng)) await step.run(b.x, b.y, 0.05);
    return { seq, model, test: data.test };
  })();
  return trained;
}
