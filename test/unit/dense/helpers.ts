/** Helpers for the dense engine's tests: run a graph once in onnxruntime, small random tensors. */
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../kernel/core/rng';
import type { Graph, TensorData } from '../../../kernel/dense/graph';
import { serialize } from '../../../kernel/dense/onnx/serialize';
import { compile, execOptions } from '../../../kernel/dense/session';

export type Feeds = Record<string, TensorData>;

/**
 * A compiled graph that can be run many times (one thread: these are small). Float64 graphs
 * use optimisation level 'basic': the 'all' level fuses MatMul+Transpose into a contrib op
 * that has only a float32 kernel.
 */
export async function compileOrt(g: Graph): Promise<{ run(feeds: Feeds): Promise<Record<string, TensorData>>; release(): Promise<void> }> {
  const session = await compile(serialize(g), execOptions('cpu', { threads: 1 }), g.float === 'float64' ? { graphOptimizationLevel: 'basic' } : {});
  const shapes = new Map(g.inputs.map((v) => [v.name, [...v.shape]]));
  const types = new Map(g.inputs.map((v) => [v.name, v.dtype]));
  return {
    async run(feeds) {
      const t: Record<string, ort.Tensor> = {};
      for (const name of session.inputNames) {
        // A dynamic (-1) dimension takes what the data's length leaves for it.
        const shape = shapes.get(name)!;
        const known = shape.reduce((a, d) => (d < 0 ? a : a * d), 1);
        t[name] = new ort.Tensor(types.get(name)! as 'float32', feeds[name] as Float32Array, shape.map((d) => (d < 0 ? feeds[name].length / known : d)));
      }
      const r = await session.run(t);
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.data as TensorData]));
    },
    release: () => session.release(),
  };
}

export async function runOrt(g: Graph, feeds: Feeds): Promise<Record<string, TensorData>> {
  const c = await compileOrt(g);
  try {
    return await c.run(feeds);
  } finally {
    await c.release();
  }
}

export function randn(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.normal());
}

export const seeded = (seed: number) => new Rng(seed);

/** Largest |a − b| over two arrays of equal length (throws if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
