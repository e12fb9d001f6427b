/**
 * The swimmer view in a real browser, answered by the same host code the extension runs
 * (kernel/swimmer on a real toy ncap.swimmer run): it draws the body of a frame where that
 * frame's pose puts it, scrubbing and the keyboard move it, play advances it, a theme change
 * repaints it, and it is accessible.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runPanelOutbound } from '../../kernel/protocol/panels';
import { swimmerOutbound, type SwimmerInbound } from '../../kernel/protocol/swimmer';
import { readRunDetails } from '../../kernel/runs/store';
import { poseMessage, readPose } from '../../kernel/swimmer/pose';
import { cli, lastJsonLine, repoRoot, tempDir } from '../unit/helpers';
import { accessibilityViolations, closeBrowser, openWebview, type WebviewPage } from './browser';

const shots = path.join(repoRoot, 'test-results', 'webview');
const STEPS = 300;
type Open = Extract<SwimmerInbound, { type: 'open' }>;
type Page = WebviewPage['page'];

/** After the frame in progress. */
const painted = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const frameOf = async (page: Page) => (await painted(page), Number(await page.getAttribute('#swimmer-canvas', 'data-frame')));

/** The canvas colour at the middle of each link of `frame`, placed by the map the page drew with. */
async function linkColours(page: Page, open: Open, frame: number): Promise<number[][]> {
  await painted(page);
  const [scale, ox, oy] = (await page.getAttribute('#swimmer-canvas', 'data-transform'))!.split(',').map(Number);
  const n = open.links + 1;
  const points = Array.from({ length: open.links }, (_, i) => {
    const [a, b] = [frame * n + i, frame * n + i + 1];
    return [ox + (scale * (open.x[a] + open.x[b])) / 2, oy - (scale * (open.y[a] + open.y[b])) / 2];
  });
  return page.$eval(
    '#swimmer-canvas',
    (c, pts) => {
      const cv = c as HTMLCanvasElement;
      const dpr = cv.width / cv.clientWidth;
      const ctx = cv.getContext('2d')!;
      return pts.map(([x, y]) => Array.from(ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3)));
    },
    points,
  );
}

const near = (c: number[], ref: number[]) => Math.abs(c[0] - ref[0]) + Math.abs(c[1] - ref[1]) + Math.abs(c[2] - ref[2]) < 12;
const DARK_BLUE = [0x37, 0x94, 0xff]; // --vscode-charts-blue in Dark Modern
const LIGHT_BLUE = [0x1a, 0x85, 0xff]; // and in Light Modern

