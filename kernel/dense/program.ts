/**
 * Programs: K steps of any tensor computation in one onnxruntime run — the small-net speed path.
 *
 * A TrainStep (step.ts) is one kind of step: forward, backward, optimizer update. Small nets
 * need more than that in one run: several models side by side (a comparison of learners on the
 * same data), logic between steps (a homeostat that changes the learning rate from what the
 * learner does, an evolution strategy's perturbations, an RNN's unrolled time), extra forward
 * passes that must leave the parameters alone (simulated steps). A Program takes a function that
 * builds ONE step from graph ops and unrolls it K times into one graph:
 *
 *   state  — tensors carried from step to step and from run to run (Parameters: the kernel's
 *            double buffers, as TrainStep keeps them): `get(p)` is p's value when the step starts,
 *            `set(p, v)` its value when the step ends (unset: unchanged);
 *   input  — tensors fed for each step (a minibatch, its labels, flags);
 *   output — tensors fetched after each step (losses, counts, a learning rate).
 *
 * Why: at batch 10 a 784-80-60-10 step is ~0.1 ms of work, while each onnxruntime run costs
 * ~10 µs plus a fresh copy of every output (the carried parameters); K steps per run pay that
 * once. The step function is called the same way for every k and builds the same ops on the same
 * shapes, so K steps per run give bit for bit what K runs of one step give (tested): callers may
 * cut their stream into runs wherever they like (at an epoch's end, at a record point).
 *
 * Who uses it: homeostatic learners (kernel/models/homeostatic: three learners and their
 * regulators, every minibatch's simulated steps included, K minibatches per run). NCAP's
 * evolution strategies (a population's forward passes as one batched step) and rich/lazy RNNs
 * (BPTT steps with a rank constraint) fit the same shape: carried tensors, per-step inputs,
 * per-step outputs.
 *
 * Memory contract: the arrays `run` returns are the program's own, overwritten by the next run.
 * Input arrays are wrapped (not copied) and the wrapper is kept while the same array is passed
 * again, so callers that reuse their input buffers allocate nothing per run.
 */
import { Graph, GraphError, type DType, type Value } from './graph';
import { serialize } from './onnx/serialize';
import { tensor, type Tensor } from './ort';
import type { Parameter } from './params';
import { sessions, type Compiled, type ExecOptions } from './session';
import { numel, sameShape, shapeText, type Shape } from './shapes';

/** What a program's inputs and outputs are on the host. */
export type HostArray = Float32Array | Int32Array | Uint8Array;
export type HostType = 'float32' | 'int32' | 'uint8';

/** One step being built: the graph, the carried state, this step's inputs and outputs. */
export interface ProgramStep {
  readonly graph: Graph;
  /** Which step of the run this is (0 … K−1); a step must not build differently by it. */
  readonly index: number;
  /** The value of a carried tensor when this step starts. */
  get(p: Parameter): Value;
  /** The value of a carried tensor when this step ends. */
  set(p: Parameter, v: Value): void;
  /** A tensor fed for this step (float32, int32 or uint8). */
  input(name: string, shape: Shape, dtype?: HostType): Value;
  /** A tensor fetched after this step (float32 or int32). */
  output(name: string, v: Value): void;
}

interface Port {
  name: string;
  shape: Shape;
  dtype: HostType;
}

export interface ProgramOptions {
  /** The model's name (in profiles and errors). */
  name?: string;
  /** The carried tensors. */
  state: readonly Parameter[];
  /** Steps per run. */
  steps: number;
  exec: ExecOptions;
  /** Builds one step; called once per step of the run, in order. */
  step(s: ProgramStep): void;
}

const hostArray = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array } as const;

export class Program {
  private readonly feeds: [Record<string, Tensor>, Record<string, Tensor>];
  private readonly fetches: [Record<string, Tensor>, Record<string, Tensor>];
  /** Per step, the arrays `run` returns. */
  private readonly results: Record<string, HostArray>[];
  /** Per step and input, the array last wrapped. */
  private readonly fed: Map<string, HostArray>[];
  private readonly needed: Set<string>;

  private constructor(
    readonly session: Compiled,
    readonly state: readonly Parameter[],
    readonly steps: number,
    readonly inputs: readonly Port[],
    readonly outputs: readonly Port[],
    /** The serialised model (for inspection and profiles). */
    readonly modelBytes: Uint8Array,
  ) {
    this.needed = new Set(session.inputNames);
    this.results = Array.from({ length: steps }, () => Object.fromEntries(outputs.map((o) => [o.name, new hostArray[o.dtype](numel(o.shape))])));
    this.fed = Array.from({ length: steps }, () => new Map());
    const make = (par: number): [Record<string, Tensor>, Record<string, Tensor>] => {
      const feed: Record<string, Tensor> = {};
      const fetch: Record<string, Tensor> = {};
      for (const p of state) {
        if (this.needed.has(p.name)) feed[p.name] = tensor('float32', p.buffer(par), [...p.shape]);
        fetch[`${p.name}:next`] = tensor('float32', p.buffer(1 - par), [...p.shape]);
      }
      this.results.forEach((r, k) => outputs.forEach((o) => (fetch[portName(o.name, k)] = tensor(o.dtype, r[o.name], o.shape))));
      return [feed, fetch];
    };
    const [f0, g0] = make(0);
    const [f1, g1] = make(1);
    this.feeds = [f0, f1];
    this.fetches = [g0, g1];
  }

