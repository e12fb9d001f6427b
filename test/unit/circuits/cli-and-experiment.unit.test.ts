/**
 * `neurite sim` writes JoSIM-style CSV; the `sfq.circuit` experiment runs the same netlist,
 * streams downsampled waveforms that keep every pulse, and writes the full CSV to traces/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { minMaxDownsample } from '../../../kernel/circuits/downsample';
import { simulate } from '../../../kernel/circuits/simulate';
import { loadSpec } from '../../../kernel/runs/runner';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';

const jtlCir = path.join(repoRoot, 'samples', 'circuits', 'jtl.cir');

describe('neurite sim', () => {
  it('writes CSV with a time column then one column per .print, in %.6e, matching the in-process simulation', () => {
    const out = path.join(tempDir('neurite-sim-'), 'jtl.csv');
    const r = cli(['sim', jtlCir, '-o', out]);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /2800 steps of 0\.250 ps, 14 junctions/);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.strictEqual(lines[0], 'time,V(IN),I(IIN),P(B1|X1),P(B1|X4),P(B1|X8),V(J1),V(J4),V(J8)');
    assert.strictEqual(lines.length, 1 + 2801);
    assert.match(lines[1], /^0\.000000e\+00(,[-0-9.]+e[+-]\d\d){8}$/);
    const ref = simulate(fs.readFileSync(jtlCir, 'utf8'));
    const row = lines[1001].split(',').map(Number);
    assert.ok(Math.abs(row[0] - 250e-12) < 1e-18);
    assert.ok(Math.abs(row[4] - ref.get('P(B1|X4)')[1000]) <= 1e-6 * Math.abs(row[4]));
  });

  it('prints the CSV to stdout without -o', () => {
    const r = cli(['sim', jtlCir, '-q']);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stdout.trim().split('\n').length, 2802);
  });
});

describe('min/max downsampling', () => {
  it('keeps every narrow pulse at its full height while cutting the point count', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = new Float64Array(n);
    for (const c of [1234, 45678, 99000]) y[c] = 1; // one-sample spikes
    const d = minMaxDownsample(x, y, n, 1000);
    assert.ok(d.x.length <= 1000);
    assert.deepStrictEqual(d.x.filter((_, i) => d.y[i] === 1), [1234, 45678, 99000]);
    assert.ok(d.x.every((v, i) => i === 0 || v > d.x[i - 1]), 'time stays increasing');
  });
});

describe('sfq.circuit experiment', () => {
  it('runs the sample, streams voltage/phase/current traces and writes traces/waveforms.csv', () => {
    const out = tempDir('neurite-sfq-run-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'sfq-circuit.neurite.yaml'), '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    assert.strictEqual(s.status, 'completed');
    assert.strictEqual(s.metrics['pulses_P(B1|X8)'], 3, 'three input pulses reach the end of the line');
    const traces = path.join(out, s.id, 'traces');
    const csv = fs.readFileSync(path.join(traces, 'waveforms.csv'), 'utf8').trim().split('\n');
    assert.strictEqual(csv.length, 2802);
    const volts = JSON.parse(fs.readFileSync(path.join(traces, 'waveforms-voltage.json'), 'utf8'));
    assert.strictEqual(volts.type, 'xy');
    assert.deepStrictEqual(volts.series.map((x: { name: string }) => x.name), ['V(IN)', 'V(J1)', 'V(J4)', 'V(J8)']);
    assert.ok(fs.existsSync(path.join(traces, 'waveforms-phase.json')) && fs.existsSync(path.join(traces, 'waveforms-current.json')));
  });

  it('takes the netlist inline, and rejects a spec that gives both a file and text', () => {
    const ok = loadSpec({ spec: { kind: 'sfq.circuit', netlistText: 'R1 1 0 1\n.tran 1p 10p' } });
    assert.strictEqual(ok.spec.stream.points, 4000);
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.circuit', netlist: 'a.cir', netlistText: 'x' } }), /netlist: give exactly one of netlist/);
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.circuit' } }), /netlist: give exactly one/);
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.circuit', netlist: 'a.cir', stream: { points: 5 } } }), /stream\.points/);
  });

  it('rejects a bad netlist before any work: exit 2, the located problem on stderr, no run folder', () => {
    const dir = tempDir('neurite-sfq-bad-');
    const spec = path.join(dir, 'bad.neurite.yaml');
    fs.writeFileSync(spec, 'kind: sfq.circuit\nnetlistText: |\n  R1 1 0 1\n  B1 1 0 nomodel\n  .tran 1p 10p\n');
    const out = path.join(dir, 'runs');
    const r = cli(['run', spec, '--out', out, '--json']);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /netlistText:2:8: B1: undefined model "nomodel"/);
    assert.ok(!fs.existsSync(out), 'nothing written');
  });
});

describe('a circuit that does not converge', () => {
  // One unshunted junction driven at 100 mA with a 100 ps step: Newton cannot follow the first step.
  const netlist = '.model m jj(rtype=1, vg=2.8mV, cap=0.07pF, r0=160, rn=16, icrit=0.1mA)\nIB 0 1 pwl(0 0 10p 100m)\nB1 1 0 m\n.tran 100p 2000p\n';
  const message = /the solver did not converge at t = 100\.000 ps \(step 1 of 20\): junction B1 \(line 3\)/;
  const stackTrace = /^\s+at /m;

  it('ends neurite sim with exit 1 and the message, without a stack trace', () => {
    const dir = tempDir('neurite-sim-nc-');
    fs.writeFileSync(path.join(dir, 'nc.cir'), netlist);
    const r = cli(['sim', path.join(dir, 'nc.cir'), '-o', path.join(dir, 'out.csv')]);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, stackTrace);
  });

  it('ends neurite run of an sfq.circuit spec with exit 1 and the message, without a stack trace', () => {
    const dir = tempDir('neurite-run-nc-');
    fs.writeFileSync(path.join(dir, 'nc.cir'), netlist);
    fs.writeFileSync(path.join(dir, 'nc.neurite.yaml'), 'kind: sfq.circuit\nnetlist: nc.cir\n');
    const r = cli(['run', path.join(dir, 'nc.neurite.yaml'), '--out', dir]);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stdout, /^failed: /m);
    assert.match(r.stdout + r.stderr, message);
    assert.doesNotMatch(r.stdout + r.stderr, stackTrace);
  });
});
