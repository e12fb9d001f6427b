/**
 * Initialisers for parameters, with fan-in/fan-out as PyTorch counts them (weight [out, in, …]:
 * fanIn = in · receptive field, fanOut = out · receptive field).
 *
 *   he:      N(0, 2/fanIn) or U(±√(6/fanIn))                 (Kaiming, gain √2 for ReLU)
 *   xavier:  N(0, 2/(fanIn+fanOut)) or U(±√(6/(fanIn+fanOut))) (Glorot)
 *   torch:   U(±1/√fanIn)                                      (PyTorch's Linear/Conv default)
 *   normal, uniform, constant: as named
 *   tensor:  the given values (row-major), e.g. a rank-controlled matrix made elsewhere
 *   lowRank: W₀ = gain · G/√fanIn with G ~ N(0,1), truncated to its top `rank` singular
 *            components and rescaled to W₀'s Frobenius norm (Liu et al. 2024, PAPERS.md §5);
 *            `rescale: false` keeps the truncation's own norm (W₀'s top singular values)
 */
import { InputError } from '../core/errors';
import type { Rng } from '../core/rng';
import { truncateRank } from './linalg';
import type { Shape } from './shapes';

export type Init =
  | { kind: 'he' | 'xavier'; distribution?: 'normal' | 'uniform' }
  | { kind: 'torch' }
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'constant'; value: number }
  | { kind: 'tensor'; values: ArrayLike<number> }
  | { kind: 'lowRank'; rank: number; gain?: number; rescale?: boolean };

export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/**
 * Values for a tensor of `shape`. `fan` overrides the fans (a bias uses its layer's);
 * `where` locates problems with a custom tensor (e.g. `model.init.values`).
 */
export function initialize(init: Init, shape: Shape, rng: Rng, where: string, fan = fans(shape)): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const normal = (std: number, mean = 0) => {
    for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  };
  const uniform = (lo: number, hi: number) => {
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.float();
  };
  switch (init.kind) {
    case 'he':
      if (init.distribution === 'uniform') uniform(-Math.sqrt(6 / fan.fanIn), Math.sqrt(6 / fan.fanIn));
      else normal(Math.sqrt(2 / fan.fanIn));
      break;
    case 'xavier': {
      const s = fan.fanIn + fan.fanOut;
      if (init.distribution === 'uniform') uniform(-Math.sqrt(6 / s), Math.sqrt(6 / s));
      else normal(Math.sqrt(2 / s));
      break;
    }
    case 'torch':
      uniform(-1 / Math.sqrt(fan.fanIn), 1 / Math.sqrt(fan.fanIn));
      break;
    case 'normal':
      normal(init.std, init.mean);
      break;
    case 'uniform':
      uniform(init.low, init.high);
      break;
    case 'constant':
      out.fill(init.value);
      break;
    case 'tensor': {
      if (init.values.length !== n) throw new InputError([`${where}: ${init.values.length} values for shape [${shape.join(', ')}], which needs ${n}`]);
      for (let i = 0; i < n; i++) {
        const v = init.values[i];
        if (!Number.isFinite(v)) throw new InputError([`${where}[${i}]: ${v} is not a finite number`]);
        out[i] = v;
      }
      break;
    }
    case 'lowRank': {
      if (shape.length !== 2) throw new InputError([`${where}: lowRank needs a matrix, got shape [${shape.join(', ')}]`]);
      const [rows, cols] = shape;
      if (!(Number.isInteger(init.rank) && init.rank >= 1 && init.rank <= Math.min(rows, cols))) {
        throw new InputError([`${where}: rank must be a whole number from 1 to ${Math.min(rows, cols)}, got ${init.rank}`]);
      }
      const g = new Float64Array(n);
      const scale = (init.gain ?? 1) / Math.sqrt(fan.fanIn);
      for (let i = 0; i < n; i++) g[i] = scale * rng.normal();
      out.set(truncateRank(g, rows, cols, init.rank, init.rescale ?? true));
      break;
    }
  }
  return out;
}
