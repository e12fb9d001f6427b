import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  RunResult, fixture, listRuns, log, newRunDir, readJson, readMetrics, runIdOf, runsDir, sleep, startRun, waitFor, withTimeout,
} from './util';

const RUN_DIR_NAME = /^\d{8}-\d{6}-/;

suite('Running experiments', () => {
  let pending: Promise<unknown> | undefined;

  suiteTeardown(async () => {
    // A run left going by a failed test would hold the kernel: restart it so later suites start clean.
    if (pending) await vscode.commands.executeCommand('neurite.restartKernel', { force: true }).then(undefined, () => undefined); // force: no question
  });

  test('running the quick spec writes a completed run folder with spec.json, metrics.jsonl and summary.json', async () => {
    const before = listRuns();
    const t0 = Date.now();
    const { done, settled } = startRun(fixture('quick.neurite.yaml'));
    let finished = false;
    void settled.then(() => { finished = true; });
    let firstMetricMs: number | undefined;
    while (!finished && firstMetricMs === undefined) {
      const d = newRunDir(before);
      const m = d && path.join(d, 'metrics.jsonl');
      if (m && fs.existsSync(m) && fs.readFileSync(m, 'utf8').includes('\n')) firstMetricMs = Date.now() - t0;
      else await sleep(5);
    }
    const r = await done;
    const wallMs = Date.now() - t0;
    assert.ok(r && typeof r === 'object', `runExperiment resolved with ${JSON.stringify(r)}`);
    assert.strictEqual(r.status, 'completed', `status ${r.status}; summary ${JSON.stringify(r.summary)}`);
    assert.ok(typeof r.runId === 'string' && r.runId.length > 0, `runId: ${r.runId}`);
    assert.strictEqual(path.dirname(path.resolve(r.dir)), path.resolve(runsDir()), `run dir ${r.dir} is not under ${runsDir()}`);
    assert.match(path.basename(r.dir), RUN_DIR_NAME);
    assert.ok(path.basename(r.dir).endsWith('-quick'), `run folder ${path.basename(r.dir)} should end with the spec name`);
    assert.deepStrictEqual(listRuns().filter((n) => !before.includes(n)), [path.basename(r.dir)], 'exactly one new run folder');
    for (const f of ['spec.json', 'metrics.jsonl', 'summary.json', 'traces', 'artifacts']) {
      assert.ok(fs.existsSync(path.join(r.dir, f)), `${f} missing from ${r.dir}`);
    }
    const summary = readJson(path.join(r.dir, 'summary.json'));
    assert.strictEqual(summary.status, 'completed');
    assert.strictEqual(r.summary?.status ?? 'completed', 'completed');
    assert.match(JSON.stringify(readJson(path.join(r.dir, 'spec.json'))), /dendrite\.sdr/);
    const metrics = readMetrics(r.dir);
    assert.ok(metrics.length > 0, 'metrics.jsonl has no metric');
    log(`quick run ${r.runId}: wall ${wallMs} ms (command → resolved), ${metrics.length} metric lines`);
    log(`command → first metric line on disk: ${firstMetricMs === undefined ? 'not observed (run ended first)' : `${firstMetricMs} ms`}; first metric's t = ${JSON.stringify(metrics[0].t)}`);
  });

  test('a spec with an unknown key is rejected before any work, naming the path, and creates no run folder', async () => {
    const before = listRuns();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('neurite.runExperiment', fixture('bad.neurite.yaml'))),
      (e: unknown) => {
        const msg = e instanceof Error ? e.message : String(e);
        log(`rejected with: ${msg.split('\n').join(' ⏎ ')}`);
        assert.match(msg, /simulation/, 'the message must name the path (simulation…)');
        assert.match(msg, /trialz/, 'the message must name the unknown key');
        assert.match(msg, /simulation[\w.[\]"]*\s*:/, 'problems are listed as path: message');
        return true;
      },
    );
    await sleep(500);
    assert.deepStrictEqual(listRuns(), before, 'a rejected spec must not create a run folder');
  });

  test('cancelling a long run ends it promptly with status cancelled, written to its summary.json', async () => {
    const before = listRuns();
    const { settled } = startRun(fixture('long.neurite.yaml'));
    pending = settled;
    const dir = await waitFor('the long run folder', () => newRunDir(before, 'long'), 60_000);
    const early = await Promise.race([settled, sleep(1500)]);
    assert.strictEqual(early, undefined, `the long run ended before it was cancelled: ${JSON.stringify(early)}`);
    const runId = runIdOf(dir);
    const t0 = Date.now();
    await vscode.commands.executeCommand('neurite.cancelRun', runId);
    const r = await withTimeout(settled, 30_000, `the end of run ${runId} after cancelRun`);
    const ms = Date.now() - t0;
    pending = undefined;
    assert.ok(!(r instanceof Error), `runExperiment rejected after cancel: ${r instanceof Error ? r.stack : ''}`);
    const res = r as RunResult;
    assert.strictEqual(res.status, 'cancelled');
    assert.strictEqual(path.resolve(res.dir), path.resolve(dir));
    assert.strictEqual(res.runId, runId, 'cancelRun was given the folder name as run id');
    const summary = readJson(path.join(dir, 'summary.json'));
    assert.strictEqual(summary.status, 'cancelled');
    log(`cancel → run ended: ${ms} ms; ${readMetrics(dir).length} metric lines kept`);
    assert.ok(ms < 10_000, `cancelling took ${ms} ms`);
  });
});
