/** The run panel in a real browser: it renders a real run, updates live, and is accessible. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readRunDetails } from '../../kernel/runs/store';
import { chartKey, metricTraces } from '../../webview/run-panel/metrics';
import { byX } from '../../webview/shared/points';
import { cli, lastJsonLine, repoRoot, tempDir } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type WebviewPage } from './browser';

describe('run panel webview (chromium)', function () {
  this.timeout(120000);
  let details: any;
  let view: WebviewPage;
  const shots = path.join(repoRoot, 'test-results', 'webview');

  before(async () => {
    const out = tempDir('neurite-panel-');
    const r = cli(['run', path.join(repoRoot, 'samples', 'sdr-paper.neurite.yaml'), '--out', out, '--json', '--set', 'simulation.trials=200000']);
    assert.strictEqual(r.code, 0, r.stderr);
    details = readRunDetails(path.join(out, lastJsonLine(r.stdout).id));
    view = await openWebview('run-panel');
    fs.mkdirSync(shots, { recursive: true });
  });

  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('asks the host for the run as soon as it loads', async () => {
    await view.page.waitForFunction(() => (window as any).__posted.length > 0);
    assert.deepStrictEqual(await view.posted(), [{ type: 'ready' }]);
  });

  it('shows the run id, status, summary metrics, its log, and one chart per trace and per metric quantity', async () => {
    await view.send({ type: 'details', details, active: null });
    await view.page.waitForSelector('#summary-metrics');
    assert.strictEqual(await view.page.textContent('#run-title'), details.info.id);
    assert.strictEqual(await view.page.textContent('#run-status'), 'completed');
    const rows = await view.page.$$eval('#summary-metrics tr', (trs) => trs.length);
    assert.strictEqual(rows, Object.keys(details.info.summary.metrics).length + 1);
    const traceCharts = await view.page.$$eval('#traces canvas', (c) => c.length);
    assert.strictEqual(traceCharts, Object.keys(details.traces).length);
    const charts = new Set(details.metrics.flatMap((m: any) => Object.keys(m.values).map((k) => chartKey(m.series ?? 'metrics', k))));
    assert.strictEqual(await view.page.$$eval('#metrics canvas', (c) => c.length), charts.size);
    // the log written before the panel opened is shown too
    assert.match((await view.page.textContent('#log'))!, /fp0: simulated/);
    // charts really drew something: a canvas with non-background pixels
    const inked = await view.page.$eval('#traces canvas', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 1000, `only ${inked} pixels drawn`);
    await view.page.screenshot({ path: path.join(shots, 'run-panel.png'), fullPage: true });
  });

  it('updates live: progress, a new metric series, then the end', async () => {
    await view.send({ type: 'details', details: { ...details, metrics: [], info: { ...details.info, summary: undefined, status: 'incomplete' } }, active: { fraction: 0.1 } });
    await view.send({ type: 'progress', fraction: 0.42, message: 'fp0' });
    assert.match((await view.page.textContent('#progress-text'))!, /42% — fp0/);
    assert.ok(await view.page.isVisible('#cancel'));
    for (let i = 1; i <= 5; i++) await view.send({ type: 'metric', record: { t: i, step: i, series: 'live', values: { loss: 1 / i } } });
    await view.page.waitForFunction(() => document.querySelectorAll('#metrics canvas').length === 1);
    await view.send({ type: 'end', summary: { ...details.info.summary, status: 'cancelled', error: 'cancelled by user' } });
    assert.strictEqual(await view.page.textContent('#run-status'), 'cancelled');
    assert.ok(!(await view.page.isVisible('#cancel')));
    assert.match((await view.page.textContent('#summary .error'))!, /cancelled by user/);
  });

  it('charts train_loss with val_loss and train_accuracy with val_accuracy, apart from each other', () => {
    assert.strictEqual(chartKey('epoch', 'train_loss'), chartKey('epoch', 'val_loss'));
    assert.notStrictEqual(chartKey('epoch', 'train_loss'), chartKey('epoch', 'train_accuracy'));
    assert.strictEqual(chartKey('fp0', 'estimate'), chartKey('fp0', 'theory'));
  });

  it('labels the x axis of epoch charts "epoch" and of the others "step"', () => {
    const charts = metricTraces([
      { t: 0, step: 10, series: 'train', values: { loss: 1 } },
      { t: 1, step: 1, series: 'epoch', values: { lr: 0.1, train_loss: 1, val_loss: 2 } },
    ]);
    assert.deepStrictEqual([...charts].map(([key, c]) => [key, c.xLabel]), [['train', 'step'], ['epoch', 'epoch'], ['epoch · loss', 'epoch']]);
  });

  it('hands Chart.js points sorted by x (it reads the x range from the first and last point)', () => {
    assert.deepStrictEqual(byX([{ x: 992 }, { x: 0 }, { x: 5 }]).map((p) => p.x), [0, 5, 992]);
    const sorted = [{ x: 1 }, { x: 2 }];
    assert.strictEqual(byX(sorted), sorted, 'sorted input is passed through without a copy');
  });

  it('posts cancel and reveal requests the host can validate', async () => {
    await view.send({ type: 'details', details, active: { fraction: 0.5 } });
    await view.page.click('#cancel');
    await view.page.click('nav a[data-file="summary.json"]');
    const posted = await view.posted();
    assert.deepStrictEqual(posted.slice(-2), [{ type: 'cancel' }, { type: 'reveal', file: 'summary.json' }]);
  });

  it('ignores malformed messages without breaking', async () => {
    await view.send(null);
    await view.send({ type: 'nonsense' });
    await view.send('a string');
    assert.strictEqual(await view.page.textContent('#run-title'), details.info.id);
  });

  it('has no serious accessibility violations and no console errors (CSP included)', async () => {
    const violations = await accessibilityViolations(view.page);
    assert.deepStrictEqual(violations, []);
    assert.deepStrictEqual(view.consoleErrors, []);
  });
});
