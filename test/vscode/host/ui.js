// UI test of the packaged extension (installed from dist/neurite.vsix) in code-server's web
// workbench, like a user: F1 → "Neurite: Run Experiment" → pick the bundled sample → wait for the
// run on disk → close all editors → F1 → "Neurite: Open Run…" → find the run panel's webview
// (#run-title shows the run id) in page.frames(). Screenshots go to RESULTS (palette.png,
// run-progress.png, run-panel.png); look at them. Then ui-views.js: the waveform viewer, the
// configuration form and YAML diagnostics (their screenshots also go to docs/images/).
//
// env: CS_URL (workbench URL with ?folder=WS)  WS  RESULTS  RUN_TIMEOUT_S  CHROMIUM
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
const RUN_TIMEOUT_MS = Number(env('RUN_TIMEOUT_S', '240')) * 1000;
const RUNS = path.join(WS, '.neurite', 'runs');

const t0 = Date.now();
const say = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const shot = async (page, name) => {
  const p = path.join(RESULTS, name);
  await page.screenshot({ path: p });
  say('screenshot', path.relative(process.cwd(), p));
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
  // The palette itself is a quick input too: wait for one that is not in command mode ('>').
  const shown = await until('a quick pick', async () => (await widget.isVisible())
      && !(await widget.locator('input').inputValue()).startsWith('>') && (await rows.count()) > 0, timeoutMs, page)
    .catch(() => false);
  if (!shown) return undefined;
  const texts = await rows.allInnerTexts();
  say('quick pick offers:', texts.map((t) => t.replace(/\n/g, ' ')).join(' || '));
  const i = res.map((re) => texts.findIndex((t) => re.test(t))).find((j) => j >= 0);
  if (i === undefined) throw new Error(`none of ${res.join(', ')} is offered`);
  await rows.nth(i).click();
  return texts[i];
}

async function findRunTitle(page) {
  for (const f of page.frames()) {
    try {
      const el = f.locator('#run-title');
      if ((await el.count()) > 0) return { frame: f, text: (await el.innerText()).trim() };
    } catch { /* frame navigated away */ }
  }
  return undefined;
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
    const picked = await pickIfAsked(page, [/dense-mlp.*sample/i, /sample/i, /quick/i], 10000);
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
    await shot(page, 'run-panel.png');
    if (title) { // and the rest of the panel (charts), scrolled inside its webview
      await title.frame.evaluate(() => window.scrollTo(0, document.body.scrollHeight)).catch(() => {});
      await page.waitForTimeout(500);
      await shot(page, 'run-panel-end.png');
    }
    if (summaries().length === 0) problems.push('no summary.json in the workspace');

    // 3. The waveform viewer, the configuration form and YAML diagnostics (ui-views.js).
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
