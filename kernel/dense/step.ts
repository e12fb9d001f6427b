/**
 * A whole training step — forward pass, loss, backward pass and optimizer update — as one
 * ONNX graph and one onnxruntime run. Parameters and optimizer state live in the kernel's
 * typed arrays (params.ts): each run reads the current buffers and onnxruntime writes the
 * updated values into the spare ones (preallocated outputs), which then become current.
 * The feed and fetch tables for both buffer parities are built once, so a step allocates
 * nothing of its own.
 *
 * A step graph may hold K steps in a row (`steps: K`): K batches in, K losses (and metrics)
 * out, the parameters updated K times inside the graph, exactly as K single steps would (the
 * same ops on the same shapes: the results are bit-identical, tested). Why: onnxruntime-node
 * returns a fresh copy of every output of every run (~0.8 MB for the parameters of an MLP
 * 784-256-10), and those allocations, their zeroing and the garbage collections they cause
 * cost more than the copy itself (bench/dense.ts); K steps per run pay that once per K steps.
 */
import { gradients } from './autodiff';
import { tensor, type Tensor } from './ort';
import { Graph, GraphError, type Value } from './graph';
import { cast, div } from './ops';
import type { Layer } from './layers/layer';
import type { Optimizer } from './optimizers';
import { serialize } from './onnx/serialize';
import { Parameter } from './params';
import { sessions, type Compiled, type ExecOptions } from './session';

export type TargetSpec = { shape: number[]; dtype: 'int32' | 'float32' };
/**
 * How the model input `x` is fed: float32 values, or bytes that the graph itself scales to
 * [0, 1] as x/255 (float32 division, the values PyTorch's `.float() / 255` gives). Bytes are
 * gathered several times faster than floats are made in JavaScript, and are a quarter the size.
 */
export type InputType = 'float32' | 'uint8';

/** The graph input `name` (`x`) of the given shape and type, as float values for the model. */
export function modelInput(g: Graph, shape: number[], type: InputType = 'float32', name = 'x'): Value {
  if (type === 'float32') return g.input(name, shape);
  const bytes = g.input(name, shape, 'uint8');
  return g.scope('input', () => div(cast(bytes, g.float), 255));
}
export type LossFn = (out: Value, target: Value) => Value;
/**
 * What a step minimises when it is not the loss itself (the loss is still computed and
 * reported): built once per step of the graph from that step's model output, target, loss and
 * the values the model tapped while it was applied (Graph.taps), e.g. a correlation between a
 * new unit and the loss's gradient at a layer output. `value` is a scalar; `outputs` are
 * float32 tensors the step returns as well (TrainStep.tensors), e.g. per-unit scores.
 */
