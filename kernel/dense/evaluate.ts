/**
 * Forward-only runs of a model with its current parameters (fed from the kernel's buffers, so
 * training between calls needs no rebuild): validation and test metrics, and predictions.
 */
import { tensor, type Tensor } from './ort';
import { Graph } from './graph';
import type { Layer } from './layers/layer';
import { serialize } from './onnx/serialize';
import { feedParams, type Parameter } from './params';
import { sessions, type Compiled, type ExecOptions } from './session';
import { modelInput, type InputType, type LossFn, type MetricFns, type TargetSpec } from './step';

export class Evaluator {
  private readonly paramTensors = new Map<Float32Array, Tensor>();

  private constructor(
    readonly session: Compiled,
    readonly params: Parameter[],
    readonly inputShape: number[],
    readonly inputType: InputType,
    readonly target: TargetSpec | undefined,
    readonly names: string[],
  ) {}

  /** Outputs: `output` (the model's), and with a target, `loss` and each metric. */
  static async compile(o: { model: Layer; inputShape: number[]; inputType?: InputType; target?: TargetSpec; loss?: LossFn; metrics?: MetricFns; exec: ExecOptions }): Promise<Evaluator> {
    const g = new Graph('float32');
    const x = modelInput(g, o.inputShape, o.inputType);
    const { bind, bound } = feedParams(g);
    const out = o.model.apply(x, bind);
    g.output('output', out);
    if (o.target) {
      const y = g.input('y', o.target.shape, o.target.dtype);
      if (o.loss) g.output('loss', o.loss(out, y));
      for (const [name, fn] of Object.entries(o.metrics ?? {})) g.output(name, fn(out, y));
    }
    const session = await sessions.get(serialize(g, { name: 'evaluate' }), o.exec);
    return new Evaluator(session, [...bound.keys()], o.inputShape, o.inputType ?? 'float32', o.target, g.outputs.map((v) => v.name));
  }

  /** The model's output and the loss/metrics (means as the loss defines them) on one batch. */
  async run(x: Float32Array | Uint8Array, y?: Int32Array | Float32Array): Promise<{ output: Float32Array; values: Record<string, number> }> {
    const feeds: Record<string, Tensor> = { x: tensor(this.inputType, x, this.inputShape) };
    if (this.target && y) feeds.y = tensor(this.target.dtype, y, this.target.shape);
    for (const p of this.params) feeds[p.name] = this.tensorFor(p);
    const r = await this.session.run(feeds);
    const values: Record<string, number> = {};
    for (const n of this.names) if (n !== 'output') values[n] = Number((r[n].data as Float32Array)[0]);
    return { output: r.output.data as Float32Array, values };
  }

  private tensorFor(p: Parameter): Tensor {
    let t = this.paramTensors.get(p.data);
    if (!t) {
      t = tensor('float32', p.data, [...p.shape]);
      this.paramTensors.set(p.data, t);
    }
    return t;
  }
}
