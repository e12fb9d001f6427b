/**
 * richlazy.rnn (PAPERS.md §5): the tasks carry the evidence NeuroGym's do, the initial W_rec has
 * exactly rank r and the norm asked for, the aligned init has W₀'s spectrum on the change's
 * directions, and the experiment runs end to end with both alignments exactly 1 at step 0.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Rng } from '../../../../kernel/core/rng';
import { frobenius, svd } from '../../../../kernel/dense/linalg';
import { alignInit, richLazyNet } from '../../../../kernel/models/richlazy/network';
import { DECISION_STEP, STEPS, tasks, trialBatch, type Task, type TaskName } from '../../../../kernel/models/richlazy/tasks';
import { loadSpec } from '../../../../kernel/runs/runner';
import { planSweep } from '../../../../kernel/sweeps/plan';
import { maxAbsDiff } from '../../dense/helpers';
import { cli, lastJsonLine, repoRoot, tempDir } from '../../helpers';

/** The choice an ideal observer reads from trial n's inputs (x [T, B, inputs]). */
const observers: Record<TaskName, (at: (t: number, i: number) => number) => number> = {
  // The sign of the summed evidence stim1 − stim2 over the 7 stimulus steps.
  perceptual: (x) => (Array.from({ length: DECISION_STEP }, (_, t) => x(t, 1) - x(t, 2)).reduce((a, b) => a + b) > 0 ? 1 : 2),
  // Match when the sample (step 0) and the test (step 6) light the same channel.
  dms: (x) => ((x(0, 1) > x(0, 2)) === (x(6, 1) > x(6, 2)) ? 1 : 2),
  // The cued modality's evidence over the 2 stimulus steps.
  context: (x) => {
    const m = x(STEPS - 1, 5) > x(STEPS - 1, 6) ? 1 : 3;
    return x(0, m) - x(0, m + 1) + x(1, m) - x(1, m + 1) > 0 ? 1 : 2;
  },
};

/** Ideal-observer accuracy from the coherences and noise: mean over coherences of Φ(evidence/σ). */
const expected: [TaskName, number][] = [
  ['perceptual', 0.851], // c ∈ {0, 6.4, 12.8, 25.6, 51.2}, σ_diff·√7 = 0.529: (0.5 + 0.801 + 0.955 + 1 + 1)/5
  ['dms', 1.0], // separation 1 against σ 0.14
  ['context', 0.79], // c ∈ {5, 15, 50}, σ_diff·√2 = 0.4: (0.599 + 0.773 + 0.994)/3
];

function observed(task: Task, trials: number, seed: number): number {
  const b = trialBatch(task, trials, new Rng(seed));
  let right = 0;
  for (let n = 0; n < trials; n++) if (observers[task.name]((t, i) => b.x[(t * trials + n) * task.inputs + i]) === b.choices[n]) right++;
  return right / trials;
}

