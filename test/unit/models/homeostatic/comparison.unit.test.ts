/**
 * The three wired learners (constant, random regulation, homeostat) compiled as one program
 * step per minibatch: the results do not depend on how minibatches are grouped into runs, and
 * with moves of size zero the three learners are one learner three times.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { Activation, Sequential } from '../../../../kernel/dense/layers/layer';
import { Linear } from '../../../../kernel/dense/layers/linear';
import { Parameter } from '../../../../kernel/dense/params';
import * as o from '../../../../kernel/dense/ops';
import { Program } from '../../../../kernel/dense/program';
import { execOptions } from '../../../../kernel/dense/session';
import { carried, comparisonStep, learnerNames, type PerLearner } from '../../../../kernel/models/homeostatic/comparison';
import type { StepInputs } from '../../../../kernel/models/homeostatic/feed';
import { learner } from '../../../../kernel/models/homeostatic/learner';
import { paperRates, type RateParams } from '../../../../kernel/models/homeostatic/regulators';

const exec = execOptions('cpu', { threads: 1 });
const F = 12;
const m = 4;
const M = 8;

function setup(rates: RateParams) {
  const model = (name: string) => {
    const rng = new Rng(5);
    const init = { biasInit: { kind: 'normal' as const, std: 1 } };
    return new Sequential(name, [new Linear(`${name}.a`, F, 7, rng, init), new Activation(`${name}.act`, 'elu'), new Linear(`${name}.b`, 7, 10, rng, init)]);
  };
  const models: PerLearner<Sequential> = { constant: model('constant'), random: model('random'), homeostatic: model('homeostatic') };
  for (const n of ['random', 'homeostatic'] as const) models[n].parameters().forEach((p, i) => p.set(models.constant.parameters()[i].data));
  const etas: PerLearner<Parameter> = { constant: new Parameter('c.eta', [], Float32Array.of(rates.eta0)), random: new Parameter('r.eta', [], Float32Array.of(rates.eta0)), homeostatic: new Parameter('h.eta', [], Float32Array.of(rates.eta0)) };
  const options = { models, etas, rates, batchSize: m, features: F, memory: M };
  return { models, etas, compile: (k: number) => Program.compile({ state: carried(options), steps: k, exec, step: (s) => comparisonStep(s, options) }) };
}

function minibatches(n: number): StepInputs[] {
  const rng = new Rng(9);
  return Array.from({ length: n }, (_, i) => ({
    x: Uint8Array.from({ length: m * F }, () => rng.int(256)),
    y: Int32Array.from({ length: m }, () => rng.int(10)),
    memoryX: Uint8Array.from({ length: M * F }, () => rng.int(256)),
    memoryY: Int32Array.from({ length: M }, () => rng.int(10)),
    decide: Float32Array.of(i < 2 ? 0 : 1),
    coin: Float32Array.of(i % 3 === 0 ? 0 : 1),
  }));
}

/** Every step's outputs and the final carried tensors, with minibatches grouped into runs of `sizes`. */
async function run(rates: RateParams, sizes: number[]) {
  const c = setup(rates);
  const data = minibatches(sizes.reduce((a, b) => a + b, 0));
  const outs: Record<string, number>[] = [];
  let at = 0;
  for (const k of sizes) {
    const p = await c.compile(k);
    outs.push(...(await p.run(data.slice(at, at + k))).map((r) => Object.fromEntries(Object.entries(r).map(([n, a]) => [n, a[0]]))));
    at += k;
  }
  const params = Object.fromEntries(learnerNames.map((n) => [n, c.models[n].parameters().map((p) => [...p.data])]));
  return { outs, params };
}

// Large moves, so that the regulators' η's part quickly.
const bold: RateParams = { ...paperRates(0.05), delta: 0.04 };

describe('three learners wired to their regulators, compiled per minibatch', () => {
  it('give identical results whichever way minibatches are grouped into runs', async () => {
    const one = await run(bold, [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    for (const sizes of [[9], [4, 4, 1], [2, 3, 4]]) assert.deepStrictEqual(await run(bold, sizes), one, `runs of ${sizes.join(', ')}`);
    const etas = (n: string) => one.outs.map((r) => r[`${n}.eta`]);
    // random regulation depends on the data alone: η walks by ±Δ with each minibatch's coin and first label
    let eta = Math.fround(bold.eta0);
    const walk = minibatches(9).map((b) => {
      const v = Math.fround(eta + Math.fround(bold.signs[b.y[0]] * bold.delta));
      if (b.coin[0]) eta = v < 0 ? Math.fround(bold.floor) : v;
      return eta;
    });
    assert.deepStrictEqual(etas('random'), walk);
    assert.ok(walk.filter((e, i) => e !== (i ? walk[i - 1] : Math.fround(bold.eta0))).length >= 2, `the walk hardly moved: ${walk}`);
    assert.deepStrictEqual(new Set(etas('constant')), new Set([Math.fround(bold.eta0)]));
  });

  it('a decision at a minibatch\'s first sample already sets the rate of that minibatch\'s step (the authors\' order)', async () => {
    const wired = await run(bold, [9]);
    // The random learner alone, its η fed per minibatch: the η its regulator read out after that minibatch's decision.
    const c = setup(bold);
    const model = c.models.random;
    const params = model.parameters();
    const p = await Program.compile({
      state: params,
      steps: 9,
      exec,
      step: (s) => {
        const batch = { x: o.div(o.cast(s.input('x', [m, F], 'uint8'), 'float32'), 255), y: s.input('y', [m], 'int32') };
        const eta = s.input('eta', []);
        const l = learner('random', model, m, { params: new Map(params.map((q) => [q, s.get(q)])), seen: 0 });
        let state = l.init();
        for (let j = 0; j < m; j++) state = l.update(state, { batch, index: j, eta, candidates: o.expand(eta, [10]) });
        for (const [q, v] of state.params) s.set(q, v);
      },
    });
    await p.run(minibatches(9).map((b, i) => ({ x: b.x, y: b.y, eta: Float32Array.of(wired.outs[i]['random.eta']) })));
    assert.deepStrictEqual(params.map((q) => [...q.data]), wired.params.random);
  });

  it('with moves of size zero are one learner three times (same data, same initial weights, same steps)', async () => {
    const still = await run({ ...bold, delta: 0 }, [3, 3]);
    assert.deepStrictEqual(still.params.random, still.params.constant);
    assert.deepStrictEqual(still.params.homeostatic, still.params.constant);
    for (const r of still.outs) assert.strictEqual(r['homeostatic.keep'], r['homeostatic.move']);
  });
});
