/**
 * The ncap.swimmer and nested.mlp kinds end to end through the CLI, at toy sizes: the summary
 * metrics, the traces a view animates, the trajectory artifact; the samples validate; bad
 * specs are refused before any work.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadSpec } from '../../../../kernel/runs/runner';
import { cli, lastJsonLine, repoRoot, tempDir } from '../../helpers';

describe('ncap.swimmer and nested.mlp experiments', function () {
  this.timeout(120000);

  it('ncap.swimmer runs: 4 parameters, init/final returns, transfer per body length, the pose trace, pose.csv and the trajectory artifact', () => {
    const out = tempDir('neurite-ncap-');
    const sets = ['es.population=4', 'es.generations=2', 'episode.steps=60', 'evaluation.episodes=2', 'evaluation.transferLinks=[4,8]', 'evaluation.trajectorySteps=30', 'evaluation.poseEvery=10', 'workers=2'];
    const r = cli(['run', path.join(repoRoot, 'samples', 'ncap-transfer.neurite.yaml'), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    assert.strictEqual(s.status, 'completed');
    assert.strictEqual(s.metrics.parameters, 4);
    assert.strictEqual(s.metrics.training_episodes, 8);
    assert.strictEqual(s.metrics.workers, 2);
    for (const m of ['init_return', 'final_return', 'transfer_4_links', 'transfer_8_links']) assert.ok(s.metrics[m] > 0 && s.metrics[m] <= 60, `${m} = ${s.metrics[m]}`);
    const run = path.join(out, s.id);
    const pose = JSON.parse(fs.readFileSync(path.join(run, 'traces', 'swimmer-pose.json'), 'utf8'));
    assert.strictEqual(pose.series.length, 4, 'poses at steps 0, 10, 20, 30');
    assert.strictEqual(pose.series[0].x.length, 7, 'a 6-link outline has 7 points, nose to tail');
    const csv = fs.readFileSync(path.join(run, 'traces', 'pose.csv'), 'utf8').trim().split('\n');
    assert.strictEqual(csv.length, 32);
    assert.strictEqual(csv[0].split(',').length, 1 + 18);
    const traj = JSON.parse(fs.readFileSync(path.join(run, 'artifacts', 'trajectory.json'), 'utf8'));
    assert.strictEqual(traj.frames.length, 31);
    assert.strictEqual(traj.params.length, 4);
    for (const t of ['learning-curve', 'transfer']) assert.ok(fs.existsSync(path.join(run, 'traces', `${t}.json`)), t);
  });

  it('nested.mlp runs the sample at 20 steps and agrees with the dense engine to 1e-12', () => {
    const out = tempDir('neurite-nested-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'nested-mlp.neurite.yaml'), '--out', out, '--json', '--set', 'train.steps=20', '--set', 'data.trainLimit=640']);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    assert.ok(s.metrics.max_loss_diff < 1e-12 && s.metrics.max_param_diff < 1e-12, JSON.stringify(s.metrics));
    assert.ok(s.metrics.nested_final_loss < s.metrics.first_loss, 'the loss went down');
  });

  it('the samples validate, and an odd population or an unknown controller is refused before any work', () => {
    for (const f of ['ncap-swimmer', 'ncap-transfer', 'nested-mlp']) loadSpec({ specPath: path.join(repoRoot, 'samples', `${f}.neurite.yaml`) });
    assert.throws(() => loadSpec({ spec: { kind: 'ncap.swimmer', es: { population: 5 } } }), /es\.population/);
    assert.throws(() => loadSpec({ spec: { kind: 'ncap.swimmer', controller: { kind: 'lstm' } } }), /controller\.kind/);
    assert.throws(() => loadSpec({ spec: { kind: 'ncap.swimmer', body: { links: 13 } } }), /body\.links/);
  });
});
