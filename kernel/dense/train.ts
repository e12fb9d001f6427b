/**
 * The training loop every dense experiment shares: epochs of batches, each batch one
 * training step (several steps per onnxruntime run, below); validation after each epoch; an
 * early-stopping rule and an epoch hook; metrics streamed to the run (ctx.metric →
 * metrics.jsonl and the extension); checkpoints in artifacts/; a cancellation point after
 * every run. A loss that is not finite stops the run
 * with a RunFailure that says where and what to try, keeping everything written so far and
 * the parameters of the last finite step.
 *
 * Steps run `stepsPerRun` (K) at a time: K batches of the same size go into one onnxruntime
 * run of a K-step graph (step.ts), which gives bit-identical results to K single steps and
 * saves most of the per-run cost. Every step's loss and metrics are still recorded one by
 * one; batches left over at the end of an epoch (fewer than K, or of another size) run one at
 * a time. A cancel request is seen after each batch is taken: the batches already taken are
 * trained on (at most K − 1, one at a time), then the run stops.
 *
 * Metric functions return per-batch sums (e.g. the number of correct predictions); the loop
 * reports their mean per sample (accuracy). The loss is a per-batch mean, weighted by size.
 */
import type { EngineContext } from '../core/engine-context';
import { RunFailure } from '../core/errors';
import { saveCheckpoint } from './checkpoint';
import { Evaluator } from './evaluate';
import type { Layer } from './layers/layer';
import type { ExecOptions } from './session';
import { TrainStep, type InputType, type LossFn, type MetricFns, type Objective, type StepResult, type TargetSpec, type TrainState } from './step';

export interface Batch {
  /** Floats, or bytes with `inputType: 'uint8'`. */
  x: Float32Array | Uint8Array;
  y: Int32Array | Float32Array;
  size: number;
}

export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** The smallest change that counts as an improvement. */
  minDelta: number;
  /** Validation (else training) value watched; loss is minimised, other metrics maximised. */
  monitor: string;
  /** Put back the parameters of the best epoch when training ends. */
  restoreBest: boolean;
}

export interface EpochReport {
  epoch: number;
  lr: number;
  seconds: number;
  train: Record<string, number>;
  validation?: Record<string, number>;
}

export interface TrainOptions {
  model: Layer;
  state: TrainState;
  /** One epoch of training batches (the caller shuffles). */
  trainBatches(epoch: number): Iterable<Batch>;
  /** Validation batches, if any. */
  validationBatches?(): Iterable<Batch>;
  /** Batches per epoch, for progress. */
  stepsPerEpoch: number;
  inputShape(size: number): number[];
  inputType?: InputType;
  target(size: number): TargetSpec;
  loss: LossFn;
  metrics?: MetricFns;
  epochs: number;
  /** Learning rate, or a schedule over epochs (0-based). */
  lr: number | ((epoch: number) => number);
  exec: ExecOptions;
  earlyStopping?: EarlyStopping;
  /** Called after each epoch; return 'stop' to end training. */
  onEpochEnd?(report: EpochReport): 'stop' | void | Promise<'stop' | void>;
  /** Write artifacts/checkpoint-last after each epoch (and checkpoint-best with validation). */
  checkpoints?: boolean;
  /** Stream a training metric every this many steps. */
  metricEvery?: number;
  /** Training steps per onnxruntime run (default DEFAULT_STEPS_PER_RUN; 1: one step per run). */
  stepsPerRun?: number;
  /** Minimise this instead of the loss (step.ts); the loss is still reported. */
  objective?: Objective;
  /** Called after every onnxruntime run with its steps' results and the objective's tensor outputs (valid until the next run). */
  onRun?(results: readonly StepResult[], tensors: readonly Record<string, Float32Array>[]): void;
  /**
   * Epochs trained before this call (a training made of several calls, e.g. phases): epochs are
   * numbered, and progress counted, from here; `epochs` is what this call may add.
   */
  epochOffset?: number;
}

/**
 * Steps per run unless a caller says otherwise. MLP 784-256-10, 2 threads, steps/s against 1
 * step per run (same process, alternating rounds; bench/dense.ts compares with PyTorch):
 * batch 64: 4 → 1.1–1.5×, 8 → 1.3–1.5×, 16 → 1.4–1.7×, 32 slower than 16; batch 256: 16 is
 * 4–8% faster than 8. A cancel request waits for the run in progress (16 steps: ~10 ms at
 * batch 64, ~25 ms at 256); models whose steps take long may pass a smaller `stepsPerRun`.
 */
