/** Sweeps through the kernel process, over real node IPC and JSON-RPC, as the extension drives them. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResponseError } from 'vscode-jsonrpc/node';
import { notificationSchemas } from '../../../kernel/protocol/schemas';
import { KernelErrorCodes } from '../../../kernel/protocol/types';
import { startKernel, tempDir, type KernelClient } from '../helpers';

const spec = (name: string, trials: number, seeds: number[]) => ({
  kind: 'dendrite.sdr',
  name,
  checks: { falsePositive: [{ n: 300, a: 64, s: 24, theta: 12 }], falseNegative: [], union: [] },
  simulation: { trials, chunk: 5000 },
  sweeps: [],
  sweep: { grid: { seed: seeds } },
});

describe('kernel sweeps (JSON-RPC over IPC)', function () {
  this.timeout(60_000);
  let kernel: KernelClient;

  before(() => {
    kernel = startKernel();
  });

  after(() => kernel.dispose());

  /** Notifications that fail the schema the extension checks them with. */
  const invalid = () =>
    kernel.notes
      .filter(({ method, params }) => !(notificationSchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>)[method]?.safeParse(params).success)
      .map(({ method, params }) => `${method} ${JSON.stringify(params)}`);
  const request = (method: string, params?: unknown) => kernel.request(method, params);
  const endOf = (sweepId: string) => kernel.until((n) => n.method === 'sweep/end' && n.params.sweepId === sweepId);

  it('rejects bad params and a spec without a sweep block, before creating anything', async () => {
    const ws = tempDir('neurite-ksweep-');
    await assert.rejects(request('sweep/start', { workspace: ws }), (e: ResponseError<any>) => e.code === -32602 && /specPath or spec/.test(e.message));
    await assert.rejects(request('sweep/start', { workspace: ws, spec: {}, jobs: 0 }), (e: ResponseError<any>) => e.code === -32602 && /jobs/.test(e.message));
    await assert.rejects(
      request('sweep/start', { workspace: ws, spec: { kind: 'dendrite.sdr' } }),
      (e: ResponseError<any>) => e.code === KernelErrorCodes.BadInput && /^sweep: the spec has no sweep block/.test(e.data.problems[0]),
    );
    await assert.rejects(
      request('sweep/start', { workspace: ws, spec: spec('x', 10, [1]), executor: 'slurm', slurm: { time: 'soon' } }),
      (e: ResponseError<any>) => e.code === KernelErrorCodes.BadInput && /^slurm\.time: a Slurm time limit/.test(e.data.problems[0]),
    );
    assert.ok(!fs.existsSync(path.join(ws, '.neurite')));
  });

  it('runs a sweep on forked workers, streaming valid trial progress, and ends with the table', async () => {
    const ws = tempDir('neurite-ksweep-');
    const started = await request('sweep/start', { workspace: ws, spec: spec('k-sweep', 20000, [1, 2, 3]), jobs: 2 });
    assert.deepStrictEqual([started.total, started.skipped, started.pending], [3, 0, 3]);
    assert.strictEqual(path.dirname(started.dir), path.join(ws, '.neurite', 'sweeps'));
    const end = await endOf(started.sweepId);
    assert.deepStrictEqual([end.status, end.counts.completed], ['completed', 3]);
    const table = JSON.parse(fs.readFileSync(end.table.json, 'utf8'));
    assert.deepStrictEqual(table.rows[0].seeds, [1, 2, 3]);
    const mine = kernel.notes.filter((n) => n.method === 'sweep/progress' && n.params.sweepId === started.sweepId);
    assert.deepStrictEqual([...new Set(mine.filter((n) => n.params.trial?.status === 'completed').map((n) => n.params.trial.index))].sort(), [0, 1, 2]);
    assert.deepStrictEqual(invalid(), [], 'every notification passes the schema the extension checks');
  });

  it('refuses to start a sweep twice, and cancels a running one to a cancelled end', async () => {
    const ws = tempDir('neurite-ksweep-');
    const long = spec('k-long', 1e9, [1, 2, 3, 4]);
    const started = await request('sweep/start', { workspace: ws, spec: long, jobs: 2 });
    await assert.rejects(request('sweep/start', { workspace: ws, spec: long }), (e: ResponseError<any>) => e.code === KernelErrorCodes.BadInput && /already being run by process/.test(e.message));
    await kernel.until((n) => n.method === 'sweep/progress' && n.params.sweepId === started.sweepId && n.params.trial?.runDir);
    assert.deepStrictEqual(await request('sweep/cancel', { sweepId: started.sweepId }), { cancelled: true });
    const end = await endOf(started.sweepId);
    assert.strictEqual(end.status, 'cancelled');
    assert.ok(end.counts.cancelled >= 1 && end.counts.pending >= 2, JSON.stringify(end.counts));
    await assert.rejects(request('sweep/cancel', { sweepId: started.sweepId }), (e: ResponseError<any>) => e.code === KernelErrorCodes.UnknownRun);
  });
});
