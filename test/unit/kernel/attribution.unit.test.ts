/**
 * `attribution/get` over real JSON-RPC (the kernel process, as the extension talks to it):
 * a typed result that validates against the protocol's schema, progress notifications carrying
 * the request's token, a stored record served instead of recomputed, and cancellation with
 * JSON-RPC's $/cancelRequest that leaves the kernel serving.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CancellationTokenSource, type ResponseError } from 'vscode-jsonrpc/node';
import { attributionRecord } from '../../../kernel/protocol/attribution';
import { notificationSchemas } from '../../../kernel/protocol/schemas';
import { KernelErrorCodes } from '../../../kernel/protocol/types';
import { startKernel, tempDir, type KernelClient } from '../helpers';

describe('attribution/get over JSON-RPC', function () {
  let kernel: KernelClient;
  let run: string;

  before(async () => {
    kernel = startKernel();
    const ws = tempDir('neurite-ws-');
    const spec = { kind: 'dense.mlp', data: { name: 'mnist', trainLimit: 2000, testLimit: 1000 }, model: { hidden: [32] }, train: { epochs: 1 } };
    const { runId, dir } = await kernel.request('run/start', { workspace: ws, spec });
    const end = await kernel.until((n) => n.method === 'run/end' && n.params.runId === runId);
    assert.strictEqual(end.status, 'completed', end.summary.error);
    run = dir;
  });

  after(() => kernel.dispose());

  it('answers with records that validate, streams progress with its token, and serves a stored record the second time', async () => {
    const ask = { run, method: 'gradxact', data: { split: 'test', count: 300 }, options: { batchSize: 100 }, store: true, progressToken: 'p1' };
    const first = await kernel.request('attribution/get', ask);
    assert.strictEqual(first.results.length, 1);
    const r = first.results[0];
    assert.ok(attributionRecord.safeParse(r.record).success, JSON.stringify(attributionRecord.safeParse(r.record).error?.issues));
    assert.deepStrictEqual([r.cached, r.record.layer, r.record.units, r.record.items], [false, 'hidden0', 32, 300]);
    assert.strictEqual(r.file, path.join(run, 'artifacts', 'attribution', 'hidden0.gradxact.json'));
    const progress = kernel.notes.filter((n) => n.method === 'attribution/progress').map((n) => n.params);
    assert.ok(progress.length >= 3, `${progress.length} progress notifications`);
    for (const p of progress) assert.ok(notificationSchemas['attribution/progress'].safeParse(p).success && p.progressToken === 'p1');
    assert.strictEqual(progress[progress.length - 1].fraction, 1);
    const again = await kernel.request('attribution/get', { ...ask, progressToken: 'p2' });
    assert.strictEqual(again.results[0].cached, true);
    assert.deepStrictEqual(again.results[0].record, JSON.parse(fs.readFileSync(r.file, 'utf8')));
    assert.ok(!kernel.notes.some((n) => n.params.progressToken === 'p2'), 'nothing computed, nothing to report');
  });

  it('rejects invalid params with the path of each problem', async () => {
    await assert.rejects(kernel.request('attribution/get', { run, method: 'Bad Name', data: { split: 'test', count: 0 } }), (e: ResponseError<any>) => e.code === -32602 && /method/.test(e.message) && /data\.count/.test(e.message));
    await assert.rejects(kernel.request('attribution/get', { run: path.join(run, 'nope'), method: 'activation', data: { split: 'test' } }), (e: ResponseError<any>) => e.code === KernelErrorCodes.BadInput && /no such run/.test(e.message));
  });

  it('a cancelled request ends with RequestCancelled at the next run boundary, and the kernel keeps serving', async () => {
    const source = new CancellationTokenSource();
    const pending = kernel.request('attribution/get', { run, method: 'ig', data: { split: 'test', count: 1000 }, options: { steps: 256, batchSize: 16 }, progressToken: 'slow' }, source.token);
    await kernel.until((n) => n.method === 'attribution/progress' && n.params.progressToken === 'slow', 30000);
    source.cancel();
    await assert.rejects(pending, (e: ResponseError<any>) => e.code === KernelErrorCodes.Cancelled);
    const last = kernel.notes.filter((n) => n.params.progressToken === 'slow').pop()!.params;
    assert.ok(last.fraction < 0.5, `cancelled late: at ${last.fraction}`);
    assert.ok((await kernel.request('kernel/info', {})).pid);
    assert.ok(!fs.existsSync(path.join(run, 'artifacts', 'attribution', 'input.ig.json')));
  });
});
