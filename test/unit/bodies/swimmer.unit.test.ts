/**
 * The swimmer body in MuJoCo: the generated model has dm_control's structure for every N,
 * the physics behaves (rest stays at rest, a head-to-tail wave swims forward and the reverse
 * wave backward), runs are bit-identical per seed, states are values, and models and data are
 * freed (MuJoCo's heap stays flat over 1,000 episodes on fresh bodies).
 */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { simulate } from '../../../kernel/core/system';
import { Swimmer, swimReward, type SwimmerState } from '../../../kernel/bodies/swimmer';
import { compileModel, mujoco } from '../../../kernel/bodies/mujoco';
import { jointLimit, swimmerMjcf } from '../../../kernel/bodies/swimmer-mjcf';

/** Motor commands of a wave along the body: period 60 control steps, one wavelength over the joints, travelling head → tail (dir 1) or tail → head (−1). */
const wave = (nJoints: number, dir: 1 | -1, steps: number) =>
  Array.from({ length: steps }, (_, t) => Float64Array.from({ length: nJoints }, (_, i) => Math.sin((2 * Math.PI * t) / 60 - (dir * 2 * Math.PI * i) / nJoints)));

describe('swimmer body (MuJoCo)', function () {
  this.timeout(120000);
  let body: Swimmer;
  before(async () => {
    body = await Swimmer.create(6);
  });
  after(() => body.dispose());

  it("the generated model has dm_control's structure for 3 to 12 links: N+2 positions, N−1 motors, joints limited to ±360°/N, 0.01 kg per link", async () => {
    const mj = await mujoco();
    for (let n = 3; n <= 12; n++) {
      const m = compileModel(mj, swimmerMjcf(n));
      try {
        assert.strictEqual(m.nq, n + 2, `${n} links: nq`);
        assert.strictEqual(m.nu, n - 1, `${n} links: nu`);
        assert.strictEqual(m.nbody, n + 1, `${n} links: bodies (with the world)`);
        assert.strictEqual(m.nsensordata, 6 * n, `${n} links: a velocimeter and a gyro per link`);
        const range = m.jnt_range as Float64Array;
        for (let j = 3; j < n + 2; j++) assert.ok(Math.abs(range[2 * j + 1] - jointLimit(n)) < 1e-12 && range[2 * j] === -range[2 * j + 1], `${n} links: joint ${j} range ${range[2 * j]}…${range[2 * j + 1]}`);
        const mass = (m.body_mass as Float64Array).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(mass - 0.01 * n) < 1e-12, `${n} links: total mass ${mass}`);
        assert.strictEqual(m.opt.density, 3000);
        assert.strictEqual(m.opt.timestep, 0.002);
      } finally {
        m.delete();
      }
    }
    assert.throws(() => swimmerMjcf(2), /from 3 to 12/);
  });

  it('at rest with no torque it stays exactly at rest for 1000 control steps', () => {
    const zero = new Float64Array(5);
    const { state } = simulate(body, Array(1000).fill(zero), body.init());
    const p = state.physics;
    assert.ok(Math.abs(p[0] - 30) < 1e-9, `simulated ${p[0]} s`);
    assert.deepStrictEqual(Array.from(p.subarray(1)), Array(p.length - 1).fill(0));
  });

  it('a wave travelling head to tail swims forward, the reverse wave backward', () => {
    const forward = simulate(body, wave(5, 1, 300), body.init()).outputs;
    const backward = simulate(body, wave(5, -1, 300), body.init()).outputs;
    const vf = forward.reduce((s, r) => s + r.forwardVelocity, 0) / 300;
    const vb = backward.reduce((s, r) => s + r.forwardVelocity, 0) / 300;
    assert.ok(vf > 0.03, `head-to-tail wave: mean forward speed ${vf} m/s`);
    assert.ok(vb < -0.03, `tail-to-head wave: mean forward speed ${vb} m/s`);
    assert.ok(swimReward(0.05) === 0.5 && swimReward(0.2) === 1 && swimReward(-0.1) === 0);
  });

  it('the same seed gives a bit-identical trajectory; another seed does not', () => {
    const run = (seed: number) => {
      const states: SwimmerState[] = [body.randomInit(new Rng(seed))];
      for (const u of wave(5, 1, 100)) states.push(body.update(states[states.length - 1], u));
      return states.map((s) => Buffer.from(s.physics.buffer).toString('hex'));
    };
    const a = run(7);
    body.init(); // the data block moves on in between
    assert.deepStrictEqual(run(7), a);
    assert.notDeepStrictEqual(run(8), a);
    const start = body.randomInit(new Rng(7)).physics;
    assert.ok(Math.abs(start[3]) <= Math.PI && start.subarray(4, 9).every((q) => Math.abs(q) <= jointLimit(6)), 'random start within dm_control ranges');
  });

  it('update leaves its state unchanged and steps any earlier state again to the same result (joint limits engaged)', () => {
    // full torque for 2 s bends every joint into its limit, where the constraint solver (and its warm start) works
    const u = Float64Array.of(1, 1, 1, 1, 1);
    const s0 = simulate(body, Array(60).fill(u), body.randomInit(new Rng(3))).state;
    assert.ok(s0.readout.joints.some((q) => q > jointLimit(6)), `joints ${s0.readout.joints} within their limits`);
    const copy = Float64Array.from(s0.physics);
    const a = body.update(s0, u);
    body.update(a, u); // the data block now holds a later state
    const b = body.update(s0, u);
    assert.deepStrictEqual(s0.physics, copy);
    assert.deepStrictEqual(b.physics, a.physics);
    assert.deepStrictEqual(b.readout, a.readout);
    assert.notDeepStrictEqual(a.physics, s0.physics, 'the step moved the body');
  });

  it("1,000 episodes on fresh bodies (5 control steps each, 3- and 6-link models made and freed) leave MuJoCo's heap flat", async () => {
    let heapAfterTen = 0, heap = 0;
    for (let i = 0; i < 1000; i++) {
      const b = await Swimmer.create(i % 2 ? 6 : 3);
      try {
        simulate(b, Array(5).fill(new Float64Array(b.nJoints).fill(0.5)), b.randomInit(new Rng(i)));
        heap = b.heapBytes();
      } finally {
        b.dispose();
      }
      if (i === 9) heapAfterTen = heap;
    }
    assert.strictEqual(heap, heapAfterTen, `MuJoCo heap ${heapAfterTen} bytes after 10 episodes, ${heap} after 1000`);
  });
});