describe('swimmer view (webview in chromium)', function () {
  this.timeout(120000);
  let open: Open;
  let run = '';
  let view: WebviewPage;

  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    const out = tempDir('neurite-swimmer-wv-');
    const sets = ['es.population=2', 'es.generations=1', 'episode.steps=10', 'evaluation.episodes=1', 'evaluation.transferLinks=[]', `evaluation.trajectorySteps=${STEPS}`, 'workers=1'];
    const r = cli(['run', path.join(repoRoot, 'samples', 'ncap-transfer.neurite.yaml'), '--out', out, '--json', ...sets.flatMap((s) => ['--set', s])]);
    assert.strictEqual(r.code, 0, r.stderr);
    run = path.join(out, lastJsonLine(r.stdout).id);
    open = poseMessage(await readPose(run), { run }) as Open;
    view = await openWebview('swimmer', {
      viewport: { width: 1000, height: 800 },
      host: (raw) => (swimmerOutbound.parse(raw), [open]), // as extension/panels/swimmerPanel.ts answers 'ready'
    });
    await view.page.waitForSelector('#swimmer-canvas');
  });

  after(async () => {
    await view?.close();
    await closeBrowser();
  });

  it('draws the body of the first step where its pose puts it', async () => {
    assert.strictEqual(await frameOf(view.page), 0);
    assert.strictEqual(await view.page.textContent('#swimmer-title'), path.basename(run));
    assert.match((await view.page.textContent('#frame-readout'))!, /t = 0\.00 s · step 0 of 300/);
    const colours = await linkColours(view.page, open, 0);
    assert.ok(colours.every((c) => near(c, DARK_BLUE)), `the middle of every link is drawn: ${JSON.stringify(colours)}`);
    await view.page.screenshot({ path: path.join(shots, 'swimmer-dark.png'), fullPage: true });
  });

  it("scrubbing to a step moves the body to that step's pose, away from where it was", async () => {
    const k = 240;
    await view.page.$eval('#scrub', (s, v) => ((s as HTMLInputElement).value = String(v), s.dispatchEvent(new Event('input', { bubbles: true }))), k);
    assert.strictEqual(await frameOf(view.page), k);
    assert.match((await view.page.textContent('#frame-readout'))!, /t = 7\.20 s · step 240 of 300/);
    const now = await linkColours(view.page, open, k);
    assert.ok(now.every((c) => near(c, DARK_BLUE)), `the body at step ${k}: ${JSON.stringify(now)}`);
    const before = await linkColours(view.page, open, 0);
    assert.ok(before.filter((c) => !near(c, DARK_BLUE)).length >= 3, `where the body was at step 0 is mostly clear now: ${JSON.stringify(before)}`);
    await view.page.screenshot({ path: path.join(shots, 'swimmer-scrubbed-dark.png'), fullPage: true });
  });

  it('steps, jumps, plays and pauses from the keyboard, and keeps its frame and speed in its state', async () => {
    await view.page.focus('#swimmer-canvas');
    await view.page.keyboard.press('ArrowRight');
    assert.strictEqual(await frameOf(view.page), 241);
    await view.page.keyboard.press('PageUp');
    assert.strictEqual(await frameOf(view.page), 231);
    await view.page.keyboard.press('Home');
    assert.strictEqual(await frameOf(view.page), 0);
    await view.page.keyboard.press(']');
    assert.strictEqual(await view.page.$eval('#speed', (s) => (s as HTMLSelectElement).value), '2');
    await view.page.keyboard.press(' ');
    await view.page.waitForFunction(() => Number(document.getElementById('swimmer-canvas')!.dataset.frame) >= 20, undefined, { timeout: 10000 });
    await view.page.keyboard.press(' ');
    const paused = await frameOf(view.page);
    await view.page.waitForTimeout(300);
    assert.strictEqual(await frameOf(view.page), paused, 'paused');
    assert.strictEqual(await view.page.getAttribute('#play', 'aria-pressed'), 'false');
    const state = await view.page.evaluate(() => (window as any).acquireVsCodeApi().getState());
    assert.deepStrictEqual(state, { source: { run }, frame: paused, speed: 2 });
  });

  it('follows a theme change live: light, high contrast, dark again', async () => {
    const bg = () => view.page.$eval('#swimmer-canvas', (c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)));
    const frame = await frameOf(view.page);
    assert.deepStrictEqual(await bg(), [0x1f, 0x1f, 0x1f]);
    await view.setTheme('light');
    await painted(view.page);
    assert.deepStrictEqual(await bg(), [255, 255, 255]);
    const light = await linkColours(view.page, open, frame);
    assert.ok(light.every((c) => near(c, LIGHT_BLUE)), `the body in the light theme's blue: ${JSON.stringify(light)}`);
    await view.page.screenshot({ path: path.join(shots, 'swimmer-light.png'), fullPage: true });
    await view.setTheme('high-contrast');
    await painted(view.page);
    assert.deepStrictEqual(await bg(), [0, 0, 0]);
    await view.setTheme('dark');
    await painted(view.page);
    assert.deepStrictEqual(await bg(), [0x1f, 0x1f, 0x1f]);
  });

  it('ignores malformed messages, has no serious accessibility violations and no console errors', async () => {
    await view.send({ type: 'open', x: 'a' });
    await view.send({ ...open, x: open.x.slice(1) });
    await view.send(null);
    assert.strictEqual(await view.page.textContent('#swimmer-title'), path.basename(run));
    assert.deepStrictEqual(await accessibilityViolations(view.page), []);
    assert.deepStrictEqual(view.consoleErrors, []);
  });

  it("the run panel offers Show Swimmer on the run's pose trace only, and asks the host for the view", async () => {
    const panel = await openWebview('run-panel');
    try {
      await panel.send({ type: 'details', details: readRunDetails(run), active: null });
      await panel.page.waitForSelector('[data-trace="swimmer-pose"] .open-swimmer');
      assert.strictEqual(await panel.page.$$eval('.open-swimmer', (b) => b.length), 1, 'one button, on the pose trace (not on the learning curve)');
      await panel.page.click('.open-swimmer');
      const last = (await panel.posted()).at(-1);
      assert.deepStrictEqual(runPanelOutbound.parse(last), { type: 'openSwimmer' });
    } finally {
      await panel.close();
    }
  });
});
