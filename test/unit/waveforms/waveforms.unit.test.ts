/** The waveform viewer's data side: full-resolution CSVs, min/max at any zoom, exact cursor readings, rasters. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readNumericCsv } from '../../../kernel/waveforms/csv';
import { MinMaxPyramid } from '../../../kernel/waveforms/pyramid';
import { maxSpikesDrawn, SpikeRaster } from '../../../kernel/waveforms/raster';
import { SampledTrace } from '../../../kernel/waveforms/series';
import { labelUnit, loadCsvWaveforms, loadRunWaveforms } from '../../../kernel/waveforms/sources';
import { columnMeaning, timeColumnScale } from '../../../kernel/waveforms/units';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';

/** The magnetic flux quantum h/2e, Wb (= V·s). */
const PHI0 = 2.067833848e-15;

describe('waveforms: data for the waveform viewer', function () {
  this.timeout(120000);
  let circuitRun: string;

  before(() => {
    const out = tempDir('neurite-waves-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'sfq-circuit.neurite.yaml'), '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    circuitRun = path.join(out, lastJsonLine(r.stdout).id);
  });

  it('gives the min and max of any index range, as a scan of the samples would', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const y = Float32Array.from({ length: 1037 }, () => rand() * 2 - 1);
    const p = new MinMaxPyramid(y);
    for (let k = 0; k < 3000; k++) {
      const a = Math.floor(rand() * y.length);
      const b = a + 1 + Math.floor(rand() * (y.length - a));
      const slice = Array.from(y.subarray(a, b));
      assert.deepStrictEqual(p.range(a, b), [Math.min(...slice), Math.max(...slice)], `range ${a}..${b}`);
    }
    assert.deepStrictEqual(p.range(5, 5), [NaN, NaN]);
  });

  it('keeps a pulse one sample wide at full height in every zoomed-out window, and sends samples once they fit', () => {
    const n = 100_001;
    const x = Float64Array.from({ length: n }, (_, i) => i * 1e-12);
    const y = new Float32Array(n);
    y[43_210] = 1; // one sample high
    const t = new SampledTrace(x, y);
    for (const bins of [100, 333, 1000]) {
      const w = t.window(0, 0, x[n - 1], bins);
      assert.strictEqual(w.mode, 'minmax');
      if (w.mode !== 'minmax') return;
      assert.strictEqual(w.max.length, bins);
      assert.strictEqual(Math.max(...w.max.map((v) => v ?? -1)), 1, `${bins} columns`);
      assert.strictEqual(w.max.filter((v) => v === 1).length, 1, 'in exactly one column');
    }
    const near = t.window(0, x[43_200], x[43_220], 800);
    assert.strictEqual(near.mode, 'samples');
    if (near.mode === 'samples') {
      assert.strictEqual(near.x.length, 23, 'the 21 samples of the window and one beyond each end');
      assert.strictEqual(near.y[near.x.indexOf(x[43_210])], 1);
    }
  });

  it('reads ∫V dt of one SFQ pulse as Φ0 between two cursors, from the full-resolution CSV of a circuit run', async () => {
    const set = await loadRunWaveforms(circuitRun);
    const v = set.traces.find((t) => t.info.name === 'V(J4)')!;
    const phase = set.traces.find((t) => t.info.name === 'P(B1|X4)')!;
    assert.strictEqual(v.info.unit, 'V');
    assert.strictEqual(v.info.samples, 2801, 'every row of traces/waveforms.csv, not the streamed preview');
    let peak = 0;
    for (let i = 1; i < v.data.length; i++) if (v.data.y[i] > v.data.y[peak]) peak = i;
    const tp = v.data.x[peak];
    const r = v.data.reading(v.info.id, tp - 20e-12, tp + 20e-12);
    assert.ok(Math.abs(r.integral / PHI0 - 1) < 0.01, `∫V dt = ${r.integral / PHI0} Φ0`);
    // the same flux from the junction's phase: a 2π slip carries one Φ0
    const slip = phase.data.valueAt(tp + 20e-12) - phase.data.valueAt(tp - 20e-12);
    assert.ok(Math.abs(slip / (2 * Math.PI) - 1) < 0.01, `phase slip ${slip / (2 * Math.PI)} × 2π`);
    assert.ok(Math.abs(r.max - v.data.y[peak]) < 1e-12 && r.min < r.max && Math.abs(r.mean * 40e-12 - r.integral) < 1e-24);
    const reversed = v.data.reading(v.info.id, tp + 20e-12, tp - 20e-12);
    assert.strictEqual(reversed.integral, r.integral, 'cursors in either order');
  });

  it('integrates linear interpolation exactly, also between samples', () => {
    const t = new SampledTrace(Float64Array.from([0, 1, 2, 3]), Float32Array.from([0, 2, 2, 0]));
    const cases: [string, number, number, number][] = [
      ['the whole trace (a trapezoid)', 0, 3, 4],
      ['inside one rising segment', 0.5, 1, 0.75],
      ['across two segments', 0.5, 2.5, 3.5],
      ['beyond the ends (held values)', -1, 0, 0],
    ];
    for (const [name, a, b, expected] of cases) assert.ok(Math.abs(t.reading(0, a, b).integral - expected) < 1e-12, name);
    assert.strictEqual(t.valueAt(0.25), 0.5);
  });

  it('sends a raster spike by spike up to its limit, then as counts per column and row, with the population rate', () => {
    const n = maxSpikesDrawn + 1;
    const times = Array.from({ length: n }, (_, i) => (i * 1e-3) / n); // over 1 ms, in reverse order below
    const raster = new SpikeRaster([...times].reverse(), times.map((_, i) => i % 10));
    assert.strictEqual(raster.neurons, 10);
    const all = raster.window(0, 0, 1e-3, 100, 10);
    assert.strictEqual(all.mode, 'density');
    if (all.mode === 'density') {
      assert.strictEqual(all.counts.reduce((s, c) => s + c, 0), n);
      assert.ok(Math.abs(all.rate[50] - n / 100 / (10 * 1e-5)) / all.rate[50] < 0.01, `rate ${all.rate[50]} Hz`);
    }
    const half = raster.window(0, 0, 0.5e-3, 100, 10);
    assert.strictEqual(half.mode, 'spikes');
    if (half.mode === 'spikes') assert.ok(half.t.every((t, i) => i === 0 || t >= half.t[i - 1]), 'sorted by time');
    const oneNeuron = raster.window(0, 0, 1e-3, 100, 10, [3, 4]);
    assert.ok(oneNeuron.mode === 'spikes' && oneNeuron.n.every((id) => id === 3) && oneNeuron.n.length === Math.ceil((n - 3) / 10));
    const r = raster.reading(0, 0, 1e-3 + 1e-12);
    assert.strictEqual(r.spikes, n);
    assert.ok(Math.abs(r.rate - n / (10 * 1e-3)) / r.rate < 1e-6);
  });

  it('reads time columns and units from CSV headers and axis labels', () => {
    const times: [string, number | undefined][] = [
      ['time', 1],
      ['t_ms', 1e-3],
      ['time_ps', 1e-12],
      ['t (ns)', 1e-9],
      ['step', undefined],
      ['n', undefined],
    ];
    for (const [name, scale] of times) assert.strictEqual(timeColumnScale(name), scale, name);
    assert.deepStrictEqual(columnMeaning('V(J4)', 'waveforms.csv'), { unit: 'V', scale: 1, quantity: 'voltage' });
    assert.deepStrictEqual(columnMeaning('n0', 'P.v.csv'), { unit: 'V', scale: 1e-3, quantity: 'voltage' });
    assert.deepStrictEqual(columnMeaning('n0', 'P.ge.csv'), { unit: '', scale: 1, quantity: 'ge' });
    assert.deepStrictEqual(labelUnit('voltage (mV)'), { unit: 'V', scale: 1e-3 });
    assert.deepStrictEqual(labelUnit('time (ps)'), { unit: 's', scale: 1e-12 });
  });

  it('streams a CSV larger than one read chunk, and names the line of a bad row', async () => {
    const dir = tempDir('neurite-csv-');
    const file = path.join(dir, 'big.csv');
    const rows = 60_000; // ~2 MB: several 1 MB chunks, rows split across them
    fs.writeFileSync(file, 'time,V(A),V(B)\n' + Array.from({ length: rows }, (_, i) => `${(i * 2.5e-13).toExponential(6)},${Math.sin(i)},${i}`).join('\n') + '\n');
    const t = await readNumericCsv(file, [1e12, 1, 1]);
    assert.strictEqual(t.rows, rows);
    assert.strictEqual(t.columns[1][rows - 1], rows - 1);
    assert.ok(Math.abs(t.time[rows - 1] - (rows - 1) * 0.25) < 1e-9);
    const set = await loadCsvWaveforms(file);
    assert.deepStrictEqual(set.traces.map((x) => x.info.name), ['V(A)', 'V(B)']);
    fs.appendFileSync(file, '1e-9,0,oops\n');
    await assert.rejects(readNumericCsv(file), new RegExp(`big\\.csv:${rows + 2}: column V\\(B\\) is not a number`));
  });

  it('finds every waveform and raster of a spiking run, at full resolution, in SI units', async () => {
    const out = tempDir('neurite-waves-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'spiking-cuba.neurite.yaml'), '--out', out, '--json', '--set', 'durationMs=200', '--set', 'monitors.maxRasterPoints=1000']);
    assert.strictEqual(r.code, 0, r.stderr);
    const summary = lastJsonLine(r.stdout);
    const set = await loadRunWaveforms(path.join(out, summary.id));
    assert.deepStrictEqual(set.traces.map((t) => [t.info.name, t.info.unit, t.info.samples]), [['P.v n0', 'V', 2000], ['P.v n1', 'V', 2000], ['P.v n2', 'V', 2000]]);
    assert.strictEqual(set.rasters.length, 1);
    assert.strictEqual(set.rasters[0].info.spikes, summary.metrics.spikes_P, 'every spike from P.spikes.csv, not the 1000 streamed');
    assert.ok(set.traces[0].info.min > -0.075 && set.traces[0].info.max < -0.045, 'membrane potentials in volts');
    assert.ok(Math.abs(set.range[1] - 0.1999) < 1e-9, `time in seconds: ${set.range}`);
  });
});
