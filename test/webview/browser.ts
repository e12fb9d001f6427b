/**
 * Webviews in a real browser (Debian chromium via playwright-core): the built bundle is served
 * from a local page with the same CSP the extension uses, and `acquireVsCodeApi` records what
 * the page posts. This fakes only the host end of postMessage.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { chromium, type Browser, type Page } from 'playwright-core';

export const distWebview = path.resolve(__dirname, '..', '..', '..', 'dist', 'webview');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted to the host. */
  posted(): Promise<unknown[]>;
  /** Deliver a host → webview message. */
  send(message: unknown): Promise<void>;
  consoleErrors: string[];
  close(): Promise<void>;
}

let browser: Browser | undefined;

export async function openWebview(entry: string): Promise<WebviewPage> {
  browser ??= await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/favicon.ico') {
      res.statusCode = 204; // browsers ask for it; webviews never do
      res.end();
      return;
    }
    if (url.pathname === '/theme.css') {
      res.setHeader('content-type', 'text/css');
      res.end(themeCss);
      return;
    }
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(page_(entry));
      return;
    }
    const file = url.pathname === '/axe.min.js' ? require.resolve('axe-core/axe.min.js') : path.join(distWebview, path.basename(url.pathname));
    if (!fs.existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', file.endsWith('.css') ? 'text/css' : 'text/javascript');
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.addInitScript(() => {
    const w = window as any;
    w.__posted = [];
    let state: unknown;
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__posted.push(m), getState: () => state, setState: (s: unknown) => (state = s) });
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  return {
    page,
    consoleErrors,
    posted: () => page.evaluate(() => (window as any).__posted as unknown[]),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    close: async () => {
      await context.close();
      server.close();
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/** The same page shape and CSP as extension/panels/html.ts, served from localhost. */
function page_(entry: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'self';">
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/${entry}.css"><title>${entry}</title></head>
<body><div id="app"></div><script src="/${entry}.js"></script></body></html>`;
}

/** The variables VS Code's Dark Modern theme gives every webview, so pages look as they will in the editor. */
const themeCss = `body { --vscode-font-family: system-ui, sans-serif; --vscode-editor-font-family: monospace; --vscode-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f; --vscode-editorWidget-border: #454545;
  --vscode-textLink-foreground: #4daafc; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-focusBorder: #0078d4; --vscode-progressBar-background: #0078d4; background: #1f1f1f; color: #cccccc; }`;

/** Run axe-core in the page; returns violations of impact serious or critical. */
export async function accessibilityViolations(page: Page): Promise<{ id: string; impact: string; nodes: number; help: string }[]> {
  await page.addScriptTag({ url: '/axe.min.js' }); // same origin, so the page's CSP allows it
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
}
