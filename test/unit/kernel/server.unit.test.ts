/** The kernel process over real node IPC and JSON-RPC, as the extension talks to it. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResponseError } from 'vscode-jsonrpc/node';
import { KernelErrorCodes } from '../../../kernel/protocol/types';
import { repoRoot, startKernel, tempDir, type KernelClient } from '../helpers';

const sample = path.join(repoRoot, 'samples', 'sdr-paper.neurite.yaml');

describe('kernel process (JSON-RPC over IPC)', function () {
  let kernel: KernelClient;

  before(() => {
    kernel = startKernel();
  });

  after(() => kernel.dispose());

  const request = (method: string, params?: unknown) => kernel.request(method, params);
  const endOf = (runId: string) => kernel.until((n) => n.method === 'run/end' && n.params.runId === runId);

  it('answers kernel/info and experiments/list', async () => {
    const info = await request('kernel/info', {});
    assert.strictEqual(info.pid, kernel.child.pid);
    assert.ok(info.kinds.includes('dendrite.sdr'));
    const list = await request('experiments/list');
    assert.ok(list.experiments.some((e: any) => e.kind === 'dendrite.sdr' && e.engine === 'event'));
  });

  it('answers invalid params with a JSON-RPC error and keeps serving', async () => {
    await assert.rejects(request('run/start', { workspace: 42 }), (e: ResponseError<any>) => e.code === -32602 && /workspace/.test(e.message));
    await assert.rejects(request('run/cancel', {}), (e: ResponseError<any>) => e.code === -32602);
    await assert.rejects(request('experiments/schema', { kind: 'x', extra: 1 }), (e: ResponseError<any>) => e.code === -32602);
    await assert.rejects(request('no/such/method', {}), (e: ResponseError<any>) => e.code === -32601);
    assert.ok((await request('kernel/info', {})).pid, 'still alive');
  });

  it('rejects a bad spec with BadInput and its problems, before creating a run', async () => {
    const ws = tempDir('neurite-ws-');
    await assert.rejects(
      request('run/start', { workspace: ws, spec: { kind: 'dendrite.sdr', seed: -1, bogus: true } }),
      (e: ResponseError<any>) => e.code === KernelErrorCodes.BadInput && e.data.problems.length === 2 && /bogus: unknown key/.test(e.data.problems.join()),
    );
    assert.ok(!fs.existsSync(path.join(ws, '.neurite')));
  });

  it('streams progress, metrics, traces and end for a run, and writes the run folder', async () => {
    const ws = tempDir('neurite-ws-');
    const { runId, dir, kind } = await request('run/start', { workspace: ws, specPath: sample, overrides: ['simulation.trials=100000'] });
    assert.strictEqual(kind, 'dendrite.sdr');
    assert.strictEqual(path.dirname(dir), path.join(ws, '.neurite', 'runs'));
    const end = await endOf(runId);
    assert.strictEqual(end.status, 'completed');
    const mine = kernel.notes.filter((n) => n.params.runId === runId).map((n) => n.method);
    for (const m of ['run/progress', 'run/metric', 'run/trace', 'run/log']) assert.ok(mine.includes(m), `no ${m}`);
    assert.strictEqual(mine.indexOf('run/end'), mine.length - 1, 'run/end comes last');
    const details = await request('runs/get', { dir });
    assert.strictEqual(details.info.status, 'completed');
    assert.ok(details.metrics.length > 0 && Object.keys(details.traces).length > 0);
    const { runs } = await request('runs/list', { workspace: ws });
    assert.deepStrictEqual(runs.map((r: any) => r.id), [runId]);
  });

  it('cancels a long run at the next step boundary and records it as cancelled', async () => {
    const ws = tempDir('neurite-ws-');
    const { runId, dir } = await request('run/start', { workspace: ws, specPath: sample, overrides: ['simulation.trials=1000000000000'] });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    assert.deepStrictEqual(await request('run/cancel', { runId }), { cancelled: true });
    const end = await endOf(runId);
    assert.ok(Date.now() - t0 < 3000, 'cancel takes effect within a step');
    assert.strictEqual(end.status, 'cancelled');
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    assert.strictEqual(summary.status, 'cancelled');
    assert.ok(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').length > 0, 'metrics written before the cancel are kept');
    await assert.rejects(request('run/cancel', { runId }), (e: ResponseError<any>) => e.code === KernelErrorCodes.UnknownRun);
  });

  it('wrote nothing unexpected to stderr', () => {
    assert.doesNotMatch(kernel.stderr, /failed|Error/, kernel.stderr);
  });
});
