// UI test of a notebook in the packaged extension, like a user: Quick Open notebook.neuronb →
// "Notebook: Run All" (picking the Neurite kernel if asked) → in the notebook's output webview,
// the spec cell's run output shows its summary table and a chart that drew pixels, the code
// cell its result. Screenshots in the dark theme and, after "Preferences: Color Theme" →
// Light Modern, the light one: notebook-dark.png, notebook-light.png (look at them).
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
    for (const [theme, file] of [['Dark Modern', 'notebook-dark.png'], ['Light Modern', 'notebook-light.png']]) {
      await runCommand(page, 'Preferences: Color Theme');
      await page.keyboard.type(theme);
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1000);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -5000);
      await page.waitForTimeout(1000);
      await page.mouse.wheel(0, 200); // the spec cell's source at the top, its run output below
      await page.waitForTimeout(2500); // the output webview recolours with the theme's variables
      const o = await runOutput(page);
      if (!o || o.rows === 0) problems.push(`in ${theme} the run output is gone`);
      await shot(page, file);
      await page.mouse.wheel(0, 800);
      await page.waitForTimeout(1500);
      await shot(page, file.replace('.png', '-code.png'));
    }
    if (!out.title.includes('nb-test')) problems.push(`the run output names ${out.title}, not the nb-test run`);
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
