/**
 * A float64 TypeScript evaluator of Neurite graphs, written from the ONNX operator
 * definitions. It is the reference for the gradient checks of the ops onnxruntime's CPU
 * provider has no float64 kernel for (Conv, ConvTranspose, AveragePool); its own agreement
 * with onnxruntime is tested on every op it implements (reference-eval.unit.test.ts).
 * Every tensor is a Float64Array (integers, indices and booleans included).
 */
import { liveNodes } from '../../../kernel/dense/autodiff';
import type { Graph, Node, Value } from '../../../kernel/dense/graph';
import { broadcast, numel, windowOut, type Shape } from '../../../kernel/dense/shapes';

export interface T {
  shape: number[];
  data: Float64Array;
}

export function evaluate(g: Graph, feeds: Record<string, ArrayLike<number>>): Record<string, T> {
  const env = new Map<Value, T>();
  for (const v of g.inputs) if (feeds[v.name]) env.set(v, { shape: [...v.shape], data: Float64Array.from(feeds[v.name]) });
  const get = (v: Value): T => {
    if (v.kind === 'const') return { shape: [...v.shape], data: Float64Array.from(v.data as ArrayLike<number | bigint>, Number) };
    const t = env.get(v);
    if (!t) throw new Error(`no value for ${v.name}`);
    return t;
  };
  for (const n of liveNodes(g.outputs.map((o) => o.value))) {
    const outs = run(n, n.inputs.map(get));
    n.outputs.forEach((v, i) => outs[i] && env.set(v, outs[i]));
  }
  return Object.fromEntries(g.outputs.map((o) => [o.name, get(o.value)]));
}

const strides = (s: Shape) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));

/** Elementwise over broadcast inputs. */
function map(ins: T[], f: (...x: number[]) => number): T {
  const shape = broadcast(...ins.map((t) => t.shape));
  const out = new Float64Array(numel(shape));
  const st = ins.map((t) => {
    const s = strides(t.shape);
    const lead = shape.length - t.shape.length;
    return shape.map((d, k) => (k < lead || t.shape[k - lead] === 1 ? 0 : s[k - lead]));
  });
  const os = strides(shape);
  const args = new Array(ins.length);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < ins.length; j++) {
      let off = 0;
      let r = i;
      for (let k = 0; k < shape.length; k++) {
        const c = Math.floor(r / os[k]);
        r -= c * os[k];
        off += c * st[j][k];
      }
      args[j] = ins[j].data[off];
    }
    out[i] = f(...args);
  }
  return { shape, data: out };
}

/** Index helpers over a row-major shape. */
const unravel = (i: number, s: number[]) => strides(s).map((st, k) => Math.floor(i / st) % s[k]);
const ravel = (idx: number[], s: number[]) => idx.reduce((a, c, k) => a * s[k] + c, 0);

function reduce(x: T, axes: number[], keep: boolean, init: number, f: (acc: number, v: number) => number, fin = (acc: number, _n: number) => acc): T {
  const r = x.shape.length;
  const ax = axes.map((a) => (a + r) % r);
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const acc = new Float64Array(numel(kept)).fill(init);
  const count = numel(x.shape) / numel(kept);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((c, k) => (ax.includes(k) ? 0 : c));
    const j = ravel(idx, kept);
    acc[j] = f(acc[j], x.data[i]);
  }
  return { shape: keep ? kept : x.shape.filter((_, i) => !ax.includes(i)), data: acc.map((a) => fin(a, count)) };
}

function pairs(v: unknown, n: number, fill: number): number[] {
  const a = (v as number[] | undefined) ?? [];
  return a.length ? a : new Array(n).fill(fill);
}

