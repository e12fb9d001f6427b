/**
 * The attribution engine's properties, each checked against an independent computation
 * (forward passes of the model through the dense engine's Evaluator, no autodiff):
 * integrated gradients add up to the output difference from the baseline; gradients agree
 * with finite differences; ablating a unit equals zeroing its outgoing weights; and results do
 * not depend on how the items, path points or ablated units are batched.
 */
import * as assert from 'assert';
import { attribute, type AttributionData } from '../../../../kernel/dense/attribution/engine';
import { imageSlice } from '../../../../kernel/dense/attribution/data';
import type { AttributionModel } from '../../../../kernel/dense/attribution/model';
import { Evaluator } from '../../../../kernel/dense/evaluate';
import { Sequential, type Layer } from '../../../../kernel/dense/layers/layer';
import { attributionOptions, type AttributionOptionsInput } from '../../../../kernel/protocol/attribution';
import { seeded } from '../helpers';
import { arrayData, exec, mlp, trainedMnistMlp } from './fixtures';

const run = (model: AttributionModel, data: AttributionData, method: string, layer: string, options: AttributionOptionsInput = {}, neuron?: number) =>
  attribute(model, data, { method, layer, neuron, options: attributionOptions.parse({ perItem: true, ...options }) }, { exec });

/** The model's logits for float inputs [n, features] (a plain forward pass). */
async function logits(model: Layer, x: Float32Array, features: number): Promise<Float32Array> {
  const n = x.length / features;
  return (await (await Evaluator.compile({ model, inputShape: [n, features], exec })).run(x)).output;
}

const rowSum = (v: Float32Array, i: number, units: number) => v.subarray(i * units, (i + 1) * units).reduce((a, b) => a + b, 0);
const argmax = (row: Float32Array) => row.indexOf(Math.max(...row));

