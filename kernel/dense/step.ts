/**
 * A whole training step — forward pass, loss, backward pass and optimizer update — as one
 * ONNX graph and one onnxruntime run. Parameters and optimizer state live in the kernel's
 * typed arrays (params.ts): each run reads the current buffers and onnxruntime writes the
 * updated values into the spare ones (preallocated outputs), which then become current.
 * The feed and fetch tables for both buffer parities are built once, so a step allocates
 * nothing of its own. (onnxruntime-node's binding still returns a fresh copy of every output,
 * ~0.8 MB per MLP 784-256-10 step, which we drop: that copy is its cost, not ours to avoid.)
 */
import { gradients } from './autodiff';
import { tensor, type Tensor } from './ort';
import { Graph, type Value } from './graph';
import { cast, div } from './ops';
import type { Layer } from './layers/layer';
import type { Optimizer } from './optimizers';
import { serialize } from './onnx/serialize';
import { feedParams, Parameter } from './params';
import { sessions, type Compiled, type ExecOptions } from './session';

export type TargetSpec = { shape: number[]; dtype: 'int32' | 'float32' };
/**
 * How the model input `x` is fed: float32 values, or bytes that the graph itself scales to
 * [0, 1] as x/255 (float32 division, the values PyTorch's `.float() / 255` gives). Bytes are
 * gathered several times faster than floats are made in JavaScript, and are a quarter the size.
 */
export type InputType = 'float32' | 'uint8';

/** The graph input `x` of the given shape and type, as float values for the model. */
export function modelInput(g: Graph, shape: number[], type: InputType = 'float32'): Value {
  if (type === 'float32') return g.input('x', shape);
  const bytes = g.input('x', shape, 'uint8');
  return g.scope('input', () => div(cast(bytes, g.float), 255));
}
export type LossFn = (out: Value, target: Value) => Value;
/** Extra scalar outputs of a step or evaluation (e.g. a count of correct predictions). */
export type MetricFns = Record<string, (out: Value, target: Value) => Value>;
type Feed = Record<string, Tensor>;

/** What training changes: the model's parameters, the optimizer's slots, the step count. */
export class TrainState {
  readonly slots = new Map<Parameter, Parameter[]>();
  /** Optimizer steps taken (Adam's t). */
  t = 0;
  constructor(readonly params: Parameter[], readonly optimizer: Optimizer) {
    for (const p of params) if (p.trainable) this.slots.set(p, optimizer.slots.map((s) => new Parameter(`${p.name}.${s}`, p.shape)));
  }
  /** Every buffer pair that a step swaps. */
  all(): Parameter[] {
    return [...this.params.filter((p) => p.trainable), ...[...this.slots.values()].flat()];
  }
}

export interface StepResult {
  loss: number;
  [metric: string]: number;
}

export class TrainStep {
  private readonly feeds: [Feed, Feed];
  private readonly fetches: [Feed, Feed];
  private readonly scalarBufs: Float32Array[];
  private readonly outBufs: Record<string, Float32Array> = {};
  /** The buffer pairs a step swaps (parameters, then optimizer slots). */
  private readonly swapped: Parameter[];
  private x?: ArrayBufferView;
  private y?: ArrayBufferView;

