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
<body class="vscode-dark"><div id="app"></div><script src="/${entry}.js"></script></body></html>`;
}

/** The variables VS Code's themes give every webview (Dark Modern, Light Modern, Dark High Contrast). */
export const themes = {
  dark: {
    class: 'vscode-dark',
    vars: { foreground: '#cccccc', descriptionForeground: '#9d9d9d', 'editor-background': '#1f1f1f', 'editorWidget-border': '#454545', 'textLink-foreground': '#4daafc',
      errorForeground: '#f85149', 'editorWarning-foreground': '#cca700', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'button-background': '#0078d4',
      'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', focusBorder: '#0078d4', 'progressBar-background': '#0078d4' },
  },
  light: {
    class: 'vscode-light',
    vars: { foreground: '#3b3b3b', descriptionForeground: '#717171', 'editor-background': '#ffffff', 'editorWidget-border': '#e5e5e5', 'textLink-foreground': '#005fb8',
      errorForeground: '#f85149', 'editorWarning-foreground': '#895503', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'button-background': '#005fb8',
      'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', focusBorder: '#005fb8', 'progressBar-background': '#005fb8' },
  },
  'high-contrast': {
    class: 'vscode-high-contrast',
    vars: { foreground: '#ffffff', descriptionForeground: '#ffffff', 'editor-background': '#000000', 'editorWidget-border': '#6fc3df', 'textLink-foreground': '#21a6ff',
      errorForeground: '#f48771', 'editorWarning-foreground': '#ffd370', 'badge-background': '#000000', 'badge-foreground': '#ffffff', 'button-background': '#000000',
      'button-foreground': '#ffffff', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', focusBorder: '#f38518', 'progressBar-background': '#6fc3df',
      contrastBorder: '#6fc3df' },
  },
} as const;
export type ThemeName = keyof typeof themes;

function themeStyle(name: ThemeName): string {
  return Object.entries(themes[name].vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
}

/** Switch the page's theme as VS Code does: the <html> style's variables and the body's class. */
export async function setTheme(page: Page, name: ThemeName): Promise<void> {
  // through the CSSOM, as VS Code does (a style attribute set from script is blocked by the page's CSP)
  await page.evaluate(([style, cls]) => {
    const html = document.documentElement.style;
    for (const name of Array.from({ length: html.length }, (_, i) => html[i]).filter((n) => n.startsWith('--vscode-'))) html.removeProperty(name);
    for (const decl of style.split(';')) {
      const i = decl.indexOf(':');
      if (i > 0) html.setProperty(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
    }
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
    document.body.classList.add(cls);
  }, [themeStyle(name), themes[name].class] as const);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Dark Modern by default, set on <html> as VS Code does; the body follows the variables. */
const themeCss = `html { --vscode-font-family: system-ui, sans-serif; --vscode-editor-font-family: monospace; ${themeStyle('dark')} }
  body { background: var(--vscode-editor-background); color: var(--vscode-foreground); }`;

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
