/**
 * onnxruntime-node, loaded on first use: the kernel starts, lists experiments and runs the
 * event-engine kinds without it (a packaged extension may ship without native modules), and
 * a dense run on a machine without it is told how to install it.
 */
import type * as Ort from 'onnxruntime-node';
import { RunFailure } from '../core/errors';

export type Tensor = Ort.Tensor;
export type InferenceSession = Ort.InferenceSession;
export type SessionOptions = Ort.InferenceSession.SessionOptions;

export const ORT_INSTALL_HINT = 'install it with `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.23`';

let loaded: typeof Ort | undefined;

/** Whether onnxruntime-node can be found (without loading it). */
export function ortInstalled(): boolean {
  try {
    require.resolve('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

export function ort(): typeof Ort {
  if (!loaded) {
    try {
      loaded = require('onnxruntime-node') as typeof Ort;
    } catch (e) {
      throw new RunFailure(`the dense engine needs onnxruntime-node, which could not be loaded (${String((e as Error).message).split('\n')[0]}); ${ORT_INSTALL_HINT}`);
    }
  }
  return loaded;
}

/** A tensor over existing data (no copy). */
export function tensor(type: Tensor['type'], data: ArrayBufferView, dims: readonly number[]): Tensor {
  return new (ort().Tensor)(type as 'float32', data as Float32Array, dims);
}