describe('richlazy.rnn', function () {
  this.timeout(120000);

  for (const [name, acc] of expected) {
    it(`${name}: the ideal observer of the inputs reaches ${acc} of the choices (4000 trials, ±0.025)`, () => {
      const got = observed(tasks[name], 4000, 11);
      assert.ok(Math.abs(got - acc) < 0.025, `${got}`);
    });
  }

  it('a task stream is seeded: same seed, same trials; targets are 0 except the choice at the decision step', () => {
    const a = trialBatch(tasks.context, 16, new Rng(4));
    const b = trialBatch(tasks.context, 16, new Rng(4));
    const c = trialBatch(tasks.context, 16, new Rng(5));
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a.x, c.x);
    for (let t = 0; t < STEPS; t++)
      for (let n = 0; n < 16; n++) assert.strictEqual(a.y[t * 16 + n], t === DECISION_STEP ? a.choices[n] : 0);
    assert.ok(a.choices.every((v) => v === 1 || v === 2) && a.choices.some((v) => v === 1) && a.choices.some((v) => v === 2));
  });

  const ranks: [string, number, boolean][] = [
    ['rank 1, rescaled', 1, true],
    ['rank 7, rescaled', 7, true],
    ['full rank', 40, true],
    ['rank 5, W₀\'s own singular values', 5, false],
  ];
  for (const [name, rank, rescale] of ranks) {
    it(`the initial W_rec has exactly its rank and the norm asked for: ${name}`, () => {
      const net = richLazyNet(3, 40, { rank, gain: 1.25, rescale }, new Rng(2));
      const w = Float64Array.from(net.wRec.data);
      const { s } = svd(w, 40, 40);
      const s0 = svd(net.gaussian, 40, 40).s;
      if (rank < 40) {
        assert.ok(s[rank] < 1e-6 * s[0], `singular value ${rank + 1} is ${s[rank]} of ${s[0]}`);
        assert.ok(s[rank - 1] > 0.05 * s[0], 'the first r are not negligible');
      } else assert.ok(maxAbsDiff(w, net.gaussian) < 1e-6, 'full rank is W₀ itself');
      if (rescale) assert.ok(Math.abs(frobenius(w) / frobenius(net.gaussian) - 1) < 1e-6, `‖W‖ ${frobenius(w)} vs ‖W₀‖ ${frobenius(net.gaussian)}`);
      else for (let k = 0; k < rank; k++) assert.ok(Math.abs(s[k] / s0[k] - 1) < 1e-6, `s${k} ${s[k]} vs ${s0[k]}`);
      assert.ok(Math.abs(frobenius(net.gaussian) / (1.25 * Math.sqrt(40)) - 1) < 0.05, 'W₀ = 1.25 G/√N has norm ≈ 1.25 √N');
    });
  }

  it('the aligned init has W₀\'s top-r singular values on the change\'s top-r singular vectors', () => {
    const n = 30, r = 3;
    const net = richLazyNet(3, n, { rank: r, gain: 1.25, rescale: false }, new Rng(6));
    const rng = new Rng(8);
    const change = Float64Array.from({ length: n * n }, () => rng.normal());
    alignInit(net, change);
    const got = svd(Float64Array.from(net.wRec.data), n, n);
    const want = svd(change, n, n);
    const s0 = svd(net.gaussian, n, n).s;
    for (let k = 0; k < r; k++) {
      assert.ok(Math.abs(got.s[k] / s0[k] - 1) < 1e-5, `s${k}`);
      const overlap = Math.abs(got.us[k].reduce((a, x, i) => a + x * want.us[k][i], 0));
      assert.ok(overlap > 1 - 1e-5, `left vector ${k}: |⟨u, u_change⟩| = ${overlap}`);
    }
    assert.ok(got.s[r] < 1e-6 * got.s[0]);
  });

  it('runs the sample at toy size: both alignments are 1 at step 0 and below 1 after training, the weights moved', () => {
    const out = tempDir('neurite-richlazy-');
    const sets = ['model.hidden=16', 'model.rank=2', 'train.steps=64', 'probe.every=32', 'probe.trials=24', 'probe.kernelTrials=4', 'task=dms'];
    const r = cli(['run', path.join(repoRoot, 'samples', 'richlazy.neurite.yaml'), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    const probes = fs.readFileSync(path.join(out, s.id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l: string) => JSON.parse(l)).filter((m: any) => m.series === 'probe');
    assert.deepStrictEqual(probes.map((m: any) => m.step), [0, 32, 64]);
    assert.strictEqual(probes[0].values.repAlignment, 1);
    assert.ok(Math.abs(probes[0].values.kernelAlignment - 1) < 1e-12);
    assert.strictEqual(probes[0].values.weightChange, 0);
    for (const k of ['rep_alignment', 'kernel_alignment']) assert.ok(s.metrics[k] > 0 && s.metrics[k] < 1, `${k} = ${s.metrics[k]}`);
    assert.ok(s.metrics.weight_change > 0);
    assert.strictEqual(s.metrics.weight_change, probes[2].values.weightChange);
  });

  it('the sample and every trial of its sweep validate (bad specs: test/unit/cli/bad-specs.unit.test.ts)', () => {
    const specPath = path.join(repoRoot, 'samples', 'richlazy.neurite.yaml');
    assert.strictEqual(loadSpec({ specPath }).spec.model.hidden, 300);
    const plan = planSweep({ specPath }); // validates every trial's spec
    assert.strictEqual(plan.trials.length, 6 * 3 * 3, 'six cases × three tasks × three seeds');
  });
});
