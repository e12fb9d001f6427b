/**
 * A deep net's layers as Systems (PAPERS.md §8, Spivak & Hosgood, "Deep neural networks as
 * nested dynamical systems"), in float64 on a batch of N rows.
 *
 * Each layer is a Moore machine with two ports in each direction, like a lens: from below the
 * activation x, from above the loss gradient g of its output; its state is what it last
 * computed from them, and its readout sends y up and dL/dx down (and, for a layer with
 * parameters, dL/dW and dL/db out to the learner). The parameters come in on a port of their
 * own: the layer does not own them; the learner does (learner.ts).
 *
 *   Linear  y = x Wᵀ + b               dx = g W,  dW = gᵀ x,  db = Σₙ gₙ    (W [out, in], PyTorch's layout)
 *   Tanh    y = tanh x                 dx = g ⊙ (1 − y²)
 *   Loss    ℓ = (1/N) Σₙ (log Σⱼ e^{zₙⱼ} − zₙ,yₙ)   dz = (softmax z − onehot y) / N
 *
 * The network is their wiring diagram (`wire`): x flows up through the parts, g flows down.
 * Readouts depend on state alone, so every part sees its neighbours' previous outputs: with the
 * inputs held, the forward wave needs one tick per part and the backward wave one more per part
 * below the loss, and after 2·parts − 1 ticks every readout is the exact forward and backward
 * pass of the batch (`settle`). A part whose inputs are the very arrays it saw last keeps its
 * outputs, so settling costs one forward and one backward pass.
 */
import { wire, type System } from '../../core/system';

export interface LinearParams {
  /** [out, in], row-major. */
  weight: Float64Array;
  bias: Float64Array;
}

export interface LayerIn {
  x: Float64Array | null;
  g: Float64Array | null;
  params?: LinearParams;
}

export interface LayerOut {
  x: Float64Array | null;
  g: Float64Array | null;
  params?: LinearParams;
  y: Float64Array | null;
  dx: Float64Array | null;
  dW?: Float64Array;
  db?: Float64Array;
}

const empty: LayerOut = { x: null, g: null, y: null, dx: null };

/** The state a part keeps: its outputs, and the inputs they were computed from. */
function memo(s: LayerOut, i: LayerIn, forward: () => Float64Array | null, backward: (y: Float64Array) => Partial<LayerOut>): LayerOut {
  if (s.x === i.x && s.g === i.g && s.params === i.params) return s;
  const y = s.x === i.x && s.params === i.params ? s.y : forward();
  const back = y && i.g ? backward(y) : { dx: null };
  return { x: i.x, g: i.g, params: i.params, y, dx: null, ...back };
}

export function linearSystem(name: string, n: number, inF: number, outF: number): System<LayerOut, LayerIn, LayerOut> {
  return {
    name,
    init: () => empty,
    readout: (s) => s,
    update: (s, i) =>
      memo(
        s,
        i,
        () => {
          if (!i.x || !i.params) return null;
          const { weight: W, bias: b } = i.params;
          const y = new Float64Array(n * outF);
          for (let r = 0; r < n; r++)
            for (let o = 0; o < outF; o++) {
              let sum = 0;
              for (let k = 0; k < inF; k++) sum += i.x[r * inF + k] * W[o * inF + k];
              y[r * outF + o] = sum + b[o];
            }
          return y;
        },
        () => {
          const { x, g } = i as { x: Float64Array; g: Float64Array };
          const W = i.params!.weight;
          const dx = new Float64Array(n * inF), dW = new Float64Array(outF * inF), db = new Float64Array(outF);
          for (let r = 0; r < n; r++)
            for (let o = 0; o < outF; o++) {
              const go = g[r * outF + o];
              db[o] += go;
              for (let k = 0; k < inF; k++) {
                dx[r * inF + k] += go * W[o * inF + k];
                dW[o * inF + k] += go * x[r * inF + k];
              }
            }
          return { dx, dW, db };
        },
      ),
  };
}

export function tanhSystem(name: string): System<LayerOut, LayerIn, LayerOut> {
  return {
    name,
    init: () => empty,
    readout: (s) => s,
    update: (s, i) =>
      memo(
        s,
        i,
        () => (i.x ? i.x.map(Math.tanh) : null),
        (y) => ({ dx: i.g!.map((g, k) => g * (1 - y[k] * y[k])) }),
      ),
  };
}

export interface LossOut {
  logits: Float64Array | null;
  loss: number;
  dz: Float64Array | null;
}

/** Mean softmax cross-entropy of logits [N, C] against class labels. */
export function lossSystem(n: number, classes: number): System<LossOut, { logits: Float64Array | null; labels: Int32Array }, LossOut> {
  return {
    name: 'loss',
    init: () => ({ logits: null, loss: NaN, dz: null }),
    readout: (s) => s,
    update: (s, { logits: z, labels }) => {
      if (s.logits === z) return s;
      if (!z) return { logits: null, loss: NaN, dz: null };
      let loss = 0;
      const dz = new Float64Array(n * classes);
      for (let r = 0; r < n; r++) {
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, z[r * classes + c]);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += Math.exp(z[r * classes + c] - max);
        const lse = max + Math.log(sum);
        loss -= z[r * classes + labels[r]] - lse;
        for (let c = 0; c < classes; c++) dz[r * classes + c] = (Math.exp(z[r * classes + c] - lse) - (c === labels[r] ? 1 : 0)) * (1 / n);
      }
      return { logits: z, loss: loss / n, dz };
    },
  };
}

export interface NetInput {
  x: Float64Array;
  labels: Int32Array;
  params: LinearParams[];
}

export interface NetOutput {
  loss: number;
  grads: { dW: Float64Array | undefined; db: Float64Array | undefined }[];
}

/** The MLP sizes[0] → tanh hidden… → classes, with its loss, as one wired System. */
export function networkSystem(sizes: readonly number[], n: number) {
  const L = sizes.length - 1;
  const parts: Record<string, System<any, any, any>> = {};
  for (let l = 0; l < L; l++) {
    parts[`linear${l}`] = linearSystem(`linear${l}`, n, sizes[l], sizes[l + 1]);
    if (l < L - 1) parts[`tanh${l}`] = tanhSystem(`tanh${l}`);
  }
  parts.loss = lossSystem(n, sizes[L]);
  const chain = Object.keys(parts).filter((k) => k !== 'loss'); // bottom to top
  return wire('network', parts, {
    inputs: (outer: NetInput, out: Record<string, any>) => {
      const inputs: Record<string, any> = {};
      chain.forEach((k, j) => {
        const below = j === 0 ? outer.x : out[chain[j - 1]].y;
        const above = j === chain.length - 1 ? out.loss.dz : out[chain[j + 1]].dx;
        inputs[k] = { x: below, g: above, ...(k.startsWith('linear') ? { params: outer.params[Number(k.slice(6))] } : {}) };
      });
      inputs.loss = { logits: out[chain[chain.length - 1]].y, labels: outer.labels };
      return inputs;
    },
    output: (out: Record<string, any>): NetOutput => ({
      loss: out.loss.loss,
      grads: Array.from({ length: L }, (_, l) => ({ dW: out[`linear${l}`].dW, db: out[`linear${l}`].db })),
    }),
  });
}

/** Hold the input until every readout is exact: 2·parts − 1 ticks from any state. */
export function settle<S>(net: System<S, NetInput, NetOutput>, parts: number, input: NetInput, state: S = net.init()): { output: NetOutput; state: S } {
  for (let t = 0; t < 2 * parts - 1; t++) state = net.update(state, input);
  return { output: net.readout(state), state };
}
