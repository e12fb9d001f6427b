/** Sessions, threads and execution providers. */
import * as assert from 'assert';
import { InputError } from '../../../kernel/core/errors';
import { Graph } from '../../../kernel/dense/graph';
import { serialize } from '../../../kernel/dense/onnx/serialize';
import * as o from '../../../kernel/dense/ops';
import { availableDevices, cudaInstalled, resolveDenseDevice, webgpuProblem } from '../../../kernel/dense/providers';
import { spawnSync } from 'child_process';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { compile, createSession, defaultThreads, execOptions, SessionCache, sessionOptions, type Spin } from '../../../kernel/dense/session';

const model = (k: number) => {
  const g = new Graph();
  g.output('y', o.mul(g.input('x', [2]), k));
  return serialize(g);
};

describe('dense sessions and providers', () => {
  it('takes compute threads from NEURITE_THREADS, else the core count, and rejects bad values by name', () => {
    assert.strictEqual(defaultThreads({ NEURITE_THREADS: '3' }), 3);
    assert.ok(defaultThreads({}) >= 1);
    for (const bad of ['0', '-2', '1.5', 'many']) assert.throws(() => defaultThreads({ NEURITE_THREADS: bad }), (e: Error) => e instanceof InputError && e.message.includes(`NEURITE_THREADS: expected a whole number from 1 to 1024, got "${bad}"`));
  });

  it('reuses a session for the same model and options, and drops the least recently used', async () => {
    const cache = new SessionCache(2);
    const cpu = execOptions('cpu', { threads: 1 });
    const a = await cache.get(model(2), cpu);
    assert.strictEqual(await cache.get(model(2), cpu), a);
    const b = await cache.get(model(2), execOptions('cpu', { threads: 2 }));
    assert.notStrictEqual(b, a);
    await cache.get(model(2), cpu); // a is now the most recently used
    await cache.get(model(3), cpu); // so b is dropped
    assert.strictEqual(cache.size, 2);
    assert.strictEqual(await cache.get(model(2), cpu), a);
    assert.notStrictEqual(await cache.get(model(2), execOptions('cpu', { threads: 2 })), b);
    await cache.clear();
    assert.strictEqual(cache.size, 0);
  });

  it('maps each spin mode to onnxruntime\'s spinning options, and onnxruntime runs with each', async () => {
    const cases: [Spin, { allow_spinning: string; force_spinning_stop?: string }][] = [
      ['never', { allow_spinning: '0', force_spinning_stop: '1' }],
      ['within-runs', { allow_spinning: '1', force_spinning_stop: '1' }],
      ['always', { allow_spinning: '1' }],
    ];
    assert.strictEqual(execOptions('cpu').spin, 'within-runs');
    for (const [spin, want] of cases) {
      const exec = execOptions('cpu', { threads: 2, spin });
      const s = (sessionOptions(exec).extra as { session: { intra_op: { allow_spinning: string }; force_spinning_stop?: string } }).session;
      assert.deepStrictEqual({ allow_spinning: s.intra_op.allow_spinning, ...(s.force_spinning_stop ? { force_spinning_stop: s.force_spinning_stop } : {}) }, want, spin);
      const c = await compile(model(2), exec);
      assert.deepStrictEqual(Array.from((await c.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2), [2]) })).y.data as Float32Array), [2, 4], spin);
      await c.release();
    }
  });

  it('runs through onnxruntime-node\'s native session, with the public API\'s results, into preallocated outputs', async () => {
    const bytes = model(3);
    const exec = execOptions('cpu', { threads: 1 });
    const fast = await compile(bytes, exec);
    assert.strictEqual(fast.path, 'native', 'onnxruntime-node 1.23 exposes its native session');
    const x = { x: new ort.Tensor('float32', Float32Array.of(1.25, -2), [2]) };
    const into = { y: new ort.Tensor('float32', new Float32Array(2), [2]) };
    const r = await fast.run(x, into);
    assert.strictEqual(r.y, into.y);
    assert.deepStrictEqual(Array.from(into.y.data as Float32Array), [3.75, -6]);
    const slow = await createSession(bytes, exec);
    assert.deepStrictEqual(Array.from((await slow.run(x)).y.data as Float32Array), [3.75, -6]);
    assert.deepStrictEqual(Array.from((await fast.run(x)).y.data as Float32Array), [3.75, -6]);
    await fast.release();
    await slow.release();
  });

  it('loads onnxruntime-node only when a dense model runs, so the kernel works without it', () => {
    const out = path.join(__dirname, '..', '..', '..', 'kernel');
    const script = `require(${JSON.stringify(path.join(out, 'experiments', 'registry'))}); require(${JSON.stringify(path.join(out, 'runs', 'runner'))}); require(${JSON.stringify(path.join(out, 'server', 'service'))});
      console.log(Object.keys(require.cache).filter((k) => k.includes('onnxruntime')).length)`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout.trim(), '0');
  });

  it('auto picks CUDA only where its provider is installed, else the CPU', () => {
    assert.strictEqual(resolveDenseDevice('auto'), cudaInstalled() ? 'cuda' : 'cpu');
    assert.strictEqual(resolveDenseDevice('cpu'), 'cpu');
    assert.ok(availableDevices().includes('cpu'));
  });

  it('asking for an absent CUDA provider is an InputError that says how to install it', () => {
    if (cudaInstalled()) {
      assert.strictEqual(resolveDenseDevice('cuda'), 'cuda');
      return;
    }
    assert.throws(() => resolveDenseDevice('cuda'), (e: Error) => e instanceof InputError && e.message.includes('ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node'));
  });

  it('asking for WebGPU without an adapter is an InputError that says why', () => {
    const problem = webgpuProblem();
    if (problem === null) {
      assert.strictEqual(resolveDenseDevice('webgpu'), 'webgpu');
      return;
    }
    assert.throws(() => resolveDenseDevice('webgpu'), (e: Error) => e instanceof InputError && e.message.startsWith('device: "webgpu" is not available: ') && e.message.includes(problem));
  });
});
