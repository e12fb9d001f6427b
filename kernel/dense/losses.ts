/**
 * Losses (means over the batch, as PyTorch's defaults) and the accuracy count:
 *   softmax cross-entropy  L = −(1/N) Σₙ log softmax(zₙ)[yₙ]     z [N, C], y [N] int32 class indices
 *   mean squared error     L = (1/K) Σ (pₖ − tₖ)²                  over all K elements
 *   correct                Σₙ [argmax zₙ = yₙ]
 */
import { GraphError, type Value } from './graph';
import * as o from './ops';
import { sameShape, shapeText } from './shapes';

function checkLabels(logits: Value, labels: Value, op: string): void {
  const g = logits.graph;
  if (logits.shape.length !== 2) throw new GraphError(g.where(op), `expects logits [N, classes], got ${shapeText(logits.shape)}`);
  if (labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new GraphError(g.where(op), `labels ${shapeText(labels.shape)} do not match logits ${shapeText(logits.shape)}: expected [${logits.shape[0]}]`);
  }
}

export function softmaxCrossEntropy(logits: Value, labels: Value): Value {
  return logits.graph.scope('loss', () => {
    checkLabels(logits, labels, 'cross-entropy');
    // ONNX's fused op: one node forward, and a short gradient (softmax − onehot)/N (gradients.ts).
    return logits.graph.apply('SoftmaxCrossEntropyLoss', [logits, labels], { reduction: 'mean' })[0];
  });
}

export function meanSquaredError(pred: Value, target: Value): Value {
  return pred.graph.scope('loss', () => {
    const d = o.sub(pred, target);
    if (!sameShape(d.shape, pred.shape)) {
      throw new GraphError(pred.graph.where('mse'), `target ${shapeText(target.shape)} does not match prediction ${shapeText(pred.shape)}`);
    }
    return o.reduceMean(o.mul(d, d), [...pred.shape.keys()], false);
  });
}

/** How many rows' largest logit is the label (a float scalar). */
export function correctCount(logits: Value, labels: Value): Value {
  return logits.graph.scope('accuracy', () => {
    checkLabels(logits, labels, 'accuracy');
    const hit = o.equal(o.argMax(logits, 1, false), o.cast(labels, 'int64'));
    return o.reduceSum(o.cast(hit, logits.dtype), [0], false);
  });
}
