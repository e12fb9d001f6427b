/** What charts are made of, in plain Node: smoothing, bounded buffers, charts from metric records, log ticks, CSV. */
import * as assert from 'assert';
import type { MetricTable } from '../../../kernel/protocol/metrics';
import type { MetricRecord } from '../../../kernel/protocol/types';
import { traceSpec } from '../../../webview/shared/chart-spec';
import { chartCsv, fileName } from '../../../webview/shared/export';
import { aggregateCharts, groupCharts, MetricStore, overlayCharts } from '../../../webview/shared/metric-charts';
import { SeriesBuffer } from '../../../webview/shared/series-buffer';
import { smooth } from '../../../webview/shared/smooth';
import { logTicks, niceTicks, powerLabel } from '../../../webview/shared/ticks';

const table: MetricTable = {
  series: { epoch: { label: 'per epoch', x: 'epoch' } },
  metrics: [
    { name: 'train_loss', label: 'training loss', group: 'Loss' },
    { name: 'val_loss', label: 'validation loss', group: 'Loss' },
    { name: 'seconds', label: 'epoch time', unit: 's', group: 'Epoch time' },
    { name: 'estimate', label: 'simulated rate', group: 'Error rate', scale: 'log', band: { lo: 'lo', hi: 'hi' } },
    { name: 'theory', label: 'theory', group: 'Error rate', scale: 'log' },
  ],
};
const rec = (step: number, values: Record<string, number>, series?: string): MetricRecord => ({ t: step, step, ...(series ? { series } : {}), values });

describe('chart data', () => {
  it('smooths like TensorBoard: a debiased moving average that starts at the first value and keeps gaps', () => {
    assert.deepStrictEqual(smooth([4, 4, 4], 0.9), [4, 4, 4]);
    const s = smooth([0, 10, null, 10], 0.5) as number[];
    assert.strictEqual(s[0], 0);
    assert.ok(Math.abs(s[1] - (0.5 * 10) / (1 - 0.5 ** 2)) < 1e-12, String(s[1]));
    assert.strictEqual(s[2], null);
    assert.deepStrictEqual(smooth([1, 2, 3], 0), [1, 2, 3]);
  });

  it('keeps a stream of any length in bounded memory, evenly thinned, its newest point always shown', () => {
    const b = new SeriesBuffer(100);
    for (let i = 0; i < 12_000; i++) b.push(i, i * 2);
    assert.ok(b.length <= 101, `kept ${b.length}`);
    const p = b.points();
    assert.strictEqual(p.x[0], 0);
    assert.strictEqual(p.x[p.x.length - 1], 11_999, 'the newest point');
    const gaps = new Set(p.x.slice(1, -1).map((x, i) => x - p.x[i]));
    assert.strictEqual(gaps.size, 1, `evenly spaced: gaps ${[...gaps]}`);
    assert.ok(p.y.every((y, i) => y === p.x[i] * 2));
  });

  it('charts metrics by declared group and series, with a declared interval as the band of its metric', () => {
    const store = new MetricStore(table).addAll([
      rec(1, { train_loss: 2, val_loss: 2.5, seconds: 3 }, 'epoch'),
      rec(2, { train_loss: 1, val_loss: 1.5, seconds: 2 }, 'epoch'),
      rec(1000, { estimate: 1e-3, lo: 8e-4, hi: 1.2e-3, theory: 1.1e-3 }, 'fp0'),
    ]);
    const charts = groupCharts(store);
    assert.deepStrictEqual(charts.map((c) => [c.title, c.xLabel, c.yLabel, c.series.map((s) => s.name)]), [
      ['Loss · per epoch', 'epoch', 'Loss', ['training loss', 'validation loss']],
      ['Epoch time · per epoch', 'epoch', 'Epoch time (s)', ['epoch time']],
      ['Error rate · fp0', 'step', 'Error rate', ['simulated rate', 'theory']],
    ]);
    const err = charts[2];
    assert.strictEqual(err.logY, true);
    assert.deepStrictEqual([err.series[0].lo?.[0], err.series[0].hi?.[0]], [8e-4, 1.2e-3]);
    assert.strictEqual(err.series[1].lo, undefined);
  });

  it('overlays runs per metric, one colour per run, and averages the runs of a configuration with a ± sd band', () => {
    const run = (k: number) => new MetricStore(table).addAll([rec(1, { train_loss: 2 * k }, 'epoch'), rec(2, { train_loss: k }, 'epoch')]);
    const runs = [run(1), run(2), run(3)];
    const overlay = overlayCharts(runs.map((store, i) => ({ label: `seed ${i}`, color: i, store })));
    assert.deepStrictEqual(overlay.map((c) => [c.title, c.group, c.series.map((s) => [s.name, s.color])]), [['training loss · per epoch', 'Loss', [['seed 0', 0], ['seed 1', 1], ['seed 2', 2]]]]);
    const [agg] = aggregateCharts([{ label: 'lr=0.1', color: 4, stores: runs }]);
    assert.deepStrictEqual(agg.series[0].y, [4, 2]);
    assert.deepStrictEqual(agg.series[0].lo, [2, 1]);
    assert.deepStrictEqual(agg.series[0].hi, [6, 3]);
    assert.strictEqual(agg.series[0].name, 'lr=0.1 (n = 3)');
  });

  it('ticks a log axis at decades, at 1-2-5 within two decades, and at round values within one', () => {
    assert.deepStrictEqual(logTicks(-24, 0).map(Math.round), [-24, -21, -18, -15, -12, -9, -6, -3, 0]);
    assert.deepStrictEqual(logTicks(-3.1, -1.9).map((v) => powerLabel(v)), ['1e-3', '0.002', '0.005', '0.01']);
    assert.deepStrictEqual(logTicks(Math.log10(8e-4), Math.log10(1.3e-3)).map((v) => powerLabel(v)), ['8e-4', '9e-4', '1e-3', '0.0011', '0.0012', '0.0013']);
    assert.deepStrictEqual(niceTicks(0.2, 1.05, 5), [0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('exports the raw values as CSV with categories and bands, and names files after the chart', () => {
    const spec = traceSpec('rates', { type: 'xy', title: 'Rates', xLabel: 'input pair', yLabel: 'rate (GHz)', xCategories: ['00', '01'], series: [{ name: 'out, "circuit"', x: [0, 1], y: [0, 10], lo: [0, 9], hi: [0, 11] }] });
    assert.strictEqual(spec.yUnit, 'GHz');
    assert.strictEqual(spec.series[0].points, true, 'categories are drawn as points, not a line through them');
    assert.strictEqual(chartCsv(spec), 'series,input pair,category,rate (GHz),lo,hi\n"out, ""circuit""",0,00,0,0,0\n"out, ""circuit""",1,01,10,9,11\n');
    assert.strictEqual(fileName('Loss · per epoch', 'png'), 'Loss-per-epoch.png');
  });
});
