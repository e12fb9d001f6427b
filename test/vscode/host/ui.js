// UI test of the packaged extension (installed from dist/neurite.vsix) in code-server's web
// workbench, like a user: F1 → "Neurite: Run Experiment" → pick the bundled sample → wait for the
// run on disk → close all editors → F1 → "Neurite: Open Run…" → find the run panel's webview
// (#run-title shows the run id) in page.frames() → switch the colour theme with the panel open
// and check its charts follow → F1 → "Neurite: Run Sweep…" (the sweep opens in the comparison
// dashboard) → in the Runs view, expand the sweep, Ctrl+click two trials, context menu "Compare
// Runs". Screenshots go to RESULTS (palette.png, run-progress.png, run-panel.png, …); those the
// README shows are also written to DOCS (docs/images). Look at them. Then ui-views.js: the
// waveform viewer, the configuration form and YAML diagnostics (their screenshots also go to docs/images/).
//
// env: CS_URL (workbench URL with ?folder=WS)  WS  RESULTS  DOCS  RUN_TIMEOUT_S  CHROMIUM
//      CHROMIUM_PROFILE (a scratch folder; a temporary one otherwise)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const env = (k, d) => process.env[k] || d || (() => { throw new Error(`${k} is not set`); })();
const URL_ = env('CS_URL');
const WS = env('WS');
const RESULTS = env('RESULTS');
const DOCS = process.env.DOCS;
const RUN_TIMEOUT_MS = Number(env('RUN_TIMEOUT_S', '240')) * 1000;
const RUNS = path.join(WS, '.neurite', 'runs');

const t0 = Date.now();
const say = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const shot = async (page, name, docs) => {
  const p = path.join(RESULTS, name);
  await page.screenshot({ path: p });
  say('screenshot', path.relative(process.cwd(), p));
  if (docs && DOCS) {
    fs.mkdirSync(DOCS, { recursive: true });
    fs.copyFileSync(p, path.join(DOCS, docs));
    say('  → README image', path.relative(process.cwd(), path.join(DOCS, docs)));
  }
};

function runs() {
  return fs.existsSync(RUNS) ? fs.readdirSync(RUNS).filter((n) => fs.statSync(path.join(RUNS, n)).isDirectory()) : [];
}
function summaries() {
  return runs().map((n) => path.join(RUNS, n, 'summary.json')).filter((f) => fs.existsSync(f));
}

async function until(what, probe, timeoutMs, page, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await page.waitForTimeout(everyMs);
  }
}

/**
 * Opens the command palette and runs the command whose label matches `label`. On a loaded machine
 * the extension's contributions can arrive after the palette opened (it lists the commands it had
 * then), so a palette without the command is closed and opened again, up to a minute in all.
 */
async function runCommand(page, label, screenshot) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  const end = Date.now() + 60000;
  for (let attempt = 1; ; attempt++) {
    // Start from a closed palette: one still fading out ignores typing.
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await page.keyboard.press('F1');
    if (!(await input.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) {
      if (Date.now() > end) throw new Error('F1 did not open the command palette');
      continue;
    }
    await input.fill(`>${label}`);
    if (await row.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false)) break;
    if (Date.now() > end) throw new Error(`the command palette does not offer "${label}" (${attempt} tries in 60 s)`);
    say(`palette does not offer "${label}" yet (try ${attempt}); reopening`);
  }
  say('palette shows:', (await row.innerText()).replace(/\n/g, ' | '));
  if (screenshot) await shot(page, screenshot);
  await row.click();
}

/** If a quick pick is open, picks the first row matching the first of `res` that matches any; returns its text. */
async function pickIfAsked(page, res, timeoutMs) {
  const widget = page.locator('.quick-input-widget');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  // The palette itself is a quick input too: wait for one that is not in command mode ('>') and
  // offers one of `res` (the picker before it may still be showing for a moment).
  const offered = async () => (await rows.allInnerTexts()).some((t) => res.some((re) => re.test(t)));
  const open = async () => (await widget.isVisible()) && !(await widget.locator('input').inputValue()).startsWith('>') && (await rows.count()) > 0;
  let shown = await until('a quick pick', async () => (await open()) && (await offered()), timeoutMs, page).catch(() => false);
  if (!shown && !(await open().catch(() => false))) return undefined;
  // The list draws only the rows in view: type a plain name into its filter to bring it up.
  const plain = res.find((re) => /^[\w.-]+$/.test(re.source));
  if (!shown && plain) {
    await widget.locator('input').fill(plain.source);
    shown = await until(`${plain.source} in the quick pick`, offered, 5000, page).catch(() => false);
  }
  const texts = await rows.allInnerTexts();
  say('quick pick offers:', texts.map((t) => t.replace(/\n/g, ' ')).join(' || '));
  const i = res.map((re) => texts.findIndex((t) => re.test(t))).find((j) => j >= 0);
  if (i === undefined) throw new Error(`none of ${res.join(', ')} is offered`);
  await rows.nth(i).click();
  return texts[i];
}

