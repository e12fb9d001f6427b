/**
 * Comparing runs: real dendrite.sdr runs at two thresholds × two seeds are compared from their
 * folders — the spec diff, the legend labels, the configurations and their mean ± sd — and a
 * run stopped early keeps the metrics it streamed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nullSink, type RunSink } from '../../../kernel/runs/context';
import { compareRuns, flatten } from '../../../kernel/runs/compare';
import { startRun } from '../../../kernel/runs/runner';
import { stat } from '../../../kernel/sweeps/table';
import { repoRoot, tempDir } from '../helpers';

const sdr = path.join(repoRoot, 'samples', 'sdr-seeds.neurite.yaml');

describe('comparing runs', function () {
  this.timeout(120000);
  const out = tempDir('neurite-compare-');
  const dirs: string[] = [];

  before(async () => {
    for (const theta of [10, 12]) {
      for (const seed of [1, 2]) {
        const run = startRun({ workspace: out, outDir: out, specPath: sdr, seed, overrides: ['simulation.trials=20000', `checks.falsePositive.0.theta=${theta}`] }, nullSink, new AbortController().signal);
        assert.strictEqual((await run.done).status, 'completed');
        dirs.push(run.dir);
      }
    }
  });

  it('flattens a spec to paths, walking lists of objects by index and keeping lists of values whole', () => {
    assert.deepStrictEqual(flatten({ a: { b: 1, c: [256, 128] }, checks: [{ n: 300, theta: 12 }], e: {} }), { 'a.b': 1, 'a.c': [256, 128], 'checks.0.n': 300, 'checks.0.theta': 12, e: {} });
  });

  it('lists exactly the paths that differ, labels each run by them, and groups runs that differ only in seed', () => {
    const m = compareRuns(dirs);
    assert.deepStrictEqual(m.diff.map((d) => [d.path, d.values]), [['checks.falsePositive.0.theta', [10, 10, 12, 12]], ['seed', [1, 2, 1, 2]]]);
    assert.deepStrictEqual(m.runs.map((r) => r.label), ['checks.falsePositive.0.theta=10, seed=1', 'checks.falsePositive.0.theta=10, seed=2', 'checks.falsePositive.0.theta=12, seed=1', 'checks.falsePositive.0.theta=12, seed=2']);
    assert.deepStrictEqual(m.configs.map((c) => [c.label, c.runs]), [['checks.falsePositive.0.theta=10', [0, 1]], ['checks.falsePositive.0.theta=12', [2, 3]]]);
    assert.deepStrictEqual(m.runs.map((r) => r.color), [0, 1, 2, 3]);
    assert.ok(m.same > 10, `${m.same} paths are the same`);
    assert.strictEqual(m.title, 'sdr-seeds: 4 runs');
  });

  it('gives each configuration the mean, sd and n of every summary metric over its completed runs', () => {
    const m = compareRuns(dirs);
    for (const c of m.configs) {
      const xs = c.runs.map((i) => m.runs[i].summary.fp0_sim as number);
      assert.deepStrictEqual(c.stats.fp0_sim, stat(xs));
      assert.strictEqual(c.stats.fp0_sim.n, 2);
      assert.ok(c.stats.fp0_sim.sd! > 0, 'two seeds give two estimates');
      assert.strictEqual(c.stats.fp0_theory.sd, 0, 'the theory does not depend on the seed');
    }
  });

  it('leaves out folders that are gone, and says which runs are still going', () => {
    const m = compareRuns([dirs[0], path.join(out, 'no-such-run'), dirs[1]], { running: (id) => id === path.basename(dirs[1]) });
    assert.deepStrictEqual(m.runs.map((r) => r.status), ['completed', 'running']);
    assert.deepStrictEqual(m.diff.map((d) => d.path), ['seed']);
  });

  it('names runs uniquely when two share a folder name (sweep trials started in the same second)', () => {
    const copy = path.join(out, 'copy');
    fs.mkdirSync(copy);
    const twin = path.join(copy, path.basename(dirs[0]));
    fs.cpSync(dirs[0], twin, { recursive: true });
    const m = compareRuns([dirs[0], twin]);
    assert.deepStrictEqual(m.runs.map((r) => r.id), [`${path.basename(out)}/${path.basename(dirs[0])}`, `copy/${path.basename(dirs[0])}`]);
    assert.deepStrictEqual(m.runs.map((r) => r.runId), [path.basename(dirs[0]), path.basename(dirs[0])]);
    assert.deepStrictEqual(m.runs.map((r) => r.dir), [dirs[0], twin]);
  });

  it('a run cancelled midway keeps the last value of each metric it streamed, marked partial', async () => {
    const ctl = new AbortController();
    let seen = 0;
    const sink: RunSink = { ...nullSink, metric: (r) => r.series === 'fp0' && ++seen === 2 && ctl.abort() };
    const run = startRun({ workspace: out, outDir: out, specPath: sdr, overrides: ['simulation.trials=4000000', 'simulation.chunk=100000'] }, sink, ctl.signal);
    const summary = await run.done;
    assert.strictEqual(summary.status, 'cancelled');
    assert.strictEqual(summary.partial, true);
    assert.deepStrictEqual(Object.keys(summary.metrics).sort(), ['estimate', 'hi', 'lo', 'theory']);
    assert.ok(summary.metrics.estimate > 0 && summary.metrics.lo < summary.metrics.estimate);
  });
});
