/**
 * Tuning pieces of the dense engine on a frozen model: gate-and-gain (soft with a temperature fed
 * per run, hard at inference), LoRA, and frozen parameters, which a training step feeds but
 * never differentiates or updates. Their gradients are checked against finite differences with
 * the other rules (gradient-cases.ts); here, their values and what a training step does to them.
 */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { Graph } from '../../../kernel/dense/graph';
import { GateAndGain } from '../../../kernel/dense/layers/gate';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { LoRALinear } from '../../../kernel/dense/layers/lora';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { makeOptimizer } from '../../../kernel/dense/optimizers';
import { feedParams, freeze, scalarInput } from '../../../kernel/dense/params';
import { execOptions } from '../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../kernel/dense/step';
import { Evaluator } from '../../../kernel/dense/evaluate';
import { runOrt } from './helpers';

const exec = execOptions('cpu', { threads: 1 });
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** h [3, 4] with values on both sides of each threshold, τ and γ per unit. */
const h = Float32Array.from([0.9, -0.2, 0.05, 1.5, 0.3, 0.7, -1, 0.2, 0, 1.2, 0.4, 0.6]);
const tau = Float32Array.from([0.5, 0, 0.1, 1]);
const gamma = Float32Array.from([2, -1, 0.5, 3]);

async function gateOutput(mode: 'soft' | 'hard', t: number): Promise<Float32Array> {
  const temperature = scalarInput('T', t);
  const gate = new GateAndGain('gate', 4, mode, temperature);
  gate.threshold.set(tau);
  gate.gain.set(gamma);
  const g = new Graph('float32');
  const { bind, bound } = feedParams(g);
  g.output('y', gate.apply(g.input('h', [3, 4]), bind));
  const feeds: Record<string, Float32Array> = { h };
  for (const p of bound.keys()) feeds[p.name] = p.data;
  return (await runOrt(g, feeds)).y as Float32Array;
}

/** The output shapes (`AxB`) of every node added to any graph while `f` runs. */
async function recordingShapes<T>(f: () => Promise<T>): Promise<{ result: T; shapes: Set<string> }> {
  const shapes = new Set<string>();
  const apply = Graph.prototype.apply;
  Graph.prototype.apply = function (this: Graph, ...args: Parameters<Graph['apply']>) {
    const outs = apply.apply(this, args);
    for (const v of outs) shapes.add(v.shape.join('x'));
    return outs;
  };
  try {
    return { result: await f(), shapes };
  } finally {
    Graph.prototype.apply = apply;
  }
}

