/**
 * The perforated layer (PAPERS.md §1): with no dendrite it is the plain layer bit for bit; with
 * dendrites it computes o = W x + b + Σ c_k d_k, d_k = σ(U_k x + a_k + Σ_{j<k} v_{k,j} d_j); its
 * gradients (neuron phase: every parameter, the cascade weights included) and those of the
 * dendrite phase's correlation objective match central finite differences in float64.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { gradients } from '../../../../kernel/dense/autodiff';
import { Evaluator } from '../../../../kernel/dense/evaluate';
import { Graph, type Value } from '../../../../kernel/dense/graph';
import { Conv2d, Pool2d } from '../../../../kernel/dense/layers/conv';
import { Activation, Flatten, Sequential, type Layer } from '../../../../kernel/dense/layers/layer';
import { Linear } from '../../../../kernel/dense/layers/linear';
import { softmaxCrossEntropy } from '../../../../kernel/dense/losses';
import { makeOptimizer } from '../../../../kernel/dense/optimizers';
import * as o from '../../../../kernel/dense/ops';
import { feedParams, type Parameter } from '../../../../kernel/dense/params';
import { execOptions } from '../../../../kernel/dense/session';
import { TrainState, TrainStep } from '../../../../kernel/dense/step';
import { correlationObjective } from '../../../../kernel/models/dendrite/perforated-correlation';
import { PerforatedLayer } from '../../../../kernel/models/dendrite/perforated-layer';
import { PerforatedNet, type NetSpec } from '../../../../kernel/models/dendrite/perforated-net';
import { compileOrt, type Feeds } from '../../dense/helpers';
import { evaluate } from '../../dense/reference-eval';

const exec = execOptions('cpu', { threads: 1 });
const input = { rows: 6, cols: 6, classes: 3 };
const spec = (perforate: NetSpec['perforate']): NetSpec => ({ conv: [2], kernel: 3, hidden: [5], activation: 'relu', init: 'he', perforate });

/** The same net made directly from the engine's layers, as dense.mlp would. */
function plainNet(rng: Rng): Sequential {
  const init = { init: { kind: 'he' as const } };
  return new Sequential('model', [
    new Conv2d('model.conv[0]', 1, 2, 3, rng, { ...init, padding: 1 }),
    new Activation('model.conv[0].activation', 'relu'),
    new Pool2d('model.conv[0].pool', 'max', 2),
    new Flatten('model.flatten'),
    new Linear('model.hidden[0]', 18, 5, rng, init),
    new Activation('model.hidden[0].activation', 'relu'),
    new Linear('model.output', 5, 3, rng, init),
  ]);
}

/** Give every dendrite parameter of the layer random values (c and v start at 0 otherwise). */
function randomise(layer: PerforatedLayer, rng: Rng, scale = 0.7): void {
  for (const s of layer.sets) for (const p of [s.weight, s.bias, s.cascade, s.out]) if (p) p.set(Float32Array.from({ length: p.size }, () => scale * rng.normal()));
}

/** Build value(params) in float64 with its analytic gradient, and compare with (f(p+h) − f(p−h)) / 2h for every element. */
async function checkGradients(build: (g: Graph, bind: (p: Parameter) => Value) => Value, wrt: Parameter[], feeds: Feeds, engine: 'ort' | 'ts', tol = 1e-6): Promise<number> {
  const g = new Graph('float64');
  const { bind, bound } = feedParams(g);
  const value = build(g, bind);
  g.output('value', value);
  gradients(value, wrt.map(bind)).forEach((d, i) => g.output(`d${i}`, d));
  const all: Feeds = { ...feeds };
  for (const p of bound.keys()) all[p.name] = Float64Array.from(p.data);
  const session = engine === 'ort' ? await compileOrt(g) : undefined;
  const run = async (f: Feeds) => (session ? session.run(f) : Object.fromEntries(Object.entries(evaluate(g, f as never)).map(([k, v]) => [k, v.data])));
  const analytic = await run(all);
  const h = 1e-5;
  let checked = 0;
  for (const [i, p] of wrt.entries()) {
    const got = analytic[`d${i}`] as Float64Array;
    for (let k = 0; k < p.size; k++) {
      const at = async (delta: number) => {
        const x = Float64Array.from(all[p.name] as Float64Array);
        x[k] += delta;
        return (await run({ ...all, [p.name]: x })).value[0] as number;
      };
      const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
      assert.ok(Math.abs(got[k] - numeric) <= tol * Math.max(1, Math.abs(numeric)), `${p.name}[${k}]: analytic ${got[k]} vs numeric ${numeric}`);
      checked++;
    }
  }
  await session?.release();
  return checked;
}

