// Runs Neurite's mocha suite inside code-server's (node) extension host, the way
// @vscode/test-electron does in desktop VS Code: the workbench is opened with a `payload` naming
// extensionDevelopmentPath + extensionTestsPath, and (code-server started with
// `--vscode-option enable-smoke-test-driver`) reports the suite's exit code through
// window.codeAutomationExit. Headless Debian chromium, driven by the repo's playwright-core.
//
// env: CS_ORIGIN (http://127.0.0.1:PORT)  EXT_DEV_PATH  EXT_TESTS_PATH  WS (workspace folder)
//      REPORT (the file index.ts tees mocha's output to; tailed live here)  RESULTS (logs, screenshots)
//      TIMEOUT_S  CHROMIUM  CHROMIUM_PROFILE (a scratch folder; a temporary one otherwise)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { chromium } = require('playwright-core');

const env = (k, d) => process.env[k] || d || (() => { throw new Error(`${k} is not set`); })();
const ORIGIN = env('CS_ORIGIN');
const EXT = env('EXT_DEV_PATH');
const TESTS = env('EXT_TESTS_PATH');
const WS = env('WS');
const REPORT = env('REPORT');
const RESULTS = env('RESULTS');
const TIMEOUT_MS = Number(env('TIMEOUT_S', '900')) * 1000;
const host = new URL(ORIGIN).host;

const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(1)}s]`;
const say = (...a) => console.log(stamp(), ...a);

/** Prints new lines of the report file as the suite writes them. */
function tail(file) {
  let pos = 0;
  let rest = '';
  const poll = () => {
    let fd;
    try { fd = fs.openSync(file, 'r'); } catch { return; }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < pos) pos = 0; // truncated: a new run of the suite
      if (size === pos) return;
      const buf = Buffer.alloc(size - pos);
      fs.readSync(fd, buf, 0, buf.length, pos);
      pos = size;
      const lines = (rest + buf.toString('utf8')).split('\n');
      rest = lines.pop();
      for (const l of lines) console.log('  ' + l);
    } finally { fs.closeSync(fd); }
  };
  const timer = setInterval(poll, 200);
  return () => { clearInterval(timer); poll(); if (rest) console.log('  ' + rest); };
}

(async () => {
  fs.mkdirSync(RESULTS, { recursive: true });
  const consoleLog = fs.createWriteStream(path.join(RESULTS, 'exttest-console.log'));
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${EXT}`],
    ['extensionTestsPath', `vscode-remote://${host}${TESTS}`],
  ];
  const url = `${ORIGIN}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
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
  let exit;
  const exited = new Promise((r) => { exit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    consoleLog.write(`[automation ${type}] ${util.format(...(Array.isArray(args) ? args : [args]))}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  page.on('console', (m) => {
    const text = m.text();
    consoleLog.write(`[${m.type()}] ${text}\n`);
    // Errors from the extension host (activation failures, unhandled rejections) belong on screen.
    if (m.type() === 'error' && /Extension Host|neurite/i.test(text)) say('[host error]', text.replace(/%c/g, '').slice(0, 500));
  });
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack || e}\n`));

  const stopTail = tail(REPORT);
  say('open', url);
  let code;
  try {
    await page.goto(url);
    code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('TIMEOUT'), TIMEOUT_MS))]);
  } catch (e) {
    code = `ERROR ${e.message}`;
  }
  stopTail();
  if (code !== 0) await page.screenshot({ path: path.join(RESULTS, 'exttest-end.png') }).catch(() => {});
  await ctx.close();
  consoleLog.end();
  fs.rmSync(profile, { recursive: true, force: true });
  say('extension tests exit code:', code, code === 'TIMEOUT' ? `(no codeAutomationExit within ${TIMEOUT_MS / 1000} s)` : '');
  if (!fs.existsSync(REPORT)) say(`no mocha report at ${REPORT}: the suite never started (see ${path.join(RESULTS, 'exttest-console.log')})`);
  process.exit(code === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
