/**
 * The NCAP circuit's equations (PAPERS.md §3) on hand-computed cases, its parameter counts and
 * initialisations, and the MLP baseline's forward pass and size.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { ncapInit, ncapParameterCount, ncapTorques, type NcapOptions } from '../../../../kernel/models/ncap/circuit';
import { mlpForward, mlpInit, mlpParameterCount, mlpSizes } from '../../../../kernel/models/ncap/mlp';

const L = (2 * Math.PI) / 6; // joint limit of the 6-link swimmer
const signed: NcapOptions = { joints: 5, shared: true, signed: true, period: 60 };
const unsigned: NcapOptions = { ...signed, signed: false };
const straight = [0, 0, 0, 0, 0];

/** [case, options, weights (prop, osc, ipsi, contra), joint angles, clock t, expected torques] */
const cases: [string, NcapOptions, number[], number[], number, number[]][] = [
  ['dorsal half of the oscillator period, straight body: only the head joint turns, dorsally', signed, [1, 1, 1, -1], straight, 0, [1, 0, 0, 0, 0]],
  ['the oscillator is still dorsal at t = 29', signed, [1, 1, 1, -1], straight, 29, [1, 0, 0, 0, 0]],
  ['ventral half (t = 30): the head joint turns ventrally', signed, [1, 1, 1, -1], straight, 30, [-1, 0, 0, 0, 0]],
  ['the period is 60 control steps: t = 60 is dorsal again', signed, [1, 1, 1, -1], straight, 60, [1, 0, 0, 0, 0]],
  ['a dorsal bend of joint 0 (half its limit) drives joint 1 dorsally', signed, [1, 1, 1, -1], [L / 2, 0, 0, 0, 0], 0, [1, 0.5, 0, 0, 0]],
  ['a ventral bend at the limit drives the next joint fully ventrally', signed, [1, 1, 1, -1], [0, -L, 0, 0, 0], 0, [1, 0, -1, 0, 0]],
  ['bends beyond the limit clip to 1', signed, [1, 1, 1, -1], [0, 0, 3 * L, 0, 0], 30, [-1, 0, 0, 1, 0]],
  ['the last joint drives nothing', signed, [1, 1, 1, -1], [0, 0, 0, 0, L], 0, [1, 0, 0, 0, 0]],
  ['graded weights: B = clip01(2) = 1 at the head; 0.5 · 0.3 at joint 1', signed, [0.3, 2, 0.5, -0.25], [L / 2, 0, 0, 0, 0], 0, [0.5, 0.075, 0, 0, 0]],
  ['signed: a positive contralateral weight acts as 0', signed, [1, 1, 1, 1], straight, 0, [1, 0, 0, 0, 0]],
  ['unsigned: a positive contralateral weight excites the other muscle and cancels the torque', unsigned, [1, 1, 1, 1], straight, 0, [0, 0, 0, 0, 0]],
  ['signed: a negative oscillator weight acts as 0', signed, [1, -1, 1, -1], straight, 0, [0, 0, 0, 0, 0]],
  ['unsigned: a negative ipsilateral weight with positive contra reverses the head joint', unsigned, [1, 1, -1, 1], straight, 0, [-1, 0, 0, 0, 0]],
];

describe('NCAP circuit', () => {
  for (const [name, o, w, q, t, expected] of cases) {
    it(name, () => {
      const tau = Array.from(ncapTorques(o, w, q, t));
      tau.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-12, `τ = [${tau}], expected [${expected}]`));
    });
  }

  it('per-joint weights all equal to the shared ones give the shared circuit, and a per-joint weight moves only its joint', () => {
    const shared = [0.7, 0.9, 0.8, -0.6];
    const perJoint = Array.from({ length: 5 }, (_, i) => [i === 0 ? shared[1] : shared[0], i === 0 ? shared[1] : shared[0], shared[2], shared[3], shared[2], shared[3]]).flat();
    const rng = new Rng(5);
    for (let k = 0; k < 50; k++) {
      const q = Array.from({ length: 5 }, () => (2 * rng.float() - 1) * 1.5 * L);
      const a = ncapTorques(signed, shared, q, k);
      const b = ncapTorques({ ...signed, shared: false }, perJoint, q, k);
      assert.deepStrictEqual(b, a);
    }
    const q = [L / 2, -L / 3, L / 4, -L / 5, 0];
    const base = ncapTorques({ ...signed, shared: false }, perJoint, q, 0);
    const changed = [...perJoint];
    changed[6 * 2 + 4] = 0.1; // joint 2, ventral ipsilateral
    const moved = ncapTorques({ ...signed, shared: false }, changed, q, 0);
    assert.deepStrictEqual([...moved].map((x, i) => x !== base[i]), [false, false, true, false, false]);
  });

  it('has 4 parameters shared, 6 per joint otherwise; initialised +1/−1 by sign, ±1 at random unsigned, uniform by sign when random', () => {
    assert.strictEqual(ncapParameterCount({ joints: 5, shared: true }), 4);
    assert.strictEqual(ncapParameterCount({ joints: 5, shared: false }), 30);
    assert.deepStrictEqual(Array.from(ncapInit({ joints: 5, shared: true, signed: true }, 'constant', new Rng(1))), [1, 1, 1, -1]);
    const pm = ncapInit({ joints: 5, shared: false, signed: false }, 'constant', new Rng(1));
    assert.ok(pm.every((x) => x === 1 || x === -1) && pm.some((x) => x === 1) && pm.some((x) => x === -1), `unsigned constant init ${pm}`);
    const r = ncapInit({ joints: 5, shared: true, signed: true }, 'random', new Rng(1));
    assert.ok(r[0] >= 0 && r[1] >= 0 && r[2] >= 0 && r[3] <= 0 && r.every((x) => Math.abs(x) <= 1), `signed random init ${r}`);
  });
});

describe('MLP baseline controller', () => {
  it('has 6,021 parameters for the 6-link swimmer (23 observations → 64 → 64 → 5)', () => {
    assert.deepStrictEqual(mlpSizes(6, [64, 64]), [23, 64, 64, 5]);
    assert.strictEqual(mlpParameterCount(mlpSizes(6, [64, 64])), 6021);
  });

  it('computes tanh hidden layers and a linear output with PyTorch Linear layout (W [out, in] row-major, then b)', () => {
    // 2 → 2 → 1: h = tanh(W1 x + b1), y = W2 h + b2
    const w = [1, 2, 3, 4, 0.5, -0.5, /* W2 */ 2, -1, /* b2 */ 0.25];
    const x = [0.1, -0.2];
    const h = [Math.tanh(1 * 0.1 + 2 * -0.2 + 0.5), Math.tanh(3 * 0.1 + 4 * -0.2 - 0.5)];
    const y = mlpForward([2, 2, 1], w, x);
    assert.ok(Math.abs(y[0] - (2 * h[0] - h[1] + 0.25)) < 1e-15, `y = ${y[0]}`);
  });

  it('starts Xavier-uniform with zero biases', () => {
    const sizes = [23, 64, 64, 5];
    const w = mlpInit(sizes, new Rng(2));
    const w1 = w.subarray(0, 23 * 64), b1 = w.subarray(23 * 64, 23 * 64 + 64);
    const bound = Math.sqrt(6 / (23 + 64));
    assert.ok(w1.every((x) => Math.abs(x) <= bound) && Math.max(...w1.map(Math.abs)) > 0.95 * bound, 'first layer within ±√(6/(fan_in+fan_out)) and filling it');
    assert.ok(b1.every((x) => x === 0));
  });
});
