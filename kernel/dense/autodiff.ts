/**
 * Reverse-mode automatic differentiation over a Graph: appends the backward graph (from the
 * rules in gradients.ts) to the graph that holds the forward pass.
 *
 * Pruning, because onnxruntime executes every node it is given: a gradient is built only
 * along paths that both start at a value we differentiate with respect to and end at the
 * loss, and a rule is asked only for the input gradients that such a path needs (e.g. never
 * ∂L/∂x for the data). The serialiser then drops any node no graph output reads.
 */
import { GraphError, type Node, type Value } from './graph';
import { gradients as rules, zeroGradient } from './gradients';
import * as o from './ops';
import { sameShape, shapeText } from './shapes';

const isFloat = (v: Value) => v.dtype === 'float32' || v.dtype === 'float64';

/**
 * ∂loss/∂w for each w of `wrt`, as values of the same graph (zeros where w does not reach the
 * loss). With `seed` (a value of the loss's shape and type, e.g. a learning rate), the gradients
 * of seed · loss: the backward pass starts from the seed instead of ones.
 */
export function gradients(loss: Value, wrt: Value[], seed?: Value): Value[] {
  const g = loss.graph;
  const nodes = g.nodes.slice(); // appended in build order, so already topological

  // Forward: values that depend on something in `wrt` through differentiable ops.
  const varying = new Set<Value>(wrt);
  for (const n of nodes) {
    if (zeroGradient.has(n.op) || !n.inputs.some((v) => varying.has(v))) continue;
    for (const out of n.outputs) if (isFloat(out)) varying.add(out);
  }
  // Backward: values the loss depends on.
  const reaches = new Set<Value>([loss]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n.outputs.some((v) => reaches.has(v))) for (const v of n.inputs) reaches.add(v);
  }

  const grads = new Map<Value, Value>();
  if (seed && (!sameShape(seed.shape, loss.shape) || seed.dtype !== loss.dtype)) throw new GraphError('gradients', `seed ${shapeText(seed.shape)} ${seed.dtype} does not match the loss ${shapeText(loss.shape)} ${loss.dtype}`);
  grads.set(loss, seed ?? (loss.shape.length === 0 ? g.scalar(1, loss.dtype) : o.fill(loss, loss.shape, 1)));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const dys = n.outputs.map((v) => grads.get(v));
    if (dys.every((d) => d === undefined)) continue;
    const needs = n.inputs.map((v) => varying.has(v) && reaches.has(v) && isFloat(v));
    if (!needs.some(Boolean)) continue;
    const rule = rules[n.op];
    const where = `${n.scope ? `${n.scope}: ` : ''}${n.op}`;
    if (!rule) throw new GraphError(where, `no gradient rule for ${n.op}; it lies between a trained tensor and the loss`);
    const dxs = g.scope(n.scope ? `${n.scope}/∂` : '∂', () => {
      try {
        return rule(n, dys, needs);
      } catch (e) {
        if (e instanceof GraphError) throw e;
        throw new GraphError(where, (e as Error).message);
      }
    });
    n.inputs.forEach((x, k) => {
      const dx = dxs[k];
      if (!needs[k] || !dx) return;
      if (!sameShape(dx.shape, x.shape)) throw new GraphError(where, `gradient rule made ${shapeText(dx.shape)} for input ${k} of shape ${shapeText(x.shape)}`);
      const prev = grads.get(x);
      grads.set(x, prev ? g.scope(n.scope, () => o.add(prev, dx)) : dx);
    });
  }
  return wrt.map((w) => grads.get(w) ?? o.fill(w, w.shape, 0));
}

/** The nodes that the given outputs depend on, in graph order (dead-node elimination). */
export function liveNodes(outputs: Value[]): Node[] {
  const live = new Set<Value>(outputs);
  const keep = new Set<Node>();
  const nodes = outputs[0]?.graph.nodes ?? [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((v) => live.has(v))) continue;
    keep.add(n);
    for (const v of n.inputs) live.add(v);
  }
  return nodes.filter((n) => keep.has(n));
}
