import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  RunResult, fixture, isAlive, kernelInfo, listRuns, log, newRunDir, readJson, startRun, waitFor, withTimeout,
} from './util';

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
    const hadMetric = await waitFor('a first metric of the long run', () => (metricLines(dir) ? true : undefined), 30_000)
      .catch(() => false);
    if (!hadMetric) log('warning: the long run wrote no metric within 30 s; killing the kernel anyway');
    const written = metricLines(dir);
    log(`${written.split('\n').length - 1} metric lines on disk when the kernel is killed`);

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
    assert.ok(metricLines(dir).startsWith(written), 'metrics written before the crash must stay in metrics.jsonl');
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
