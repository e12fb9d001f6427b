/**
 * onnxruntime's per-node profile of the MLP 784-256-10 SGD training step (bench/dense.ts's step):
 * `npm run build && npx tsc -p tsconfig.json && node out/bench/_dense-profile.js [--batch 64]
 * [--threads 1] [--spin within-runs] [--steps 16] [--runs 200] [--nodes]`. Prints, per node of the optimised graph
 * (onnxruntime's names and op types), the mean µs per step and its share of the node time, and
 * the mean wall time of a run per step. With --nodes, first lists the graph Neurite serialises.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../kernel/core/rng';
import { Activation, Sequential } from '../kernel/dense/layers/layer';
import { Linear } from '../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../kernel/dense/losses';
import { ModelProto } from '../kernel/dense/onnx/onnx-proto';
import { makeOptimizer } from '../kernel/dense/optimizers';
import { compile, execOptions, sessions, type Spin } from '../kernel/dense/session';
import { TrainState, TrainStep } from '../kernel/dense/step';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const BATCH = arg('batch', 64);
const THREADS = arg('threads', 1);
const STEPS = arg('steps', 16);
const RUNS = arg('runs', 200);
const SPIN = (process.argv[process.argv.indexOf('--spin') + 1] ?? 'within-runs') as Spin;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-profile-'));
  const prefix = path.join(dir, 'step');
  const compiled: { release(): Promise<void> }[] = [];
  // Every session this script compiles is profiled.
  (sessions as { get: unknown }).get = async (bytes: Uint8Array, o: Parameters<typeof compile>[1]) => {
    const s = await compile(bytes, o, { enableProfiling: true, profileFilePrefix: `${prefix}${compiled.length}` });
    compiled.push(s);
    return s;
  };
  const rng = new Rng(1);
  const model = new Sequential('model', [new Linear('fc1', 784, 256, rng, { init: { kind: 'torch' } }), new Activation('act', 'relu'), new Linear('fc2', 256, 10, rng, { init: { kind: 'torch' } })]);
  const state = new TrainState(model.parameters(), makeOptimizer({ kind: 'sgd', lr: 0.01 }));
  const exec = execOptions('cpu', { threads: THREADS, spin: process.argv.includes('--spin') ? SPIN : undefined });
  const step = await TrainStep.compile({ model, state, inputShape: [BATCH, 784], target: { shape: [BATCH], dtype: 'int32' }, loss: softmaxCrossEntropy, exec, steps: STEPS });
  if (process.argv.includes('--nodes')) {
    // The graph as serialised, before onnxruntime's optimisations (step 0 of the run).
    const m = ModelProto.decode(step.modelBytes) as unknown as { graph: { node: { op_type: string; name: string; output: string[] }[] } };
    for (const n of m.graph.node) if (STEPS === 1 || /(^|\/)[^/]*\.0(\/|$)|\.0$/.test(n.output[0]) || !/\.\d+/.test(n.output[0])) console.log(`  ${n.op_type.padEnd(24)} ${n.name || n.output[0]}`);
  }
  const data = new Rng(2);
  const xs = Array.from({ length: STEPS }, () => Float32Array.from({ length: BATCH * 784 }, () => data.float()));
  const ys = Array.from({ length: STEPS }, () => Int32Array.from({ length: BATCH }, () => Math.floor(data.float() * 10)));
  for (let i = 0; i < 20; i++) await step.runSteps(xs, ys, 0.01);
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) await step.runSteps(xs, ys, 0.01);
  const wall = ((performance.now() - t0) * 1000) / (RUNS * STEPS);
  for (const s of compiled) await s.release();
  type Ev = { cat: string; name: string; dur: number; args?: { op_name?: string } };
  // The profile of the K-step session (the single-step one, compiled beside it, never runs here).
  const profiles = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Ev[]);
  const modelRuns = (evs: Ev[]) => evs.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const events = profiles.sort((a, b) => modelRuns(b).length - modelRuns(a).length)[0];
  const runs = modelRuns(events);
  const timed = runs.slice(-RUNS);
  const runUs = timed.reduce((s, e) => s + e.dur, 0) / (timed.length * STEPS);
  const byNode = new Map<string, { op: string; us: number; n: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    // One row per kind of node (scope and op; node names end in a graph-wide index), so the K steps' copies add up.
    const name = e.name.replace(/_kernel_time$/, '').replace(/_\d+/g, '');
    const r = byNode.get(name) ?? byNode.set(name, { op: e.args?.op_name ?? '?', us: 0, n: 0 }).get(name)!;
    r.us += e.dur;
    r.n++;
  }
  const totalRuns = runs.length;
  const rows = [...byNode.entries()].map(([name, r]) => ({ name, op: r.op, us: r.us / (totalRuns * STEPS), perStep: r.n / (totalRuns * STEPS) }));
  const nodeUs = rows.reduce((s, r) => s + r.us, 0);
  rows.sort((a, b) => b.us - a.us);
  console.log(`batch ${BATCH}, ${THREADS} thread(s) spinning ${exec.spin}, ${STEPS} steps per run, ${RUNS} timed runs: ${wall.toFixed(1)} µs wall per step, ${runUs.toFixed(1)} µs in model_run, ${nodeUs.toFixed(1)} µs in ${rows.length} node kinds (${rows.reduce((s, r) => s + r.perStep, 0).toFixed(2)} nodes per step)`);
  for (const r of rows) console.log(`${r.us.toFixed(1).padStart(7)} µs ${((100 * r.us) / nodeUs).toFixed(1).padStart(5)}%  ${r.op.padEnd(24)} ${r.name}${r.perStep !== 1 ? `  (${+r.perStep.toFixed(2)} per step)` : ''}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
