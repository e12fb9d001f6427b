/**
 * LoRA (Hu et al. 2021) on a Linear layer: a trainable low-rank update beside its weight,
 *   y = x Wᵀ + b + (α / r) · (x Aᵀ) Bᵀ      A [r, in], B [out, r]
 * B starts at zero, so the wrapped layer starts as the base; A starts as PyTorch's Linear weight
 * (U(±1/√in), what PEFT's kaiming_uniform(a = √5) gives). W and b are the base layer's own
 * Parameters: freeze them (params.ts) to train A and B alone. The update is one Gemm whose C is
 * the base's output, so it costs two small products. Parameters: the base's, `<name>.lora_a`,
 * `<name>.lora_b`.
 */
import type { Rng } from '../../core/rng';
import type { Value } from '../graph';
import { initialize } from '../init';
import * as o from '../ops';
import { Parameter, type Bind } from '../params';
import type { Layer } from './layer';
import type { Linear } from './linear';

export class LoRALinear implements Layer {
  readonly name: string;
  readonly a: Parameter;
  readonly b: Parameter;
  /** α / r */
  readonly scale: number;

  constructor(readonly base: Linear, readonly rank: number, rng: Rng, opts: { alpha?: number } = {}) {
    if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`${base.name}: LoRA rank must be a positive whole number, got ${rank}`);
    this.name = base.name;
    const aShape = [rank, base.inFeatures];
    this.a = new Parameter(`${base.name}.lora_a`, aShape, initialize({ kind: 'torch' }, aShape, rng.fork(`${base.name}.lora_a`), `${base.name}.lora_a`));
    this.b = new Parameter(`${base.name}.lora_b`, [base.outFeatures, rank]);
    this.scale = (opts.alpha ?? rank) / rank;
  }

  parameters(): Parameter[] {
    return [...this.base.parameters(), this.a, this.b];
  }

  apply(x: Value, bind: Bind): Value {
    const y = this.base.apply(x, bind);
    return x.graph.scope(`${this.name}.lora`, () => {
      const down = o.gemm(x, bind(this.a), undefined, { transB: 1 }); // x Aᵀ [N, r]
      return o.gemm(down, bind(this.b), y, { transB: 1, alpha: this.scale }); // (α/r) (x Aᵀ) Bᵀ + y
    });
  }
}