export const DEFAULT_STEPS_PER_RUN = 16;

export interface TrainSummary {
  epochs: EpochReport[];
  bestEpoch: number;
  stoppedEarly: boolean;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

export async function train(ctx: EngineContext, o: TrainOptions): Promise<TrainSummary> {
  const K = o.stepsPerRun ?? DEFAULT_STEPS_PER_RUN;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`train: stepsPerRun must be a positive whole number, got ${K}`);
  const steps = new Map<string, TrainStep>();
  const stepFor = async (size: number, k: number) => {
    let s = steps.get(`${size}×${k}`);
    if (!s) {
      s = await TrainStep.compile({ model: o.model, state: o.state, inputShape: o.inputShape(size), inputType: o.inputType, target: o.target(size), loss: o.loss, metrics: o.metrics, exec: o.exec, steps: k, objective: o.objective });
      steps.set(`${size}×${k}`, s);
    }
    return s;
  };
  const metricNames = Object.keys(o.metrics ?? {});
  const reports: EpochReport[] = [];
  const es = o.earlyStopping;
  const better = (a: number, b: number) => (es?.monitor === 'loss' ? a < b - es.minDelta : a > b + (es?.minDelta ?? 0));
  let best: { epoch: number; value: number; params: Float32Array[] } | undefined;
  let stoppedEarly = false;
  let trainSeconds = 0;
  let stepsRun = 0;
  const every = o.metricEvery ?? Math.max(1, Math.round(o.stepsPerEpoch / 20));
  // Batches waiting for a run of K (the iterator may reuse its buffers, so they are copied).
  const pending = new Pending(K);

  const first = o.epochOffset ?? 0;
  const allEpochs = first + o.epochs;
  for (let epoch = first; epoch < allEpochs; epoch++) {
    const lr = typeof o.lr === 'number' ? o.lr : o.lr(epoch);
    const t0 = performance.now();
    const sums = new Sums(metricNames);
    const window = new Sums(metricNames);
    let k = 0;
    /** Run the pending batches (K of them at once when there are K, else one at a time); record each step. */
    const flush = async () => {
      const n = pending.count;
      if (n === 0) return;
      const size = pending.size;
      const xs = pending.xs.slice(0, n);
      const ys = pending.ys.slice(0, n);
      pending.clear();
      const results: StepResult[] = [];
      if (n === K && K > 1) {
        const step = await stepFor(size, K);
        results.push(...(await step.runSteps(xs, ys, lr)));
        o.onRun?.(results, step.tensors);
      } else {
        for (let i = 0; i < n && (i === 0 || Number.isFinite(results[i - 1].loss)); i++) {
          const step = await stepFor(size, 1);
          results.push(await step.run(xs[i], ys[i], lr));
          o.onRun?.(results.slice(i), step.tensors);
        }
      }
      const t = o.state.t - results.filter((r) => Number.isFinite(r.loss)).length; // steps taken before these
      for (const [i, r] of results.entries()) {
        if (!Number.isFinite(r.loss)) {
          if (o.checkpoints) saveCheckpoint(ctx.artifactPath('checkpoint-last'), o.state, { epoch, extra: { diverged: true } });
          throw new RunFailure(
            `training diverged: the loss is ${r.loss} at epoch ${epoch + 1}, batch ${k + 1} (step ${o.state.t + 1}, learning rate ${lr}); ` +
              `the metrics so far are kept${o.checkpoints ? ' and artifacts/checkpoint-last holds the parameters of the last finite step' : ''}; try a smaller learning rate`,
          );
        }
        sums.add(r, size);
        window.add(r, size);
        k++;
        stepsRun++;
        if (k % every === 0) {
          ctx.metric(t + i + 1, window.means(), 'train');
          window.reset();
        }
        ctx.progress((epoch + k / o.stepsPerEpoch) / allEpochs, `epoch ${epoch + 1}/${allEpochs}: loss ${(sums.loss / sums.n).toFixed(4)}`);
      }
      await ctx.yieldOrThrowIfCancelled();
    };
    for (const b of o.trainBatches(epoch)) {
      if (pending.count > 0 && b.size !== pending.size) await flush();
      pending.add(b);
      if (pending.count === K || ctx.signal.aborted) await flush();
    }
    await flush();
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    const report: EpochReport = { epoch: epoch + 1, lr, seconds, train: sums.means() };
    if (o.validationBatches) report.validation = await evaluate(o, o.validationBatches(), ctx);
    reports.push(report);
    ctx.metric(epoch + 1, { lr, seconds: report.seconds, ...prefixed('train_', report.train), ...prefixed('val_', report.validation ?? {}) }, 'epoch');
    ctx.log(`epoch ${epoch + 1}: train ${fmt(report.train)}${report.validation ? `; validation ${fmt(report.validation)}` : ''} (${report.seconds.toFixed(1)} s)`);
    if (o.checkpoints) saveCheckpoint(ctx.artifactPath('checkpoint-last'), o.state, { epoch: epoch + 1 });

    const watched = es ? (report.validation ?? report.train)[es.monitor] : undefined;
    if (es && watched !== undefined && (!best || better(watched, best.value))) {
      best = { epoch: epoch + 1, value: watched, params: o.state.params.map((p) => p.data.slice()) };
      if (o.checkpoints) saveCheckpoint(ctx.artifactPath('checkpoint-best'), o.state, { epoch: epoch + 1, extra: { [es.monitor]: watched } });
    }
    const hook = await o.onEpochEnd?.(report);
    if (hook === 'stop') break;
    if (es && best && epoch + 1 - best.epoch >= es.patience) {
      ctx.log(`early stopping: no ${es.monitor} improvement for ${es.patience} epochs (best ${best.value.toFixed(4)} at epoch ${best.epoch})`);
      stoppedEarly = true;
      break;
    }
  }
  if (es?.restoreBest && best) o.state.params.forEach((p, i) => p.set(best!.params[i]));
  return {
    epochs: reports,
    bestEpoch: best?.epoch ?? reports.length,
    stoppedEarly,
    steps: stepsRun,
    seconds: trainSeconds,
    stepsPerSecond: stepsRun / Math.max(trainSeconds, 1e-9),
  };
}

