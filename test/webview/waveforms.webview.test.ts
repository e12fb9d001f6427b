/**
 * The waveform viewer in a real browser, answered by the same host code the extension runs
 * (kernel/waveforms on real run folders): it draws, zooms to one SFQ pulse, reads Φ0 between
 * two cursors, zooms a raster to single spikes, follows theme changes, and is accessible.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { waveformOutbound } from '../../kernel/protocol/waveforms';
import { answer, openMessage } from '../../kernel/waveforms/answer';
import { loadRunWaveforms, type WaveformSet } from '../../kernel/waveforms/sources';
import { cli, lastJsonLine, repoRoot, tempDir } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type Theme, type WebviewPage } from './browser';

const shots = path.join(repoRoot, 'test-results', 'webview');
const PS = 1e-12;

function run(sample: string, ...sets: string[]): { dir: string; summary: any } {
  const out = tempDir('neurite-wv-');
  const r = cli(['run', path.join(repoRoot, 'samples', sample), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
  assert.strictEqual(r.code, 0, r.stderr);
  const summary = lastJsonLine(r.stdout);
  return { dir: path.join(out, summary.id), summary };
}

/** A viewer on `set`, its host answering as extension/panels/waveformPanel.ts does (messages validated on arrival). */
async function viewer(set: WaveformSet, dir: string, theme: Theme = 'dark', state?: unknown): Promise<WebviewPage> {
  return openWebview('waveforms', {
    theme,
    state,
    viewport: { width: 1100, height: 1000 },
    host: (raw) => {
      const m = waveformOutbound.parse(raw);
      return [m.type === 'ready' ? openMessage(set, { run: dir }) : answer(set, m)];
    },
  });
}

type Page = WebviewPage['page'];
/** The view as last drawn (after the frame in progress). */
async function viewOf(page: Page): Promise<[number, number]> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return (await page.getAttribute('#wave-canvas', 'data-view'))!.split(',').map(Number) as [number, number];
}

/** Client x of time t on the canvas (the plot starts 78 px in and ends 14 px before the right edge). */
async function xOf(page: Page, t: number): Promise<number> {
  const [t0, t1] = await viewOf(page);
  const box = (await page.locator('#wave-canvas').boundingBox())!;
  return box.x + 78 + ((t - t0) / (t1 - t0)) * (box.width - 78 - 14);
}

/** Wheel-zoom at time t until the view is at most `span` wide, then wait for its detailed window. */
async function zoomTo(page: Page, t: number, span: number, y: number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const [t0, t1] = await viewOf(page);
    if (t1 - t0 <= span) break;
    await page.mouse.move(await xOf(page, t), y);
    await page.mouse.wheel(0, -240);
    await page.waitForFunction((v) => document.getElementById('wave-canvas')!.dataset.view !== v, `${t0},${t1}`);
  }
  await settle(page);
}

/** Until the window drawn is the view shown (no request on its way). */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = (window as any).__waveStats;
    const before = s.windows;
    return new Promise((r) => setTimeout(() => r(s.windows === before), 150));
  });
}

function inked(page: Page): Promise<number> {
  return page.$eval('#wave-canvas', (c) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    const [r0, g0, b0] = [d[0], d[1], d[2]];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) > 60) n++;
    return n;
  });
}

