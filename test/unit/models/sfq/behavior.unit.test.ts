/**
 * The behavioural model and its calibration: the shipped calibration file is what the code
 * measures (on the shipped grid; its fits refitted from its points; a seeded sample of its
 * points re-measured exactly), the synapse widths scale like √T, the model tracks the
 * circuit-level network, and the sfq.xor experiment runs and checks its spec.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import shipped from '../../../../kernel/models/sfq/calibration.json';
import { xorMargin, xorRatesModel, type Calibration } from '../../../../kernel/models/sfq/behavior';
import { Rng } from '../../../../kernel/core/rng';
import { calibrated, calibrationPoints, measureMergerDeadTime, shippedGrid, type CalibrationGrid, type CalibrationPoint } from '../../../../kernel/models/sfq/calibrate';
import { fitSigmoid, powerLaw } from '../../../../kernel/models/sfq/synapse';
import { runXorCircuit } from '../../../../kernel/models/sfq/xor-circuit';
import { xorDefaults } from '../../../../kernel/models/sfq/xor-netlist';
import { loadSpec } from '../../../../kernel/runs/runner';
import { cli, lastJsonLine, repoRoot, tempDir } from '../../helpers';

const cal = shipped as unknown as Calibration;
const grid = cal.meta.grid as CalibrationGrid;

describe('the shipped SFQ calibration (kernel/models/sfq/calibration.json)', () => {
  it('was made on the grid the code ships, and its tables have that grid\'s axes', () => {
    assert.deepStrictEqual(grid, shippedGrid);
    assert.deepStrictEqual(cal.synapse.map((s) => s.temperature), grid.temperatures);
    for (const s of cal.synapse) assert.deepStrictEqual(s.points.map((p) => p.iw), grid.synapseIw);
    for (const [table, ith, rleak] of [[cal.neuron.hidden, grid.hiddenIth, grid.hiddenRleak], [cal.neuron.output, grid.outputIth, grid.outputRleak]] as const) {
      assert.deepStrictEqual([table.temperatures, table.ith, table.rates, table.rleak], [grid.temperatures, ith, grid.neuronRates, rleak]);
      assert.deepStrictEqual(table.out.map((o) => o.map((row) => row.length)), grid.temperatures.map(() => ith.map(() => grid.neuronRates.length)));
    }
  });

  it('its fitted curves are the fits of its own points: every sigmoid (I50, σ and their errors) and the width power law', () => {
    for (const s of cal.synapse) {
      const { points: _p, temperature: _t, ...fit } = s;
      assert.deepStrictEqual(fitSigmoid(s.points), fit, `sigmoid at ${s.temperature} K`);
    }
    assert.deepStrictEqual(powerLaw(cal.synapse.map((s) => s.temperature), cal.synapse.map((s) => s.width)), cal.widthPowerLaw);
  });

  // All 860 points take about two minutes; a sample of 100 (every table at every temperature
  // in proportion, at least 2 each) takes about ten seconds. A change that alters 5% of the
  // points (43) escapes it with probability 0.95^100 < 0.6%; one that alters a whole table at
  // one temperature cannot escape.
  const SAMPLE = 100;
  it(`re-measures exactly: a seeded sample of ${SAMPLE} of its simulated points, drawn from every table at every temperature, and the merger dead time`, async function () {
    this.timeout(300_000);
    const points = calibrationPoints(grid);
    const strata = new Map<string, CalibrationPoint[]>();
    for (const p of points) strata.set(`${p.table} ${p.t}`, [...(strata.get(`${p.table} ${p.t}`) ?? []), p]);
    const rng = new Rng(20261207);
    const sample = [...strata.values()].flatMap((s) => rng.shuffle([...s]).slice(0, Math.max(2, Math.round((SAMPLE * s.length) / points.length))));
    assert.strictEqual(sample.length, SAMPLE);
    for (const p of sample) assert.deepStrictEqual(await p.measure(), calibrated(cal, p), `${p.label} (seed ${p.seed})`);
    assert.strictEqual(await measureMergerDeadTime(), cal.mergerDeadTime);
  });
});

describe('SFQ behavioural model', () => {
  it('the synapse sigmoid widens with temperature as σ ∝ T^0.5 (within 0.07: three times the spread of b between calibration seeds)', () => {
    // `npm run bench -- sfq-seeds`: b = 0.492 ± 0.023 (sd) over 8 calibration seeds, 0.456–0.526; the shipped one is 0.5085.
    const widths = cal.synapse.map((s) => s.width);
    for (let k = 1; k < widths.length; k++) assert.ok(widths[k] > widths[k - 1], `widths ${widths.join(', ')}`);
    assert.ok(Math.abs(cal.widthPowerLaw.b - 0.5) <= 0.07, `exponent ${cal.widthPowerLaw.b}`);
  });

  it('computes XOR at the design point, and loses margin with temperature only when the weights sit near the sigmoid centre', () => {
    const at = (iwOn: number, T: number) => xorMargin(xorRatesModel(cal, { ...xorDefaults, iwOn }, T), xorDefaults.rateGHz).margin;
    assert.ok(at(xorDefaults.iwOn, 4.2) > 5);
    assert.ok(Math.abs(at(xorDefaults.iwOn, 8) - at(xorDefaults.iwOn, 1)) < 0.2 * at(xorDefaults.iwOn, 1), 'weights far above the centre: margin flat in T');
    assert.ok(at(80, 8) < 0.6 * at(80, 1), `weights near the centre: ${at(80, 1)} → ${at(80, 8)} GHz from 1 K to 8 K`);
  });

  it('tracks the circuit-level network: hidden and output rates for input 10 within 15%', async () => {
    const circuit = await runXorCircuit({ ...xorDefaults, x1: 1, x2: 0, durationPs: 2000 }, ['OUT'], 3);
    const model = xorRatesModel(cal, xorDefaults, xorDefaults.temperature)[2];
    assert.ok(Math.abs(model.hidden[0] / circuit.hidden[0] - 1) < 0.15, `h1: model ${model.hidden[0]}, circuit ${circuit.hidden[0]} GHz`);
    assert.ok(Math.abs(model.out / circuit.out - 1) < 0.15, `out: model ${model.out}, circuit ${circuit.out} GHz`);
  });
});

describe('sfq.xor experiment', () => {
  it('runs the sample: the README\'s margin of 16.75 GHz at 4.2 K (within 0.75 GHz: three standard deviations between seeds, rounded up to whole pulses), σ ∝ T^0.5, rates, sweeps and waveforms as traces', () => {
    const out = tempDir('neurite-xor-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'sfq-xor.neurite.yaml'), '--out', out, '--json', '--set', 'sweeps.circuitChecks=false']);
    assert.strictEqual(r.code, 0, r.stderr);
    const s = lastJsonLine(r.stdout);
    assert.strictEqual(s.status, 'completed');
    // `npm run bench -- sfq-seeds`: over seeds 1–20 the margin is 16.76 ± 0.21 GHz (sd), 16.50–17.25 (steps of one pulse in 4 ns, 0.25 GHz); seed 1 gives 16.75.
    assert.ok(Math.abs(s.metrics.margin_GHz - 16.75) <= 0.75, `circuit margin ${s.metrics.margin_GHz} GHz`);
    assert.ok(Math.abs(s.metrics.synapse_width_exponent - 0.5) <= 0.07, `width exponent ${s.metrics.synapse_width_exponent}`);
    assert.ok(s.metrics.out_10_GHz > s.metrics.out_00_GHz && s.metrics.out_01_GHz > s.metrics.out_11_GHz);
    const traces = fs.readdirSync(path.join(out, s.id, 'traces')).sort();
    for (const t of ['xor-rates', 'margin-vs-hidden-bias', 'margin-vs-output-bias', 'margin-vs-temperature', 'synapse-sigmoid', 'synapse-width-vs-temperature', 'neuron-transfer-hidden', 'waveforms', 'raster']) {
      assert.ok(traces.includes(`${t}.json`), `${t} in ${traces.join(', ')}`);
    }
    const raster = JSON.parse(fs.readFileSync(path.join(out, s.id, 'traces', 'raster.json'), 'utf8'));
    assert.strictEqual(raster.type, 'raster');
    assert.ok(raster.ids.includes(6), 'the output neuron fired for input 10');
  });

  it('rejects an "off" weight at or above the "on" weight, an unknown node and a reversed sweep, with their paths', () => {
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.xor', network: { iwOn: 60, iwOff: 70 } } }), /network\.iwOff: must be below iwOn/);
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.xor', circuit: { nodes: ['NOPE'] } } }), /circuit\.nodes\[0\]/);
    assert.throws(() => loadSpec({ spec: { kind: 'sfq.xor', sweeps: { ithOut: { from: 90, to: 80 } } } }), /sweeps\.ithOut\.to: must be above from/);
  });
});