export type Objective = (s: { out: Value; target: Value; loss: Value; taps: ReadonlyMap<string, Value> }) => { value: Value; outputs?: Record<string, Value> };
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
  /** Per step of the run, the optimizer's scalar inputs. */
  private readonly scalarBufs: Float32Array[][];
  /** Per step of the run, the loss and each metric. */
  private readonly outBufs: Record<string, Float32Array>[];
  /** The buffer pairs a step swaps (parameters, then optimizer slots). */
  private readonly swapped: Parameter[];
  private readonly xs: (ArrayBufferView | undefined)[];
  private readonly ys: (ArrayBufferView | undefined)[];
  /** The same step one batch per run (steps > 1): replays a run whose losses were not all finite. */
  private single?: TrainStep;
  /**
   * Per step of the last run, the objective's tensor outputs by name (empty without an
   * objective). The arrays are the step's own buffers: read or copy them before the next run.
   */
  tensors: Record<string, Float32Array>[];

  private constructor(
    readonly session: Compiled,
    readonly state: TrainState,
    readonly inputShape: number[],
    readonly inputType: InputType,
    readonly target: TargetSpec,
    readonly metricNames: string[],
    readonly modelBytes: Uint8Array,
    /** Steps (batches) per run. */
    readonly steps: number,
    /** The objective's tensor outputs: name and shape. */
    readonly tensorShapes: { name: string; shape: number[] }[] = [],
  ) {
    const swapped = (this.swapped = state.all());
    const frozen = state.params.filter((p) => !p.trainable);
    this.scalarBufs = Array.from({ length: steps }, () => state.optimizer.scalarNames.map(() => new Float32Array(1)));
    this.outBufs = Array.from({ length: steps }, () => Object.fromEntries(['loss', ...metricNames].map((n) => [n, new Float32Array(1)])));
    this.xs = new Array(steps).fill(undefined);
    this.ys = new Array(steps).fill(undefined);
    this.tensors = Array.from({ length: steps }, () => Object.fromEntries(tensorShapes.map((t) => [t.name, new Float32Array(t.shape.reduce((a, b) => a * b, 1))])));
    const make = (par: number): [Feed, Feed] => {
      const feed: Feed = {};
      const fetch: Feed = {};
      for (const p of swapped) {
        feed[p.name] = tensor('float32', p.buffer(par), [...p.shape]);
        fetch[`${p.name}:next`] = tensor('float32', p.buffer(1 - par), [...p.shape]);
      }
      for (let k = 0; k < steps; k++) {
        state.optimizer.scalarNames.forEach((n, i) => (feed[`opt.${n}${suffix(k, steps)}`] = tensor('float32', this.scalarBufs[k][i], [])));
        for (const name of ['loss', ...metricNames]) fetch[`${name}${suffix(k, steps)}`] = tensor('float32', this.outBufs[k][name], []);
        for (const t of tensorShapes) fetch[`${t.name}${suffix(k, steps)}`] = tensor('float32', this.tensors[k][t.name], t.shape);
      }
      for (const p of frozen) feed[p.name] = tensor('float32', p.data, [...p.shape]);
      return [feed, fetch];
    };
    const [f0, g0] = make(0);
    const [f1, g1] = make(1);
    this.feeds = [f0, f1];
    this.fetches = [g0, g1];
    const needed = new Set(session.inputNames);
    for (const feed of this.feeds) for (const k of Object.keys(feed)) if (!needed.has(k)) delete feed[k];
  }

  /**
   * Build, serialise and compile (or fetch from the cache) the step for one batch shape;
   * with `steps` K > 1, K steps in a row per run (`runSteps`). With an `objective`, the
   * trainable parameters follow its gradient instead of the loss's.
   */
  static async compile(o: {
    model: Layer;
    state: TrainState;
    inputShape: number[];
    inputType?: InputType;
    target: TargetSpec;
    loss: LossFn;
    metrics?: MetricFns;
    exec: ExecOptions;
    steps?: number;
    objective?: Objective;
  }): Promise<TrainStep> {
    const steps = o.steps ?? 1;
    if (!Number.isInteger(steps) || steps < 1 || steps > 64) throw new RangeError(`TrainStep: steps must be a whole number from 1 to 64, got ${steps}`);
    const g = new Graph('float32');
    const opt = o.state.optimizer;
    const trained = o.state.params.filter((p) => p.trainable);
    const metricNames = Object.keys(o.metrics ?? {});
    // The graph value of every parameter and optimizer slot going into the current step: the
    // fed tensor at first, then the previous step's update.
    const current = new Map<Parameter, Value>();
    const valueOf = (p: Parameter) => current.get(p) ?? current.set(p, g.param(p.name, p.shape)).get(p)!;
    let tensorShapes: { name: string; shape: number[] }[] = [];
    for (let k = 0; k < steps; k++) {
      const sfx = suffix(k, steps);
      const x = modelInput(g, o.inputShape, o.inputType, `x${sfx}`);
      const y = g.input(`y${sfx}`, o.target.shape, o.target.dtype);
      const bound = new Map<Parameter, Value>();
      g.taps.clear(); // this step's taps only
      const out = o.model.apply(x, (p) => bound.get(p) ?? bound.set(p, valueOf(p)).get(p)!);
      const loss = o.loss(out, y);
      g.output(`loss${sfx}`, loss);
      for (const m of metricNames) g.output(`${m}${sfx}`, o.metrics![m](out, y));
      for (const p of trained) if (!bound.has(p)) throw new Error(`parameter ${p.name} is not used by the model`);
      const goal = o.objective && g.scope('objective', () => o.objective!({ out, target: y, loss, taps: new Map(g.taps) }));
      if (goal) {
        if (goal.value.shape.length !== 0 || goal.value.dtype !== g.float) throw new GraphError('objective', `the value to minimise must be a ${g.float} scalar, got [${goal.value.shape.join(',')}] ${goal.value.dtype}`);
        tensorShapes = Object.entries(goal.outputs ?? {}).map(([name, v]) => ({ name, shape: [...v.shape] }));
        for (const [name, v] of Object.entries(goal.outputs ?? {})) g.output(`${name}${sfx}`, v);
      }
      const scalars = opt.scalarNames.map((n) => g.input(`opt.${n}${sfx}`, []));
      const grads = gradients(goal?.value ?? loss, trained.map((p) => bound.get(p)!), opt.seed?.(scalars));
      trained.forEach((p, i) => {
        const slots = o.state.slots.get(p)!;
        const next = g.scope(`optimizer/${p.name}`, () => opt.update(bound.get(p)!, grads[i], slots.map(valueOf), scalars));
        current.set(p, next.param);
        next.slots.forEach((v, j) => current.set(slots[j], v));
        if (k < steps - 1) return;
        g.output(`${p.name}:next`, next.param);
        next.slots.forEach((v, j) => g.output(`${slots[j].name}:next`, v));
      });
    }
    const bytes = serialize(g, { name: steps === 1 ? 'train_step' : `train_${steps}_steps` });
    const session = await sessions.get(bytes, o.exec);
    const step = new TrainStep(session, o.state, o.inputShape, o.inputType ?? 'float32', o.target, metricNames, bytes, steps, tensorShapes);
    if (steps > 1) step.single = await TrainStep.compile({ ...o, steps: 1 });
    return step;
  }

  /**
   * One step on a batch (x and the targets, in the shapes compiled for) with learning rate
   * `lr`. If the loss is not finite the new values are discarded (the state keeps the last
   * finite step) and the caller decides what to do.
   */
  async run(x: Float32Array | Uint8Array, y: Int32Array | Float32Array, lr: number): Promise<StepResult> {
    if (this.steps !== 1) throw new Error(`TrainStep.run: this step runs ${this.steps} batches at a time (runSteps)`);
    return (await this.runSteps([x], [y], lr))[0];
  }

  /**
   * `steps` steps in a row, batch k on xs[k], ys[k], with learning rate `lr` (or lr[k]); the
   * results of each. If a loss is not finite, the state is left as after the last finite
   * step (the steps before it are replayed one at a time, giving the same values) and the
   * results end with the first non-finite one.
   */
  async runSteps(xs: readonly (Float32Array | Uint8Array)[], ys: readonly (Int32Array | Float32Array)[], lr: number | readonly number[]): Promise<StepResult[]> {
    const K = this.steps;
    if (xs.length !== K || ys.length !== K) throw new Error(`TrainStep.runSteps: expected ${K} batches, got ${xs.length} inputs and ${ys.length} targets`);
    const st = this.state;
    const par = this.swapped[0]?.parity ?? 0;
    const rate = (k: number) => (typeof lr === 'number' ? lr : lr[k]);
    for (let k = 0; k < K; k++) {
      const sfx = suffix(k, K);
      if (xs[k] !== this.xs[k]) {
        this.xs[k] = xs[k];
        this.feeds[0][`x${sfx}`] = this.feeds[1][`x${sfx}`] = tensor(this.inputType, xs[k], this.inputShape);
      }
      if (ys[k] !== this.ys[k]) {
        this.ys[k] = ys[k];
        this.feeds[0][`y${sfx}`] = this.feeds[1][`y${sfx}`] = tensor(this.target.dtype, ys[k], this.target.shape);
      }
      const values = st.optimizer.scalars(st.t + 1 + k, rate(k));
      values.forEach((v, i) => (this.scalarBufs[k][i][0] = v));
    }
    await this.session.run(this.feeds[par], this.fetches[par]);
    const results = this.outBufs.map((b) => {
      const r: StepResult = { loss: b.loss[0] };
      for (const m of this.metricNames) r[m] = b[m][0];
      return r;
    });
    if (results.every((r) => Number.isFinite(r.loss))) {
      for (const p of this.swapped) p.swap();
      st.t += K;
      return results;
    }
    if (!this.single) return results; // one step: nothing was applied
    const replayed: StepResult[] = [];
    for (let k = 0; k < K; k++) {
      const r = await this.single.run(xs[k], ys[k], rate(k));
      for (const [name, t] of Object.entries(this.single.tensors[0])) this.tensors[k][name].set(t);
      replayed.push(r);
      if (!Number.isFinite(r.loss)) break;
    }
    return replayed;
  }
}

/** Names of the tensors of step k in a graph of `steps` steps: `x`, or `x.0`, `x.1`, … */
const suffix = (k: number, steps: number) => (steps === 1 ? '' : `.${k}`);