const randomFeed = (rng: Rng, n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

describe('perforated layer', () => {
  it('with no dendrite, a perforated conv + MLP net builds the plain net\'s step graph byte for byte and trains to the same values bit for bit (same seed)', async () => {
    const plain = plainNet(new Rng(5));
    const net = PerforatedNet.build(spec('all'), input, new Rng(5));
    assert.strictEqual(net.perforated.length, 3);
    const compile = (model: Layer, params: Parameter[]) =>
      TrainStep.compile({ model, state: new TrainState(params, makeOptimizer({ kind: 'momentum', lr: 0.05, momentum: 0.9 })), inputShape: [4, 1, 6, 6], target: { shape: [4], dtype: 'int32' }, loss: softmaxCrossEntropy, exec });
    const a = await compile(plain, plain.parameters());
    const b = await compile(net.model, net.parameters());
    assert.deepStrictEqual(b.modelBytes, a.modelBytes);
    const rng = new Rng(9);
    for (let s = 0; s < 3; s++) {
      const x = Float32Array.from({ length: 4 * 36 }, () => rng.normal());
      const y = Int32Array.from({ length: 4 }, () => rng.int(3));
      await a.run(x, y, 0.05);
      await b.run(x, y, 0.05);
    }
    net.parameters().forEach((p, i) => assert.deepStrictEqual(p.data, plain.parameters()[i].data, p.name));
  });

  it('with joined dendrites and a candidate, a Linear computes o = Wx + b + Σ c_k σ(U_k x + a_k + Σ_{j<k} v_{k,j} d_j) and leaves the candidate out of o', async () => {
    const rng = new Rng(3);
    const layer = new PerforatedLayer('p', new Linear('p', 4, 3, rng));
    for (let k = 0; k < 3; k++) {
      layer.addCandidate(rng.fork(`d${k}`), 0.5);
      if (k < 2) layer.accept();
    }
    randomise(layer, rng);
    const x = Float32Array.from({ length: 2 * 4 }, () => rng.normal());
    const got = (await (await Evaluator.compile({ model: layer, inputShape: [2, 4], exec })).run(x)).output;
    const [W, b] = [layer.neuron.weight.data, layer.neuron.bias!.data];
    const dot = (w: Float32Array, n: number, i: number) => [0, 1, 2, 3].reduce((s, j) => s + w[i * 4 + j] * x[n * 4 + j], 0);
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 3; i++) {
        const d: number[] = [];
        let out = dot(W, n, i) + b[i];
        for (const [k, s] of layer.sets.slice(0, 2).entries()) {
          let pre = dot(s.weight.data, n, i) + s.bias.data[i];
          for (let j = 0; j < k; j++) pre += s.cascade!.data[j * 3 + i] * d[j];
          d.push(1 / (1 + Math.exp(-pre)));
          out += s.out.data[i] * d[k];
        }
        assert.ok(Math.abs(got[n * 3 + i] - out) < 1e-5, `o[${n},${i}] ${got[n * 3 + i]} vs ${out}`);
      }
    }
  });

  it('neuron phase, Linear: ∂(Σ r·o) matches finite differences for W, b and every dendrite\'s U, a, v (cascade) and c [onnxruntime float64]', async () => {
    const rng = new Rng(11);
    const layer = new PerforatedLayer('p', new Linear('p', 3, 2, rng));
    for (let k = 0; k < 3; k++) (layer.addCandidate(rng.fork(`d${k}`), 0.5), layer.accept());
    randomise(layer, rng);
    const r = randomFeed(rng, 4 * 2);
    const n = await checkGradients((g, bind) => o.reduceSum(o.mul(layer.apply(g.input('x', [4, 3]), bind), g.constant(r, [4, 2])), [0, 1], false), layer.parameters(), { x: randomFeed(rng, 12) }, 'ort');
    assert.strictEqual(n, 6 + 2 + 3 * (6 + 2 + 2) + 2 + 4);
  });

  it('neuron phase, Conv2d: ∂(Σ r·o) matches finite differences for the filter, the channels\' dendrites and their cascade [TypeScript float64 reference]', async () => {
    const rng = new Rng(12);
    const layer = new PerforatedLayer('c', new Conv2d('c', 2, 2, 3, rng, { padding: 1 }));
    for (let k = 0; k < 2; k++) (layer.addCandidate(rng.fork(`d${k}`), 0.5), layer.accept());
    randomise(layer, rng);
    const r = randomFeed(rng, 2 * 2 * 4 * 4);
    const n = await checkGradients((g, bind) => o.reduceSum(o.mul(layer.apply(g.input('x', [2, 2, 4, 4]), bind), g.constant(r, [2, 2, 4, 4])), [0, 1, 2, 3], false), layer.parameters(), { x: randomFeed(rng, 64) }, 'ts');
    assert.strictEqual(n, 36 + 2 + 2 * (36 + 2 + 2) + 2);
  });

  it('with detached inputs the error reaches the input through the neuron only: ∂(Σ r·o)/∂x = rW, and through the dendrites as well without', async () => {
    const rng = new Rng(13);
    const [W, r] = [Float32Array.from(randomFeed(rng, 2 * 3)), randomFeed(rng, 4 * 2)]; // W as the layer holds it (float32)
    const grad = async (detach: boolean) => {
      const layer = new PerforatedLayer('p', new Linear('p', 3, 2, new Rng(1)), detach);
      layer.neuron.weight.set(W);
      (layer.addCandidate(new Rng(2), 0.5), layer.accept());
      randomise(layer, new Rng(3));
      const g = new Graph('float64');
      const x = g.param('x', [4, 3]);
      const y = layer.apply(x, feedParams(g).bind);
      g.output('dx', gradients(o.reduceSum(o.mul(y, g.constant(r, [4, 2])), [0, 1], false), [x])[0]);
      const feeds: Feeds = { x: randomFeed(new Rng(4), 12) };
      for (const p of layer.parameters()) feeds[p.name] = Float64Array.from(p.data);
      return (await (await compileOrt(g)).run(feeds)).dx as Float64Array;
    };
    const rW = Array.from({ length: 12 }, (_, k) => r[Math.floor(k / 3) * 2] * W[k % 3] + r[Math.floor(k / 3) * 2 + 1] * W[3 + (k % 3)]);
    const detached = await grad(true);
    rW.forEach((v, k) => assert.ok(Math.abs(detached[k] - v) < 1e-12, `dx[${k}] ${detached[k]} vs ${v}`));
    const attached = await grad(false);
    assert.ok(rW.some((v, k) => Math.abs(attached[k] - v) > 1e-3), 'without detaching, the dendrite path adds to the input gradient');
  });

  it('the correlation score of each unit is |Σ_n (d − d̄)(e − ē)| with e = (softmax(o) − onehot)/N, as computed directly [onnxruntime float64]', async () => {
    const rng = new Rng(23);
    const [N, I, U] = [6, 4, 3];
    const out = new PerforatedLayer('out', new Linear('out', I, U, rng), true);
    out.addCandidate(rng.fork('c'), 0.5);
    randomise(out, rng);
    const g = new Graph('float64');
    const { bind, bound } = feedParams(g);
    const y = g.input('y', [N], 'int32');
    const z = out.apply(g.input('x', [N, I]), bind);
    g.output('c', correlationObjective([out])({ out: z, target: y, loss: softmaxCrossEntropy(z, y), taps: g.taps }).outputs!['corr.0']);
    const x = randomFeed(rng, N * I);
    const labels = Int32Array.from({ length: N }, (_, n) => (2 * n) % U);
    const feeds: Feeds = { x, y: labels as never };
    for (const p of bound.keys()) feeds[p.name] = Float64Array.from(p.data);
    const session = await compileOrt(g);
    const got = (await session.run(feeds)).c as Float64Array;
    await session.release();
    const [W, b] = [out.neuron.weight.data, out.neuron.bias!.data];
    const [Ud, ad] = [out.candidate!.weight.data, out.candidate!.bias.data];
    const dot = (w: ArrayLike<number>, u: number, n: number) => Array.from({ length: I }, (_, k) => w[u * I + k] * x[n * I + k]).reduce((s, v) => s + v, 0);
    const d = Array.from({ length: N }, (_, n) => Array.from({ length: U }, (_, u) => 1 / (1 + Math.exp(-(dot(Ud, u, n) + ad[u])))));
    const e = Array.from({ length: N }, (_, n) => {
      const o = Array.from({ length: U }, (_, u) => dot(W, u, n) + b[u]);
      const z = o.reduce((s, v) => s + Math.exp(v), 0);
      return o.map((v, u) => (Math.exp(v) / z - (u === labels[n] ? 1 : 0)) / N);
    });
    for (let u = 0; u < U; u++) {
      const mean = (m: number[][]) => m.reduce((s, r) => s + r[u], 0) / N;
      const [dm, em] = [mean(d), mean(e)];
      const want = Math.abs(d.reduce((s, r, n) => s + (r[u] - dm) * (e[n][u] - em), 0));
      assert.ok(want > 1e-4, `unit ${u}: a correlation to measure`);
      assert.ok(Math.abs(got[u] - want) <= 1e-6 * want, `unit ${u}: ${got[u]} vs ${want}`);
    }
  });

  for (const kind of ['Linear', 'Conv2d'] as const) {
    it(`dendrite phase, ${kind}: the correlation objective −Σ|Σ(d − d̄)(e − ē)| with e = ∂L/∂o taken in the same graph matches finite differences in the candidates' U, a and v [${kind === 'Linear' ? 'onnxruntime' : 'TypeScript'} float64]`, async () => {
      const rng = new Rng(kind === 'Linear' ? 21 : 22);
      const first = kind === 'Linear' ? new Linear('h', 4, 3, rng) : new Conv2d('h', 1, 2, 3, rng, { padding: 1 });
      const hidden = new PerforatedLayer('h', first, true);
      const flat = kind === 'Linear' ? 3 : 2 * 2 * 2;
      const out = new PerforatedLayer('out', new Linear('out', flat, 3, rng), true); // as the experiment builds them for correlation learning
      for (const l of [hidden, out]) {
        l.addCandidate(rng.fork(`${l.name}.0`), 0.5);
        l.accept();
        l.addCandidate(rng.fork(`${l.name}.1`), 0.5);
        randomise(l, rng);
      }
      const layers: Layer[] = kind === 'Linear' ? [hidden, new Activation('a', 'tanh'), out] : [hidden, new Activation('a', 'tanh'), new Pool2d('pool', 'avg', 2), new Flatten('f'), out];
      const model = new Sequential('m', layers);
      const xShape = kind === 'Linear' ? [5, 4] : [3, 1, 4, 4];
      const objective = correlationObjective([hidden, out]);
      const wrt = [hidden, out].flatMap((l) => [l.candidate!.weight, l.candidate!.bias, l.candidate!.cascade!]);
      const n = await checkGradients(
        (g, bind) => {
          g.taps.clear();
          const y = g.input('y', [xShape[0]], 'int32');
          const z = model.apply(g.input('x', xShape), bind);
          return objective({ out: z, target: y, loss: softmaxCrossEntropy(z, y), taps: g.taps }).value;
        },
        wrt,
        { x: randomFeed(rng, xShape.reduce((a, b) => a * b, 1)), y: Int32Array.from({ length: xShape[0] }, (_, i) => i % 3) as never },
        kind === 'Linear' ? 'ort' : 'ts',
      );
      assert.strictEqual(n, wrt.reduce((s, p) => s + p.size, 0));
    });
  }
});
