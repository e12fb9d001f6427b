import * as assert from 'assert';
import { planSweep, trialSets } from '../../../kernel/sweeps/plan';
import { stat } from '../../../kernel/sweeps/table';
import { inputErrorOf, tempDir } from '../helpers';
import { baseSpec, gridSpec, writeSpec } from './fixtures';

const problemsOf = (f: () => unknown): string[] => inputErrorOf(f).problems;

describe('sweep plans', () => {
  const dir = tempDir('neurite-plan-');

  it('expands cases × random samples × grid points in that order, with configurations that ignore seed', () => {
    const plan = planSweep({
      spec: {
        kind: 'dendrite.sdr',
        seed: 3,
        sweep: {
          cases: [{ 'simulation.trials': 100 }, { 'simulation.trials': 200 }],
          random: { n: 2, params: { 'simulation.confidence': { uniform: [0.9, 0.95] } } },
          grid: { seed: [1, 2, 3] },
        },
      },
    });
    assert.strictEqual(plan.trials.length, 2 * 2 * 3);
    assert.strictEqual(plan.configs.length, 4, 'seed does not make a configuration');
    assert.deepStrictEqual(plan.params, ['simulation.trials', 'simulation.confidence', 'seed']);
    assert.deepStrictEqual(plan.trials.slice(0, 3).map((t) => t.overrides.seed), [1, 2, 3], 'grid is the innermost factor');
    assert.deepStrictEqual(plan.trials.map((t) => t.overrides['simulation.trials']), [100, 100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 200]);
    assert.deepStrictEqual(plan.trials.map((t) => t.config), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    assert.ok(!('sweep' in plan.base), 'trials run the spec without its sweep block');
    assert.deepStrictEqual(trialSets(plan.trials[4]).slice(0, 1), ['simulation.trials=100']);
  });

  it('draws random samples inside their ranges, the same for the same seed and different for another', () => {
    const spec = (seed: number) => ({
      kind: 'dendrite.sdr',
      seed,
      sweep: { random: { n: 50, params: { 'simulation.confidence': { log: [0.6, 0.99] }, 'simulation.trials': { int: [10, 12] }, 'simulation.chunk': { choice: [1000, 2000] } } } },
    });
    const a = planSweep({ spec: spec(1) }).trials.map((t) => t.overrides);
    const b = planSweep({ spec: spec(1) }).trials.map((t) => t.overrides);
    const c = planSweep({ spec: spec(2) }).trials.map((t) => t.overrides);
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a, c);
    for (const o of a) {
      const conf = o['simulation.confidence'] as number;
      assert.ok(conf >= 0.6 && conf < 0.99, `log sample ${conf}`);
      assert.ok([10, 11, 12].includes(o['simulation.trials'] as number));
      assert.ok([1000, 2000].includes(o['simulation.chunk'] as number));
    }
    assert.deepStrictEqual(new Set(a.map((o) => o['simulation.trials'])), new Set([10, 11, 12]), 'int ranges include both ends');
  });

  it('gives the same id to the same spec (so a re-run resumes) and a new id when the spec changes', () => {
    const f = writeSpec(dir, 'g.neurite.yaml', gridSpec);
    const id = planSweep({ specPath: f }).id;
    assert.match(id, /^sweep-test-[0-9a-f]{10}$/);
    assert.strictEqual(planSweep({ specPath: f }).id, id);
    assert.notStrictEqual(planSweep({ specPath: f, overrides: ['simulation.trials=30000'] }).id, id);
  });

  it('reports a path that is not in the spec at its key in the sweep block, with line and column', () => {
    const f = writeSpec(dir, 'bad-path.neurite.yaml', `${baseSpec}sweep:\n  grid:\n    model.hidden: [8, 16]\n    seed: [1, 2]\n`);
    const problems = problemsOf(() => planSweep({ specPath: f }));
    assert.deepStrictEqual(problems, ['sweep.grid["model.hidden"]: model.hidden is not a field of the dendrite.sdr spec (model: unknown key) (line 12, column 5)']);
  });

  it('reports a bad value at the list element that holds it, validating every trial before any runs', () => {
    const f = writeSpec(dir, 'bad-value.neurite.yaml', `${baseSpec}sweep:\n  grid:\n    simulation.confidence: [0.9, 2]\n  cases:\n    - { simulation.trials: -5 }\n    - { simulation.trials: 10 }\n`);
    const problems = problemsOf(() => planSweep({ specPath: f }));
    assert.deepStrictEqual(problems.sort(), [
      'sweep.cases[0]["simulation.trials"]: -5: Too small: expected number to be >=0 (line 14, column 28)',
      'sweep.grid["simulation.confidence"][1]: 2: Too big: expected number to be <1 (line 12, column 34)',
    ]);
  });

  it('rejects malformed sweep blocks with located messages', () => {
    const f = writeSpec(
      dir,
      'bad-block.neurite.yaml',
      'kind: dendrite.sdr\nsweep:\n  grid:\n    "Bad Path": [1]\n    seed: [1, 1]\n    kind: [x]\n  random:\n    n: 2\n    params:\n      simulation.chunk: { int: [1000, 2000], log: [1, 2] }\n  slurm: { time: "10 minutes", memory: 2GB }\n',
    );
    const problems = problemsOf(() => planSweep({ specPath: f }));
    const expect = [
      /^sweep\.grid\.Bad Path: "Bad Path" is not a spec path .*\(line 4, column 5\)$/,
      /^sweep\.grid\.kind: "kind" cannot be swept.*\(line 6, column 5\)$/,
      /^sweep\.grid\.seed\[1\]: duplicate of the value at \[0\].*\(line 5, column 15\)$/,
      /^sweep\.random\.params\.simulation\.chunk: give exactly one of uniform, log, int or choice \(line 10, column 7\)$/,
      /^sweep\.slurm\.time: a Slurm time limit.*\(line 11, column 18\)$/,
      /^sweep\.slurm\.memory: a Slurm memory size.*\(line 11, column 40\)$/,
    ];
    assert.strictEqual(problems.length, expect.length, problems.join('\n'));
    for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${re} not in\n${problems.join('\n')}`);
    assert.deepStrictEqual(problemsOf(() => planSweep({ spec: { kind: 'dendrite.sdr', sweep: {} } })), ['sweep: give at least one of grid, cases or random']);
    assert.match(problemsOf(() => planSweep({ spec: { kind: 'dendrite.sdr' } }))[0], /^sweep: the spec has no sweep block/);
  });

  it('rejects a path set by two parts of the sweep, a path through a number, and a list element the base spec does not spell out', () => {
    const twice = problemsOf(() => planSweep({ spec: { kind: 'dendrite.sdr', sweep: { cases: [{ seed: 4 }], grid: { seed: [1, 2] } } } }));
    assert.ok(twice.some((p) => /^sweep\.grid\.seed\[0\]: seed is also set by sweep\.cases\[0\]\.seed/.test(p)), twice.join('\n'));
    assert.deepStrictEqual(problemsOf(() => planSweep({ spec: { kind: 'dendrite.sdr', seed: 2, sweep: { grid: { 'seed.x': [1, 2] } } } })), ['sweep.grid["seed.x"]: "seed" is not an object in the spec']);
    const list = problemsOf(() => planSweep({ spec: { kind: 'dendrite.sdr', sweep: { grid: { 'checks.union[0].M': [2, 3] } } } }));
    assert.match(list[0], /^sweep\.grid\["checks\.union\[0\]\.M"\]\[0\]: 2: checks\.union: Invalid input: expected array, received object; to set one element of a list, write the whole list in the spec$/);
  });

  it('checks what the base spec names before planning (a missing netlist file), and names a bad --set', () => {
    const file = writeSpec(dir, 'circuit-missing.neurite.yaml', 'kind: sfq.circuit\nnetlist: missing.cir\nsweep: { grid: { seed: [1, 2] } }\n');
    assert.match(problemsOf(() => planSweep({ specPath: file })).join('\n'), /^netlist: cannot read .*missing\.cir: ENOENT/);
    assert.deepStrictEqual(problemsOf(() => planSweep({ specPath: writeSpec(dir, 'grid-set.neurite.yaml', gridSpec), overrides: ['simulation.trials=-1'] })), ['--set simulation.trials=-1: Too small: expected number to be >=0']);
  });

  it('computes the sample mean and sd, exact for equal values and null sd for one value', () => {
    const s = stat([1, 2, 3, 4]);
    assert.strictEqual(s.mean, 2.5);
    assert.ok(Math.abs(s.sd! - Math.sqrt(5 / 3)) < 1e-15);
    assert.deepStrictEqual(stat([0.1, 0.1, 0.1]), { mean: 0.1, sd: 0, n: 3 });
    assert.deepStrictEqual(stat([5]), { mean: 5, sd: null, n: 1 });
    assert.deepStrictEqual(stat([]), { mean: null, sd: null, n: 0 });
  });
});

