/** Code cells in a notebook's context (a worker thread): REPL semantics, errors at the cell's line, interrupts that keep the context. */
import * as assert from 'assert';
import type { CellExecuteResult, CellLanguage } from '../../../kernel/protocol/notebook';
import { NotebookSessions } from '../../../kernel/notebook/sessions';
import { tempDir } from '../helpers';

describe('notebook code cells', function () {
  this.timeout(60000);
  const sessions = new NotebookSessions({ graceMs: 1500 });
  const workspace = tempDir('neurite-nb-');
  let n = 0;
  const run = (source: string, language: CellLanguage = 'javascript', notebook = 'nb-a') =>
    sessions.execute({ notebook, executionId: `x${++n}`, language, source, workspace, cellName: `cell ${n}` });
  const result = (r: CellExecuteResult) => {
    const o = r.outputs.find((x) => x.type === 'result');
    return o && o.type === 'result' ? o.data['text/plain'] : undefined;
  };
  const error = (r: CellExecuteResult) => {
    const o = r.outputs.find((x) => x.type === 'error');
    assert.ok(o && o.type === 'error', `no error output in ${JSON.stringify(r.outputs)}`);
    return o;
  };
  /** Interrupt the notebook once `ms` have passed. */
  const interruptAfter = (ms: number, notebook = 'nb-a') => new Promise((r) => setTimeout(r, ms)).then(() => sessions.interrupt(notebook));

  after(() => sessions.disposeAll());

  it('keeps declarations of earlier cells: const, let, function, class, destructuring', async () => {
    assert.strictEqual((await run('const a = 40\nlet b = 1\nfunction inc(x) { return x + 1 }\nclass K { v() { return 1 } }\nconst { p, q: [r] } = { p: 2, q: [3] }')).status, 'ok');
    assert.strictEqual(result(await run('inc(a) + b + new K().v() + p + r')), '48');
  });

  it('runs a cell again without "already declared" errors', async () => {
    assert.strictEqual((await run('const again = 1')).status, 'ok');
    const r = await run('const again = 2\nagain');
    assert.strictEqual(r.status, 'ok');
    assert.strictEqual(result(r), '2');
  });

  it('awaits at the top level, and a later cell sees what the await gave', async () => {
    await run('const later = await new Promise((res) => setTimeout(() => res(7), 20))');
    assert.strictEqual(result(await run('later * 6')), '42');
  });

  it('strips TypeScript types and keeps its declarations for later cells', async () => {
    const r = await run('interface Point { x: number }\nconst pt: Point = { x: 5 }\nconst twice = (v: number): number => v * 2\ntwice(pt.x)', 'typescript');
    assert.strictEqual(result(r), '10');
    assert.strictEqual(result(await run('twice(pt.x) + 1')), '11');
  });

  it('sends console output to the cell as stream output', async () => {
    const r = await run('console.log("hello", 1 + 1)\nconsole.error("oops")');
    assert.deepStrictEqual(r.outputs.filter((o) => o.type === 'stream'), [
      { type: 'stream', name: 'stdout', text: 'hello 2\n' },
      { type: 'stream', name: 'stderr', text: 'oops\n' },
    ]);
  });

  it('reports a syntax error at its line and column, and runs nothing of the cell', async () => {
    const r = await run('globalThis.ranBefore = true\nlet x = ;');
    assert.strictEqual(r.status, 'error');
    const e = error(r);
    assert.strictEqual(e.ename, 'SyntaxError');
    assert.ok(e.traceback.includes('    at cell ' + n + ', line 2'), e.traceback.join('\n'));
    assert.strictEqual(result(await run('typeof ranBefore')), "'undefined'");
  });

  it('reports a TypeScript syntax error at the line of the cell', async () => {
    const e = error(await run('const ok: number = 1\n\nconst bad: = 2', 'typescript'));
    assert.strictEqual(e.ename, 'SyntaxError');
    assert.match(e.traceback.join('\n'), /line 3/);
  });

  it('shows a thrown error with the cell line it came from, through functions of other cells', async () => {
    await run('function boom() {\n  throw new RangeError("too far")\n}');
    const e = error(await run('const y = 1\nboom()'));
    assert.deepStrictEqual([e.ename, e.evalue], ['RangeError', 'too far']);
    const text = e.traceback.join('\n');
    assert.match(text, new RegExp(`at boom \\(cell ${n - 1}, line 2\\)`));
    assert.match(text, new RegExp(`at cell ${n}, line 2`));
  });

  it('maps a TypeScript error back to the line of the cell, past lines esbuild removed', async () => {
    const e = error(await run('type A = number\ninterface B {\n  b: A\n}\nconst z: A = 1\nthrow new Error(`at five ${z}`)', 'typescript'));
    assert.match(e.traceback.join('\n'), new RegExp(`at cell ${n}, line 6`));
  });

  it('reports a rejected promise that the cell awaits', async () => {
    const r = await run('await Promise.reject(new TypeError("nope"))');
    assert.strictEqual(r.status, 'error');
    assert.deepStrictEqual([error(r).ename, error(r).evalue], ['TypeError', 'nope']);
  });

  it('reports a thrown value that is not an Error', async () => {
    assert.match(error(await run('throw 42')).evalue, /42/);
  });

  it('interrupts `while (true) {}` and keeps the context and its variables', async () => {
    await run('let spins = 0');
    const [r, i] = await Promise.all([run('while (true) { spins++ }'), interruptAfter(400)]);
    assert.strictEqual(r.status, 'interrupted');
    assert.deepStrictEqual(i, { interrupted: true, restarted: false });
    assert.strictEqual(error(r).ename, 'Interrupted');
    assert.strictEqual(result(await run('spins > 0 && a')), '40', 'variables of earlier cells survive the interrupt');
  });

  it('interrupts a busy loop without braces and one inside a function of another cell', async () => {
    await run('function spin() { for (;;); }');
    const [r] = await Promise.all([run('spin()'), interruptAfter(300)]);
    assert.strictEqual(r.status, 'interrupted');
  });

  it('interrupts an await that never settles', async () => {
    const [r, i] = await Promise.all([run('await new Promise(() => {})'), interruptAfter(300)]);
    assert.strictEqual(r.status, 'interrupted');
    assert.deepStrictEqual(i, { interrupted: true, restarted: false });
  });

  it('an interrupt sent before the new worker has started the cell still stops it, without a restart', async () => {
    const [r, i] = await Promise.all([run('while (true) {}', 'javascript', 'nb-d'), interruptAfter(0, 'nb-d')]);
    assert.deepStrictEqual(i, { interrupted: true, restarted: false });
    assert.strictEqual(r.status, 'interrupted');
  });

  it('stops a cell that catches the interrupt in an inner loop at its outer loop\'s check, keeping the context', async () => {
    const [r, i] = await Promise.all([run('while (true) { try { while (true) {} } catch {} }', 'javascript', 'nb-c'), interruptAfter(300, 'nb-c')]);
    assert.deepStrictEqual(i, { interrupted: true, restarted: false });
    assert.strictEqual(r.status, 'interrupted');
  });

  it('restarts the context of a cell blocked where no check reaches (Atomics.wait), and says its variables are gone', async () => {
    const [r, i] = await Promise.all([run('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)', 'javascript', 'nb-b'), interruptAfter(300, 'nb-b')]);
    assert.deepStrictEqual(i, { interrupted: true, restarted: true });
    assert.strictEqual(r.status, 'interrupted');
    assert.match(error(r).evalue, /variables from earlier cells are gone/);
    assert.strictEqual(result(await run('1 + 1', 'javascript', 'nb-b')), '2', 'the next cell gets a fresh context');
  });

  it('keeps notebooks apart, and restart clears one notebook\'s variables', async () => {
    await run('const mine = "a"', 'javascript', 'nb-c');
    assert.strictEqual(result(await run('typeof mine', 'javascript', 'nb-d')), "'undefined'");
    await sessions.restart('nb-c');
    assert.strictEqual(result(await run('typeof mine', 'javascript', 'nb-c')), "'undefined'");
  });
});
