/**
 * dendrite.perforated end to end on real digits (small and seeded: seconds), the exported model
 * in a fresh onnxruntime session, the dendrite-contribution record, parameter counts of the
 * comparison net, and bad specs (located, exit 2).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import * as path from 'path';
import { Rng } from '../../../../kernel/core/rng';
import { Evaluator } from '../../../../kernel/dense/evaluate';
import { exportOnnx } from '../../../../kernel/dense/export';
import { createSession, execOptions } from '../../../../kernel/dense/session';
import { dendriteContributions, writeContributions } from '../../../../kernel/models/dendrite/perforated-contribution';
import { PerforatedNet, parameterCount, widenedHidden, type NetSpec } from '../../../../kernel/models/dendrite/perforated-net';
import { EVENTS, REASONS } from '../../../../kernel/models/dendrite/perforated-schedule';
import { planSweep } from '../../../../kernel/sweeps/plan';
import { assertRejected, lastJsonLine, repoRoot, runMain, tempDir } from '../../helpers';

const exec = execOptions('cpu', { threads: 1 });
const mnist = { rows: 28, cols: 28, classes: 10 };
const base = [
  'kind: dendrite.perforated',
  'data: { name: mnist, trainLimit: 1500, testLimit: 300, validation: 0.2 }',
  'model: { hidden: [8] }',
  'schedule: { switchPatience: 2, scorePatience: 2, initialBatches: 10, maxCycles: 1, maxTries: 1, maxDendriteEpochs: 4, maxEpochs: 40 }',
  'train: { batchSize: 50, stepsPerRun: 4 }',
  'contribution: { items: 200 }',
].join('\n');

/** Give the net's perforated layers `sets` joined dendrite sets with random c and v. */
function grow(net: PerforatedNet, sets: number, rng: Rng): void {
  for (let k = 0; k < sets; k++) {
    for (const l of net.perforated) {
      l.addCandidate(rng.fork(`${l.name}.${k}`), 0.3);
      l.accept();
      for (const s of l.sets) for (const p of [s.out, s.cascade]) if (p) p.set(Float32Array.from({ length: p.size }, () => rng.normal()));
    }
  }
}

