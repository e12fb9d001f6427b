/**
 * A perforated layer (Brenner & Itti, PAPERS.md §1): a Linear or Conv2d whose output units
 * ("neurons"; a convolution's channels) each gain one dendrite per cycle. After K cycles unit i
 * computes
 *   o_i = (W x + b)_i + Σ_k c_{k,i} · d_{k,i}
 *   d_{k,i} = sigmoid((U_k x + a_k)_i + Σ_{j<k} v_{k,j,i} · d_{j,i})
 * U_k has the layer's weight shape (a dendrite sees the neuron's own input: a row of a Linear's
 * weight, a channel's filter of a Conv2d), a_k its bias; v_k [k, units] are cascade weights from
 * the unit's earlier dendrites; c_k [units] joins dendrite k to its neuron. New dendrites start
 * with U, a ~ N(0,1)·initScale, v = 0, c = 0, as the authors' library initialises them.
 *
 * The last dendrite set may be a *candidate*: built and tapped, but not yet joined to the
 * output (the dendrite phase trains it on its correlation with the unit's error, then `accept`
 * joins it with c = 0). With no dendrites the layer adds exactly the wrapped layer's nodes, so
 * it computes bit for bit what the plain layer does (tested).
 *
 * With `detachInputs` ("perforated" backpropagation) the dendrites see the layer's input through
 * a StopGradient: the error reaches earlier layers through the neurons only, never through a
 * dendrite. The authors' library does this in its perforated-backpropagation mode (the dendrite
 * inputs pass through its `preprocess_pb`), not in its open-source gradient mode.
 *
 * Taps (Graph.taps) under the layer's name: `<name>.output` (o, the pre-activation),
 * `<name>.dendrites` (Σ c·d, when joined dendrites exist), `<name>.candidate` (the candidate's d).
 */
import type { Rng } from '../../core/rng';
import type { Value } from '../../dense/graph';
import { Conv2d } from '../../dense/layers/conv';
import type { Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import * as o from '../../dense/ops';
import { Parameter, type Bind } from '../../dense/params';

/** The layers a dendrite can be grown on. */
export type Neuron = Linear | Conv2d;

/** One dendrite per unit: U (the layer's weight shape), a [units], v [k, units] (k > 0), c [units]. */
export interface DendriteSet {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly cascade?: Parameter;
  readonly out: Parameter;
}

export class PerforatedLayer implements Layer {
  /** Dendrite sets, oldest first; the first `joined` feed the output, a last one beyond them is the candidate. */
  readonly sets: DendriteSet[] = [];
  joined = 0;

  constructor(readonly name: string, readonly neuron: Neuron, readonly detachInputs = false) {}

  get units(): number {
    return this.neuron instanceof Linear ? this.neuron.outFeatures : this.neuron.outChannels;
  }

  get candidate(): DendriteSet | undefined {
    return this.sets.length > this.joined ? this.sets[this.joined] : undefined;
  }

  parameters(): Parameter[] {
    return [...this.neuron.parameters(), ...this.sets.flatMap(setParameters)];
  }

  /** Parameters of the joined dendrites (U, a, v) and their output weights c. */
  dendriteParameters(): { inputs: Parameter[]; outputs: Parameter[] } {
    const joined = this.sets.slice(0, this.joined);
    return { inputs: joined.flatMap((s) => [s.weight, s.bias, ...(s.cascade ? [s.cascade] : [])]), outputs: joined.map((s) => s.out) };
  }

  /** Grow a candidate dendrite set (U, a ~ N(0,1)·scale; v, c = 0), not yet joined to the output. */
  addCandidate(rng: Rng, scale: number): DendriteSet {
    if (this.candidate) throw new Error(`${this.name}: a candidate dendrite set already exists`);
    const k = this.sets.length;
    const base = `${this.name}.dendrite[${k}]`;
    const w = this.neuron.weight;
    const normal = (n: number, r: Rng) => Float32Array.from({ length: n }, () => scale * r.normal());
    const set: DendriteSet = {
      weight: new Parameter(`${base}.weight`, w.shape, normal(w.size, rng.fork('weight'))),
      bias: new Parameter(`${base}.bias`, [this.units], normal(this.units, rng.fork('bias'))),
      cascade: k > 0 ? new Parameter(`${base}.cascade`, [k, this.units]) : undefined,
      out: new Parameter(`${base}.out`, [this.units]),
    };
    this.sets.push(set);
    return set;
  }

  /** Join the candidate to the output (its c starts at 0). */
  accept(): void {
    if (!this.candidate) throw new Error(`${this.name}: no candidate dendrite set to accept`);
    this.joined++;
  }

  /** Drop the candidate and any dendrite set beyond the first `count` (restoring an earlier model). */
  truncate(count: number): void {
    this.sets.length = Math.min(this.sets.length, count);
    this.joined = Math.min(this.joined, count);
  }

  apply(x: Value, bind: Bind): Value {
    const g = x.graph;
    const base = this.neuron.apply(x, bind);
    if (this.sets.length === 0) return g.tap(`${this.name}.output`, base);
    return g.scope(`${this.name}.dendrites`, () => {
      const input = this.detachInputs ? o.stopGradient(x) : x;
      const ds: Value[] = [];
      let sum: Value | undefined;
      for (const [k, set] of this.sets.entries()) {
        let pre = this.dendriteDrive(input, set, bind); // U_k x + a_k
        for (let j = 0; j < k; j++) pre = o.add(pre, o.mul(this.perUnit(o.slice(bind(set.cascade!), [j], [j + 1], [0])), ds[j])); // + v_{k,j} ⊙ d_j
        const d = o.sigmoid(pre);
        ds.push(d);
        if (k < this.joined) {
          const cd = o.mul(this.perUnit(bind(set.out)), d); // c_k ⊙ d_k
          sum = sum ? o.add(sum, cd) : cd;
        } else g.tap(`${this.name}.candidate`, d);
      }
      if (!sum) return g.tap(`${this.name}.output`, base);
      g.tap(`${this.name}.dendrites`, sum);
      return g.tap(`${this.name}.output`, o.add(base, sum));
    });
  }

  /** U x + a: the wrapped layer's own op with the dendrite's weight and bias. */
  private dendriteDrive(x: Value, set: DendriteSet, bind: Bind): Value {
    if (this.neuron instanceof Linear) return o.gemm(x, bind(set.weight), bind(set.bias), { transB: 1 });
    const p = this.neuron.padding;
    return o.conv(x, bind(set.weight), bind(set.bias), { strides: [this.neuron.stride, this.neuron.stride], pads: [p, p, p, p] });
  }

  /** A per-unit vector [units] (or a [1, units] row) shaped to broadcast over the layer's output (a Linear's broadcasts as it is). */
  private perUnit(v: Value): Value {
    return this.neuron instanceof Linear ? v : o.reshape(v, [1, this.units, 1, 1]);
  }
}

function setParameters(s: DendriteSet): Parameter[] {
  return [s.weight, s.bias, ...(s.cascade ? [s.cascade] : []), s.out];
}

/** Whether a layer can be perforated (a Linear or a Conv2d). */
export function isNeuron(l: Layer): l is Neuron {
  return l instanceof Linear || l instanceof Conv2d;
}