/** 2-D convolution (cross-correlation) with groups; the reference for Conv. */
function conv(x: T, w: T, b: T | undefined, a: Node['attrs']): T {
  const [n, c, h, wd] = x.shape;
  const [m, cg, kh, kw] = w.shape;
  const g = (a.group as number) ?? 1;
  const [s, p, d] = [pairs(a.strides, 2, 1), pairs(a.pads, 4, 0), pairs(a.dilations, 2, 1)];
  const oh = windowOut(h, kh, s[0], p[0], p[2], d[0]);
  const ow = windowOut(wd, kw, s[1], p[1], p[3], d[1]);
  const out = new Float64Array(n * m * oh * ow);
  const mg = m / g;
  for (let ni = 0; ni < n; ni++)
    for (let mi = 0; mi < m; mi++)
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++) {
          let acc = b ? b.data[mi] : 0;
          const grp = Math.floor(mi / mg);
          for (let ci = 0; ci < cg; ci++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const yy = y * s[0] - p[0] + i * d[0];
                const xx = xo * s[1] - p[1] + j * d[1];
                if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                acc += w.data[((mi * cg + ci) * kh + i) * kw + j] * x.data[((ni * c + grp * cg + ci) * h + yy) * wd + xx];
              }
          out[((ni * m + mi) * oh + y) * ow + xo] = acc;
        }
  return { shape: [n, m, oh, ow], data: out };
}

/** Transposed convolution: every input pixel scatters its kernel-weighted value. */
function convTranspose(x: T, w: T, a: Node['attrs']): T {
  const [n, c, h, wd] = x.shape;
  const [, mg, kh, kw] = w.shape;
  const g = (a.group as number) ?? 1;
  const [s, p, d, op] = [pairs(a.strides, 2, 1), pairs(a.pads, 4, 0), pairs(a.dilations, 2, 1), pairs(a.output_padding, 2, 0)];
  const oh = s[0] * (h - 1) + op[0] + (kh - 1) * d[0] + 1 - p[0] - p[2];
  const ow = s[1] * (wd - 1) + op[1] + (kw - 1) * d[1] + 1 - p[1] - p[3];
  const m = mg * g;
  const cg = c / g;
  const out = new Float64Array(n * m * oh * ow);
  for (let ni = 0; ni < n; ni++)
    for (let ci = 0; ci < c; ci++)
      for (let y = 0; y < h; y++)
        for (let xo = 0; xo < wd; xo++) {
          const v = x.data[((ni * c + ci) * h + y) * wd + xo];
          const grp = Math.floor(ci / cg);
          for (let mi = 0; mi < mg; mi++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const yy = y * s[0] - p[0] + i * d[0];
                const xx = xo * s[1] - p[1] + j * d[1];
                if (yy < 0 || yy >= oh || xx < 0 || xx >= ow) continue;
                out[((ni * m + grp * mg + mi) * oh + yy) * ow + xx] += v * w.data[((ci * mg + mi) * kh + i) * kw + j];
              }
        }
  return { shape: [n, m, oh, ow], data: out };
}

function pool(x: T, a: Node['attrs'], kind: 'max' | 'avg'): T[] {
  const [n, c, h, wd] = x.shape;
  const [kh, kw] = a.kernel_shape as number[];
  const [s, p] = [pairs(a.strides, 2, 1), pairs(a.pads, 4, 0)];
  const oh = windowOut(h, kh, s[0], p[0], p[2]);
  const ow = windowOut(wd, kw, s[1], p[1], p[3]);
  const y = new Float64Array(n * c * oh * ow);
  const idx = new Float64Array(y.length);
  for (let nc = 0; nc < n * c; nc++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let best = -Infinity, at = -1, sum = 0, count = 0;
        for (let u = 0; u < kh; u++)
          for (let v = 0; v < kw; v++) {
            const yy = i * s[0] - p[0] + u, xx = j * s[1] - p[1] + v;
            if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
            const k = (nc * h + yy) * wd + xx;
            if (x.data[k] > best) (best = x.data[k]), (at = k);
            sum += x.data[k];
            count++;
          }
        const o = (nc * oh + i) * ow + j;
        y[o] = kind === 'max' ? best : sum / (a.count_include_pad ? kh * kw : count);
        idx[o] = at;
      }
  const shape = [n, c, oh, ow];
  return kind === 'max' ? [{ shape, data: y }, { shape, data: idx }] : [{ shape, data: y }];
}

