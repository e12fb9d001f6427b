import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';
import { baseSpec, gridSpec, readJson, summaries, sweep, writeSpec } from './fixtures';

const clusterScript = path.join(repoRoot, 'test', 'slurm', 'cluster.sh');
const slurmTools = ['slurmctld', 'slurmd', 'sinfo', 'sbatch', 'squeue', 'scancel'];
const missing = slurmTools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);

const until = async <T>(what: string, poll: () => T | undefined, ms = 60_000): Promise<T> => {
  const t0 = Date.now();
  for (;;) {
    const v = poll();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('sweeps: the Slurm batch script', () => {
  it('prints the job array script on --dry-run without submitting or creating anything', () => {
    const ws = tempDir('neurite-dry-');
    const spec = writeSpec(ws, 'grid.neurite.yaml', `${gridSpec}  slurm: { partition: debug, time: "00:10:00", memory: 1G, options: ["--qos=short"], setup: ["module load nodejs"] }\n`);
    const r = cli(['sweep', spec, '--executor', 'slurm', '--dry-run', '--cpus', '2', '--jobs', '3', '--out', path.join(ws, 'sweeps')]);
    assert.strictEqual(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    for (const want of ['#!/bin/bash', '#SBATCH --array=0-11%3', '#SBATCH --cpus-per-task=2', '#SBATCH --partition=debug', '#SBATCH --time=00:10:00', '#SBATCH --mem=1G', '#SBATCH --qos=short', 'module load nodejs']) {
      assert.ok(lines.includes(want), `${want} in\n${r.stdout}`);
    }
    assert.match(r.stdout, /^#SBATCH --output=".*\/sweeps\/sweep-test-[0-9a-f]{10}\/slurm\/%A_%a\.out"$/m);
    assert.match(r.stdout, /^exec "\$\{NEURITE_NODE:-.*node.*\}" '.*cli\.js' sweep trial '.*sweep-test-[0-9a-f]{10}' "\$SLURM_ARRAY_TASK_ID"$/m);
    assert.match(r.stdout, /^export NEURITE_THREADS="\$\{SLURM_CPUS_PER_TASK:-2\}"$/m);
    assert.ok(!fs.existsSync(path.join(ws, 'sweeps')));
  });
});

describe('sweeps on a real one-node Slurm cluster', function () {
  this.timeout(180_000);
  let clusterDir: string | undefined;
  const ws = tempDir('neurite-sweep-slurm-');
  const out = path.join(ws, 'sweeps');

  before(function () {
    if (missing.length) {
      console.log(`      skipped: ${missing.join(', ')} not installed (apt-get install slurm-wlm)`);
      this.skip();
    }
    clusterDir = tempDir('neurite-slurm-cluster-');
    const r = spawnSync('bash', [clusterScript, 'start', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`the test cluster did not start (exit ${r.status}):\n${r.stderr}`);
    process.env.SLURM_CONF = /SLURM_CONF=(\S+)/.exec(r.stdout)![1]; // the CLI and its sbatch/squeue inherit it
  });

  after(() => {
    if (!clusterDir) return;
    const r = spawnSync('bash', [clusterScript, 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    delete process.env.SLURM_CONF;
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('runs the sweep as one job array through sbatch and gets the same table as the local executor', () => {
    const spec = writeSpec(ws, 'grid.neurite.yaml', gridSpec);
    const local = sweep([spec, '--out', path.join(ws, 'local'), '--json'], ws);
    assert.strictEqual(local.code, 0, local.stderr);
    const r = sweep([spec, '--executor', 'slurm', '--out', out, '--json'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    const o = r.outcome;
    assert.deepStrictEqual([o.status, o.counts.completed, o.jobIds.length], ['completed', 12, 1]);
    const record = readJson(path.join(o.dir, 'sweep.json'));
    assert.deepStrictEqual([record.executor.type, record.executor.jobIds, record.slurmJobs], ['slurm', o.jobIds, o.jobIds]);
    assert.match(fs.readFileSync(path.join(o.dir, record.executor.script), 'utf8'), /^#SBATCH --array=0-11$/m);
    for (let i = 0; i < 12; i++) assert.ok(fs.existsSync(path.join(o.dir, 'slurm', `${o.jobIds[0]}_${i}.out`)), `array task ${i} wrote its output`);
    const slurmTable = readJson(o.table.json);
    const localTable = readJson(local.outcome.table.json);
    assert.strictEqual(slurmTable.rows.length, 4);
    assert.deepStrictEqual(slurmTable.rows, localTable.rows);
    assert.strictEqual(fs.readFileSync(o.table.csv, 'utf8'), fs.readFileSync(local.outcome.table.csv, 'utf8'));
  });

  it('answers status while a detached sweep is queued or running, and collect finalizes the table after', async () => {
    const spec = writeSpec(ws, 'detached.neurite.yaml', `${baseSpec.replace('name: sweep-test', 'name: sweep-detached').replace('trials: 20000', 'trials: 3000000')}sweep:\n  grid:\n    seed: [1, 2, 3, 4]\n`);
    const r = sweep([spec, '--executor', 'slurm', '--detach', '--out', out, '--json'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.outcome.status, 'submitted');
    const id = r.outcome.sweepId;
    const status = () => lastJsonLine(cli(['sweep', 'status', id, '--out', out, '--json']).stdout);
    const first = status();
    assert.strictEqual(first.status, 'running', 'queued tasks count as running');
    assert.ok(first.trials.every((t: any) => ['queued', 'running', 'completed'].includes(t.status)), JSON.stringify(first.trials));
    const done = await until('the job array to finish', () => {
      const s = status();
      return s.status !== 'running' ? s : undefined;
    });
    assert.strictEqual(done.status, 'submitted', 'status only reads; collect writes the outcome');
    const c = cli(['sweep', 'collect', id, '--out', out, '--json']);
    assert.strictEqual(c.code, 0, c.stderr);
    const collected = lastJsonLine(c.stdout);
    assert.strictEqual(collected.status, 'completed');
    assert.deepStrictEqual(collected.table.rows.map((row: any) => [row.completed, row.seeds]), [[4, [1, 2, 3, 4]]]);
    assert.strictEqual(readJson(path.join(r.outcome.dir, 'sweep.json')).status, 'completed');
  });

  it('cancels with scancel: a running trial ends with a cancelled summary and queued trials never start', async () => {
    const spec = writeSpec(ws, 'long.neurite.yaml', `${baseSpec.replace('name: sweep-test', 'name: sweep-long').replace('trials: 20000', 'trials: 1000000000')}sweep:\n  grid:\n    seed: [1, 2, 3, 4, 5]\n`);
    const r = sweep([spec, '--executor', 'slurm', '--detach', '--out', out, '--json'], ws);
    assert.strictEqual(r.code, 0, r.stderr);
    const { sweepId: id, dir } = r.outcome;
    const runs = path.join(dir, 'runs');
    const started = () => fs.existsSync(runs) && fs.readdirSync(runs).some((t) => fs.readdirSync(path.join(runs, t)).length > 0);
    await until('a trial to start its run', () => (started() ? true : undefined));
    assert.strictEqual(summaries(runs).size, 0, 'no trial has finished (each would take minutes)');
    const cancel = cli(['sweep', 'cancel', id, '--out', out]);
    assert.strictEqual(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /^scancel \d+ \(\d+ tasks were queued or running\)$/m);
    await until('the tasks to leave the queue', () => (lastJsonLine(cli(['sweep', 'status', id, '--out', out, '--json']).stdout).status !== 'running' ? true : undefined), 30_000);
    const collected = lastJsonLine(cli(['sweep', 'collect', id, '--out', out, '--json']).stdout);
    assert.strictEqual(collected.status, 'cancelled');
    const ran = collected.trials.filter((t: any) => t.status !== 'pending');
    assert.ok(ran.length >= 1 && ran.length <= 2, `1 or 2 trials ran on 2 CPUs: ${JSON.stringify(collected.trials)}`);
    for (const t of ran) assert.deepStrictEqual([t.status, t.error], ['cancelled', 'cancelled by user'], 'the trial saw SIGTERM and wrote its own summary');
    assert.ok(collected.trials.filter((t: any) => t.status === 'pending').length >= 3);
  });
});
