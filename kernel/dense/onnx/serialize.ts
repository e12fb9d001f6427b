/**
 * Graph → ONNX ModelProto bytes (opset 18, IR 8). Only nodes that a graph output depends on
 * are written. Values keep their names except op results that are graph outputs, which take
 * the output's name. Params are graph inputs in a training step and initializers in an
 * exported model (`bake`).
 */
import { liveNodes } from '../autodiff';
import type { Graph, Node, TensorData, Value } from '../graph';
import { opTable } from '../op-table';
import { AttributeType, DataType, ModelProto } from './onnx-proto';

export const OPSET = 18;
export const IR_VERSION = 8;

export interface SerializeOptions {
  /** Values written as initializers with these contents (e.g. trained params for export). */
  bake?: Map<Value, TensorData>;
  name?: string;
  doc?: string;
  metadata?: Record<string, string>;
}

export function serialize(graph: Graph, opts: SerializeOptions = {}): Uint8Array {
  const outs = graph.outputs;
  if (outs.length === 0) throw new Error('the graph has no outputs');
  const nodes = liveNodes(outs.map((o) => o.value));
  const used = new Set<Value>(outs.map((o) => o.value));
  for (const n of nodes) for (const v of n.inputs) used.add(v);

  const names = new Map<Value, string>();
  const extra: { op: string; input: Value; outputs: string[] }[] = [];
  for (const { name, value } of outs) {
    if (value.kind === 'op' && !names.has(value)) names.set(value, name);
    else extra.push({ op: 'Identity', input: value, outputs: [name] }); // an input, constant or repeated output
  }
  const nameOf = (v: Value) => names.get(v) ?? v.name;

  const initializer: object[] = [];
  const inputs: object[] = [];
  for (const v of graph.inputs) {
    if (!used.has(v)) continue;
    const baked = opts.bake?.get(v);
    if (baked) initializer.push(tensorProto(v.name, v.shape, v.dtype, baked));
    else inputs.push(valueInfo(v.name, v));
  }
  const consts = new Set<Value>();
  for (const n of nodes) for (const v of n.inputs) if (v.kind === 'const' && !consts.has(v)) consts.add(v);
  for (const c of consts) initializer.push(tensorProto(c.name, c.shape, c.dtype, c.data!));

  const nodeProtos: object[] = [];
  for (const n of nodes) nodeProtos.push(...(expansions[n.op]?.(n, nameOf, used, initializer) ?? [nodeProto(n, nameOf, used, initializer)]));
  // A repeated output copies the value under the name it took as the first output.
  for (const e of extra) nodeProtos.push({ op_type: e.op, input: [nameOf(e.input)], output: e.outputs, name: `output/${e.outputs[0]}` });

  const model = ModelProto.create({
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'neurite',
    producer_version: '0.1',
    doc_string: opts.doc ?? '',
    metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.name ?? 'neurite',
      node: nodeProtos,
      input: inputs,
      output: outs.map((o) => valueInfo(o.name, o.value)),
      initializer,
    },
  });
  return ModelProto.encode(model).finish();
}

type Expansion = (n: Node, nameOf: (v: Value) => string, used: Set<Value>, initializer: object[]) => object[];

/**
 * Ops written as several standard nodes of our own instead of the ONNX node. ONNX defines
 * SoftmaxCrossEntropyLoss as a function, and onnxruntime inlines its general body (class
 * weights, ignore_index, any rank): 11 nodes for [N, C] scores, 6 of them shape bookkeeping
 * (Shape, Slice, Unsqueeze, Squeeze, Reshape, Identity) that cost ~1–3 µs each per step in a
 * step of ~500 µs (bench/_dense-profile.ts). For [N, C] scores and [N] labels the loss is
 *   log_prob = LogSoftmax(scores, axis 1)
 *   loss     = −ReduceMean(GatherElements(log_prob, labels as [N, 1], axis 1))   (ReduceSum for 'sum')
 * the same ops on the same values as onnxruntime's body (−mean and the mean of the negations are
 * equal bit for bit): 5 nodes.
 */
