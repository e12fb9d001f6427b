/**
 * The dendrite phase's objective (cascade-correlation, PAPERS.md §1) and the scores that pick the
 * candidates' weights.
 *
 * Per step, for every perforated layer and unit i, with e_i = ∂L/∂o_i the loss's gradient at the
 * unit's output (captured on this batch, in the same graph) and d_i the unit's candidate dendrite:
 *   C_i = | Σ_n (d_{n,i} − d̄_i)(e_{n,i} − ē_i) |
 * summed over the batch (and, for a convolution, over positions: each is a sample of the
 * channel). The step minimises −Σ_i C_i over the candidates' U, a and v only: e depends on no
 * candidate weight (the candidate is not joined to the output), so nothing flows back into the
 * network — its inputs are detached.
 *
 * Score (CorrelationScores): per unit, the mean of C_i over the first `initialBatches` batches,
 * then an exponential average s ← decay·s + (1 − decay)·C_i. Whenever a unit's score is its best
 * so far (checked after each onnxruntime run, i.e. every few steps), its candidate weights are
 * kept; those join the neuron at the end of the phase.
 */
import { gradients } from '../../dense/autodiff';
import type { Value } from '../../dense/graph';
import * as o from '../../dense/ops';
import type { Objective } from '../../dense/step';
import type { DendriteSet, PerforatedLayer } from './perforated-layer';

/** The correlation objective of the layers' candidates; outputs `corr.<k>` = C [units] of layer k. */
export function correlationObjective(layers: readonly PerforatedLayer[]): Objective {
  return ({ loss, taps }) => {
    const tapped = (name: string): Value => {
      const v = taps.get(name);
      if (!v) throw new Error(`correlation objective: the model tapped no "${name}" (no candidate dendrites?)`);
      return v;
    };
    const outputs = layers.map((l) => tapped(`${l.name}.output`));
    const errors = gradients(loss, outputs); // e = ∂L/∂o per layer
    const scores: Record<string, Value> = {};
    let total: Value | undefined;
    layers.forEach((l, k) => {
      const d = tapped(`${l.name}.candidate`);
      const e = errors[k];
      const axes = d.shape.length === 2 ? [0] : [0, 2, 3]; // every axis but the units'
      const centred = (v: Value) => o.sub(v, o.reduceMean(v, axes, true));
      const c = o.abs(o.reduceSum(o.mul(centred(d), centred(e)), axes, false));
      scores[`corr.${k}`] = c;
      const sum = o.reduceSum(c, [0], false);
      total = total ? o.add(total, sum) : sum;
    });
    return { value: o.neg(total!), outputs: scores };
  };
}

interface LayerScores {
  layer: PerforatedLayer;
  score: Float64Array;
  best: Float64Array;
  /** The candidate's weights at each unit's best score. */
  kept: { weight: Float32Array; bias: Float32Array; cascade?: Float32Array };
}

/** Running correlation scores of the candidates and their best-scoring weights. */
export class CorrelationScores {
  private readonly layers: LayerScores[];
  private batches = 0;

  constructor(layers: readonly PerforatedLayer[], readonly initialBatches: number, readonly decay: number) {
    this.layers = layers.map((layer) => {
      const c = layer.candidate;
      if (!c) throw new Error(`${layer.name}: no candidate dendrite set to score`);
      return {
        layer,
        score: new Float64Array(layer.units),
        best: new Float64Array(layer.units).fill(-Infinity),
        kept: { weight: c.weight.data.slice(), bias: c.bias.data.slice(), cascade: c.cascade?.data.slice() },
      };
    });
  }

  /** Fold in the steps of one run (their `corr.<k>` outputs), then keep the weights of units at a new best. */
  update(tensors: readonly Record<string, Float32Array>[]): void {
    for (const t of tensors) {
      this.batches++;
      this.layers.forEach((l, k) => {
        const c = t[`corr.${k}`];
        for (let i = 0; i < c.length; i++) {
          l.score[i] = this.batches <= this.initialBatches ? l.score[i] + (c[i] - l.score[i]) / this.batches : this.decay * l.score[i] + (1 - this.decay) * c[i];
        }
      });
    }
    for (const l of this.layers) {
      const cand = l.layer.candidate!;
      for (let i = 0; i < l.score.length; i++) if (l.score[i] > l.best[i]) (l.best[i] = l.score[i]), keepUnit(l.kept, cand, i);
    }
  }

  /** Mean over every unit of its best score (what the schedule watches). */
  meanBest(): number {
    let s = 0;
    let n = 0;
    for (const l of this.layers) for (const b of l.best) (s += Number.isFinite(b) ? b : 0), n++;
    return n ? s / n : 0;
  }

  /** Per layer, the units' best scores. */
  bests(): Float64Array[] {
    return this.layers.map((l) => l.best.slice());
  }

  /** Put each unit's best-scoring weights into the candidates (before they join). */
  restoreBest(): void {
    for (const l of this.layers) {
      const cand = l.layer.candidate!;
      cand.weight.set(l.kept.weight);
      cand.bias.set(l.kept.bias);
      if (cand.cascade && l.kept.cascade) cand.cascade.set(l.kept.cascade);
    }
  }
}

/** Copy unit i's slice of the candidate (its row of U, a_i, its column of v) into `kept`. */
function keepUnit(kept: LayerScores['kept'], cand: DendriteSet, i: number): void {
  const units = cand.bias.size;
  const row = cand.weight.size / units;
  kept.weight.set(cand.weight.data.subarray(i * row, (i + 1) * row), i * row);
  kept.bias[i] = cand.bias.data[i];
  if (cand.cascade && kept.cascade) for (let j = 0; j < cand.cascade.size / units; j++) kept.cascade[j * units + i] = cand.cascade.data[j * units + i];
}