  /** Build the K-step graph, serialise it and compile it (or take it from the session cache). */
  static async compile(o: ProgramOptions): Promise<Program> {
    const K = o.steps;
    if (!Number.isInteger(K) || K < 1 || K > 1024) throw new RangeError(`Program: steps must be a whole number from 1 to 1024, got ${K}`);
    const names = new Set<string>();
    for (const p of o.state) {
      if (names.has(p.name)) throw new Error(`Program: the carried tensor ${p.name} is listed twice`);
      names.add(p.name);
    }
    const g = new Graph('float32');
    const current = new Map<Parameter, Value>();
    for (const p of o.state) current.set(p, g.param(p.name, p.shape));
    let inputs: Port[] | undefined;
    let outputs: Port[] | undefined;
    for (let k = 0; k < K; k++) {
      const ins: Port[] = [];
      const outs: Port[] = [];
      const next = new Map(current);
      const where = `${o.name ?? 'program'} step ${k}`;
      o.step({
        graph: g,
        index: k,
        get(p) {
          const v = current.get(p);
          if (!v) throw new GraphError(where, `${p.name} is not a carried tensor of this program`);
          return v;
        },
        set(p, v) {
          if (!current.has(p)) throw new GraphError(where, `${p.name} is not a carried tensor of this program`);
          if (!sameShape(v.shape, p.shape) || v.dtype !== 'float32') throw new GraphError(where, `${p.name} is ${shapeText(p.shape)} float32; the new value is ${shapeText(v.shape)} ${v.dtype}`);
          next.set(p, v);
        },
        input(name, shape, dtype = 'float32') {
          ins.push({ name, shape: [...shape], dtype });
          return g.input(portName(name, k), shape, dtype as DType);
        },
        output(name, v) {
          if (v.dtype !== 'float32' && v.dtype !== 'int32') throw new GraphError(where, `output ${name} is ${v.dtype}; cast it to float32 or int32`);
          outs.push({ name, shape: [...v.shape], dtype: v.dtype });
          g.output(portName(name, k), v);
        },
      });
      // Every step must have the same ports: the host side is one table for all of them.
      if (k === 0) [inputs, outputs] = [ins, outs];
      else if (portsText(ins) !== portsText(inputs!) || portsText(outs) !== portsText(outputs!)) {
        throw new GraphError(where, `its inputs and outputs (${portsText(ins)} → ${portsText(outs)}) differ from step 0's (${portsText(inputs!)} → ${portsText(outputs!)})`);
      }
      for (const [p, v] of next) current.set(p, v);
    }
    for (const p of o.state) g.output(`${p.name}:next`, current.get(p)!);
    const bytes = serialize(g, { name: o.name ?? `program_${K}_steps` });
    const session = await sessions.get(bytes, o.exec);
    return new Program(session, o.state, K, inputs!, outputs!, bytes);
  }

  /**
   * Run K steps: `inputs[k]` holds step k's inputs by name. Returns step k's outputs by name
   * (the program's arrays: read or copy them before the next run). The carried tensors then
   * hold their values after the last step.
   */
  async run(inputs: readonly Readonly<Record<string, HostArray>>[]): Promise<readonly Readonly<Record<string, HostArray>>[]> {
    if (inputs.length !== this.steps) throw new Error(`Program.run: expected inputs for ${this.steps} steps, got ${inputs.length}`);
    const par = this.state[0]?.parity ?? 0;
    for (const p of this.state) if (p.parity !== par) throw new Error(`Program.run: ${p.name} was swapped outside this program (its buffers are out of step with ${this.state[0].name}'s)`);
    for (let k = 0; k < this.steps; k++) {
      for (const port of this.inputs) {
        const name = portName(port.name, k);
        if (!this.needed.has(name)) continue; // nothing reads it
        const a = inputs[k][port.name];
        if (!a) throw new Error(`Program.run: step ${k} has no input ${port.name}`);
        if (a === this.fed[k].get(port.name)) continue;
        if (!(a instanceof hostArray[port.dtype]) || a.length !== numel(port.shape)) {
          throw new Error(`Program.run: input ${port.name} of step ${k} must be a ${hostArray[port.dtype].name} of ${numel(port.shape)} values (${shapeText(port.shape)}), got ${a.constructor.name} of ${a.length}`);
        }
        this.fed[k].set(port.name, a);
        this.feeds[0][name] = this.feeds[1][name] = tensor(port.dtype, a, port.shape);
      }
    }
    await this.session.run(this.feeds[par], this.fetches[par]);
    for (const p of this.state) p.swap();
    return this.results;
  }
}

/** The graph name of a port in step k. */
const portName = (name: string, k: number) => `${name}.${k}`;
const portsText = (ports: readonly Port[]) => ports.map((p) => `${p.name} ${shapeText(p.shape)} ${p.dtype}`).join(', ');
