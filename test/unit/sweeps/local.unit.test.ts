import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, cliJs, lastJsonLine, repoRoot, tempDir } from '../helpers';
import { baseSpec, close, gridSpec, meanSd, readJson, summaries, sweep, writeSpec } from './fixtures';

const waitFor = async (what: string, test: () => boolean, ms = 30_000) => {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('sweeps on the local executor', function () {
  this.timeout(120_000);
  const ws = tempDir('neurite-sweep-local-');
  const out = path.join(ws, 'sweeps');

  it('runs a 2-parameter × 3-seed grid on parallel workers and tabulates mean, sd and n per configuration exactly as direct runs give them', () => {
    const r = sweep([writeSpec(ws, 'grid.neurite.yaml', gridSpec), '--out', out, '--jobs', '2', '--json'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    const o = r.outcome;
    assert.deepStrictEqual([o.status, o.total, o.skipped, o.counts.completed], ['completed', 12, 0, 12]);
    const record = readJson(path.join(o.dir, 'sweep.json'));
    const threads = Math.max(1, Math.floor((os.availableParallelism?.() ?? os.cpus().length) / 2));
    assert.deepStrictEqual(record.executor, { type: 'local', jobs: 2, threadsPerTrial: threads });
    assert.strictEqual(record.status, 'completed');
    assert.match(fs.readFileSync(path.join(o.dir, 'logs', 't000.log'), 'utf8'), new RegExp(`NEURITE_THREADS=${threads}\\)`), 'each worker gets its share of the cores');

    // Every trial is an ordinary run folder under runs/tNNN/, equal to a direct `neurite run` with the same overrides.
    const base = writeSpec(ws, 'base.neurite.yaml', baseSpec);
    const direct = path.join(ws, 'direct');
    const table = readJson(o.table.json);
    assert.strictEqual(table.rows.length, 4);
    for (const row of table.rows) {
      const { 'checks.falsePositive[0].theta': theta, 'simulation.confidence': conf } = row.overrides;
      const runs = [1, 2, 3].map((seed) => {
        const d = cli(['run', base, '--out', direct, '--json', '--seed', String(seed), '--set', `checks.falsePositive.0.theta=${theta}`, '--set', `simulation.confidence=${conf}`]);
        assert.strictEqual(d.code, 0, d.stderr);
        return lastJsonLine(d.stdout).metrics as Record<string, number>;
      });
      const trials = record.trials.filter((t: any) => t.config === row.config);
      assert.deepStrictEqual(trials.map((t: any) => t.overrides.seed), [1, 2, 3]);
      trials.forEach((t: any, k: number) => {
        const [runDir] = fs.readdirSync(path.join(o.dir, 'runs', `t${String(t.index).padStart(3, '0')}`));
        const s = readJson(path.join(o.dir, 'runs', `t${String(t.index).padStart(3, '0')}`, runDir, 'summary.json'));
        assert.deepStrictEqual(s.metrics, runs[k], `trial ${t.index} equals the direct run with seed ${k + 1}`);
      });
      assert.deepStrictEqual(row.seeds, [1, 2, 3]);
      assert.deepStrictEqual(Object.keys(row.metrics), Object.keys(runs[0]));
      for (const m of Object.keys(runs[0])) {
        const want = meanSd(runs.map((x) => x[m]));
        const got = row.metrics[m];
        assert.ok(close(got.mean, want.mean) && close(got.sd, want.sd, want.mean) && got.n === 3, `config ${row.config} ${m}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
      }
    }
    // Different configurations really differ (theta changes the false-positive theory).
    assert.notStrictEqual(table.rows[0].metrics.fp0_theory.mean, table.rows[2].metrics.fp0_theory.mean);
    const csv = fs.readFileSync(o.table.csv, 'utf8').trim().split('\n');
    assert.strictEqual(csv.length, 5);
    assert.match(csv[0], /^config,checks\.falsePositive\[0\]\.theta,simulation\.confidence,trials,completed,failed,fp0_theory_mean,fp0_theory_sd,fp0_theory_n,/);
    assert.ok(csv[3].startsWith(`2,12,0.95,3,3,0,${table.rows[2].metrics.fp0_theory.mean},0,3,`), csv[3]);
  });

  it('records a trial that fails at run time and completes the rest; after the input is fixed, a re-run resumes, leaving finished trials untouched and running only the failed ones', () => {
    // A netlist file that does not exist yet passes validation (it is only a path) and fails
    // when the run reads it: the kind of mistake a user fixes and then resumes the sweep.
    const dir = fs.mkdtempSync(path.join(ws, 'circuits-'));
    const jtl = path.join(repoRoot, 'samples', 'circuits', 'jtl.cir');
    fs.copyFileSync(jtl, path.join(dir, 'a.cir'));
    fs.copyFileSync(jtl, path.join(dir, 'c.cir'));
    const spec = writeSpec(dir, 'fail.neurite.yaml', 'kind: sfq.circuit\nname: sweep-fail\nnetlist: a.cir\nstream: { points: 200 }\nsweep:\n  cases:\n    - { netlist: a.cir }\n    - { netlist: b.cir }\n    - { netlist: c.cir }\n  grid:\n    seed: [1, 2]\n');
    const first = sweep([spec, '--out', out, '--json'], ws);
    assert.strictEqual(first.code, 1, first.stderr);
    const o = first.outcome;
    assert.strictEqual(o.status, 'failed');
    assert.deepStrictEqual([o.counts.completed, o.counts.failed], [4, 2]);
    const before = summaries(path.join(o.dir, 'runs'));
    const failed = [...before].filter(([, s]) => s.status === 'failed');
    assert.deepStrictEqual(failed.map(([d]) => path.basename(path.dirname(d))).sort(), ['t002', 't003']);
    for (const [, s] of failed) assert.match(s.error, /netlist: cannot read .*b\.cir: ENOENT/, 'relative to the spec file, and says why');
    const row = readJson(o.table.json).rows[1];
    assert.deepStrictEqual([row.overrides, row.completed, row.failed, row.metrics.steps?.n ?? 0], [{ netlist: 'b.cir' }, 0, 2, 0]);
    assert.strictEqual(readJson(o.table.json).rows[0].metrics.steps.n, 2, 'the other configurations are intact');
    const mtimes = new Map([...before.keys()].map((d) => [d, fs.statSync(path.join(d, 'summary.json')).mtimeMs]));

    fs.copyFileSync(jtl, path.join(dir, 'b.cir')); // the fix
    const again = sweep([spec, '--out', out, '--json'], ws);
    assert.strictEqual(again.code, 0, again.stderr);
    assert.strictEqual(again.outcome.dir, o.dir, 'the same spec finds the same sweep');
    assert.strictEqual(again.outcome.skipped, 4);
    assert.match(again.stderr, /6 trials, 4 already completed \(resuming\), 2 to run/);
    const after = summaries(path.join(o.dir, 'runs'));
    for (const [d, s] of before) {
      assert.strictEqual(fs.statSync(path.join(d, 'summary.json')).mtimeMs, mtimes.get(d), `${d} untouched`);
      assert.deepStrictEqual(after.get(d), s);
    }
    const retried = [...after.keys()].filter((d) => !before.has(d));
    assert.deepStrictEqual(retried.map((d) => path.basename(path.dirname(d))).sort(), ['t002', 't003'], 'only the failed trials ran again, each as a new attempt');
    for (const d of retried) assert.strictEqual(after.get(d)!.status, 'completed');
    assert.strictEqual(readJson(again.outcome.table.json).rows[1].metrics.steps.n, 2, 'the table now counts the fixed configuration');
  });

  it('cancels from another shell: running trials end cancelled, queued ones never start, no worker is left, and status works meanwhile', async () => {
    const spec = writeSpec(ws, 'long.neurite.yaml', `${baseSpec.replace('name: sweep-test', 'name: sweep-long').replace('trials: 20000', 'trials: 1000000000')}sweep:\n  grid:\n    seed: [1, 2, 3, 4, 5]\n`);
    const child = spawn(process.execPath, [cliJs, 'sweep', spec, '--out', out, '--jobs', '2', '--json'], { cwd: ws });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('two running trials', () => (stderr.match(/running \(pid \d+\)\s+runs\//g) ?? []).length >= 2);
    const pids = [...stderr.matchAll(/running \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    const id = /^sweep (\S+) → /m.exec(stderr)![1];

    const status = cli(['sweep', 'status', id, '--out', out, '--json']);
    assert.strictEqual(status.code, 0, status.stderr);
    const st = lastJsonLine(status.stdout);
    assert.strictEqual(st.status, 'running');
    assert.deepStrictEqual(st.trials.map((t: any) => t.status).sort(), ['pending', 'pending', 'pending', 'running', 'running']);

    const cancel = cli(['sweep', 'cancel', id, '--out', out]);
    assert.strictEqual(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /interrupted controller \d+; it stopped/);
    assert.strictEqual(await exited, 1);
    const o = lastJsonLine(stdout);
    assert.deepStrictEqual([o.status, o.counts.cancelled, o.counts.pending], ['cancelled', 2, 3]);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
    const runs = summaries(path.join(o.dir, 'runs'));
    assert.strictEqual(runs.size, 2);
    for (const s of runs.values()) assert.deepStrictEqual([s.status, s.error], ['cancelled', 'cancelled by user']);
    assert.ok(!fs.existsSync(path.join(o.dir, 'controller.json')), 'the claim on the sweep is released');
  });

  it('rejects bad flags and bad sweep blocks with exit 2 before creating anything', () => {
    const spec = writeSpec(ws, 'g2.neurite.yaml', gridSpec);
    const fresh = path.join(ws, 'nothing-here');
    const cases: [string[], RegExp][] = [
      [['--jobs', '0'], /--jobs: expected an integer ≥ 1, got "0"/],
      [['--executor', 'cloud'], /--executor: expected local or slurm, got "cloud"/],
      [['--executor', 'slurm', '--time', 'soon', '--mem', '2GB'], /--time: a Slurm time limit.*\n\s+--mem: a Slurm memory size/],
      [['--partition', 'debug'], /--partition: only used with --executor slurm/],
    ];
    for (const [args, re] of cases) {
      const r = cli(['sweep', spec, '--out', fresh, ...args]);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
    }
    const bad = writeSpec(ws, 'bad.neurite.yaml', `${baseSpec}sweep:\n  grid:\n    simulation.confidence: [0.9, 2]\n`);
    const r = cli(['sweep', bad, '--out', fresh]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /sweep\.grid\["simulation\.confidence"\]\[1\]: 2: Too big: expected number to be <1 \(line 12, column 34\)/);
    assert.ok(!fs.existsSync(fresh), 'nothing was created');
    assert.strictEqual(cli(['sweep', 'status', 'no-such-sweep', '--out', out]).code, 2);
  });
});
