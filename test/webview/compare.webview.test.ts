/**
 * The comparison dashboard in a real browser, on four real dense.mlp runs (two learning rates ×
 * two seeds): the summary table (mean ± sd per configuration, sortable, units), curves overlaid
 * per metric with a colour per run or averaged per configuration, the spec diff, live updates,
 * theme switching. Screenshots (light and dark) go to test-results/webview/.
 */
import * as assert from 'assert';
import * as path from 'path';
import { compareOutbound, type CompareModel } from '../../kernel/protocol/panels';
import { compareRuns } from '../../kernel/runs/compare';
import { cli, lastJsonLine, repoRoot, tempDir } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type WebviewPage } from './browser';
import { chart, charts, dragOn, shots } from './charts';

describe('comparison dashboard webview (chromium)', function () {
  this.timeout(180000);
  let model: CompareModel;
  let view: WebviewPage;
  const target = { dirs: [] as string[] };

  before(async () => {
    const out = tempDir('neurite-compare-view-');
    for (const lr of [0.01, 0.05]) {
      for (const seed of [1, 2]) {
        const sets = ['data.trainLimit=2000', 'data.testLimit=300', 'model.hidden=[16]', 'train.epochs=4', 'train.spin=never', `train.lr=${lr}`, 'export=false', 'train.checkpoints=false'];
        const r = cli(['run', path.join(repoRoot, 'samples', 'mnist-mlp.neurite.yaml'), '--out', out, '--json', '--seed', String(seed), ...sets.flatMap((s) => ['--set', s])]);
        assert.strictEqual(r.code, 0, r.stderr);
        target.dirs.push(path.join(out, lastJsonLine(r.stdout).id));
      }
    }
    model = compareRuns(target.dirs);
    view = await openWebview('compare');
  });

  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('asks the host for what to compare as soon as it loads', async () => {
    await view.page.waitForFunction(() => (window as any).__posted.length > 0);
    assert.deepStrictEqual(await view.posted(), [{ type: 'ready' }]);
  });

  it('tabulates each configuration\u2019s summary as mean ± sd with units, grouped as declared', async () => {
    await view.send({ type: 'model', model, target });
    await view.page.waitForSelector('#compare-summary');
    assert.strictEqual(await view.page.textContent('#compare-title'), 'mnist-mlp: 4 runs');
    const rows = await view.page.$$eval('#compare-summary tbody tr', (trs) => trs.map((t) => t.querySelector('th')!.textContent));
    assert.deepStrictEqual(rows, ['train.lr=0.01', 'train.lr=0.05']);
    const cell = await view.page.textContent('#compare-summary tbody tr td[data-metric="test_accuracy"]');
    assert.match(cell!, /^\d+(\.\d+)? ± \d+(\.\d+)?$/, cell!); // the unit (%) is in the column header
    const groups = await view.page.$$eval('#compare-summary tr.groups th', (ths) => ths.map((t) => t.textContent));
    assert.deepStrictEqual(groups.slice(0, 2), ['Accuracy', 'Loss']);
    assert.match((await view.page.textContent('#compare-summary th[data-column="steps_per_s"]'))!, /\(steps\/s\)/);
    assert.match((await view.page.textContent('#compare-summary th[data-column="test_accuracy"]'))!, /\(%\)/);
  });

  it('sorts by a column from its header, by mouse and keyboard, and shows one row per run on request', async () => {
    await view.page.click('#compare-summary th[data-column="test_accuracy"] button');
    assert.strictEqual(await view.page.getAttribute('#compare-summary th[data-column="test_accuracy"]', 'aria-sort'), 'descending');
    const means = model.configs.map((c) => c.stats.test_accuracy.mean!);
    const order = await view.page.$$eval('#compare-summary tbody tr', (trs) => trs.map((t) => t.getAttribute('data-row')));
    assert.deepStrictEqual(order, means[0] >= means[1] ? ['config-0', 'config-1'] : ['config-1', 'config-0']);
    await view.page.keyboard.press('Enter'); // the header button keeps focus after re-rendering
    assert.strictEqual(await view.page.getAttribute('#compare-summary th[data-column="test_accuracy"]', 'aria-sort'), 'ascending');
    await view.page.check('#per-run');
    assert.strictEqual(await view.page.$$eval('#compare-summary tbody tr', (t) => t.length), 4);
    await view.page.uncheck('#per-run');
  });

  it('overlays each metric\u2019s curves with one colour per run and a legend naming what differs', async () => {
    const all = await charts(view.page, 'compare:');
    const loss = all.find((c) => c.id === 'compare:epoch/val_loss')!;
    assert.strictEqual(loss.title, 'validation loss · per epoch');
    assert.deepStrictEqual(loss.legend.map((l) => l.name), model.runs.map((r) => r.label));
    assert.strictEqual(loss.datasets.length, 4);
    const swatches = await view.page.$$eval('[data-chart="compare:epoch/val_loss"] .swatch', (s) => s.map((x) => (x as HTMLElement).style.background));
    assert.strictEqual(new Set(swatches).size, 4, 'four distinct colours');
    const sections = await view.page.$$eval('#curves .chart-group h3', (h) => h.map((x) => x.textContent));
    assert.deepStrictEqual(sections.slice(0, 2), ['Accuracy', 'Loss']);
    await view.page.screenshot({ path: path.join(shots, 'compare-dark.png'), fullPage: true });
  });

  it('zooms the overlaid curves like any chart', async () => {
    const before = await chart(view.page, 'compare:epoch/val_loss');
    await dragOn(view.page, 'compare:epoch/val_loss', [0.4, 0.2], [0.8, 0.8]);
    const after = await chart(view.page, 'compare:epoch/val_loss');
    assert.ok(after.x[0] > before.x[0] && after.y[1] < before.y[1], `x ${before.x} → ${after.x}, y ${before.y} → ${after.y}`);
  });

  it('averages the seeds of each configuration into one curve with a ± sd band', async () => {
    await view.page.check('#aggregate');
    await view.page.waitForFunction(() => (window as any).__neuriteCharts().some((c: any) => c.id === 'aggregate:epoch/val_loss'));
    const agg = await chart(view.page, 'aggregate:epoch/val_loss');
    assert.deepStrictEqual(agg.legend.map((l) => l.name), ['train.lr=0.01 (n = 2)', 'train.lr=0.05 (n = 2)']);
    assert.strictEqual(agg.datasets.length, 6, 'two curves, each with a band (2 datasets)');
    await view.page.screenshot({ path: path.join(shots, 'compare-aggregate.png'), fullPage: true });
    await view.page.uncheck('#aggregate');
  });

  it('shows the resolved specs\u2019 differences, and what stays the same', async () => {
    const rows = await view.page.$$eval('#compare-diff tbody th', (ths) => ths.map((t) => t.textContent));
    assert.deepStrictEqual(rows, ['seed', 'train.lr']);
    assert.match((await view.page.textContent('#compare-diff caption'))!, /^2 parameters differ; \d+ are the same in every run$/);
  });

  it('draws live points of a run still going, and opens a run from its row', async () => {
    const id = model.runs[0].id;
    const before = (await chart(view.page, 'compare:epoch/val_loss')).datasets[0].points;
    await view.send({ type: 'metric', run: id, record: { t: 9, step: 5, series: 'epoch', values: { val_loss: 0.3, train_loss: 0.3 } } });
    await view.page.waitForFunction((n) => (window as any).__neuriteCharts().find((c: any) => c.id === 'compare:epoch/val_loss').datasets[0].points === n + 1, before);
    await view.page.check('#per-run');
    await view.page.click(`#compare-summary tbody tr[data-row="${id}"] th button`);
    const last = (await view.posted()).at(-1);
    assert.deepStrictEqual(last, { type: 'openRun', run: id });
    for (const m of await view.posted()) assert.ok(compareOutbound.safeParse(m).success, JSON.stringify(m));
    await view.page.uncheck('#per-run');
  });

  it('follows a theme switch live (screenshot light)', async () => {
    await view.setTheme('light');
    await view.page.waitForFunction(() => (window as any).__neuriteCharts()[0].tickColor === '#3b3b3b');
    await view.page.screenshot({ path: path.join(shots, 'compare-light.png'), fullPage: true });
    await view.setTheme('dark');
  });

  it('ignores malformed messages, has no serious accessibility violations and no console errors', async () => {
    await view.send({ type: 'model', model: { title: 3 } });
    await view.send({ type: 'metric', run: 'x' });
    assert.strictEqual(await view.page.textContent('#compare-title'), 'mnist-mlp: 4 runs');
    assert.deepStrictEqual(await accessibilityViolations(view.page), []);
    assert.deepStrictEqual(view.consoleErrors, []);
  });
});