async function findRunTitle(page) {
  return findInFrames(page, '#run-title');
}

/** The webview frame holding `selector`, and that element's text. */
async function findInFrames(page, selector) {
  for (const f of page.frames()) {
    try {
      const el = f.locator(selector);
      if ((await el.count()) > 0) return { frame: f, text: (await el.innerText()).trim() };
    } catch { /* frame navigated away */ }
  }
  return undefined;
}

/** What the charts of a webview frame show (the chart widget's test hook). */
async function chartsIn(frame) {
  return frame.evaluate(() => (window.__neuriteCharts ? window.__neuriteCharts() : [])).catch(() => []);
}

/** Switch the colour theme through the palette, like a user, and wait until the workbench wears it. */
async function colorTheme(page, name) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await row.click(); // a click applies the theme; the picker only previews while it is open
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
  const type = /dark/i.test(name) ? /\bvs-dark\b/ : /\bvs\b(?!-)/;
  await until(`the workbench in ${name}`, async () => type.test((await page.locator('.monaco-workbench').first().getAttribute('class')) ?? ''), 10000, page, 200);
}

module.exports = { runCommand, pickIfAsked, until, shot, say };
if (require.main === module) (async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  const profile = process.env.CHROMIUM_PROFILE || fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: env('CHROMIUM', '/usr/bin/chromium'),
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  const consoleLog = fs.createWriteStream(path.join(RESULTS, 'ui-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack || e}\n`));
  const problems = [];
  try {
    await page.goto(URL_);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForSelector('.statusbar', { timeout: 60000 });
    say('workbench loaded');
    await page.waitForTimeout(3000); // let the extension host connect and the extension activate

    // 1. Run the quick spec from the command palette.
    const before = runs();
    await runCommand(page, 'Neurite: Run Experiment', 'palette.png');
    // the dense MLP sample trains for ~20 s: long enough to watch its curves grow live
    const picked = await pickIfAsked(page, [/dense-mlp/], 10000); // typed into the filter: the list draws only the rows in view
    say('picked spec:', picked === undefined ? '(no quick pick shown)' : picked.replace(/\n/g, ' '));
    const started = Date.now();
    const dir = await until('a new run folder', () => runs().find((n) => !before.includes(n)), 60000, page);
    say('run folder:', dir);
    await page.waitForTimeout(1000);
    await shot(page, 'run-progress.png');
    const summaryFile = path.join(RUNS, dir, 'summary.json');
    // The panel that opened with the run must show it live: progress and a metric chart before the end.
    const live = await until('the live run panel (progress text and a metric chart)', async () => {
      if (fs.existsSync(summaryFile)) return 'ended';
      const t = await findRunTitle(page);
      if (!t) return undefined;
      const text = await t.frame.locator('#progress-text').innerText().catch(() => '');
      const charts = await t.frame.locator('#metrics canvas').count().catch(() => 0);
      return /\d+%/.test(text) && charts > 0 ? { text, charts } : undefined;
    }, RUN_TIMEOUT_MS, page, 250);
    if (live === 'ended') problems.push('the run ended before its panel showed live progress and a metric chart');
    else {
      say(`live panel: "${live.text}", ${live.charts} metric chart(s)`);
      await page.waitForTimeout(2500); // a few more points on the curves
      await shot(page, 'run-live.png');
    }
    await until(`${summaryFile}`, () => fs.existsSync(summaryFile), RUN_TIMEOUT_MS, page, 500);
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    say(`run ended after ${((Date.now() - started) / 1000).toFixed(1)} s with status ${summary.status}`);
    if (summary.status !== 'completed') problems.push(`run ${dir} ended with status ${summary.status}: ${JSON.stringify(summary.error ?? summary).slice(0, 300)}`);

    // 2. Close every editor (the run opened its panel itself), then open the run in its panel.
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await until('the run panel to close', async () => !(await findRunTitle(page)), 15000, page, 250);
    await runCommand(page, 'Neurite: Open Run');
    const pickedRun = await pickIfAsked(page, [new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))], 10000);
    say('picked run:', pickedRun === undefined ? '(no quick pick shown)' : pickedRun.replace(/\n/g, ' '));
    const title = await until('#run-title in a webview frame', () => findRunTitle(page), 60000, page, 500).catch((e) => {
      problems.push(`${e.message} (frames: ${page.frames().map((f) => f.url().slice(0, 80)).join(', ')})`);
      return undefined;
    });
    if (title) {
      say(`run panel: #run-title = "${title.text}" in frame ${title.frame.url().slice(0, 100)}`);
      if (!title.text.includes(dir)) problems.push(`#run-title says "${title.text}", not the run id ${dir}`);
      await page.waitForTimeout(1500); // let charts draw
    }
    await shot(page, 'run-panel.png', title ? 'run-panel.png' : undefined);
    if (title) { // and the rest of the panel (charts), scrolled inside its webview
      await title.frame.evaluate(() => window.scrollTo(0, document.body.scrollHeight)).catch(() => {});
      await page.waitForTimeout(500);
      await shot(page, 'run-panel-end.png');
      await title.frame.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
    }
    if (summaries().length === 0) problems.push('no summary.json in the workspace');

    // 3. Switch the colour theme with the panel open (light ↔ dark): its charts take the new colours at once.
    if (title) {
      const tick = async () => (await chartsIn(title.frame))[0]?.tickColor;
      const dark = /\bvs-dark\b|\bhc-black\b/.test((await page.locator('.monaco-workbench').first().getAttribute('class')) ?? ''); // the workbench's theme type
      const [other, back] = dark ? ['Light Modern', 'Dark Modern'] : ['Dark Modern', 'Light Modern'];
      for (const [theme, file] of [[other, `run-panel-${dark ? 'light' : 'dark'}.png`], [back, undefined]]) {
        const before = await tick();
        await colorTheme(page, theme);
        const after = await until(`the run panel's charts to take ${theme}`, async () => {
          const c = await tick();
          return c && c !== before ? c : undefined;
        }, 15000, page, 250).catch((e) => { problems.push(e.message); return undefined; });
        say(`${theme}: chart text colour ${before} → ${after}`);
        await page.waitForTimeout(500);
        if (file) await shot(page, file, file);
      }
    }

    // 4. A sweep opens in the comparison dashboard and fills in as its trials finish.
    await runCommand(page, 'Neurite: Run Sweep');
    await pickIfAsked(page, [/ui-sweep/], 10000);
    await pickIfAsked(page, [/^Local/], 10000);
    const sweepsDir = path.join(WS, '.neurite', 'sweeps');
    const sweep = await until('the sweep folder', () => (fs.existsSync(sweepsDir) ? fs.readdirSync(sweepsDir)[0] : undefined), 60000, page);
    const dashboard = await until('the comparison dashboard of the sweep', () => findInFrames(page, '#compare-title'), 60000, page, 500);
    say(`dashboard: "${dashboard.text}"`);
    const tableJson = path.join(sweepsDir, sweep, 'table.json');
    const done = () => fs.existsSync(tableJson) && JSON.parse(fs.readFileSync(tableJson, 'utf8')).rows.every((r) => r.completed === r.trials);
    await until('the sweep to end', done, RUN_TIMEOUT_MS, page, 1000);
    const rows = await until('the summary table with both learning rates', async () => {
      const n = await dashboard.frame.locator('#compare-summary tbody tr').count().catch(() => 0);
      return n === 2 ? n : undefined;
    }, 20000, page, 500).catch((e) => { problems.push(e.message); return 0; });
    say(`sweep ${sweep}: ${rows} configurations in the summary table`);
    await page.waitForTimeout(1000);
    await shot(page, 'sweep.png', 'sweep.png');

    // 5. Compare two runs picked in the Runs view (Ctrl+click, context menu).
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Neurite: Focus on Runs View');
    const view = page.locator('.pane-body .monaco-list').filter({ has: page.locator('.monaco-list-row') }).first();
    const sweepRow = view.locator('.monaco-list-row', { hasText: 'lr-sweep' }).filter({ hasText: 'sweep' }).first();
    await sweepRow.waitFor({ state: 'visible', timeout: 20000 });
    const trial = (i) => view.locator('.monaco-list-row', { hasText: new RegExp(`^t${i} `) }).first();
    // A row with a command (Open Sweep) expands only from its twistie; a click on the row opens the
    // dashboard, which takes the keyboard focus, so neither a row click nor ArrowRight expands it.
    for (let attempt = 0; attempt < 3 && !(await trial(0).isVisible()); attempt++) {
      await sweepRow.locator('.monaco-tl-twistie').click();
      await trial(0).waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
    }
    await trial(0).waitFor({ state: 'visible', timeout: 20000 });
    await trial(0).click();
    await trial(3).click({ modifiers: ['Control'] });
    await shot(page, 'runs-view.png', 'runs-view.png');
    await trial(3).click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Compare Runs' }).first();
    await item.waitFor({ state: 'visible', timeout: 10000 });
    await item.click();
    // under load the click can land while the menu is still settling: the item stays highlighted, the menu open
    if (await page.locator('.context-view .monaco-menu').isVisible().catch(() => false)) {
      await page.waitForTimeout(1000);
      if (await page.locator('.context-view .monaco-menu').isVisible().catch(() => false)) await page.keyboard.press('Enter');
    }
    const compare = await until('the comparison of the two runs', async () => {
      const t = await findInFrames(page, '#compare-title');
      return t && /2 runs/.test(t.text) ? t : undefined;
    }, 30000, page, 500).catch(async (e) => {
      problems.push(e.message);
      await shot(page, 'compare-error.png');
      say('frames:', (await Promise.all(page.frames().map((f) => findInFrames({ frames: () => [f] }, 'h1')))).filter(Boolean).map((t) => t.text).join(' | '));
      return undefined;
    });
    if (compare) {
      say(`comparison: "${compare.text}"`);
      const overlays = (await chartsIn(compare.frame)).filter((c) => c.id.startsWith('compare:'));
      if (!overlays.length || overlays.some((c) => c.legend.length !== 2)) problems.push(`expected charts with two runs each, got ${JSON.stringify(overlays.map((c) => c.legend.length))}`);
      await page.mouse.move(700, 880); // no tooltip over the dashboard
      await page.waitForTimeout(1000);
      await shot(page, 'compare.png', 'compare.png');
    }

    // 6. Reload the window: the run panel and the comparison come back (WebviewPanelSerializer).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    // VS Code restores a webview when its tab is shown: the active one (the comparison) at once,
    // the run panel in the same group when its tab is clicked.
    let c; // kept once seen: a hidden webview's frame may go away when the other tab is shown
    const restored = await until('the comparison and the run panel after the reload', async () => {
      c = c ?? await findInFrames(page, '#compare-title');
      if (!c) return undefined;
      const r = await findRunTitle(page);
      if (!r) {
        await page.locator('.tab', { hasNotText: /^Compare/ }).filter({ hasText: /\d{8}-\d{6}-/ }).first().click().catch(() => {});
        return undefined;
      }
      return `${c.text} | ${r.text}`;
    }, 60000, page, 500).catch(async (e) => {
      problems.push(e.message);
      await shot(page, 'reload-error.png');
      say('tabs:', (await page.locator('.tab').allInnerTexts().catch(() => [])).join(' | '));
      say('frames:', (await Promise.all(page.frames().map((f) => findInFrames({ frames: () => [f] }, 'h1')))).filter(Boolean).map((t) => t.text).join(' | '));
      return undefined;
    });
    say(`after the reload: ${restored}`);

    // 7. The waveform viewer, the configuration form and YAML diagnostics (ui-views.js).
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await require('./ui-views').views({ page, ws: WS, results: RESULTS, shot, runCommand, pickIfAsked, until, say, problems });
  } catch (e) {
    problems.push(e.message);
    await shot(page, 'ui-error.png').catch(() => {});
  } finally {
    await ctx.close().catch(() => {});
    consoleLog.end();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  for (const p of problems) say('FAIL:', p);
  say(problems.length ? 'UI TEST FAILED' : 'UI TEST PASSED');
  process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