function matmul(a: T, b: T): T {
  const [m, k] = a.shape.slice(-2);
  const nn = b.shape[b.shape.length - 1];
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const out = new Float64Array(numel(batch) * m * nn);
  const offset = (t: T, bi: number[]) => {
    const bs = t.shape.slice(0, -2);
    const lead = batch.length - bs.length;
    return ravel(bi.slice(lead).map((c, i) => (bs[i] === 1 ? 0 : c)), bs) * numel(t.shape.slice(-2));
  };
  for (let q = 0; q < numel(batch); q++) {
    const bi = unravel(q, batch);
    const ao = offset(a, bi), bo = offset(b, bi);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < nn; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += a.data[ao + i * k + l] * b.data[bo + l * nn + j];
        out[(q * m + i) * nn + j] = s;
      }
  }
  return { shape: [...batch, m, nn], data: out };
}

const transpose = (x: T, perm: number[]): T => {
  const shape = perm.map((p) => x.shape[p]);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    const src = new Array(perm.length);
    perm.forEach((p, k) => (src[p] = idx[k]));
    out[i] = x.data[ravel(src, x.shape)];
  }
  return { shape, data: out };
};

function run(n: Node, ins: T[]): T[] {
  const a = n.attrs;
  const [x, y, z] = ins;
  const f = (fn: (...v: number[]) => number) => [map(ins, fn)];
  switch (n.op) {
    case 'Identity': return [x];
    case 'StopGradient': return [x];
    case 'Neg': return f((v) => -v);
    case 'Abs': return f(Math.abs);
    case 'Sign': return f(Math.sign);
    case 'Exp': return f(Math.exp);
    case 'Log': return f(Math.log);
    case 'Sqrt': return f(Math.sqrt);
    case 'Reciprocal': return f((v) => 1 / v);
    case 'Relu': return f((v) => Math.max(0, v));
    case 'Sigmoid': return f((v) => 1 / (1 + Math.exp(-v)));
    case 'Tanh': return f(Math.tanh);
    // Float attributes are float32 in ONNX (AttributeProto.f), hence Math.fround.
    case 'Elu': return f((v) => (v > 0 ? v : Math.fround(a.alpha as number) * (Math.exp(v) - 1)));
    case 'Add': return f((p, q) => p + q);
    case 'Sub': return f((p, q) => p - q);
    case 'Mul': return f((p, q) => p * q);
    case 'Div': return f((p, q) => p / q);
    case 'Pow': return f((p, q) => p ** q);
    case 'Greater': return f((p, q) => +(p > q));
    case 'Less': return f((p, q) => +(p < q));
    case 'Equal': return f((p, q) => +(p === q));
    case 'Where': return f((c, p, q) => (c ? p : q));
    case 'Cast': return [a.to === 'float32' ? { shape: x.shape, data: x.data.map(Math.fround) } : a.to === 'bool' ? { shape: x.shape, data: x.data.map((v) => +(v !== 0)) } : a.to === 'float64' ? x : { shape: x.shape, data: x.data.map(Math.trunc) }];
    case 'MatMul': return [matmul(x, y)];
    case 'Gemm': {
      const A = a.transA ? transpose(x, [1, 0]) : x;
      const B = a.transB ? transpose(y, [1, 0]) : y;
      const ab = map([matmul(A, B)], (v) => Math.fround(a.alpha as number) * v);
      return [z ? map([ab, z], (p, q) => p + Math.fround(a.beta as number) * q) : ab];
    }
    case 'ReduceSum': return [reduce(x, a.axes as number[], !!a.keepdims, 0, (s, v) => s + v)];
    case 'ReduceMean': return [reduce(x, a.axes as number[], !!a.keepdims, 0, (s, v) => s + v, (s, c) => s / c)];
    case 'ReduceMax': return [reduce(x, a.axes as number[], !!a.keepdims, -Infinity, Math.max)];
    case 'ArgMax': {
      const ax = ((a.axis as number) + x.shape.length) % x.shape.length;
      const best = reduce(x, [ax], true, -Infinity, Math.max);
      const out = new Float64Array(best.data.length).fill(-1);
      for (let i = 0; i < x.data.length; i++) {
        const idx = unravel(i, x.shape);
        const j = ravel(idx.map((c, k) => (k === ax ? 0 : c)), best.shape);
        if (out[j] < 0 && x.data[i] === best.data[j]) out[j] = idx[ax];
      }
      return [{ shape: a.keepdims ? best.shape : x.shape.filter((_, i) => i !== ax), data: out }];
    }
    case 'Softmax':
    case 'LogSoftmax': {
      const ax = a.axis as number;
      const mx = reduce(x, [ax], true, -Infinity, Math.max);
      const e = map([x, mx], (v, m) => Math.exp(v - m));
      const s = reduce(e, [ax], true, 0, (p, v) => p + v);
      return [n.op === 'Softmax' ? map([e, s], (p, q) => p / q) : map([x, mx, s], (v, m, q) => v - m - Math.log(q))];
    }
    case 'SoftmaxCrossEntropyLoss': {
      const [nr, c] = x.shape;
      const lp = run({ ...n, op: 'LogSoftmax', attrs: { axis: 1 } } as Node, [x])[0];
      let s = 0;
      for (let i = 0; i < nr; i++) s -= lp.data[i * c + y.data[i]];
      return [{ shape: [], data: Float64Array.of(a.reduction === 'mean' ? s / nr : s) }, lp];
    }
    case 'Reshape': return [{ shape: [...(a.shape as number[])], data: x.data }];
    case 'Flatten': return [{ shape: [...n.outputs[0].shape], data: x.data }];
    case 'Transpose': return [transpose(x, a.perm as number[])];
    case 'Expand': return [map([x, { shape: a.shape as number[], data: new Float64Array(numel(a.shape as number[])) }], (p) => p)];
    case 'Slice':
    case 'Pad':
    case 'Concat': {
      const shape = [...n.outputs[0].shape];
      const out = new Float64Array(numel(shape));
      // Copy each source block to its place in the output (Slice: the output is the block).
      const place = (src: T, starts: number[], srcStarts: number[], size: number[]) => {
        for (let i = 0; i < numel(size); i++) {
          const idx = unravel(i, size);
          out[ravel(idx.map((c, k) => c + starts[k]), shape)] = src.data[ravel(idx.map((c, k) => c + srcStarts[k]), src.shape)];
        }
      };
      const zero = shape.map(() => 0);
      if (n.op === 'Slice') {
        const st = [...zero];
        (a.axes as number[]).forEach((ax, i) => (st[(ax + shape.length) % shape.length] = (a.starts as number[])[i]));
        place(x, zero, st, shape);
      } else if (n.op === 'Pad') place(x, (a.pads as number[]).slice(0, shape.length), zero, x.shape);
      else {
        const ax = ((a.axis as number) + shape.length) % shape.length;
        let at = 0;
        for (const t of ins) {
          place(t, zero.map((_, k) => (k === ax ? at : 0)), zero, t.shape);
          at += t.shape[ax];
        }
      }
      return [{ shape, data: out }];
    }
    case 'ConstantOfShape': return [{ shape: [...(a.shape as number[])], data: new Float64Array(numel(a.shape as number[])).fill(a.value as number) }]; // a tensor attribute: exact
    case 'ScatterElements': {
      // Update i goes to the element at i's own position with its coordinate along `axis` replaced by index i.
      const out = Float64Array.from(x.data);
      const ax = ((a.axis as number) + x.shape.length) % x.shape.length;
      for (let i = 0; i < y.data.length; i++) {
        const at = unravel(i, y.shape);
        at[ax] = y.data[i];
        const k = ravel(at, x.shape);
        out[k] = a.reduction === 'add' ? out[k] + z.data[i] : z.data[i];
      }
      return [{ shape: x.shape, data: out }];
    }
    case 'Conv': return [conv(x, y, z, a)];
    case 'ConvTranspose': return [convTranspose(x, y, a)];
    case 'MaxPool': return pool(x, a, 'max');
    case 'AveragePool': return pool(x, a, 'avg');
  }
  throw new Error(`reference evaluator: no ${n.op}`);
}
