import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  RunResult, fixture, isAlive, kernelInfo, listRuns, log, newRunDir, readJson, sleep, startRun, waitFor, withTimeout,
} from './util';

/** How long the long run may take to write its first metric (it takes ~0.1 s). */
const FIRST_METRIC_MS = 15_000;

const lineCount = (lines: string) => lines.split('\n').length - 1;

/** The complete lines of metrics.jsonl (a line being written is left out). */
function metricLines(dir: string): string {
  const f = path.join(dir, 'metrics.jsonl');
  const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

suite('Kernel crash and restart', () => {
  let crashedPid = 0;

  test('killing the kernel mid-run marks that run failed with a kernel-crash error and keeps the metrics it wrote', async () => {
    const info = await kernelInfo();
    crashedPid = info.pid;
    const before = listRuns();
    const { settled } = startRun(fixture('long.neurite.yaml'));
    const dir = await waitFor('the long run folder', () => newRunDir(before, 'long'), 60_000);
    // long.neurite.yaml writes a metric every 100 000 tests (the first ~0.1 s in): none is a failure,
    // since a crash test with nothing written cannot show that the metrics survive.
    const written = await waitFor('a first metric of the long run', () => metricLines(dir) || undefined, FIRST_METRIC_MS);
    const early = await Promise.race([settled, sleep(0)]);
    assert.strictEqual(early, undefined, `the long run ended before the kernel was killed: ${JSON.stringify(early)}`);
    log(`${lineCount(written)} metric lines on disk when the kernel is killed`);

    process.kill(info.pid, 'SIGKILL');
    const t0 = Date.now();
    const r = await withTimeout(settled, 30_000, 'the end of the run after its kernel was killed');
    log(`kernel ${info.pid} killed → run ended in ${Date.now() - t0} ms as ${r instanceof Error ? `rejection "${r.message}"` : `status ${r.status}`}`);
    if (r instanceof Error) assert.match(r.message, /kernel/i, 'a rejection must say the kernel went away');
    else assert.strictEqual((r as RunResult).status, 'failed');

    const summaryFile = path.join(dir, 'summary.json');
    const summary = await waitFor<Record<string, unknown>>('summary.json of the crashed run', () => (fs.existsSync(summaryFile) ? readJson(summaryFile) : undefined), 15_000);
    assert.strictEqual(summary.status, 'failed', `summary: ${JSON.stringify(summary)}`);
    const said = JSON.stringify(summary.error ?? summary);
    log(`summary.json error: ${said.slice(0, 300)}`);
    assert.match(said, /kernel/i, 'the error must mention the kernel');
    assert.match(said, /crash|exit|died|killed|SIGKILL|signal/i, 'the error must say the kernel crashed');
    const kept = metricLines(dir);
    log(`${lineCount(kept)} metric lines on disk after the crash`);
    assert.ok(lineCount(written) > 0 && kept.startsWith(written), `the ${lineCount(written)} metric lines written before the crash must open metrics.jsonl after it (${lineCount(kept)} lines there)`);
    assert.ok(!isAlive(info.pid), `kernel pid ${info.pid} still alive`);
  });

  test('after a crash, restartKernel brings up a new kernel and a quick run completes on it', async () => {
    assert.ok(crashedPid > 0, 'needs the crash test to have run');
    await vscode.commands.executeCommand('neurite.restartKernel');
    const info = await kernelInfo();
    log(`new kernel pid ${info.pid} (was ${crashedPid})`);
    assert.notStrictEqual(info.pid, crashedPid);
    assert.ok(isAlive(info.pid));
    const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', fixture('quick.neurite.yaml'));
    assert.strictEqual(r.status, 'completed');
    assert.strictEqual((await kernelInfo()).pid, info.pid, 'the quick run used the restarted kernel');
  });
});
