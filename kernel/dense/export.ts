/**
 * Export of a trained model as an inference ONNX file: the forward graph alone, parameters
 * baked in as initializers, the batch dimension left free (`N`), so any onnxruntime (or other
 * ONNX runtime) can load it without Neurite. Optionally ends in a softmax for probabilities.
 */
import { writeFileAtomic } from '../core/files';
import { Graph, type TensorData, type Value } from './graph';
import type { Layer } from './layers/layer';
import { serialize } from './onnx/serialize';
import * as o from './ops';
import { feedParams } from './params';

export interface ExportOptions {
  /**
   * The input's shape; -1 marks the free batch dimension, e.g. [-1, 784] or [-1, 1, 28, 28].
   * Models that reshape over the batch (unrolled RNNs) need a fixed size, e.g. [8, 32, 3].
   */
  inputShape: number[];
  inputName?: string;
  outputName?: string;
  /** Append a softmax over the last axis (class probabilities). */
  softmax?: boolean;
  metadata?: Record<string, string>;
}

/** The inference model's ONNX bytes. */
export function inferenceModel(model: Layer, opts: ExportOptions): Uint8Array {
  const g = new Graph('float32');
  const x = g.input(opts.inputName ?? 'input', opts.inputShape);
  const { bind, bound } = feedParams(g);
  let y = model.apply(x, bind);
  if (opts.softmax) y = o.softmax(y, -1);
  g.output(opts.outputName ?? 'output', y);
  const bake = new Map<Value, TensorData>();
  for (const [p, v] of bound) bake.set(v, p.data.slice());
  return serialize(g, { bake, name: 'neurite_inference', doc: 'Exported by Neurite (inference graph, parameters as initializers).', metadata: opts.metadata });
}

/** Write the inference model to `file` (atomically); returns its size in bytes. */
export function exportOnnx(model: Layer, file: string, opts: ExportOptions): number {
  const bytes = inferenceModel(model, opts);
  writeFileAtomic(file, bytes);
  return bytes.length;
}
