/**
 * The run panel in a real browser, on real runs (dense.mlp, dendrite.sdr, sfq.xor at toy size):
 * it renders the summary grouped with units and the charts the kinds declare, its charts zoom,
 * pan, hover with units, toggle series from the legend, smooth, export, follow theme changes,
 * and it updates live. Screenshots (light and dark) go to test-results/webview/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runPanelOutbound } from '../../kernel/protocol/panels';
import type { RunDetails } from '../../kernel/protocol/types';
import { readRunDetails } from '../../kernel/runs/store';
import { cli, lastJsonLine, repoRoot, tempDir } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type WebviewPage } from './browser';
import { canvasBox, chart, charts, dragOn, shots } from './charts';

function run(sample: string, sets: string[]): RunDetails {
  const out = tempDir('neurite-panel-');
  const r = cli(['run', path.join(repoRoot, 'samples', sample), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
  assert.strictEqual(r.code, 0, r.stderr);
  return readRunDetails(path.join(out, lastJsonLine(r.stdout).id));
}

describe('run panel webview (chromium)', function () {
  this.timeout(120000);
  let dense: RunDetails;
  let sdr: RunDetails;
  let xor: RunDetails;
  let view: WebviewPage;

  before(async () => {
    dense = run('mnist-mlp.neurite.yaml', ['data.trainLimit=2000', 'data.testLimit=300', 'model.hidden=[16]', 'train.epochs=3', 'train.spin=never']);
    sdr = run('sdr-paper.neurite.yaml', ['simulation.trials=200000', 'sweeps=[n]']);
    xor = run('sfq-xor.neurite.yaml', ['sweeps.circuitChecks=false', 'circuit.durationPs=1000']);
    view = await openWebview('run-panel');
    fs.mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  const show = async (details: RunDetails) => {
    await view.send({ type: 'details', details, active: null });
    await view.page.waitForFunction((id) => document.getElementById('run-title')?.textContent === id, details.info.id);
    await view.page.waitForFunction(() => (window as any).__neuriteCharts().length > 0);
  };

  it('asks the host for the run as soon as it loads', async () => {
    await view.page.waitForFunction(() => (window as any).__posted.length > 0);
    assert.deepStrictEqual(await view.posted(), [{ type: 'ready' }]);
  });

  it('groups the summary as declared, with units, and shows the key metric and the run\u2019s artifacts', async () => {
    await show(dense);
    const groups = await view.page.$$eval('#summary-metrics tr.group th', (ths) => ths.map((t) => t.textContent));
    assert.deepStrictEqual(groups, ['Accuracy', 'Loss', 'Speed', 'Training', 'Model']);
    const acc = await view.page.textContent('#summary-metrics td[data-metric="test_accuracy"]');
    assert.match(acc!, /^\d+(\.\d+)?%$/, `test accuracy shown as a percentage: ${acc}`);
    assert.match((await view.page.textContent('#summary-metrics td[data-metric="steps_per_s"]'))!, /steps\/s$/);
    assert.match((await view.page.textContent('#key-metrics'))!, /^test accuracy \d/);
    assert.ok(await view.page.isVisible('nav a[data-file="artifacts/model.onnx"]'), 'the exported model is linked');
  });

  it('draws one chart per declared group and series, each y axis titled with its unit, never split at underscores', async () => {
    const all = await charts(view.page, 'metric:');
    assert.deepStrictEqual(all.map((c) => c.title).sort(), ['Accuracy · per epoch', 'Accuracy · per step', 'Epoch time · per epoch', 'Learning rate · per epoch', 'Loss · per epoch', 'Loss · per step']);
    const loss = all.find((c) => c.title === 'Loss · per epoch')!;
    assert.deepStrictEqual(loss.legend.map((l) => l.name), ['training loss', 'validation loss']);
    assert.strictEqual(all.find((c) => c.title === 'Epoch time · per epoch')!.yTitle, 'Epoch time (s)');
    assert.strictEqual(all.find((c) => c.title === 'Accuracy · per epoch')!.yTitle, 'Accuracy (%)');
    await view.page.screenshot({ path: path.join(shots, 'run-panel-dark.png'), fullPage: true });
  });

  it('zooms into a dragged box, zooms with Alt+wheel and keys, pans, and resets', async () => {
    const id = 'metric:train/Loss';
    const before = await chart(view.page, id);
    await dragOn(view.page, id, [0.3, 0.5], [0.6, 0.5]);
    const boxed = await chart(view.page, id);
    assert.ok(boxed.x[0] > before.x[0] && boxed.x[1] < before.x[1], `x ${before.x} → ${boxed.x}`);
    assert.ok(!(await view.page.isDisabled(`[data-chart="${id}"] button[data-action="reset"]`)), 'reset is offered once zoomed');
    const canvas = view.page.locator(`[data-chart="${id}"] canvas`);
    const b = await canvasBox(view.page, id);
    await view.page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.5);
    await view.page.keyboard.down('Alt');
    await view.page.mouse.wheel(0, -300);
    await view.page.keyboard.up('Alt');
    const wheeled = await chart(view.page, id);
    assert.ok(wheeled.x[1] - wheeled.x[0] < boxed.x[1] - boxed.x[0], `Alt+wheel narrows x: ${boxed.x} → ${wheeled.x}`);
    await canvas.focus();
    await view.page.keyboard.press('ArrowRight');
    const panned = await chart(view.page, id);
    assert.ok(panned.x[0] > wheeled.x[0], 'the right arrow pans right');
    await view.page.keyboard.press('0');
    assert.deepStrictEqual((await chart(view.page, id)).x, before.x, '0 resets the zoom');
  });

  it('hovering shows the values with their units', async () => {
    const id = 'metric:epoch/Accuracy';
    const b = await canvasBox(view.page, id);
    await view.page.mouse.move(b.x + b.width * 0.6, b.y + b.height * 0.4);
    const tip = await view.page.waitForFunction((cid) => (window as any).__neuriteCharts().find((c: any) => c.id === cid)?.tooltip, id).then((h) => h.jsonValue() as Promise<{ title: string[]; lines: string[] }>);
    assert.match(tip.title.join(' '), /^epoch: \d/);
    assert.ok(tip.lines.every((l) => /: \d+(\.\d+)?%$/.test(l)), tip.lines.join(' | '));
  });

  it('hides and shows a series from its legend entry', async () => {
    const id = 'metric:epoch/Loss';
    const entry = view.page.locator(`[data-chart="${id}"] .chart-legend button`, { hasText: 'training loss' });
    const shown = (await chart(view.page, id)).datasets.length;
    await entry.click();
    assert.strictEqual(await entry.getAttribute('aria-pressed'), 'false');
    assert.strictEqual((await chart(view.page, id)).datasets.length, shown - 1);
    await entry.press('Enter');
    assert.strictEqual((await chart(view.page, id)).datasets.length, shown);
  });

  it('smooths training curves (raw kept faint beside the smoothed one) and remembers the setting', async () => {
    const id = 'metric:train/Loss';
    const n = (await chart(view.page, id)).datasets.length;
    await view.page.fill('#smoothing', '0.9');
    await view.page.dispatchEvent('#smoothing', 'input');
    const c = await chart(view.page, id);
    assert.strictEqual(c.smoothing, 0.9);
    assert.strictEqual(c.datasets.length, 2 * n, 'a raw and a smoothed dataset per series');
    await view.page.fill('#smoothing', '0');
    await view.page.dispatchEvent('#smoothing', 'input');
  });

  it('exports a chart as PNG and as CSV through the host', async () => {
    const id = 'metric:epoch/Loss';
    await view.page.click(`[data-chart="${id}"] button[data-action="png"]`);
    await view.page.click(`[data-chart="${id}"] button[data-action="csv"]`);
    const [png, csv] = (await view.posted()).slice(-2) as any[];
    assert.strictEqual(png.type, 'export');
    assert.match(png.data, /^data:image\/png;base64,/);
    assert.strictEqual(png.name, 'Loss-per-epoch.png');
    assert.strictEqual(csv.data.split('\n')[0], 'series,epoch,Loss');
    assert.strictEqual(csv.data.trim().split('\n').length, 1 + 2 * dense.metrics.filter((r) => r.series === 'epoch').length);
  });

  it('draws a declared interval as a band around its estimate, on a log axis with readable ticks', async () => {
    await show(sdr);
    const fp = await chart(view.page, 'metric:fp0/Error rate');
    assert.deepStrictEqual(fp.legend.map((l) => l.name), ['simulated rate', 'theory'], 'lo and hi are the band, not series of their own');
    assert.strictEqual(fp.datasets.length, 4, 'band (2) + estimate + theory');
    assert.ok(fp.yTicks.length >= 3, `log ticks: ${fp.yTicks}`);
    assert.strictEqual(fp.yTitle, 'Error rate');
    await view.page.screenshot({ path: path.join(shots, 'run-panel-sdr.png'), fullPage: true });
  });

  it('puts categories on the x axis where x is one (input pairs 00/01/10/11)', async () => {
    await show(xor);
    const rates = await chart(view.page, 'trace:xor-rates');
    assert.deepStrictEqual(rates.xTicks, ['00', '01', '10', '11']);
    const groups = await view.page.$$eval('#summary-metrics tr.group th', (ths) => ths.map((t) => t.textContent));
    assert.ok(groups.includes('Output rate') && groups.includes('Margin'), groups.join(', '));
    assert.match((await view.page.textContent('#summary-metrics td[data-metric="margin_GHz"]'))!, /GHz$/);
  });

  it('follows a theme switch live: chart text and grid take the new colours (screenshots light and dark)', async () => {
    await show(dense);
    const dark = await chart(view.page, 'metric:epoch/Loss');
    await view.setTheme('light');
    await view.page.waitForFunction(() => (window as any).__neuriteCharts()[0].tickColor === '#3b3b3b');
    const light = await chart(view.page, 'metric:epoch/Loss');
    assert.notStrictEqual(light.gridColor, dark.gridColor);
    await view.page.screenshot({ path: path.join(shots, 'run-panel-light.png'), fullPage: true });
    await view.setTheme('high-contrast');
    await view.page.waitForFunction(() => (window as any).__neuriteCharts()[0].tickColor === '#ffffff');
    await view.page.screenshot({ path: path.join(shots, 'run-panel-hc.png') });
    await view.setTheme('dark');
    await view.page.waitForFunction(() => (window as any).__neuriteCharts()[0].tickColor === '#cccccc');
  });

  it('updates live, and after a cancel says where the run stopped instead of its last progress', async () => {
    const live = { ...dense, metrics: [], info: { ...dense.info, summary: undefined, status: 'incomplete' as const } };
    await view.send({ type: 'details', details: live, active: { fraction: 0.1 } });
    await view.send({ type: 'progress', fraction: 0.21, message: 'epoch 3/10' });
    assert.match((await view.page.textContent('#progress-text'))!, /21% — epoch 3\/10/);
    assert.ok(await view.page.isVisible('#cancel'));
    for (let i = 1; i <= 5; i++) await view.send({ type: 'metric', record: { t: i, step: i, series: 'epoch', values: { train_loss: 1 / i, val_loss: 1.2 / i } } });
    await view.page.waitForFunction(() => (window as any).__neuriteCharts().some((c: any) => c.title === 'Loss · per epoch' && c.datasets.length === 2));
    await view.send({ type: 'end', summary: { ...dense.info.summary!, status: 'cancelled', error: 'cancelled by user', partial: true, metrics: { train_loss: 0.2 } } });
    assert.strictEqual(await view.page.textContent('#run-status'), 'cancelled');
    assert.ok(!(await view.page.isVisible('#cancel')));
    assert.strictEqual(await view.page.textContent('#progress-text'), 'cancelled at 21% — epoch 3/10');
    assert.match((await view.page.textContent('#summary caption'))!, /stopped early/);
  });

  it('posts only messages the host accepts (cancel, reveal of a record and of an artifact, notes)', async () => {
    await view.send({ type: 'details', details: dense, active: { fraction: 0.5 } });
    await view.page.click('#cancel');
    await view.page.click('nav a[data-file="summary.json"]');
    await view.page.click('nav a[data-file="artifacts/model.onnx"]');
    await view.page.click('#edit-notes');
    const posted = await view.posted();
    assert.deepStrictEqual(posted.slice(-4), [{ type: 'cancel' }, { type: 'reveal', file: 'summary.json' }, { type: 'reveal', file: 'artifacts/model.onnx' }, { type: 'editNotes' }]);
    for (const m of posted) assert.ok(runPanelOutbound.safeParse(m).success, JSON.stringify(m).slice(0, 200));
    await view.send({ type: 'notes', notes: { note: 'baseline for the lr sweep', tags: ['baseline', 'mnist'] } });
    await view.page.waitForSelector('#notes .tag', { timeout: 5000 }); // postMessage is delivered after send() returns
    assert.deepStrictEqual(await view.page.$$eval('#notes .tag', (t) => t.map((x) => x.textContent)), ['baseline', 'mnist']);
  });

  it('ignores malformed messages without breaking', async () => {
    await view.send(null);
    await view.send({ type: 'nonsense' });
    await view.send('a string');
    await view.send({ type: 'metric', record: { step: 'x' } });
    assert.strictEqual(await view.page.textContent('#run-title'), dense.info.id);
  });

  it('can be used from the keyboard: tab reaches the chart tools, the canvas and the legend', async () => {
    const reached = new Set<string>();
    await view.page.focus('#run-title').catch(() => undefined);
    for (let i = 0; i < 40; i++) {
      await view.page.keyboard.press('Tab');
      reached.add(await view.page.evaluate(() => (document.activeElement?.closest('.chart-tools') ? 'tools' : document.activeElement?.tagName === 'CANVAS' ? 'canvas' : document.activeElement?.closest('.chart-legend') ? 'legend' : '')));
    }
    for (const r of ['tools', 'canvas', 'legend']) assert.ok(reached.has(r), `tab never reached the chart ${r}`);
  });

  it('has no serious accessibility violations and no console errors (CSP included)', async () => {
    const violations = await accessibilityViolations(view.page);
    assert.deepStrictEqual(violations, []);
    assert.deepStrictEqual(view.consoleErrors, []);
  });
});
