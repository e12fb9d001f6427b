import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listRuns, markFailed, readMetrics, RunWriter, writeJsonAtomic, type RunSummary } from '../../../kernel/runs/store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-store-'));
const summary = (id: string, status: RunSummary['status']): RunSummary => ({
  id, kind: 'k', name: 'n', status, startedAt: '', endedAt: '', durationMs: 1, seed: 1, device: 'cpu', metrics: { x: 1 },
});

describe('run store', () => {
  it('creates yyyymmdd-hhmmss-name folders with traces/ and artifacts/, and never reuses one', () => {
    const root = tmp();
    const when = new Date(2026, 10, 30, 9, 5, 7);
    const a = RunWriter.create(root, 'exp', when);
    const b = RunWriter.create(root, 'exp', when);
    assert.strictEqual(a.id, '20261130-090507-exp');
    assert.strictEqual(b.id, '20261130-090507-exp-2');
    for (const d of ['traces', 'artifacts']) assert.ok(fs.statSync(path.join(a.dir, d)).isDirectory());
  });

  it('writes each metric record to disk as it is produced', () => {
    const w = RunWriter.create(tmp(), 'm');
    w.appendMetric({ t: 0, step: 1, values: { loss: 2 } });
    // read while the writer is still open: the line must already be there
    assert.deepStrictEqual(readMetrics(w.dir), [{ t: 0, step: 1, values: { loss: 2 } }]);
    w.appendMetric({ t: 0.1, step: 2, series: 's', values: { loss: 1 } });
    assert.strictEqual(readMetrics(w.dir).length, 2);
    w.close();
  });

  it('skips a torn last metrics line from an interrupted write', () => {
    const w = RunWriter.create(tmp(), 'torn');
    w.appendMetric({ t: 0, step: 1, values: { a: 1 } });
    w.close();
    fs.appendFileSync(path.join(w.dir, 'metrics.jsonl'), '{"t":0.2,"st');
    assert.strictEqual(readMetrics(w.dir).length, 1);
  });

  it('lists a run without summary.json as incomplete and finished runs by their status, newest first', () => {
    const root = tmp();
    const old = RunWriter.create(root, 'a', new Date(2026, 0, 1));
    old.writeSpec({ spec: { kind: 'k' } });
    old.finish(summary(old.id, 'completed'));
    const cur = RunWriter.create(root, 'b', new Date(2026, 0, 2));
    cur.writeSpec({ spec: { kind: 'k' } });
    const runs = listRuns(root);
    assert.deepStrictEqual(runs.map((r) => [r.id, r.status]), [[cur.id, 'incomplete'], [old.id, 'completed']]);
  });

  it('marks an unfinished run failed but never overwrites a finished one', () => {
    const root = tmp();
    const done = RunWriter.create(root, 'done');
    done.writeSpec({ spec: { kind: 'k', seed: 3 }, createdAt: new Date().toISOString() });
    done.finish(summary(done.id, 'completed'));
    assert.strictEqual(markFailed(done.dir, 'crash'), false);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(done.dir, 'summary.json'), 'utf8')).status, 'completed');
    const dead = RunWriter.create(root, 'dead');
    dead.writeSpec({ spec: { kind: 'k', seed: 3 }, createdAt: new Date().toISOString() });
    dead.appendMetric({ t: 0, step: 1, values: { a: 1 } });
    assert.strictEqual(markFailed(dead.dir, 'kernel crashed'), true);
    const s = JSON.parse(fs.readFileSync(path.join(dead.dir, 'summary.json'), 'utf8'));
    assert.strictEqual(s.status, 'failed');
    assert.match(s.error, /kernel crashed/);
    assert.strictEqual(readMetrics(dead.dir).length, 1, 'metrics written before the crash are kept');
  });

  it('writes JSON atomically, leaving no temp file behind', () => {
    const dir = tmp();
    writeJsonAtomic(path.join(dir, 'x.json'), { a: 1 });
    assert.deepStrictEqual(fs.readdirSync(dir), ['x.json']);
  });
});
