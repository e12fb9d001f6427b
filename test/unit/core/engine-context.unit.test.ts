/** The interface engines report through: its cancellation point, and the in-memory context for tests. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cancellationPoint, MemoryEngineContext } from '../../../kernel/core/engine-context';
import { CancelledError } from '../../../kernel/core/errors';
import { tempDir } from '../helpers';

describe('engine context', () => {
  it('the cancellation point throws CancelledError once the signal is aborted', async () => {
    const abort = new AbortController();
    const point = cancellationPoint(abort.signal);
    await point();
    abort.abort();
    await assert.rejects(point(), (e: Error) => e instanceof CancelledError);
  });

  it('the cancellation point yields to the event loop after CPU-bound work, so a cancel request can arrive', async () => {
    const abort = new AbortController();
    const point = cancellationPoint(abort.signal);
    setImmediate(() => abort.abort()); // a cancel request waiting in the event loop
    const t0 = performance.now();
    while (performance.now() - t0 < 30); // busy, as a training step is
    await assert.rejects(point(), (e: Error) => e instanceof CancelledError);
  });

  it('the in-memory context keeps metrics, traces and logs in order, and puts files under its folder', () => {
    const dir = tempDir('neurite-engine-ctx-');
    const ctx = new MemoryEngineContext({ dir });
    ctx.metric(1, { loss: 2 }, 'train');
    ctx.metric(2, { loss: 1 });
    ctx.trace('curve', { type: 'xy', title: 'c', series: [] });
    ctx.log('hello');
    ctx.log('careful', 'warn');
    assert.deepStrictEqual(ctx.metrics, [
      { step: 1, series: 'train', values: { loss: 2 } },
      { step: 2, values: { loss: 1 } },
    ]);
    assert.deepStrictEqual([...ctx.traces.keys()], ['curve']);
    assert.deepStrictEqual(ctx.logs, [
      { level: 'info', message: 'hello' },
      { level: 'warn', message: 'careful' },
    ]);
    assert.strictEqual(ctx.artifactPath('model.onnx'), path.join(dir, 'artifacts', 'model.onnx'));
    assert.ok(fs.statSync(path.join(dir, 'artifacts')).isDirectory());
    fs.writeFileSync(ctx.tracePath('all.csv'), 'a\n');
    assert.strictEqual(fs.readFileSync(path.join(dir, 'traces', 'all.csv'), 'utf8'), 'a\n');
  });

  it('the in-memory context without a folder refuses to give a path', () => {
    assert.throws(() => new MemoryEngineContext().artifactPath('checkpoint-last'), /no folder for artifacts\/checkpoint-last/);
  });
});