  private constructor(
    readonly session: Compiled,
    readonly state: TrainState,
    readonly inputShape: number[],
    readonly inputType: InputType,
    readonly target: TargetSpec,
    readonly metricNames: string[],
    readonly modelBytes: Uint8Array,
  ) {
    const swapped = (this.swapped = state.all());
    const frozen = state.params.filter((p) => !p.trainable);
    this.scalarBufs = state.optimizer.scalarNames.map(() => new Float32Array(1));
    const make = (par: number): [Feed, Feed] => {
      const feed: Feed = {};
      const fetch: Feed = {};
      for (const p of swapped) {
        feed[p.name] = tensor('float32', p.buffer(par), [...p.shape]);
        fetch[`${p.name}:next`] = tensor('float32', p.buffer(1 - par), [...p.shape]);
      }
      state.optimizer.scalarNames.forEach((n, i) => (feed[`opt.${n}`] = tensor('float32', this.scalarBufs[i], [])));
      for (const p of frozen) feed[p.name] = tensor('float32', p.data, [...p.shape]);
      for (const name of ['loss', ...metricNames]) fetch[name] = tensor('float32', (this.outBufs[name] ??= new Float32Array(1)), []);
      return [feed, fetch];
    };
    const [f0, g0] = make(0);
    const [f1, g1] = make(1);
    this.feeds = [f0, f1];
    this.fetches = [g0, g1];
    const needed = new Set(session.inputNames);
    for (const feed of this.feeds) for (const k of Object.keys(feed)) if (!needed.has(k)) delete feed[k];
  }

  /** Build, serialise and compile (or fetch from the cache) the step for one batch shape. */
  static async compile(o: {
    model: Layer;
    state: TrainState;
    inputShape: number[];
    inputType?: InputType;
    target: TargetSpec;
    loss: LossFn;
    metrics?: MetricFns;
    exec: ExecOptions;
  }): Promise<TrainStep> {
    const g = new Graph('float32');
    const x = modelInput(g, o.inputShape, o.inputType);
    const y = g.input('y', o.target.shape, o.target.dtype);
    const { bind, bound } = feedParams(g);
    const out = o.model.apply(x, bind);
    const loss = o.loss(out, y);
    g.output('loss', loss);
    const metricNames = Object.keys(o.metrics ?? {});
    for (const m of metricNames) g.output(m, o.metrics![m](out, y));
    for (const p of o.state.params) if (p.trainable && !bound.has(p)) throw new Error(`parameter ${p.name} is not used by the model`);
    const trained = o.state.params.filter((p) => p.trainable);
    const grads = gradients(loss, trained.map((p) => bound.get(p)!));
    const opt = o.state.optimizer;
    const scalars = opt.scalarNames.map((n) => g.input(`opt.${n}`, []));
    trained.forEach((p, i) => {
      const slots = o.state.slots.get(p)!;
      const next = g.scope(`optimizer/${p.name}`, () => opt.update(bound.get(p)!, grads[i], slots.map((s) => g.param(s.name, s.shape)), scalars));
      g.output(`${p.name}:next`, next.param);
      next.slots.forEach((v, k) => g.output(`${slots[k].name}:next`, v));
    });
    const bytes = serialize(g, { name: 'train_step' });
    const session = await sessions.get(bytes, o.exec);
    return new TrainStep(session, o.state, o.inputShape, o.inputType ?? 'float32', o.target, metricNames, bytes);
  }

  /**
   * One step on a batch (x and the targets, in the shapes compiled for) with learning rate
   * `lr`. If the loss is not finite the new values are discarded (the state keeps the last
   * finite step) and the caller decides what to do.
   */
  async run(x: Float32Array | Uint8Array, y: Int32Array | Float32Array, lr: number): Promise<StepResult> {
    const st = this.state;
    const par = this.swapped[0]?.parity ?? 0;
    const feed = this.feeds[par];
    if (x !== this.x) {
      this.x = x;
      this.feeds[0].x = this.feeds[1].x = tensor(this.inputType, x, this.inputShape);
    }
    if (y !== this.y) {
      this.y = y;
      this.feeds[0].y = this.feeds[1].y = tensor(this.target.dtype, y, this.target.shape);
    }
    const values = st.optimizer.scalars(st.t + 1, lr);
    values.forEach((v, i) => (this.scalarBufs[i][0] = v));
    await this.session.run(feed, this.fetches[par]);
    const result: StepResult = { loss: this.outBufs.loss[0] };
    for (const m of this.metricNames) result[m] = this.outBufs[m][0];
    if (Number.isFinite(result.loss)) {
      for (const p of this.swapped) p.swap();
      st.t++;
    }
    return result;
  }
}
