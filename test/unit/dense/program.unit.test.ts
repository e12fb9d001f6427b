/**
 * Programs (kernel/dense/program.ts): a step built from graph ops, unrolled K times per
 * onnxruntime run, with tensors carried from step to step and run to run. K steps per run give
 * what K runs of one step give, bit for bit; the carried tensors end where the steps left them;
 * a step that is not the same at every k, and inputs of the wrong kind, are refused.
 */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { Activation, Sequential } from '../../../kernel/dense/layers/layer';
import { Linear } from '../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../kernel/dense/losses';
import { gradients } from '../../../kernel/dense/autodiff';
import * as o from '../../../kernel/dense/ops';
import { Parameter } from '../../../kernel/dense/params';
import { Program, type HostArray, type ProgramStep } from '../../../kernel/dense/program';
import { execOptions } from '../../../kernel/dense/session';

const exec = execOptions('cpu', { threads: 1 });

/** An MLP trained by SGD whose learning rate is carried and halves whenever the loss exceeds a threshold fed per step. */
function adaptiveSgd(seed: number) {
  const rng = new Rng(seed);
  const model = new Sequential('m', [new Linear('m.a', 6, 5, rng), new Activation('m.act', 'tanh'), new Linear('m.b', 5, 3, rng)]);
  const lr = new Parameter('lr', [], Float32Array.of(0.5));
  const params = model.parameters();
  const step = (s: ProgramStep) => {
    const x = s.input('x', [4, 6]);
    const y = s.input('y', [4], 'int32');
    const limit = s.input('limit', []);
    const now = params.map((p) => s.get(p));
    const bound = new Map(params.map((p, i) => [p, now[i]]));
    const loss = softmaxCrossEntropy(model.apply(x, (p) => bound.get(p)!), y);
    const rate = s.get(lr);
    const grads = gradients(loss, now);
    params.forEach((p, i) => s.set(p, o.sub(now[i], o.mul(grads[i], rate))));
    s.set(lr, o.where(o.greater(loss, limit), o.mul(rate, 0.5), rate));
    s.output('loss', loss);
    s.output('lr', rate);
  };
  return { model, lr, state: [...params, lr], step };
}

function stepsOfData(n: number): Record<string, HostArray>[] {
  const rng = new Rng(11);
  return Array.from({ length: n }, (_, i) => ({
    x: Float32Array.from({ length: 24 }, () => rng.normal()),
    y: Int32Array.from({ length: 4 }, () => rng.int(3)),
    limit: Float32Array.of(i % 3 === 0 ? 0.5 : 5),
  }));
}

/** Run `steps` through programs of the given sizes in turn; every step's outputs and the carried tensors at the end. */
async function runIn(sizes: number[]) {
  const net = adaptiveSgd(3);
  const data = stepsOfData(sizes.reduce((a, b) => a + b, 0));
  const programs = new Map<number, Program>();
  const outputs: Record<string, number[]>[] = [];
  let at = 0;
  for (const k of sizes) {
    if (!programs.has(k)) programs.set(k, await Program.compile({ state: net.state, steps: k, exec, step: net.step }));
    const outs = await programs.get(k)!.run(data.slice(at, at + k));
    outputs.push(...outs.map((r) => Object.fromEntries(Object.entries(r).map(([n, a]) => [n, [...a]]))));
    at += k;
  }
  return { outputs, state: net.state.map((p) => [...p.data]) };
}

describe('programs: K steps of any tensor computation per onnxruntime run', () => {
  it('give the same outputs and carried tensors, bit for bit, however the steps are cut into runs', async () => {
    const one = await runIn([1, 1, 1, 1, 1, 1, 1]);
    for (const sizes of [[7], [3, 3, 1], [2, 5]]) assert.deepStrictEqual(await runIn(sizes), one, `runs of ${sizes.join(', ')} steps`);
    // the carried rate halved at steps whose loss exceeded 0.5, and the outputs show each step's rate
    const rates = one.outputs.map((r) => r.lr[0]);
    assert.ok(rates.some((r, i) => i > 0 && r < rates[i - 1]), `the rate never moved: ${rates}`);
  });

  it('carry a tensor through steps that leave it alone', async () => {
    const kept = new Parameter('kept', [2], Float32Array.of(1.5, -2));
    const counter = new Parameter('counter', [], Float32Array.of(0));
    const p = await Program.compile({ state: [kept, counter], steps: 3, exec, step: (s) => s.set(counter, o.add(s.get(counter), 1)) });
    await p.run([{}, {}, {}]);
    await p.run([{}, {}, {}]);
    assert.deepStrictEqual([...kept.data], [1.5, -2]);
    assert.deepStrictEqual([...counter.data], [6]);
  });

  it('refuse a step that builds different inputs at different k', async () => {
    await assert.rejects(
      Program.compile({ state: [], steps: 2, exec, step: (s) => s.output('v', o.mul(s.input(s.index === 0 ? 'a' : 'b', [1]), 2)) }),
      /step 1: its inputs and outputs \(b \[1\] float32 → v \[1\] float32\) differ from step 0's \(a \[1\] float32/,
    );
  });

  it('refuse a new value of another shape than the carried tensor', async () => {
    const w = new Parameter('w', [2]);
    await assert.rejects(Program.compile({ state: [w], steps: 1, exec, step: (s) => s.set(w, o.reduceSum(s.get(w), [0], true)) }), /w is \[2\] float32; the new value is \[1\] float32/);
  });

  it('refuse inputs of the wrong type or length, naming the step and the input', async () => {
    const p = await Program.compile({ state: [], steps: 2, exec, step: (s) => s.output('v', o.mul(s.input('a', [3]), 2)) });
    await assert.rejects(p.run([{ a: new Float32Array(3) }, { a: new Float32Array(2) }]), /input a of step 1 must be a Float32Array of 3 values \(\[3\]\), got Float32Array of 2/);
    await assert.rejects(p.run([{ a: new Int32Array(3) }, { a: new Float32Array(3) }]), /input a of step 0 must be a Float32Array/);
    await assert.rejects(p.run([{ a: new Float32Array(3) }]), /expected inputs for 2 steps, got 1/);
    const out = await p.run([{ a: Float32Array.of(1, 2, 3) }, { a: Float32Array.of(-1, 0, 0.5) }]);
    assert.deepStrictEqual(out.map((r) => [...r.v]), [[2, 4, 6], [-2, 0, 1]]);
  });
});