const expansions: Record<string, Expansion> = {
  // Autodiff's stop: ONNX has no such op, and in a forward pass it is the identity.
  StopGradient: (n, nameOf) => [{ op_type: 'Identity', input: [nameOf(n.inputs[0])], output: [nameOf(n.outputs[0])], name: nodeName(n) }],
  SoftmaxCrossEntropyLoss: (n, nameOf, used, initializer) => {
    const [z, y] = n.inputs;
    const [loss, logProb] = n.outputs;
    const base = nodeName(n);
    const t = (k: string) => `${nameOf(loss)}_${k}`;
    const lp = used.has(logProb) ? nameOf(logProb) : t('log_prob');
    const ints = (k: string, vals: number[]) => {
      initializer.push(int64Vector(t(k), vals));
      return t(k);
    };
    const mean = n.attrs.reduction === 'mean';
    return [
      { op_type: 'LogSoftmax', input: [nameOf(z)], output: [lp], attribute: [attrProto('axis', 'int', 1)], name: `${base}/LogSoftmax` },
      { op_type: 'Reshape', input: [nameOf(y), ints('label_shape', [y.shape[0], 1])], output: [t('labels')], name: `${base}/Reshape` },
      { op_type: 'GatherElements', input: [lp, t('labels')], output: [t('picked')], attribute: [attrProto('axis', 'int', 1)], name: `${base}/GatherElements` },
      { op_type: mean ? 'ReduceMean' : 'ReduceSum', input: [t('picked'), ints('axes', [0, 1])], output: [t('reduced')], attribute: [attrProto('keepdims', 'int', 0)], name: `${base}/Reduce` },
      { op_type: 'Neg', input: [t('reduced')], output: [nameOf(loss)], name: `${base}/Neg` },
    ];
  },
};

function nodeProto(n: Node, nameOf: (v: Value) => string, used: Set<Value>, initializer: object[]): object {
  const def = opTable[n.op];
  const input = n.inputs.map(nameOf);
  const attribute: object[] = [];
  for (const [k, v] of Object.entries(n.attrs)) {
    if (def.lower?.includes(k)) continue;
    if (n.op === 'ConstantOfShape') {
      if (k === 'value') attribute.push({ name: k, type: AttributeType.TENSOR, t: tensorProto('', [1], n.attrs.dtype as string, typed(n.attrs.dtype as string, [v as number])) });
      continue;
    }
    if (Array.isArray(v) && v.length === 0) continue; // an empty list means ONNX's default
    attribute.push(attrProto(k, def.attrs[k].type, v));
  }
  // Static attributes that ONNX takes as int64 tensor inputs become initializers.
  for (const k of def.lower ?? []) {
    const name = `${n.outputs[0].name}_${k}`;
    initializer.push(int64Vector(name, n.attrs[k] as number[]));
    input.push(name);
  }
  // Trailing optional outputs that nothing reads are left out (e.g. MaxPool's indices at inference).
  let outputs = n.outputs.map(nameOf);
  const optional = def.optionalOutputs ?? 0;
  for (let k = n.outputs.length - 1; k >= n.outputs.length - optional && !used.has(n.outputs[k]); k--) outputs = outputs.slice(0, k);
  return { op_type: n.op, input, output: outputs, attribute, name: nodeName(n) };
}

/** A node's name in the model: its scope, op and id (`model.hidden[0]/Gemm_3`). */
function nodeName(n: Node): string {
  return `${n.scope ? `${n.scope}/` : ''}${n.op}_${n.id}`;
}

function attrProto(name: string, type: string, v: unknown): object {
  switch (type) {
    case 'int':
      return { name, type: AttributeType.INT, i: v as number };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: v as number[] };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: v as number };
    case 'string':
      return { name, type: AttributeType.STRING, s: Buffer.from(v as string) };
    case 'dtype':
      return { name, type: AttributeType.INT, i: DataType[v as keyof typeof DataType] };
  }
  throw new Error(`attribute ${name}: unknown type ${type}`);
}

function typed(dtype: string, vals: number[]): TensorData {
  if (dtype === 'float64') return Float64Array.from(vals);
  if (dtype === 'int64') return BigInt64Array.from(vals.map((x) => BigInt(x)));
  if (dtype === 'int32') return Int32Array.from(vals);
  if (dtype === 'bool') return Uint8Array.from(vals);
  return Float32Array.from(vals);
}

/** A 1-D int64 initializer (the static attributes ONNX takes as tensor inputs: shapes, axes, bounds). */
function int64Vector(name: string, vals: number[]): object {
  return tensorProto(name, [vals.length], 'int64', typed('int64', vals));
}

function tensorProto(name: string, dims: readonly number[], dtype: string, data: TensorData): object {
  return {
    name,
    dims: [...dims],
    data_type: DataType[dtype as keyof typeof DataType],
    raw_data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  };
}

function valueInfo(name: string, v: Value): object {
  const dim = v.shape.map((d) => (d < 0 ? { dim_param: 'N' } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: DataType[v.dtype], shape: { dim } } } };
}