/** Loss and metrics over batches, with the current parameters (forward only). */
export async function evaluate(o: Pick<TrainOptions, 'model' | 'inputShape' | 'inputType' | 'target' | 'loss' | 'metrics' | 'exec'>, batches: Iterable<Batch>, ctx?: EngineContext): Promise<Record<string, number>> {
  const evaluators = new Map<number, Evaluator>();
  const sums = new Sums(Object.keys(o.metrics ?? {}));
  for (const b of batches) {
    let ev = evaluators.get(b.size);
    if (!ev) {
      ev = await Evaluator.compile({ model: o.model, inputShape: o.inputShape(b.size), inputType: o.inputType, target: o.target(b.size), loss: o.loss, metrics: o.metrics, exec: o.exec });
      evaluators.set(b.size, ev);
    }
    const r = await ev.run(b.x, b.y);
    sums.add(r.values as { loss: number }, b.size);
    await ctx?.yieldOrThrowIfCancelled();
  }
  return sums.means();
}

/** Up to K batches of one size, copied into buffers of their own (kept from run to run). */
class Pending {
  readonly xs: (Float32Array | Uint8Array)[] = [];
  readonly ys: (Int32Array | Float32Array)[] = [];
  count = 0;
  size = 0;
  constructor(readonly capacity: number) {}
  add(b: Batch): void {
    const i = this.count++;
    this.size = b.size;
    this.xs[i] = copyInto(this.xs[i], b.x);
    this.ys[i] = copyInto(this.ys[i], b.y);
  }
  clear(): void {
    this.count = 0;
  }
}

/** `src` copied into `buf` when it has the same type and length (so feeds built on it stay valid), else into a new array. */
function copyInto<T extends Float32Array | Uint8Array | Int32Array>(buf: T | undefined, src: T): T {
  if (buf && buf.constructor === src.constructor && buf.length === src.length) {
    buf.set(src);
    return buf;
  }
  return src.slice() as T;
}

class Sums {
  loss = 0;
  n = 0;
  readonly m: Record<string, number> = {};
  constructor(readonly names: string[]) {
    this.reset();
  }
  add(r: { loss: number; [k: string]: number }, size: number): void {
    this.loss += r.loss * size;
    this.n += size;
    for (const k of this.names) this.m[k] += r[k];
  }
  reset(): void {
    this.loss = 0;
    this.n = 0;
    for (const k of this.names) this.m[k] = 0;
  }
  means(): Record<string, number> {
    const out: Record<string, number> = { loss: this.loss / this.n };
    for (const k of this.names) out[k] = this.m[k] / this.n;
    return out;
  }
}

const prefixed = (p: string, r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [p + k, v]));
const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
