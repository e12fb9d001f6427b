// UI test of a notebook in the packaged extension, like a user: Quick Open notebook.neuronb →
// "Notebook: Run All" (picking the Neurite kernel if asked) → in the notebook's output webview,
// the spec cell's run output shows its summary table and a chart that drew pixels, the code
// cell its result. Then the sample samples/notebooks/dense-attribution.neuronb, Run All to its
// last cell, and screenshots in the dark theme and, after "Preferences: Color Theme" → Light
// Modern, the light one: notebook-{dark,light}.png (the spec cell's run) and
// notebook-{dark,light}-attribution.png (the attribution maps). Look at them.
//
// env: CS_URL  WS  RESULTS  CHROMIUM  CHROMIUM_PROFILE (as ui.js)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { runCommand, pickIfAsked, until, shot, say } = require('./ui.js');

const env = (k, d) => process.env[k] || d || (() => { throw new Error(`${k} is not set`); })();

/** The output webview frame holding a Neurite run output, and what it shows. */
async function runOutput(page) {
  for (const f of page.frames()) {
    try {
      if ((await f.locator('.nn-out[data-mime="application/vnd.neurite.run+json"]').count()) === 0) continue;
      const rows = await f.locator('.nn-summary tbody tr').count();
      const inked = await f.locator('.nn-charts canvas').evaluateAll((cs) => cs.map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      }));
      const title = (await f.locator('.nn-run-id').first().innerText()).trim();
      return { frame: f, rows, inked, title };
    } catch { /* a frame that navigated away */ }
  }
  return undefined;
}

/** Wheels down in small steps until the first output of this MIME type has its top above y (page pixels). */
async function scrollUntilTop(page, mime, y) {
  await until(`${mime} scrolled to the top`, async () => {
    for (const f of page.frames()) {
      const b = await f.locator(`.nn-out[data-mime="${mime}"]`).first().boundingBox({ timeout: 200 }).catch(() => null);
      if (b) {
        if (b.y <= y) return true;
        await page.mouse.wheel(0, Math.min(150, b.y - y + 1));
        return false;
      }
    }
    await page.mouse.wheel(0, 150);
    return false;
  }, 60000, page, 400);
}

(async () => {
  const RESULTS = env('RESULTS');
  const profile = process.env.CHROMIUM_PROFILE || fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const problems = [];
  try {
    await page.goto(env('CS_URL'));
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForTimeout(3000);
    await runCommand(page, 'Go to File');
    await page.keyboard.type('notebook.neuronb');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'notebook.neuronb' }).first().click({ timeout: 15000 });
    await page.waitForSelector('.notebook-editor', { timeout: 30000 });
    say('notebook open');
    await runCommand(page, 'View: Close Primary Side Bar').catch(() => undefined); // more room for outputs
    await runCommand(page, 'Notebook: Run All');
    const picked = await pickIfAsked(page, [/Neurite/], 8000);
    if (picked) say('kernel picked:', picked.replace(/\n/g, ' '));
    const out = await until('the run output with a summary table and a drawn chart', async () => {
      const o = await runOutput(page);
      return o && o.rows > 0 && o.inked.some((n) => n > 500) ? o : undefined;
    }, 120000, page, 500);
    say(`run output ${out.title}: ${out.rows} summary rows, chart pixels ${out.inked.join(', ')}`);
    // Outputs below the fold are only rendered once scrolled to: scroll down to the chart cell.
    const box = await page.locator('.notebook-editor').first().boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await until('the code cell\'s chart', async () => {
      await page.mouse.wheel(0, 400);
      return (await out.frame.locator('.nn-out[data-mime="application/vnd.neurite.chart+json"] canvas').count()) > 0;
    }, 60000, page, 500);
    say('the code cell\'s chart is drawn');
    if (!out.title.includes('nb-test')) problems.push(`the run output names ${out.title}, not the nb-test run`);

    // 2. A sample notebook as a user meets it, for the screenshots: dense MLP + attribution.
    fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'samples', 'notebooks', 'dense-attribution.neuronb'), path.join(env('WS'), 'dense-attribution.neuronb'));
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Go to File');
    await page.keyboard.type('dense-attribution.neuronb');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'dense-attribution.neuronb' }).first().click({ timeout: 15000 });
    await page.waitForTimeout(2000);
    await runCommand(page, 'Notebook: Run All');
    await pickIfAsked(page, [/Neurite/], 5000);
    const sample = await until('the sample\'s run output', async () => {
      const o = await runOutput(page);
      return o && o.title.includes('mlp-notebook') ? o : undefined;
    }, 180000, page, 1000);
    say(`sample run ${sample.title}: ${sample.rows} summary rows, chart pixels ${sample.inked.join(', ')}`);
    const nb = await page.locator('.notebook-editor').first().boundingBox();
    await page.mouse.move(nb.x + nb.width / 2, nb.y + nb.height / 2);
    await until('the last cell\'s attribution map', async () => {
      await page.mouse.wheel(0, 600);
      for (const f of page.frames()) {
        if ((await f.locator('.nn-out[data-mime="application/vnd.neurite.attribution+json"] canvas').count().catch(() => 0)) >= 2) return true;
      }
      return false;
    }, 180000, page, 1000);
    say('the sample ran to its last cell');
    for (const [theme, file] of [['Dark Modern', 'notebook-dark'], ['Light Modern', 'notebook-light']]) {
      await runCommand(page, 'Preferences: Color Theme');
      await page.keyboard.type(theme);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      // From the first cell, scroll (pointer over the cells: the output webview passes the wheel on)
      // until the output wanted is near the top of the editor: the spec cell's run, then the maps.
      await runCommand(page, 'Notebook: Focus First Cell');
      await page.mouse.move(nb.x + nb.width / 2, nb.y + nb.height / 2);
      await scrollUntilTop(page, 'application/vnd.neurite.run+json', nb.y + 260);
      await page.waitForTimeout(3000); // the output webview redraws in the theme's colours
      await shot(page, `${file}.png`);
      await scrollUntilTop(page, 'application/vnd.neurite.attribution+json', nb.y + 160);
      await page.waitForTimeout(2500);
      await shot(page, `${file}-attribution.png`);
    }
  } catch (e) {
    problems.push(e.message);
    await shot(page, 'notebook-ui-error.png').catch(() => {});
  } finally {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  for (const p of problems) say('FAIL:', p);
  say(problems.length ? 'NOTEBOOK UI TEST FAILED' : 'NOTEBOOK UI TEST PASSED');
  process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