describe('waveform viewer webview (chromium)', function () {
  this.timeout(180000);
  let circuit: { dir: string; set: WaveformSet; peak: number };
  let cuba: { dir: string; set: WaveformSet; summary: any };

  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    const c = run('sfq-circuit.neurite.yaml');
    const set = await loadRunWaveforms(c.dir);
    const v = set.traces.find((t) => t.info.name === 'V(J4)')!.data;
    let peak = 0;
    for (let i = 0; i < v.length; i++) if (v.y[i] > v.y[peak]) peak = i;
    circuit = { dir: c.dir, set, peak: v.x[peak] };
    const s = run('spiking-cuba.neurite.yaml');
    cuba = { dir: s.dir, set: await loadRunWaveforms(s.dir), summary: s.summary };
  });

  after(closeBrowser);

  describe('a circuit run', () => {
    let view: WebviewPage;
    before(async () => {
      view = await viewer(circuit.set, circuit.dir);
    });
    after(() => view?.close());

    it('asks for the whole run at its pixel width and draws every trace in its own lane', async () => {
      await view.page.waitForSelector('#wave-canvas');
      await settle(view.page);
      const posted = (await view.posted()) as any[];
      assert.deepStrictEqual(posted[0], { type: 'ready' });
      assert.strictEqual(posted[1].type, 'window');
      assert.deepStrictEqual([posted[1].t0, posted[1].t1], circuit.set.range);
      assert.strictEqual(await view.page.textContent('#wave-title'), path.basename(circuit.dir));
      assert.strictEqual(await view.page.$$eval('.legend vscode-checkbox', (c) => c.length), 8);
      // the layout changes on the next frame: wait for it to settle below three stacked lanes' height
      await view.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#wave-canvas')!.clientHeight < 3 * 150 + 80, undefined, { timeout: 5000 }).catch(() => {});
      const height = await view.page.$eval('#wave-canvas', (c) => (c as HTMLCanvasElement).clientHeight);
      assert.ok(height > 8 * 84, `8 stacked lanes in ${height} px`);
      assert.ok((await inked(view.page)) > 5000, 'the traces are drawn');
      assert.match((await view.page.getAttribute('#wave-canvas', 'data-modes'))!, /^(samples|minmax)(,(samples|minmax)){7}$/);
    });

    it('zooms with the wheel at a pulse down to its single samples, from the full-resolution CSV', async () => {
      const lane = (await view.page.locator('#wave-canvas').boundingBox())!;
      await zoomTo(view.page, circuit.peak, 30 * PS, lane.y + 8 + 6 * 90 + 40); // over the V(J4) lane
      const [t0, t1] = await viewOf(view.page);
      assert.ok(t1 - t0 <= 30 * PS && t0 < circuit.peak && circuit.peak < t1, `view ${t0 / PS}–${t1 / PS} ps around the pulse at ${circuit.peak / PS} ps`);
      assert.strictEqual(await view.page.getAttribute('#wave-canvas', 'data-modes'), Array(8).fill('samples').join(','));
      await view.page.screenshot({ path: path.join(shots, 'waveforms-pulse-dark.png'), fullPage: true });
    });

    it('reads Δt and ∫V dt between two cursors: one SFQ pulse carries Φ0', async () => {
      await view.page.focus('#wave-canvas');
      await view.page.keyboard.press('Home'); // place the cursors on the whole run, then zoom to them
      const y = (await view.page.locator('#wave-canvas').boundingBox())!.y + 200;
      await view.page.mouse.click(await xOf(view.page, circuit.peak - 12 * PS), y);
      await view.page.keyboard.down('Shift');
      await view.page.mouse.click(await xOf(view.page, circuit.peak + 12 * PS), y);
      await view.page.keyboard.up('Shift');
      await view.page.waitForSelector('#readings tr[data-trace="V(J4)"] td.integral');
      const integral = (await view.page.textContent('#readings tr[data-trace="V(J4)"] td.integral'))!;
      assert.match((await view.page.textContent('#readings tr[data-trace="V(J4)"]'))!, /0\.\d{4} mV/, 'values of one trace in one prefix, 4 decimals');
      const phi0 = Number(/= (-?[\d.]+) Φ0/.exec(integral)?.[1]);
      assert.ok(Math.abs(phi0 - 1) < 0.02, `∫V dt = "${integral}"`);
      assert.match(integral, /^2\.0\d* mV·ps = /);
      const times = (await view.page.textContent('#cursor-times'))!;
      const dt = Number(/Δt = ([\d.]+) ps/.exec(times)?.[1]);
      assert.ok(Math.abs(dt - 24) < 1, times);
      await view.page.keyboard.press('z'); // zoom to the cursors, then out once: the pulse between them, centred
      await view.page.keyboard.press('-');
      await settle(view.page);
      const posted = (await view.posted()) as any[];
      assert.strictEqual(posted.filter((m) => m.type === 'reading').length >= 2, true, 'a reading per cursor change');
      await view.page.screenshot({ path: path.join(shots, 'waveforms-cursors-dark.png'), fullPage: true });
    });

    it('is driven by the keyboard: + and − zoom, arrows pan, Home shows the whole run', async () => {
      await view.page.focus('#wave-canvas');
      const before = await viewOf(view.page);
      await view.page.keyboard.press('-');
      const out = await viewOf(view.page);
      assert.ok(Math.abs(out[1] - out[0] - 2 * (before[1] - before[0])) < 1e-15, 'minus doubles the span');
      await view.page.keyboard.press('ArrowRight');
      const moved = await viewOf(view.page);
      assert.ok(moved[0] > out[0], 'right arrow pans later');
      await view.page.keyboard.press('Home');
      assert.deepStrictEqual(await viewOf(view.page), circuit.set.range);
      await view.page.keyboard.press('+');
      const zoomed = await viewOf(view.page);
      assert.ok(zoomed[1] - zoomed[0] < 0.51 * (circuit.set.range[1] - circuit.set.range[0]));
    });

    it('overlays traces of one quantity in a lane, and keeps view, cursors and layout in its saved state', async () => {
      await view.page.click('#overlay');
      // the layout changes on the next frame: wait for it to settle below three stacked lanes' height
      await view.page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#wave-canvas')!.clientHeight < 3 * 150 + 80, undefined, { timeout: 5000 }).catch(() => {});
      const height = await view.page.$eval('#wave-canvas', (c) => (c as HTMLCanvasElement).clientHeight);
      assert.ok(height < 3 * 150 + 80, `3 lanes (voltage, current, phase): ${height} px`);
      const state = await view.page.evaluate(() => (window as any).acquireVsCodeApi().getState());
      assert.strictEqual(state.overlaid, true);
      assert.deepStrictEqual(state.source, { run: circuit.dir });
      const again = await viewer(circuit.set, circuit.dir, 'dark', state);
      try {
        await again.page.waitForSelector('#readings');
        assert.deepStrictEqual(await viewOf(again.page), await viewOf(view.page));
        assert.match((await again.page.textContent('#readings'))!, /Φ0/);
      } finally {
        await again.close();
      }
    });

    it('follows a theme change live, and draws in light and high-contrast themes', async () => {
      const bg = () => view.page.$eval('#wave-canvas', (c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)));
      assert.deepStrictEqual(await bg(), [0x1f, 0x1f, 0x1f]);
      await view.setTheme('light');
      await view.page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      assert.deepStrictEqual(await bg(), [255, 255, 255]);
      await view.page.screenshot({ path: path.join(shots, 'waveforms-cursors-light.png'), fullPage: true });
      await view.setTheme('high-contrast');
      await view.page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      assert.deepStrictEqual(await bg(), [0, 0, 0]);
      await view.setTheme('dark');
    });

    it('ignores malformed and stale messages, has no serious accessibility violations and no console errors', async () => {
      await view.send({ type: 'window', request: 'x' });
      await view.send({ type: 'window', request: 999999, t0: 0, t1: 1, bins: 1, traces: [], rasters: [] });
      await view.send(null);
      assert.strictEqual(await view.page.textContent('#wave-title'), path.basename(circuit.dir));
      assert.deepStrictEqual(await accessibilityViolations(view.page), []);
      assert.deepStrictEqual(view.consoleErrors, []);
    });
  });

  describe('a spiking run', () => {
    let view: WebviewPage;
    before(async () => {
      view = await viewer(cuba.set, cuba.dir, 'light');
    });
    after(() => view?.close());

    it('draws a raster of 22,000 spikes as counts, and zooms in time and neurons down to single spikes', async () => {
      await view.page.waitForSelector('#wave-canvas');
      await settle(view.page);
      assert.strictEqual(await view.page.getAttribute('#wave-canvas', 'data-raster-modes'), 'density', `${cuba.set.rasters[0].info.spikes} spikes at full view`);
      await view.page.screenshot({ path: path.join(shots, 'waveforms-raster-light.png'), fullPage: true });
      const box = (await view.page.locator('#wave-canvas').boundingBox())!;
      const rasterY = box.y + 8 + 3 * 90 + 90; // below three stacked membrane-potential lanes
      await zoomTo(view.page, 0.5, 0.3, rasterY);
      assert.strictEqual(await view.page.getAttribute('#wave-canvas', 'data-raster-modes'), 'spikes');
      await view.page.keyboard.down('Shift');
      for (let i = 0; i < 9; i++) await view.page.mouse.wheel(0, -240);
      await view.page.keyboard.up('Shift');
      await settle(view.page);
      const state = await view.page.evaluate(() => (window as any).acquireVsCodeApi().getState());
      assert.ok(state.neurons && state.neurons[1] - state.neurons[0] <= 20, `neurons ${state.neurons}`);
      const last = ((await view.posted()) as any[]).filter((m) => m.type === 'window').pop();
      assert.deepStrictEqual(last.neurons, state.neurons, 'the host is asked for those neurons only');
      await view.page.screenshot({ path: path.join(shots, 'waveforms-spikes-light.png'), fullPage: true });
    });

    it('reads the spikes and the rate per neuron between the cursors as the run counted them', async () => {
      await view.page.focus('#wave-canvas');
      await view.page.keyboard.press('Home');
      const [t0, t1] = await viewOf(view.page);
      const y = (await view.page.locator('#wave-canvas').boundingBox())!.y + 60;
      await view.page.mouse.click((await xOf(view.page, t0)) - 2, y); // at (or just before) the first sample: the whole run
      await view.page.keyboard.down('Shift');
      await view.page.mouse.click((await xOf(view.page, t1)) + 2, y);
      await view.page.keyboard.up('Shift');
      await view.page.waitForSelector('#raster-readings');
      const cells = await view.page.$$eval('#raster-readings td', (tds) => tds.map((t) => t.textContent));
      assert.strictEqual(Number(cells[0]!.replace(/,/g, '')), cuba.summary.metrics.spikes_P);
      const hz = Number(/([\d.]+) Hz/.exec(cells[1]!)?.[1]);
      assert.ok(Math.abs(hz - cuba.summary.metrics.rate_P) / cuba.summary.metrics.rate_P < 0.01, `${cells[1]} vs rate_P ${cuba.summary.metrics.rate_P}`);
      assert.deepStrictEqual(view.consoleErrors, []);
    });
  });
});