describe('gate-and-gain, LoRA and frozen parameters', () => {
  it('the hard gate gives γ · 1[h > τ] · h: zero at or below the threshold, the gained value above it', async () => {
    const y = await gateOutput('hard', 1);
    const expected = Array.from(h, (v, i) => (v > tau[i % 4] ? gamma[i % 4] * v : 0));
    assert.deepStrictEqual(Array.from(y), expected.map(Math.fround));
    assert.ok(expected.some((v) => v === 0) && expected.some((v) => v !== 0));
  });

  for (const t of [1, 0.3]) {
    it(`the soft gate gives γ · σ((h − τ)/T) · h at T = ${t}`, async () => {
      const y = await gateOutput('soft', t);
      Array.from(h).forEach((v, i) => {
        const want = gamma[i % 4] * sigmoid((v - tau[i % 4]) / t) * v;
        assert.ok(Math.abs(y[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `item ${i}: ${y[i]} vs ${want}`);
      });
    });
  }

  it('the soft gate approaches the hard one as T falls, and a temperature set between runs changes the output without a rebuild', async () => {
    const hard = await gateOutput('hard', 1);
    const temperature = scalarInput('T', 1);
    const gate = new GateAndGain('gate', 4, 'soft', temperature);
    gate.threshold.set(tau);
    gate.gain.set(gamma);
    const ev = await Evaluator.compile({ model: gate, inputShape: [3, 4], exec });
    const gaps: number[] = [];
    for (const t of [1, 0.1, 0.01, 0.001]) {
      temperature.set([t]);
      const y = (await ev.run(h)).output;
      gaps.push(Math.max(...Array.from(y, (v, i) => Math.abs(v - hard[i]))));
    }
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] < gaps[i - 1], `gaps ${gaps}`);
    assert.ok(gaps[0] > 0.3 && gaps[3] < 1e-6, `gaps ${gaps}`);
  });

  it('a LoRA-wrapped Linear starts as the base (B = 0) and adds (α/r) (x Aᵀ) Bᵀ once B is set', async () => {
    const rng = new Rng(5);
    const base = new Linear('fc', 6, 3, rng);
    const lora = new LoRALinear(base, 2, rng, { alpha: 3 });
    const x = Float32Array.from({ length: 4 * 6 }, () => rng.normal());
    const run = async (layer: Linear | LoRALinear) => (await (await Evaluator.compile({ model: layer, inputShape: [4, 6], exec })).run(x)).output;
    const plain = await run(base);
    assert.deepStrictEqual(await run(lora), plain);
    lora.b.set(Float32Array.from({ length: 6 }, () => rng.normal()));
    const y = await run(lora);
    const [a, b] = [lora.a.data, lora.b.data];
    for (let n = 0; n < 4; n++) {
      for (let o = 0; o < 3; o++) {
        let update = 0;
        for (let k = 0; k < 2; k++) {
          let down = 0;
          for (let i = 0; i < 6; i++) down += x[n * 6 + i] * a[k * 6 + i];
          update += down * b[o * 2 + k];
        }
        const want = plain[n * 3 + o] + 1.5 * update;
        assert.ok(Math.abs(y[n * 3 + o] - want) <= 1e-5, `row ${n}, out ${o}: ${y[n * 3 + o]} vs ${want}`);
      }
    }
  });

  it('a frozen weight is an input of the training step that no gradient reaches: no node makes a tensor of its shape, and its bytes never change', async () => {
    const rng = new Rng(6);
    const l0 = new Linear('l0', 20, 12, rng);
    const l1 = new Linear('l1', 12, 7, rng);
    const temperature = scalarInput('T', 0.5);
    const gate = new GateAndGain('gate', 12, 'soft', temperature);
    const model = new Sequential('m', [l0, new Activation('a0', 'relu'), gate, l1]);
    const frozen = freeze([...l0.parameters(), ...l1.parameters()]);
    const before = frozen.map((p) => p.data.slice());
    const state = new TrainState([...frozen, ...gate.parameters(), temperature], makeOptimizer({ kind: 'adam', lr: 0.05 }));
    const { result: step, shapes } = await recordingShapes(() => TrainStep.compile({ model, state, inputShape: [5, 20], target: { shape: [5], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: 2 }));
    const inputs = new Set(step.session.inputNames);
    for (const p of frozen) assert.ok(inputs.has(p.name), `${p.name} is fed`);
    const weightShapes = new Set(frozen.filter((p) => p.shape.length === 2).map((p) => p.shape.join('x')));
    assert.ok(shapes.has('5x12'), 'the hidden layer\'s nodes were recorded');
    assert.deepStrictEqual([...shapes].filter((s) => weightShapes.has(s)), [], "no node makes a tensor of a frozen weight's shape (no gradient, no update)");
    const tauBefore = gate.threshold.data.slice();
    for (let i = 0; i < 3; i++) {
      const xs = [0, 1].map(() => Float32Array.from({ length: 100 }, () => rng.normal()));
      const ys = [0, 1].map(() => Int32Array.from({ length: 5 }, () => rng.int(7)));
      await step.runSteps(xs, ys, 0.05);
    }
    frozen.forEach((p, i) => assert.deepStrictEqual(p.data, before[i], `${p.name} unchanged`));
    assert.notDeepStrictEqual(gate.threshold.data, tauBefore, 'the thresholds trained');
    assert.deepStrictEqual(Array.from(temperature.data), [0.5], 'the temperature is fed, not trained');
  });
});
