/**
 * Closed loop and training: the wired controller + body equals the loop written by hand (the
 * torque of step t answers the joints of step t), NCAP swims at initialisation, ES's pieces
 * (rank-centred fitness, PyTorch's Adam) match their references, ES climbs a known optimum,
 * and episodes on 1 or 2 worker threads give the same training, bit for bit.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { Swimmer, swimReward } from '../../../../kernel/bodies/swimmer';
import { ncapTorques } from '../../../../kernel/models/ncap/circuit';
import { runEpisode, type ControllerSpec } from '../../../../kernel/models/ncap/episode';
import { Adam } from '../../../../kernel/core/adam';
import { centredRanks, evolve } from '../../../../kernel/models/ncap/es';
import { episodeRunner } from '../../../../kernel/models/ncap/pool';

const ncap: ControllerSpec = { kind: 'ncap', shared: true, signed: true, period: 60 };

describe('NCAP and the swimmer in closed loop', function () {
  this.timeout(120000);
  let body: Swimmer;
  before(async () => {
    body = await Swimmer.create(6);
  });
  after(() => body.dispose());

  it('the wired loop equals the loop written by hand: torque of step t from the joints of step t', () => {
    const w = [0.9, 1.1, 1, -0.8];
    const wired = runEpisode({ controller: ncap, links: 6, params: w, seed: 11, steps: 120 }, body, true);
    let s = body.randomInit(new Rng(11));
    let total = 0;
    const poses = [s.readout.pose];
    for (let t = 0; t < 120; t++) {
      s = body.update(s, ncapTorques({ joints: 5, shared: true, signed: true, period: 60 }, w, s.readout.joints, t));
      total += swimReward(s.readout.forwardVelocity);
      poses.push(s.readout.pose);
    }
    assert.strictEqual(wired.return, total);
    assert.deepStrictEqual(wired.poses, poses);
  });

  it('swims forward at initialisation (+1/−1): reward above 0.6 per step over 10 s, from every start', () => {
    for (const seed of [1, 2, 3]) {
      const r = runEpisode({ controller: ncap, links: 6, params: [1, 1, 1, -1], seed, steps: 333 }, body);
      assert.ok(r.return / 333 > 0.6 && r.meanForwardVelocity > 0.05, `seed ${seed}: reward ${r.return / 333} per step, ${r.meanForwardVelocity} m/s`);
    }
  });
});

describe('evolution strategies', function () {
  this.timeout(120000);

  it("ranks as estorch's rank_transformation (its docstring example), ties by member order", () => {
    const u = centredRanks([-123, -50, 3, -5, 20, 10, 100]);
    [-0.5, -1 / 3, 0, -1 / 6, 1 / 3, 1 / 6, 0.5].forEach((x, i) => assert.ok(Math.abs(u[i] - x) < 1e-15, `u = ${u}`));
    assert.deepStrictEqual(centredRanks([1, 1, 0]), [0, 0.5, -0.5]);
  });

  it("steps as PyTorch 1.13's Adam with weight decay (lr 0.01, λ 0.005), three steps in float64", () => {
    // python3 -c "import torch; p=torch.tensor([1.,-2.,.5],dtype=torch.float64,requires_grad=True); o=torch.optim.Adam([p],lr=0.01,weight_decay=0.005); …"
    const golden = [
      [0.9900000001980198, -1.99000000009901, 0.49000000097560964],
      [0.9864321206262536, -1.9856149003316403, 0.48312342960155186],
      [0.9794876571268811, -1.9822256431889134, 0.4892309823361542],
    ];
    const grads = [[0.5, -1, 0.1], [-0.2, 0.3, 0.0], [1.5, 0.01, -2]];
    const theta = Float64Array.of(1, -2, 0.5);
    const adam = new Adam(3, { lr: 0.01, weightDecay: 0.005 });
    grads.forEach((g, k) => {
      adam.step(theta, g);
      theta.forEach((x, i) => assert.ok(Math.abs(x - golden[k][i]) < 1e-15, `step ${k + 1}: θ = ${theta}, torch ${golden[k]}`));
    });
  });

  it('climbs to the optimum of a smooth fitness (−|θ − c|²) from θ = 0', async () => {
    const c = [0.5, -0.3];
    const theta = await evolve([0, 0], { population: 8, generations: 150, sigma: 0.02, lr: 0.02, weightDecay: 0, clip: 1 }, new Rng(4), async (members) => members.map((m) => -((m[0] - c[0]) ** 2 + (m[1] - c[1]) ** 2)), async () => {});
    assert.ok(Math.hypot(theta[0] - c[0], theta[1] - c[1]) < 0.05, `θ = ${theta}`);
  });

  it('trains the same, bit for bit, with episodes on 1 or 2 worker threads', async () => {
    const train = async (workers: number) => {
      const runner = episodeRunner(workers);
      const curve: number[][] = [];
      try {
        const theta = await evolve([1, 1, 1, -1], { population: 4, generations: 2, sigma: 0.02, lr: 0.01, weightDecay: 0.005, clip: 1 }, new Rng(9), async (members, g) => {
          const out = await runner.run(members.map((params, i) => ({ controller: ncap, links: 6, params, seed: 100 * g + i, steps: 40 })));
          return out.map((o) => o.return);
        }, async (g) => void curve.push(g.returns));
        return { theta: Array.from(theta), curve };
      } finally {
        await runner.close();
      }
    };
    const one = await train(1);
    const two = await train(2);
    assert.deepStrictEqual(two, one);
    assert.notDeepStrictEqual(one.theta, [1, 1, 1, -1], 'ES moved θ');
  });
});