describe('attribution engine: completeness, finite differences, ablation, batching', () => {
  describe('integrated gradients on an MLP 784-64-10 trained on MNIST (Gauss–Legendre, baseline 0)', () => {
    for (const [steps, tolerance] of [
      [64, 0.01],
      [512, 0.001],
    ] as const) {
      it(`at ${steps} steps the attributions of each of 40 test digits add up to F(x) − F(baseline) of its predicted class within ${100 * tolerance}%`, async function () {
        const { seq, model, test } = await trainedMnistMlp();
        const ids = Int32Array.from({ length: 40 }, (_, i) => i);
        const r = await run(model, imageSlice(test, ids), 'ig', 'input', { steps, target: 'predicted' });
        const x = Float32Array.from(test.images.subarray(0, 40 * 784), (b) => b / 255);
        const atX = await logits(seq, x, 784);
        const atB = await logits(seq, new Float32Array(784), 784);
        let worst = 0;
        for (let i = 0; i < 40; i++) {
          const c = argmax(atX.subarray(i * 10, i * 10 + 10));
          const diff = atX[i * 10 + c] - atB[c];
          worst = Math.max(worst, Math.abs(rowSum(r.perItem!, i, 784) - diff) / Math.abs(diff));
        }
        this.test!.title += ` (worst ${(100 * worst).toFixed(3)}%)`;
        assert.ok(worst <= tolerance, `an item is off by ${(100 * worst).toFixed(3)}% of its output difference`);
        assert.ok(r.completeness!.maxRelative <= tolerance, 'the engine reports the same');
      });
    }

    it('with each digit\'s label as the target, the total error over 200 digits is within 1% of the total output difference at 64 steps and 0.1% at 512', async function () {
      const { model, test } = await trainedMnistMlp();
      const data = imageSlice(test, Int32Array.from({ length: 200 }, (_, i) => i));
      const c64 = (await run(model, data, 'ig', 'input', { steps: 64 })).completeness!;
      const c512 = (await run(model, data, 'ig', 'input', { steps: 512 })).completeness!;
      const rel = (c: typeof c64) => c.meanAbsDelta / c.meanAbsGain;
      this.test!.title += ` (${(100 * rel(c64)).toFixed(4)}%, ${(100 * rel(c512)).toFixed(4)}%)`;
      assert.ok(rel(c64) <= 0.01 && rel(c512) <= 0.001);
    });
  });

  describe('gradients against central finite differences (tanh MLP 12-8-6-4, float32, ε = 1e-2)', () => {
    const { seq, model } = mlp([12, 8, 6, 4], ['tanh', 'tanh'], { seed: 5 });
    const rng = seeded(6);
    const x = Float32Array.from({ length: 3 * 12 }, () => rng.float());
    const y = Int32Array.of(0, 3, 1);
    const data = arrayData(x, y, 12);
    const eps = 1e-2;

    /** ∂F/∂v by central differences of `forward` at v, for each of its units, per item's target. */
    async function finiteDifferences(forward: (v: Float32Array) => Promise<Float32Array>, v: Float32Array, units: number): Promise<Float64Array> {
      const g = new Float64Array(v.length);
      for (let u = 0; u < units; u++) {
        const plus = v.slice();
        const minus = v.slice();
        for (let i = 0; i < 3; i++) {
          plus[i * units + u] += eps;
          minus[i * units + u] -= eps;
        }
        const [lp, lm] = [await forward(plus), await forward(minus)];
        for (let i = 0; i < 3; i++) g[i * units + u] = (lp[i * 4 + y[i]] - lm[i * 4 + y[i]]) / (2 * eps);
      }
      return g;
    }

    const cases = [
      { name: 'input (InputXGradient ÷ x)', layer: 'input', units: 12, suffix: 0 },
      { name: 'hidden0 (LayerGradientXActivation ÷ a)', layer: 'hidden0', units: 8, suffix: 2 },
    ];
    for (const c of cases) {
      it(`∂F/∂${c.name} agrees within 2e-4`, async () => {
        const gxa = (await run(model, data, 'gradxact', c.layer)).perItem!;
        const a = c.layer === 'input' ? x : (await run(model, data, 'activation', c.layer)).perItem!;
        const rest = new Sequential('rest', seq.layers.slice(c.suffix));
        const fd = await finiteDifferences((v) => logits(rest, v, c.units), a, c.units);
        let checked = 0;
        for (let k = 0; k < a.length; k++) {
          if (Math.abs(a[k]) < 0.05) continue; // the quotient gxa / a is ill-conditioned near 0
          assert.ok(Math.abs(gxa[k] / a[k] - fd[k]) <= 2e-4, `unit ${k % c.units} of item ${Math.floor(k / c.units)}: ${gxa[k] / a[k]} vs ${fd[k]}`);
          checked++;
        }
        assert.ok(checked >= a.length / 2, `only ${checked} of ${a.length} values checked`);
      });
    }
  });

  describe('ablation equals a forward pass with the unit\'s outgoing weights zeroed', () => {
    const { seq, model } = mlp([12, 8, 6, 4], ['relu', 'tanh'], { seed: 7 });
    const rng = seeded(8);
    const x = Float32Array.from({ length: 5 * 12 }, () => rng.float());
    const y = Int32Array.of(0, 1, 2, 3, 1);
    const data = arrayData(x, y, 12);
    const cases = [
      { layer: 'input', next: 'l0.weight', units: 12 },
      { layer: 'hidden0', next: 'l1.weight', units: 8 },
      { layer: 'hidden1', next: 'l2.weight', units: 6 },
    ];
    for (const c of cases) {
      it(`${c.layer}: every unit, in chunks of 3 units per run, within 1e-6 of the target-logit drop of the weight-zeroed model`, async () => {
        const r = await run(model, data, 'ablation', c.layer, { unitsPerRun: 3 });
        const w = seq.parameters().find((p) => p.name === c.next)!;
        const kept = w.data.slice();
        const base = await logits(seq, x, 12);
        try {
          for (let j = 0; j < c.units; j++) {
            w.set(kept.map((v, k) => (k % c.units === j ? 0 : v))); // column j of W [out, in]: unit j's outgoing weights
            const zeroed = await logits(seq, x, 12);
            for (let i = 0; i < 5; i++) {
              const expected = base[i * 4 + y[i]] - zeroed[i * 4 + y[i]];
              assert.ok(Math.abs(r.perItem![i * c.units + j] - expected) <= 1e-6, `unit ${j}, item ${i}: ${r.perItem![i * c.units + j]} vs ${expected}`);
            }
          }
        } finally {
          w.set(kept);
        }
      });
    }
  });

  describe('the same values however the work is batched', () => {
    const { model } = mlp([12, 8, 6, 4], ['relu', 'tanh'], { seed: 9 });
    const rng = seeded(10);
    const data = arrayData(Float32Array.from({ length: 23 * 12 }, () => rng.float()), Int32Array.from({ length: 23 }, () => rng.int(4)), 12);
    const cases: { name: string; method: string; layer: string; neuron?: number; options?: AttributionOptionsInput }[] = [
      { name: 'activation', method: 'activation', layer: 'hidden0' },
      { name: 'gradient × activation', method: 'gradxact', layer: 'hidden1' },
      { name: 'integrated gradients', method: 'ig', layer: 'input', options: { steps: 16 } },
      { name: 'layer conductance', method: 'conductance', layer: 'hidden0', options: { steps: 16 } },
      { name: 'neuron conductance', method: 'conductance', layer: 'hidden1', neuron: 1, options: { steps: 16 } },
      { name: 'ablation', method: 'ablation', layer: 'hidden0' },
      { name: 'predicted-class targets', method: 'gradxact', layer: 'input', options: { target: 'predicted' } },
    ];
    for (const c of cases) {
      it(`${c.name}: 23 items in batches of 7 (the last padded) give bit-identical values and summaries to one batch`, async () => {
        const one = await run(model, data, c.method, c.layer, c.options, c.neuron);
        const many = await run(model, data, c.method, c.layer, { ...c.options, batchSize: 7 }, c.neuron);
        assert.deepStrictEqual(many.perItem, one.perItem);
        assert.deepStrictEqual(many.summary, one.summary);
      });
    }

    it('path points in runs of 5 (the last padded) give the values of all points in one run within 1e-6', async () => {
      for (const [method, layer] of [
        ['ig', 'input'],
        ['conductance', 'hidden0'],
      ]) {
        const one = (await run(model, data, method, layer, { steps: 16 })).perItem!;
        const chunked = (await run(model, data, method, layer, { steps: 16, stepsPerRun: 5 })).perItem!;
        for (let k = 0; k < one.length; k++) assert.ok(Math.abs(one[k] - chunked[k]) <= 1e-6, `${method} value ${k}: ${one[k]} vs ${chunked[k]}`);
      }
    });
  });
});
