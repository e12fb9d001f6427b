/**
 * The PyTorch golden cases (test/golden/torch/dense-golden.json, made by make_dense_golden.py)
 * and the network each one trains: shared by the golden test and the steps-per-run test.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../../kernel/core/rng';
import { Conv2d, Pool2d } from '../../../kernel/dense/layers/conv';
import { Activation, Flatten, Sequential, type ActivationKind, type Layer } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { Recurrent, TimeDistributed } from '../../../kernel/dense/layers/recurrent';
import { meanSquaredError, softmaxCrossEntropy } from '../../../kernel/dense/losses';
import type { OptimizerSpec } from '../../../kernel/dense/optimizers';
import { repoRoot } from '../helpers';

export interface GoldenCase {
  name: string;
  model: 'mlp' | 'conv' | 'rnn';
  sizes?: number[];
  activations?: ActivationKind[];
  dims?: number[];
  batch?: number;
  optimizer: OptimizerSpec;
  init: Record<string, number[]>;
  final: Record<string, number[]>;
  losses: number[];
  batches: { x: number[]; y: number[] }[];
}

export const golden: { tool: string; cases: GoldenCase[] } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/golden/torch/dense-golden.json'), 'utf8'));
const rng = new Rng(0); // initial values are overwritten with the golden ones

export function network(c: GoldenCase): { model: Layer; x: number[]; y: { shape: number[]; dtype: 'int32' | 'float32' }; loss: typeof softmaxCrossEntropy } {
  if (c.model === 'mlp') {
    const s = c.sizes!;
    const layers: Layer[] = [];
    for (let i = 0; i < 3; i++) {
      layers.push(new Linear(`l${i}`, s[i], s[i + 1], rng));
      if (i < 2) layers.push(new Activation(`a${i}`, c.activations![i]));
    }
    return { model: new Sequential('mlp', layers), x: [c.batch!, s[0]], y: { shape: [c.batch!], dtype: 'int32' }, loss: softmaxCrossEntropy };
  }
  if (c.model === 'conv') {
    const model = new Sequential('conv', [
      new Conv2d('c1', 1, 3, 3, rng, { padding: 1 }),
      new Activation('r1', 'relu'),
      new Pool2d('p1', 'max', 2),
      new Conv2d('c2', 3, 4, 3, rng),
      new Activation('s2', 'sigmoid'),
      new Pool2d('p2', 'avg', 2),
      new Flatten('f'),
      new Linear('l', 4, 3, rng),
    ]);
    return { model, x: [c.batch!, 1, 8, 8], y: { shape: [c.batch!], dtype: 'int32' }, loss: softmaxCrossEntropy };
  }
  const [T, N, I, H, O] = c.dims!;
  const model = new Sequential('rnn', [new Recurrent('rnn', I, H, rng, { activation: 'relu' }), new TimeDistributed('readout', new Linear('readout', H, O, rng))]);
  return { model, x: [T, N, I], y: { shape: [T, N, O], dtype: 'float32' }, loss: meanSquaredError };
}
