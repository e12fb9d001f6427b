/**
 * Shape arithmetic for the graph builder: numpy broadcasting, sizes, axes and the output size
 * of convolutions and pooling. A dimension of -1 is dynamic (the batch of an exported model):
 * it matches itself and broadcasts like any size it meets.
 */
export type Shape = readonly number[];

/** A shape as text, `[64,784]`, with `N` for a dynamic dimension. */
export function shapeText(s: Shape): string {
  return `[${s.map((d) => (d < 0 ? 'N' : d)).join(',')}]`;
}

export function numel(s: Shape): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

export function isStatic(s: Shape): boolean {
  return s.every((d) => d >= 0);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Numpy broadcasting of several shapes; throws a message naming the first axis that disagrees. */
export function broadcast(...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    let d = 1;
    for (const s of shapes) {
      const e = s[s.length - rank + k] ?? 1;
      if (e === 1 || e === d) continue;
      if (d === 1) d = e;
      else if (e === -1 || d === -1) d = Math.max(d, e);
      else throw new Error(`shapes ${shapes.map(shapeText).join(' and ')} do not broadcast (axis ${k - rank}: ${d} vs ${e})`);
    }
    out.push(d);
  }
  return out;
}

/** Axis in [0, rank) from a possibly negative axis; throws if out of range. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/**
 * Output length of a convolution or pooling window along one axis (ONNX floor mode):
 * `floor((in + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride) + 1`.
 */
export function windowOut(inSize: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation = 1): number {
  if (inSize < 0) return -1;
  return Math.floor((inSize + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** The axes along which `from` was broadcast to reach `to` (to sum a gradient back over them). */
export function broadcastAxes(from: Shape, to: Shape): { axes: number[]; keepRank: boolean } {
  const lead = to.length - from.length;
  const axes: number[] = [];
  for (let k = 0; k < to.length; k++) {
    if (k < lead) axes.push(k);
    else if (from[k - lead] === 1 && to[k] !== 1) axes.push(k);
  }
  return { axes, keepRank: lead === 0 };
}
