/** The attribution panel in a real browser: each record's heat map and its table of top units. */
import * as assert from 'assert';
import type { AttributionOutput } from '../../kernel/protocol/notebook';
import { accessibilityViolations, closeBrowser, openWebview, type WebviewPage } from './browser';

/** 12 hidden units whose mean and mean |value| rank differently (unit 3 is large but signed both ways). */
const meanAbs = [0.1, 0.9, 0.2, 0.8, 0.05, 0.3, 0.7, 0.15, 0.6, 0.25, 0.5, 0.4];
const mean = [0.1, 0.9, -0.2, 0.1, 0.05, 0.3, -0.7, 0.15, 0.6, 0.25, 0.5, 0.4];
const rank = meanAbs.map((_, i) => i).sort((a, b) => meanAbs[b] - meanAbs[a]);
const hidden: AttributionOutput = { layer: 'hidden0', method: 'conductance', definition: 'LayerConductance', unit: 'logit', units: 12, shape: [12], items: 50, mean, meanAbs, top: rank };
const activation: AttributionOutput = { ...hidden, layer: 'hidden1', method: 'activation', definition: 'LayerActivation', unit: 'activation', fractionActive: meanAbs.map((v) => v / 2) };

describe('attribution panel webview (chromium)', function () {
  this.timeout(120000);
  let view: WebviewPage;

  before(async () => {
    view = await openWebview('attribution-panel');
    await view.page.waitForFunction(() => (window as any).__posted.length > 0);
    await view.send({ type: 'records', run: '/ws/.neurite/runs/r1', records: [activation, hidden], focus: { layer: 'hidden0', neuron: 3 } });
    await view.page.waitForSelector('.nn-attribution .nn-top tbody tr');
  });

  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('draws every record: a heat map that drew pixels and a table of its top units', async () => {
    const maps = await view.page.$$eval('.nn-attribution', (boxes) => boxes.map((b) => ({
      layer: (b as HTMLElement).dataset.layer,
      title: b.querySelector('h3')!.textContent,
      inked: (() => {
        const c = b.querySelector('canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) n++; // not white
        return n;
      })(),
      rows: b.querySelectorAll('.nn-top tbody tr').length,
    })));
    assert.deepStrictEqual(maps.map((m) => [m.layer, m.rows]), [['hidden0', 10], ['hidden1', 10]]);
    assert.match(maps[0].title!, /conductance \(LayerConductance\) · 50 items/, 'the asked-for record comes first');
    for (const m of maps) assert.ok(m.inked > 100, `${m.title}: only ${m.inked} coloured pixels`);
  });

  it('ranks the top units by mean |value| and shows the signed mean beside it', async () => {
    const table = await view.page.$$eval('.nn-attribution', (boxes) => {
      const b = boxes[0];
      return {
        head: Array.from(b.querySelectorAll('.nn-top thead th')).map((th) => th.textContent),
        rows: Array.from(b.querySelectorAll('.nn-top tbody tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent)),
      };
    });
    assert.deepStrictEqual(table.head, ['unit', 'mean |conductance|', 'mean']);
    assert.deepStrictEqual(table.rows.map((r) => r[0]), rank.slice(0, 10).map((u) => `n${u}`));
    assert.deepStrictEqual(table.rows[1], ['n3', '0.8', '0.1'], 'unit 3: second by mean |value|, its signed mean small');
    assert.deepStrictEqual(table.rows[2], ['n6', '0.7', '-0.7']);
  });

  it('gives activations their active share, and marks the asked-for neuron in the asked-for layer only', async () => {
    const out = await view.page.$$eval('.nn-attribution', (boxes) => ({
      activationHead: Array.from(boxes[1].querySelectorAll('.nn-top thead th')).map((th) => th.textContent),
      activationFirst: Array.from(boxes[1].querySelector('.nn-top tbody tr')!.children).map((c) => c.textContent),
      focused: Array.from(boxes[0].querySelectorAll('.nn-top tbody tr.focus')).map((tr) => tr.children[0].textContent),
      focusedElsewhere: boxes[1].querySelectorAll('.nn-top tbody tr.focus').length,
    }));
    assert.deepStrictEqual(out.activationHead, ['unit', 'mean |activation|', 'mean', 'active']);
    assert.deepStrictEqual(out.activationFirst, ['n1', '0.9', '0.9', '45%']);
    assert.deepStrictEqual(out.focused, ['n3']);
    assert.strictEqual(out.focusedElsewhere, 0);
  });

  it('has no serious accessibility violations', async () => {
    const bad = (await accessibilityViolations(view.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepStrictEqual(bad, []);
    assert.deepStrictEqual(view.consoleErrors, []);
  });
});