describe('dendrite.perforated experiment', () => {
  it('runs the schedule on 1,500 digits (events as metric records), and its plain run (perforate: []) is its cycle 0 bit for bit', async () => {
    const dir = tempDir('neurite-perforated-');
    const file = path.join(dir, 'p.neurite.yaml');
    fs.writeFileSync(file, base);
    const run = async (sets: string[]) => {
      const r = await runMain(['run', file, '--out', path.join(dir, 'runs'), '--json', '-q', ...sets]);
      assert.strictEqual(r.code, 0, r.stderr);
      const summary = lastJsonLine(r.stdout);
      return { summary, metrics: fs.readFileSync(path.join(dir, 'runs', summary.id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)), dir: path.join(dir, 'runs', summary.id) };
    };
    const p = await run([]);
    const names = p.summary.result.events.map((e: { event: string; reason: string }) => `${e.event}:${e.reason}`);
    assert.match(names.slice(0, 4).join(','), /^restore:validation-plateau,cycle-start:validation-plateau,dendrite-phase:validation-plateau,neuron-phase:(score-plateau|max-dendrite-epochs)$/);
    assert.match(names.slice(-2).join(','), /^restore:(max-cycles|dendrites-failed),stop:\1$/);
    const recorded = p.metrics.filter((m) => m.series === 'event').map((m) => `${EVENTS[m.values.event]}:${REASONS[m.values.reason]}`);
    assert.deepStrictEqual(recorded, names, 'each event is a metric record with its code and reason');
    assert.ok(p.summary.metrics.dendrite_epochs >= 1);
    assert.ok(fs.existsSync(path.join(p.dir, 'artifacts', 'model.onnx')));
    if (p.summary.metrics.cycles > 0) assert.ok(fs.existsSync(path.join(p.dir, 'artifacts', 'attribution', 'hidden0.perforated.dendrite.json')));

    const plain = await run(['--set', 'model.perforate=[]']);
    assert.deepStrictEqual(plain.summary.result.events.map((e: { event: string }) => e.event), ['restore', 'stop']);
    assert.strictEqual(plain.summary.result.events[0].epoch, p.summary.result.events[0].epoch, 'the plain net stops where the perforated one grows its first set');
    assert.strictEqual(plain.summary.metrics.test_accuracy, p.summary.metrics.test_accuracy_before);
    assert.strictEqual(plain.summary.metrics.parameters, p.summary.metrics.parameters_before);
    assert.strictEqual(plain.summary.metrics.parameters, 784 * 8 + 8 + 8 * 10 + 10);
  });

  it('exports a conv + MLP net with two dendrite sets that a fresh onnxruntime session runs with the kernel\'s outputs', async () => {
    const spec: NetSpec = { conv: [3], kernel: 3, hidden: [6], activation: 'relu', init: 'he', perforate: 'all' };
    const net = PerforatedNet.build(spec, { rows: 8, cols: 8, classes: 4 }, new Rng(2));
    grow(net, 2, new Rng(3));
    const file = path.join(tempDir('neurite-perforated-export-'), 'model.onnx');
    exportOnnx(net.model, file, { inputShape: [-1, 1, 8, 8], outputName: 'logits' });
    const x = Float32Array.from({ length: 5 * 64 }, (_, i) => Math.sin(i));
    const feed = { input: new ort.Tensor('float32', x, [5, 1, 8, 8]) };
    const fresh = await ort.InferenceSession.create(file);
    const kernel = await createSession(fs.readFileSync(file), exec);
    const got = (await fresh.run(feed)).logits.data as Float32Array;
    assert.deepStrictEqual(Array.from(got), Array.from((await kernel.run(feed)).logits.data as Float32Array));
    const trained = (await (await Evaluator.compile({ model: net.model, inputShape: [5, 1, 8, 8], exec })).run(x)).output;
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - trained[i]) <= 2e-6 * Math.max(1, Math.abs(got[i])), `logit ${i}: ${got[i]} vs ${trained[i]}`);
    assert.notDeepStrictEqual(Array.from(trained), Array.from((await (await Evaluator.compile({ model: PerforatedNet.build(spec, { rows: 8, cols: 8, classes: 4 }, new Rng(2)).model, inputShape: [5, 1, 8, 8], exec })).run(x)).output), 'the dendrites change the outputs');
    await fresh.release();
    await kernel.release();
  });

  it('the dendrite contribution record holds, per unit, the mean of Σc·d, of |Σc·d| and the fraction of sign flips that a direct evaluation gives', async () => {
    const spec: NetSpec = { conv: [], kernel: 5, hidden: [4], activation: 'relu', init: 'he', perforate: ['model.hidden[0]'] };
    const net = PerforatedNet.build(spec, { rows: 2, cols: 3, classes: 2 }, new Rng(6));
    grow(net, 1, new Rng(7));
    const x = Float32Array.from({ length: 20 * 6 }, (_, i) => Math.cos(1.3 * i));
    const [c] = await dendriteContributions(net, [{ x, size: 20 }], { inputShape: (n) => [n, 6], inputType: 'float32', exec });
    const l = net.perforated[0];
    const [W, b] = [l.neuron.weight.data, l.neuron.bias!.data];
    const s = l.sets[0];
    for (let i = 0; i < 4; i++) {
      let [mean, abs, flips] = [0, 0, 0];
      for (let n = 0; n < 20; n++) {
        const dot = (w: Float32Array) => [0, 1, 2, 3, 4, 5].reduce((t, j) => t + w[i * 6 + j] * x[n * 6 + j], 0);
        const cd = s.out.data[i] / (1 + Math.exp(-(dot(s.weight.data) + s.bias.data[i])));
        const out = dot(W) + b[i] + cd;
        [mean, abs, flips] = [mean + cd / 20, abs + Math.abs(cd) / 20, flips + (out * (out - cd) < 0 ? 1 / 20 : 0)];
      }
      assert.ok(Math.abs(c.mean[i] - mean) < 1e-5 && Math.abs(c.meanAbs[i] - abs) < 1e-5, `unit ${i}: ${c.mean[i]}, ${c.meanAbs[i]} vs ${mean}, ${abs}`);
      assert.ok(Math.abs(c.flipFraction[i] - flips) < 1e-9, `unit ${i}: flips ${c.flipFraction[i]} vs ${flips}`);
    }
    const [written] = writeContributions(tempDir('neurite-contrib-'), [c], { kind: 'dendrite.perforated', seconds: 0.1 });
    const record = JSON.parse(fs.readFileSync(written, 'utf8'));
    assert.strictEqual(path.basename(written), 'hidden0.perforated.dendrite.json');
    assert.strictEqual(record.format, 'neurite-attribution-1');
    assert.deepStrictEqual([record.request.method, record.definition, record.layer, record.units, record.items], ['perforated.dendrite', 'model-specific', 'hidden0', 4, 20]);
    assert.deepStrictEqual(record.rank, [0, 1, 2, 3].sort((p: number, q: number) => c.meanAbs[q] - c.meanAbs[p] || p - q));
    assert.deepStrictEqual(record.quantities.flipFraction, c.flipFraction);
  });

  it('counts the parameters of N dendrite sets as a grown net has them, and widens the plain net to the smallest width that reaches them', () => {
    const spec: NetSpec = { conv: [3], kernel: 3, hidden: [5], activation: 'relu', init: 'he', perforate: 'all' };
    const net = PerforatedNet.build(spec, { rows: 8, cols: 8, classes: 4 }, new Rng(1));
    grow(net, 3, new Rng(2));
    assert.strictEqual(net.parameterCount(), parameterCount(spec, { rows: 8, cols: 8, classes: 4 }, 3));
    const mlp: NetSpec = { ...spec, conv: [], hidden: [8] };
    const target = parameterCount(mlp, mnist, 3);
    const [h] = widenedHidden(mlp, mnist, 3);
    assert.ok(parameterCount({ ...mlp, hidden: [h], perforate: [] }, mnist) >= target);
    assert.ok(parameterCount({ ...mlp, hidden: [h - 1], perforate: [] }, mnist) < target);
    assert.strictEqual(h, 33, 'MLP 784-8-10 with 3 dendrite sets on both layers has the parameters of 784-33-10');
  });

  it('the samples plan their sweeps: the MLP 3 cases × 3 widths × 3 data fractions × 3 seeds, the conv net 3 cases × 3 seeds', () => {
    const mlp = planSweep({ specPath: path.join(repoRoot, 'samples', 'perforated-mlp.neurite.yaml') });
    assert.deepStrictEqual([mlp.trials.length, mlp.configs.length], [81, 27]);
    const conv = planSweep({ specPath: path.join(repoRoot, 'samples', 'perforated-conv.neurite.yaml') });
    assert.deepStrictEqual([conv.trials.length, conv.configs.length], [9, 3]);
  });

  describe('bad specs', () => {
    const dir = tempDir('neurite-perforated-bad-');
    const cases: { name: string; text: string; expect: RegExp }[] = [
      { name: 'perforating a layer the model does not have', text: 'model: { hidden: [8], perforate: ["model.hidden[1]"] }', expect: /^model\.perforate\[0\]: no layer "model\.hidden\[1\]" in this model; its Linear and Conv2d layers are model\.hidden\[0\], model\.output \(line 2/m },
      { name: 'perforating an activation', text: 'model: { perforate: [output, "model.hidden[0].activation"] }', expect: /^model\.perforate\[1\]: "model\.hidden\[0\]\.activation" is an activation; only Linear and Conv2d layers can be perforated/m },
      { name: 'perforating a pooling layer', text: 'model: { conv: [4], perforate: [conv0, "model.conv[0].pool"] }', expect: /^model\.perforate\[1\]: "model\.conv\[0\]\.pool" is a max pool; only Linear/m },
      { name: 'naming a layer twice (by name and by id)', text: 'model: { perforate: ["model.output", output] }', expect: /^model\.perforate\[1\]: "output" names model\.output a second time/m },
      { name: 'a switch patience of zero', text: 'schedule: { switchPatience: 0 }', expect: /^schedule\.switchPatience: .*>=1 \(line 2/m },
      { name: 'a relative threshold of 1.5', text: 'schedule: { improvementThresholds: [0.001, 1.5] }', expect: /^schedule\.improvementThresholds\[1\]: .*<1/m },
      { name: 'a score decay of 1', text: 'schedule: { scoreDecay: 1 }', expect: /^schedule\.scoreDecay: .*<1/m },
      { name: 'no tries', text: 'schedule: { maxTries: 0 }', expect: /^schedule\.maxTries: .*>=1/m },
      { name: 'a negative score improvement', text: 'schedule: { scoreImprovement: -0.1 }', expect: /^schedule\.scoreImprovement: .*>=0/m },
      { name: 'no validation set for the schedule to watch', text: 'data: { validation: 0 }', expect: /^data\.validation: the schedule watches the validation set/m },
      { name: 'a data fraction that keeps one image', text: 'data: { name: mnist, trainLimit: 100, fraction: 0.01 }', expect: /^data\.fraction: keeps 1 of 100 training images/m },
      { name: 'a batch larger than the fraction of the data', text: 'data: { name: mnist, fraction: 0.005 }\ntrain: { batchSize: 64 }', expect: /^train\.batchSize: a batch of 64 is more than the 39 training images \(data\.fraction 0\.005/m },
      { name: 'widening a net without hidden layers', text: 'model: { hidden: [], widenTo: 2 }', expect: /^model\.widenTo: there is no hidden Linear layer to widen/m },
      { name: 'an unknown dendrite learning rule', text: 'dendrites: { learning: hebbian }', expect: /^dendrites\.learning: /m },
    ];
    for (const c of cases) {
      it(`rejects ${c.name} with a located message, exit 2 and nothing written`, async () => {
        const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.neurite.yaml`);
        fs.writeFileSync(file, `kind: dendrite.perforated\n${c.text}\n`);
        await assertRejected(file, [c.expect]);
      });
    }
  });
});
