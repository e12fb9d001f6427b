/**
 * The same MLP built directly with the dense engine: its layers (Linear, tanh Activation,
 * Sequential), its softmax cross-entropy, its reverse-mode autodiff and its Adam update graph,
 * serialised to one ONNX training step and run by onnxruntime — in float64, so that comparing it
 * with the nested systems (learner.ts) shows the same arithmetic rather than float32 rounding.
 * The bytes of each batch go in as the dense engine takes them (the graph scales them by 1/255).
 */
import type { Rng } from '../../core/rng';
import { gradients } from '../../dense/autodiff';
import { Graph } from '../../dense/graph';
import { Activation, Sequential, type Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import { softmaxCrossEntropy } from '../../dense/losses';
import { serialize } from '../../dense/onnx/serialize';
import { makeOptimizer } from '../../dense/optimizers';
import { feedParams } from '../../dense/params';
import { tensor, type Tensor } from '../../dense/ort';
import { compile, execOptions } from '../../dense/session';
import { modelInput } from '../../dense/step';
import type { LinearParams } from './layers';

/** The dense engine's MLP sizes[0] → tanh hidden… → classes (its default he initialisation). */
export function denseMlp(sizes: readonly number[], rng: Rng): Sequential {
  const layers: Layer[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    layers.push(new Linear(`linear${l}`, sizes[l], sizes[l + 1], rng));
    if (l < sizes.length - 2) layers.push(new Activation(`tanh${l}`, 'tanh'));
  }
  return new Sequential('mlp', layers);
}

/** A Sequential's Linear weights and biases as float64 arrays (the nested learner's initial state). */
export function linearParams(model: Sequential): LinearParams[] {
  return model.layers.filter((l): l is Linear => l instanceof Linear).map((l) => ({ weight: Float64Array.from(l.weight.data), bias: Float64Array.from(l.bias!.data) }));
}

export interface ByteBatch {
  bytes: Uint8Array;
  labels: Int32Array;
}

/** Train `model` on the batches with Adam in float64: the loss of each step (before its update) and the final parameters. */
export async function trainDense(model: Sequential, n: number, batches: ByteBatch[], adam: { lr: number; weightDecay: number }): Promise<{ losses: number[]; params: LinearParams[] }> {
  const features = (model.layers[0] as Linear).inFeatures;
  const g = new Graph('float64');
  const x = modelInput(g, [n, features], 'uint8');
  const y = g.input('y', [n], 'int32');
  const { bind, bound } = feedParams(g);
  const loss = softmaxCrossEntropy(model.apply(x, bind), y);
  g.output('loss', loss);
  const params = model.parameters();
  const opt = makeOptimizer({ kind: 'adam', lr: adam.lr, weightDecay: adam.weightDecay });
  const scalars = opt.scalarNames.map((s) => g.input(`opt.${s}`, []));
  const grads = gradients(loss, params.map((p) => bound.get(p)!), opt.seed?.(scalars));
  params.forEach((p, i) => {
    const slots = opt.slots.map((s) => g.input(`${p.name}.${s}`, p.shape));
    const next = g.scope(`optimizer/${p.name}`, () => opt.update(bound.get(p)!, grads[i], slots, scalars));
    g.output(`${p.name}:next`, next.param);
    next.slots.forEach((v, j) => g.output(`${p.name}.${opt.slots[j]}:next`, v));
  });
  const session = await compile(serialize(g, { name: 'nested_reference_step' }), execOptions('cpu', { threads: 1 }));
  const values = new Map<string, Float64Array>();
  for (const p of params) {
    values.set(p.name, Float64Array.from(p.data));
    for (const s of opt.slots) values.set(`${p.name}.${s}`, new Float64Array(p.size));
  }
  const losses: number[] = [];
  try {
    for (const [k, b] of batches.entries()) {
      const feeds: Record<string, Tensor> = { x: tensor('uint8', b.bytes, [n, features]), y: tensor('int32', b.labels, [n]) };
      opt.scalars(k + 1, adam.lr).forEach((v, i) => (feeds[`opt.${opt.scalarNames[i]}`] = tensor('float64', Float64Array.of(v), [])));
      for (const p of params) {
        feeds[p.name] = tensor('float64', values.get(p.name)!, p.shape);
        for (const s of opt.slots) feeds[`${p.name}.${s}`] = tensor('float64', values.get(`${p.name}.${s}`)!, p.shape);
      }
      const out = await session.run(feeds);
      losses.push((out.loss.data as Float64Array)[0]);
      for (const [name] of values) values.set(name, Float64Array.from(out[`${name}:next`].data as Float64Array));
    }
  } finally {
    await session.release();
  }
  const linears = model.layers.filter((l): l is Linear => l instanceof Linear);
  return { losses, params: linears.map((l) => ({ weight: values.get(l.weight.name)!, bias: values.get(l.bias!.name)! })) };
}
