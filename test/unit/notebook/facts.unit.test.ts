/** `spec/facts`: a spec's finished run, per layer or population, at the spec's lines; stale once the spec no longer resolves to the run's. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { specFacts } from '../../../kernel/inline/facts';
import { cli, lastJsonLine, tempDir } from '../helpers';

const denseSpec = `kind: dense.mlp
name: facts-mlp
seed: 1
data: { name: fashion-mnist, validation: 0.1, trainLimit: 600, testLimit: 100 }
model:
  hidden:
    - 12
    - 8
train: { epochs: 1, batchSize: 32 }
attribution:
  data: { split: test, count: 20 }
  methods: [activation, conductance]
`;

const spikingSpec = `kind: spiking.network
name: facts-spikes
seed: 1
dtMs: 0.1
durationMs: 1000
populations:
  - name: exc
    model: lif-exp
    size: 20
    params: { tauMemMs: 10, tauExcMs: 5, vRestMv: -74, vResetMv: -60, vThreshMv: -54, tRefMs: 2 }
stimuli:
  - { type: poisson, name: input, size: 200, rateHz: 20 }
projections:
  - { name: drive, from: input, to: exc, connector: { type: all-to-all }, weight: 1.5 }
monitors:
  spikes: [exc]
  rateBinMs: 100
`;

describe('inline facts of a spec from its finished run (spec/facts)', function () {
  this.timeout(120000);
  const ws = tempDir('neurite-facts-');
  const densePath = path.join(ws, 'mlp.neurite.yaml');
  const spikingPath = path.join(ws, 'spikes.neurite.yaml');

  before(() => {
    fs.writeFileSync(densePath, denseSpec);
    fs.writeFileSync(spikingPath, spikingSpec);
    for (const f of [densePath, spikingPath]) {
      const r = cli(['run', f, '--json', '-q'], { cwd: ws });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual(lastJsonLine(r.stdout).status, 'completed');
    }
  });

  it('puts one fact on each hidden layer\'s line: active units from activation, top units from conductance', async () => {
    const f = await specFacts({ workspace: ws, text: denseSpec, specPath: densePath });
    assert.strictEqual(f.stale, false);
    assert.deepStrictEqual(f.facts.map((x) => [x.subject, x.line]), [['hidden0', 6], ['hidden1', 7]]);
    const h0 = f.facts[0];
    assert.match(h0.label, /^hidden0: \d+\/12 active · top n\d+ n\d+ n\d+ \(conductance\)$/);
    const top = h0.attribution!.top;
    assert.deepStrictEqual([h0.attribution!.units, h0.attribution!.method, h0.attribution!.mean.length], [12, 'conductance', 12]);
    const byAbs = [...h0.attribution!.meanAbs.keys()].sort((a, b) => h0.attribution!.meanAbs[b] - h0.attribution!.meanAbs[a] || a - b);
    assert.deepStrictEqual(top.slice(0, 3), byAbs.slice(0, 3), 'top units are the stored rank (largest |mean| first)');
  });

  it('says the facts are stale when the spec changed so that it describes another model', async () => {
    const f = await specFacts({ workspace: ws, text: denseSpec.replace('    - 8', '    - 9'), specPath: densePath });
    assert.strictEqual(f.stale, true);
    assert.deepStrictEqual(f.facts, []);
    assert.match(f.reason!, /model\.hidden\.1 differs/);
    assert.strictEqual(f.staleLine, 0);
  });

  it('is not stale for a change that does not change what the run computes (its name), nor for defaults written out', async () => {
    const same = denseSpec.replace('name: facts-mlp', 'name: renamed').replace('seed: 1', 'seed: 1\ndevice: auto');
    assert.strictEqual((await specFacts({ workspace: ws, text: same, specPath: densePath })).stale, false);
  });

  it('calls a spec that does not parse stale rather than guessing', async () => {
    const f = await specFacts({ workspace: ws, text: denseSpec + '\n  bad: [', specPath: densePath });
    assert.strictEqual(f.stale, true);
  });

  it('gives each spiking population its rate and ISI CV on its name line', async () => {
    const f = await specFacts({ workspace: ws, text: spikingSpec, specPath: spikingPath });
    assert.strictEqual(f.facts.length, 1);
    const [exc] = f.facts;
    assert.strictEqual(exc.line, 6); // "  - name: exc"
    assert.match(exc.label, /^exc: [\d.]+ Hz · CV \d\.\d\d$/);
    const runs = fs.readdirSync(path.join(ws, '.neurite', 'runs')).filter((d) => d.includes('facts-spikes'));
    const summary = JSON.parse(fs.readFileSync(path.join(ws, '.neurite', 'runs', runs[0], 'summary.json'), 'utf8'));
    assert.ok(exc.label.startsWith(`exc: ${Number(summary.metrics.rate_exc.toPrecision(5))} Hz`), `${exc.label} vs rate ${summary.metrics.rate_exc}`);
  });

  it('has nothing to say about a spec no run was made from', async () => {
    assert.deepStrictEqual((await specFacts({ workspace: ws, text: denseSpec, specPath: path.join(ws, 'other.neurite.yaml') })), { stale: false, facts: [] });
  });
});
