/**
 * Malformed specs are rejected before any work, with every problem as `path: message`, and
 * the CLI exits 2 without creating a run folder. Besides syntax and types, every numeric
 * relation a kind's method needs between fields is a case here (spiking kinds: their own table
 * in test/unit/spiking/network-spec.unit.test.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyOverrides } from '../../../kernel/experiments/spec';
import { loadSpec } from '../../../kernel/runs/runner';
import { assertRejected, cli, rejectedRun, repoRoot, tempDir } from '../helpers';

const sdr = 'kind: dendrite.sdr\n';
const mlp = 'kind: dense.mlp\n';
const xor = 'kind: sfq.xor\n';
const richlazy = 'kind: richlazy.rnn\n';
const circuit = (tran: string) => `kind: sfq.circuit\nnetlistText: |\n  R1 1 0 1\n  ${tran}\n`;
/** A dendrite.sdr spec with one check of a kind, its fields on line 2. */
const check = (kind: string, fields: string) => `${sdr}checks: { ${kind}: [{ ${fields} }] }\n`;
/** A dense.mlp spec on the packaged MNIST digits (8,576 training images), with more data fields. */
const mnist = (fields: string) => `${mlp}data: { name: mnist, ${fields} }\n`;
const rerunAt42 = 'calibration: { rerun: true, temperatures: [4.2] }\n';
const cases: { name: string; text: string; file?: string; expect: RegExp[] }[] = [
  { name: 'a YAML syntax error (unclosed list)', text: `${sdr}sweeps: [n, s\n`, expect: [/line \d+, column \d+/] },
  { name: 'a YAML indentation error', text: `${sdr}simulation:\n  trials: 5\n   confidence: 0.9\n`, expect: [/line 3/] },
  { name: 'a duplicated key', text: `${sdr}seed: 1\nseed: 2\n`, expect: [/line 3, column 1: .*unique/i] },
  { name: 'an empty file', text: '', expect: [/\(spec\): expected a mapping/] },
  { name: 'a list instead of a mapping', text: '- kind: dendrite.sdr\n', expect: [/expected a mapping .* got a list/] },
  { name: 'a bare scalar', text: 'hello\n', expect: [/expected a mapping .* got string/] },
  { name: 'a missing kind', text: 'seed: 1\n', expect: [/^kind: missing; known kinds: .*dendrite\.sdr/m] },
  { name: 'an unknown kind', text: 'kind: foo.bar\n', expect: [/kind: unknown experiment kind "foo\.bar"/] },
  { name: 'a kind that is not a string', text: 'kind: 3\n', expect: [/kind: expected a string/] },
  { name: 'a negative seed', text: `${sdr}seed: -1\n`, expect: [/^seed: .*>=0 \(line 2, column 7\)/m] },
  { name: 'a fractional seed', text: `${sdr}seed: 1.5\n`, expect: [/^seed: .*int/m] },
  { name: 'a string seed', text: `${sdr}seed: abc\n`, expect: [/^seed: .*expected number, received string/m] },
  { name: 'an unknown device', text: `${sdr}device: tpu\n`, expect: [/^device: .*"auto"/m] },
  { name: 'an unknown top-level key', text: `${sdr}epochs: 3\n`, expect: [/^epochs: unknown key \(line 2, column 1\)/m] },
  { name: 'an unknown nested key (a typo)', text: `${sdr}simulation:\n  trails: 5\n`, expect: [/^simulation\.trails: unknown key/m] },
  { name: 'a negative trial count', text: `${sdr}simulation: { trials: -5 }\n`, expect: [/^simulation\.trials: .*>=0/m] },
  { name: 'a confidence level above 1', text: `${sdr}simulation: { confidence: 1.5 }\n`, expect: [/^simulation\.confidence: .*<1/m] },
  { name: 'more active cells than cells', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 400, s: 24, theta: 12 }] }\n`, expect: [/^checks\.falsePositive\[0\]\.a: a \(400\) cannot exceed n \(300\)/m] },
  { name: 'a threshold of the wrong type', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 64, s: 24, theta: twelve }] }\n`, expect: [/^checks\.falsePositive\[0\]\.theta: .*expected number, received string \(line 2, column 58\)/m] },
  { name: 'a missing field in a check', text: `${sdr}checks: { falsePositive: [{ n: 300, a: 64, theta: 12 }] }\n`, expect: [/^checks\.falsePositive\[0\]\.s: /m] },
  { name: 'an unknown sweep', text: `${sdr}sweeps: [n, weather]\n`, expect: [/^sweeps\[1\]: /m] },
  { name: 'sweeps that are not a list', text: `${sdr}sweeps: n\n`, expect: [/^sweeps: .*expected array/m] },
  { name: 'a run name with a path in it', text: `${sdr}name: ../escape\n`, expect: [/^name: letters, digits/m] },
  { name: 'more noise than active cells', text: `${sdr}checks: { falseNegative: [{ n: 2048, a: 64, s: 24, theta: 12, v: 99 }] }\n`, expect: [/^checks\.falseNegative\[0\]\.v: v \(99\) cannot exceed a \(64\)/m] },
  { name: 'more noise cells than inactive cells', text: `${sdr}checks: { falseNegative: [{ n: 70, a: 40, s: 24, theta: 12, v: 35 }] }\n`, expect: [/^checks\.falseNegative\[0\]\.v: v \(35\) noise cells must come from the n − a = 30 inactive cells/m] },
  { name: 'a union of zero patterns', text: `${sdr}checks: { union: [{ n: 2048, a: 40, s: 24, theta: 12, M: 0 }] }\n`, expect: [/^checks\.union\[0\]\.M: /m] },
  { name: 'several problems at once (all listed)', text: `${sdr}seed: -2\ndevice: tpu\nbogus: 1\n`, expect: [/3 problems/, /^seed: /m, /^device: /m, /^bogus: unknown key/m] },
  { name: 'a GPU device for an event-engine kind', text: `${sdr}device: cuda\n`, expect: [/device: "cuda" is not used by dendrite\.sdr/] },
  { name: 'a JSON spec with a syntax error', text: '{ "kind": "dendrite.sdr", "seed": 1,, }', file: 'bad.neurite.json', expect: [/line 1, column/] },
  // dendrite.sdr: what the formulas and the simulation need (1 ≤ θ ≤ s ≤ n, a ≤ n; s ≤ a for false negatives)
  { name: 'θ above s (false positive)', text: check('falsePositive', 'n: 300, a: 64, s: 24, theta: 30'), expect: [/^checks\.falsePositive\[0\]\.theta: theta \(30\) cannot exceed s \(24\).*column 58/m] },
  { name: 'θ above s (false negative)', text: check('falseNegative', 'n: 2048, a: 64, s: 24, theta: 25, v: 8'), expect: [/^checks\.falseNegative\[0\]\.theta: theta \(25\) cannot exceed s \(24\)/m] },
  { name: 'θ above s (union)', text: check('union', 'n: 2048, a: 40, s: 24, theta: 40, M: 20'), expect: [/^checks\.union\[0\]\.theta: theta \(40\) cannot exceed s \(24\)/m] },
  { name: 'a threshold of zero', text: check('falsePositive', 'n: 300, a: 64, s: 24, theta: 0'), expect: [/^checks\.falsePositive\[0\]\.theta: a threshold of 0 makes every pattern/m] },
  { name: 'more synapses than cells', text: check('falsePositive', 'n: 20, a: 10, s: 24, theta: 12'), expect: [/^checks\.falsePositive\[0\]\.s: s \(24\) cannot exceed n \(20\)/m] },
  { name: 'a false-negative s above a', text: check('falseNegative', 'n: 2048, a: 20, s: 24, theta: 12, v: 8'), expect: [/^checks\.falseNegative\[0\]\.s: s \(24\) cannot exceed a \(20\)/m] },
  // dense.mlp: the data set's size, the validation split and the batch (built-in copies have known sizes)
  { name: 'a validation split holding out no image', text: mnist('trainLimit: 5, validation: 0.05'), expect: [/^data\.validation: holds out no image: round\(5 × 0\.05\) = 0.*line 2, /m] },
  { name: 'a validation split that leaves no training image', text: mnist('trainLimit: 1, validation: 0.5'), expect: [/^data\.validation: leaves no training image/m] },
  { name: 'a batch above the training part', text: `${mnist('trainLimit: 50')}train: { batchSize: 64 }\n`, expect: [/^train\.batchSize: a batch of 64 is more than the 45 .*line 3, column 21/m] },
  { name: 'a batch larger than the packaged MNIST training part', text: `${mnist('validation: 0.1')}train: { batchSize: 8000 }\n`, expect: [/^train\.batchSize: a batch of 8000 is more than the 7718 training/m] },
  { name: 'a mirror without download', text: `${mlp}data: { mirror: "http://127.0.0.1/x" }\n`, expect: [/^data\.mirror: a mirror is only used with data\.download: true \(line 2/m] },
  { name: 'a download together with a data folder', text: `${mlp}data: { dir: ./x, download: true }\n`, expect: [/^data\.download: cannot download when data\.dir is given/m] },
  // sfq.circuit: the netlist is read and built before any work (.tran needs stop ≥ two steps)
  { name: 'a circuit whose stop time is less than two time steps', text: circuit('.tran 1p 0.5p'), expect: [/netlistText:2:10: \.tran stop time 5e-13 is less than two time steps/] },
  { name: 'a circuit without a positive time step', text: circuit('.tran 0 10p'), expect: [/netlistText:2:\d+: \.tran time step must be > 0/] },
  { name: 'a netlist file that does not exist', text: 'kind: sfq.circuit\nnetlist: nope.cir\n', expect: [/^netlist: cannot read .*nope\.cir: ENOENT/m] },
  // sfq.xor: the behavioural sweeps stay on the calibrated tables; "on" weights above "off"
  { name: 'an "on" weight at or below the "off" weight', text: `${xor}sweeps: { weights: [82, 40] }\n`, expect: [/^sweeps\.weights\[1\]: an "on" weight \(40 µA\) must be above iwOff \(50 µA\)/m] },
  { name: 'a hidden-threshold sweep below the table', text: `${xor}sweeps: { ithHidden: { from: 30, to: 85 } }\n`, expect: [/^sweeps\.ithHidden\.from: 30 µA is below the calibrated 45–85 µA/m] },
  { name: 'an output-threshold sweep above the table', text: `${xor}sweeps: { ithOut: { from: 70, to: 99 } }\n`, expect: [/^sweeps\.ithOut\.to: 99 µA is above the calibrated 70–95 µA/m] },
  { name: 'a temperature sweep outside the shipped calibration', text: `${xor}sweeps: { temperature: [0.5, 4.2] }\n`, expect: [/^sweeps\.temperature\[0\]: 0\.5 K lies outside the calibrated 1–8 K/m] },
  // richlazy.rnn: W_rec's rank within the network, the kernel's trials among the probe trials
  { name: 'an initial rank above the network size', text: `${richlazy}model: { hidden: 50, rank: 60 }\n`, expect: [/^model\.rank: the rank cannot exceed model\.hidden \(50\), got 60 \(line 2/m] },
  { name: 'kernel trials beyond the probe set', text: `${richlazy}probe: { trials: 16, kernelTrials: 32 }\n`, expect: [/^probe\.kernelTrials: the kernel's trials are among the probe trials \(16\), got 32 \(line 2/m] },
  { name: 'a temperature outside a rerun', text: `${xor}${rerunAt42}sweeps: { temperature: [6] }\n`, expect: [/^sweeps\.temperature\[0\]: 6 K lies outside the calibrated 4\.2–4\.2 K/m] },
];

describe('malformed specs', () => {
  const dir = tempDir('neurite-bad-');
  for (const c of cases) {
    it(`rejects ${c.name} with a located message, exit 2 and nothing written`, async () => {
      const file = path.join(dir, c.file ?? `${c.name.replace(/\W+/g, '-')}.neurite.yaml`);
      fs.writeFileSync(file, c.text);
      await assertRejected(file, c.expect);
    });
  }

  it('rejects a missing spec file naming the file', () => {
    assert.throws(() => loadSpec({ specPath: path.join(dir, 'nope.yaml') }), /nope\.yaml: cannot read spec file: ENOENT/);
  });

  it('rejects --set overrides that are not path=value or that walk through a scalar', () => {
    assert.throws(() => applyOverrides({}, ['seed']), /--set seed: expected path=value/);
    assert.throws(() => applyOverrides({ seed: 1 }, ['seed.x=2']), /"seed" is not an object/);
    assert.throws(() => applyOverrides({}, ['__proto__.x=1']), /not a valid path/);
  });

  it('names the --set argument of a bad value instead of a line of the spec file', async () => {
    const sample = path.join(repoRoot, 'samples', 'sdr-paper.neurite.yaml'); // it sets simulation.trials and checks at lines of its own
    const stderr = await rejectedRun(sample, ['--set', 'simulation.trials=abc', '--set', 'simulation.trails=3', '--set', 'checks.falsePositive=[{ n: 300, a: 64, s: 24, theta: 30 }]']);
    assert.match(stderr, /^ {2}--set simulation\.trials=abc: Invalid input: expected number, received string$/m);
    assert.match(stderr, /^ {2}--set simulation\.trails=3: unknown key$/m);
    assert.match(stderr, /^ {2}--set checks\.falsePositive=\[\{ n: 300, a: 64, s: 24, theta: 30 \}\]: checks\.falsePositive\[0\]\.theta: theta \(30\) cannot exceed s \(24\)/m);
    assert.doesNotMatch(stderr, /\(line \d+/);
  });

  it('keeps the line of a problem in the file beside a --set, and names the last --set of a path', async () => {
    const file = path.join(dir, 'beside-set.neurite.yaml');
    fs.writeFileSync(file, `${sdr}seed: -1\nsimulation: { trials: 5 }\n`);
    const stderr = await rejectedRun(file, ['--set', 'simulation.trials=1', '--set', 'simulation.trials=x']);
    assert.match(stderr, /^ {2}seed: .*>=0 \(line 2, column 7\)$/m);
    assert.match(stderr, /^ {2}--set simulation\.trials=x: /m);
    assert.doesNotMatch(stderr, /trials=1:|line 3/);
  });

  it('the CLI exits 2 on a bad spec, prints every problem on stderr, and creates no run folder', () => {
    const out = tempDir('neurite-out-');
    const file = path.join(dir, 'cli-bad.neurite.yaml');
    fs.writeFileSync(file, `${sdr}seed: -2\nbogus: 1\n`);
    const r = cli(['run', file, '--out', out]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /seed: /);
    assert.match(r.stderr, /bogus: unknown key/);
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });

  it('the CLI exits 2 on bad flags and unknown commands', () => {
    assert.strictEqual(cli(['run']).code, 2);
    assert.strictEqual(cli(['run', 'x.yaml', '--seed', 'abc']).code, 2);
    assert.strictEqual(cli(['run', 'x.yaml', '--frobnicate']).code, 2);
    assert.strictEqual(cli(['dance']).code, 2);
  });
});
