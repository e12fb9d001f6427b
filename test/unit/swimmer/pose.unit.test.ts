/**
 * The swimmer view's reader on a real ncap.swimmer run (toy size, ~2 s): traces/pose.csv read in
 * full agrees with the run's trajectory artifact and its `swimmer-pose` trace, and what is not a
 * pose is refused with a reason.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONTROL_TIMESTEP } from '../../../kernel/models/ncap/traces';
import { hasPose, poseMessage, readPose } from '../../../kernel/swimmer/pose';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';

const STEPS = 40;
const EVERY = 10;

describe('swimmer view: the pose reader', function () {
  this.timeout(120000);
  let run = '';

  before(() => {
    const out = tempDir('neurite-swimmer-');
    const sets = ['es.population=2', 'es.generations=1', 'episode.steps=10', 'evaluation.episodes=1', 'evaluation.transferLinks=[]', `evaluation.trajectorySteps=${STEPS}`, `evaluation.poseEvery=${EVERY}`, 'workers=1'];
    const r = cli(['run', path.join(repoRoot, 'samples', 'ncap-transfer.neurite.yaml'), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
    assert.strictEqual(r.code, 0, r.stderr);
    run = path.join(out, lastJsonLine(r.stdout).id);
  });

  it('reads every control step of pose.csv: 6 links, times 0.03 s apart, poses equal to the trajectory artifact', async () => {
    assert.ok(hasPose(run));
    const rec = await readPose(run);
    const traj = JSON.parse(fs.readFileSync(path.join(run, 'artifacts', 'trajectory.json'), 'utf8'));
    assert.strictEqual(rec.links, 6);
    assert.strictEqual(rec.times.length, STEPS + 1);
    rec.times.forEach((t, k) => assert.ok(Math.abs(t - k * CONTROL_TIMESTEP) < 1e-4, `time ${k}: ${t}`));
    traj.frames.forEach((f: number[], k: number) => f.forEach((v, c) => assert.ok(Math.abs(rec.pose[k * 18 + c] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `frame ${k} column ${c}: ${rec.pose[k * 18 + c]} vs ${v}`)));
  });

  it("sends every frame's outline, nose to tail, matching the run's swimmer-pose trace where it has one, inside the bounds", async () => {
    const m = poseMessage(await readPose(run), { run });
    assert.ok(m.type === 'open');
    assert.strictEqual(m.x.length, (STEPS + 1) * 7);
    const trace = JSON.parse(fs.readFileSync(path.join(run, 'traces', 'swimmer-pose.json'), 'utf8'));
    assert.strictEqual(trace.series.length, STEPS / EVERY + 1);
    trace.series.forEach((s: { x: number[]; y: number[] }, i: number) =>
      s.x.forEach((x, p) => {
        const at = i * EVERY * 7 + p;
        assert.ok(Math.abs(m.x[at] - x) < 1e-5 && Math.abs(m.y[at] - s.y[p]) < 1e-5, `frame ${i * EVERY} point ${p}: (${m.x[at]}, ${m.y[at]}) vs (${x}, ${s.y[p]})`);
      }),
    );
    const [x0, y0, x1, y1] = m.bounds;
    assert.deepStrictEqual([x0, y0, x1, y1], [Math.min(...m.x), Math.min(...m.y), Math.max(...m.x), Math.max(...m.y)]);
  });

  const refusals: [string, (dir: string) => void, RegExp][] = [
    ['a run without traces/pose.csv', () => {}, /has no swimmer pose/],
    ['a waveform CSV named pose.csv', (d) => fs.writeFileSync(path.join(d, 'traces', 'pose.csv'), 'time_ps,v_mV\n0,1\n1,2\n'), /expected the columns time_s, x0_m/],
    ['four columns that are not x, y, facing', (d) => fs.writeFileSync(path.join(d, 'traces', 'pose.csv'), 'time_s,a,b,c\n0,1,2,3\n'), /expected the columns time_s, x0_m/],
    ['a pose.csv with a header only', (d) => fs.writeFileSync(path.join(d, 'traces', 'pose.csv'), 'time_s,x0_m,y0_m,facing0_rad\n'), /has no rows/],
  ];
  for (const [name, make, error] of refusals) {
    it(`refuses ${name}, saying why`, async () => {
      const dir = tempDir('neurite-swimmer-bad-');
      fs.mkdirSync(path.join(dir, 'traces'));
      make(dir);
      await assert.rejects(readPose(dir), error);
    });
  }
});
