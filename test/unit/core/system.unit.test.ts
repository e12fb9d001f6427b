import * as assert from 'assert';
import { simulate, system, wire, type System } from '../../../kernel/core/system';

/** x' = a x + b u, readout x: a linear scalar system. */
const linear = (name: string, a: number, b: number): System<number, number, number> =>
  system(name, { init: () => 1, readout: (x) => x, update: (x, u) => a * x + b * u });

describe('System and wire (nested dynamical systems)', () => {
  it('a wired feedback pair equals the same dynamics written by hand', () => {
    // p' = 0.9 p + 0.5 (u − q),  q' = 0.8 q + 0.3 p ; output p + q
    const pair = wire('pair', { p: linear('p', 0.9, 0.5), q: linear('q', 0.8, 0.3) }, {
      inputs: (u: number, out) => ({ p: u - out.q, q: out.p }),
      output: (out) => out.p + out.q,
    });
    const inputs = Array.from({ length: 50 }, (_, t) => Math.sin(t / 3));
    const wired = simulate(pair, inputs).outputs;
    let p = 1, q = 1;
    const byHand: number[] = [];
    for (const u of inputs) {
      [p, q] = [0.9 * p + 0.5 * (u - q), 0.8 * q + 0.3 * p];
      byHand.push(p + q);
    }
    assert.deepStrictEqual(wired, byHand);
  });

  it('composition nests: a wired system is a part of another wiring, with nested product state', () => {
    const inner = wire('inner', { a: linear('a', 0.5, 1), b: linear('b', 0.5, 1) }, {
      inputs: (u: number, out) => ({ a: u, b: out.a }),
      output: (out) => out.b,
    });
    const outer = wire('outer', { first: inner, second: linear('c', 0.25, 2) }, {
      inputs: (u: number, out) => ({ first: u, second: out.first }),
      output: (out) => out.second,
    });
    const s0 = outer.init();
    assert.deepStrictEqual(s0, { first: { a: 1, b: 1 }, second: 1 });
    const { outputs, state } = simulate(outer, [1, 0, 0, 2]);
    // by hand: a chain u → a → b → c with one step of delay per link
    let a = 1, b = 1, c = 1;
    const hand: number[] = [];
    for (const u of [1, 0, 0, 2]) {
      [a, b, c] = [0.5 * a + u, 0.5 * b + a, 0.25 * c + 2 * b];
      hand.push(c);
    }
    assert.deepStrictEqual(outputs, hand);
    assert.deepStrictEqual(state, { first: { a, b }, second: c });
  });

  it('update never mutates the previous state', () => {
    const pair = wire('pair', { p: linear('p', 2, 1), q: linear('q', 3, 1) }, {
      inputs: (u: number) => ({ p: u, q: u }),
      output: (out) => out.p,
    });
    const s0 = pair.init();
    const frozen = JSON.stringify(s0);
    pair.update(s0, 1);
    assert.strictEqual(JSON.stringify(s0), frozen);
  });

  it('a learner (state = parameters, update = training step) wired to a data stream equals the plain training loop', () => {
    // y = w x + c; SGD on squared error, lr 0.5; the data source is itself a system (a counter)
    type Params = { w: number; c: number };
    const learner: System<Params, { x: number; y: number }, Params> = system('sgd', {
      init: () => ({ w: 0, c: 0 }),
      readout: (p) => p,
      update: (p, { x, y }) => {
        const e = p.w * x + p.c - y;
        return { w: p.w - 0.5 * e * x, c: p.c - 0.5 * e };
      },
    });
    const data = system<number, null, { x: number; y: number }>('data', {
      init: () => 0,
      readout: (t) => ({ x: (t % 5) / 5, y: 3 * ((t % 5) / 5) - 1 }),
      update: (t) => t + 1,
    });
    const trainer = wire('trainer', { data, learner }, {
      inputs: (_: null, out) => ({ data: null, learner: out.data }),
      output: (out) => out.learner,
    });
    const wired = simulate(trainer, Array(1000).fill(null)).outputs.at(-1)!;
    let w = 0, c = 0;
    for (let t = 0; t < 1000; t++) {
      const x = (t % 5) / 5, y = 3 * x - 1, e = w * x + c - y;
      [w, c] = [w - 0.5 * e * x, c - 0.5 * e];
    }
    assert.deepStrictEqual(wired, { w, c });
    assert.ok(Math.abs(w - 3) < 0.1 && Math.abs(c + 1) < 0.1, `learned w=${w} c=${c}`);
  });

  it('state-dependent wiring (a deeply interacting system) switches routes with the state', () => {
    // a gate whose state decides whether the accumulator sees the input
    const gate = system<boolean, number, boolean>('gate', { init: () => true, readout: (s) => s, update: (_s, u) => u < 5 });
    const acc = linear('acc', 1, 1);
    const sys = wire('gated', { gate, acc }, {
      inputs: (u: number, out, state) => ({ gate: state.acc, acc: out.gate ? u : 0 }),
      output: (out) => out.acc,
    });
    const { outputs } = simulate(sys, [1, 1, 1, 1, 1, 1, 1, 1]);
    // acc grows by 1 while acc < 5 at the previous step, then stops
    assert.deepStrictEqual(outputs, [2, 3, 4, 5, 6, 6, 6, 6]);
  });
});
