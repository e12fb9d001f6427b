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

export type Theme = 'dark' | 'light' | 'high-contrast';

export interface WebviewOptions {
  /** VS Code's Dark Modern (default), Light Modern or Dark High Contrast variables. */
  theme?: Theme;
  /**
   * The host's end of postMessage, answering as the extension would: called with each message
   * the page posts, its replies are delivered to the page in order.
   */
  host?: (message: any) => unknown[] | Promise<unknown[]>;
  viewport?: { width: number; height: number };
  /** What the page's vscode.getState() returns at first (as after a reload). */
  state?: unknown;
}

export interface WebviewPage {
  page: Page;
  /** Switch the theme with the page open, as VS Code does (body class and variables). */
  setTheme(theme: Theme): Promise<void>;
  /** Messages the webview posted to the host. */
  posted(): Promise<unknown[]>;
  /** Deliver a host → webview message. */
  send(message: unknown): Promise<void>;
  consoleErrors: string[];
  close(): Promise<void>;
}

let browser: Browser | undefined;

export async function openWebview(entry: string, options: WebviewOptions = {}): Promise<WebviewPage> {
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
      res.end(themes[(url.searchParams.get('name') as Theme) ?? 'dark'] ?? themes.dark);
      return;
    }
    if (url.pathname === '/') {
      res.setHeader('content-type', 'text/html');
      res.end(page_(entry, options.theme ?? 'dark'));
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
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1200, height: 900 } });
  const page = await context.newPage();
  if (options.host) {
    const host = options.host;
    await page.exposeFunction('__neuriteHost', async (m: unknown) => {
      for (const reply of await host(m)) await page.evaluate((r) => window.postMessage(r, '*'), reply as any);
    });
  }
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.addInitScript((initial) => {
    const w = window as any;
    w.__posted = [];
    let state: unknown = initial ?? undefined;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => {
        w.__posted.push(m);
        void w.__neuriteHost?.(m);
      },
      getState: () => state,
      setState: (s: unknown) => (state = s),
    });
  }, options.state ?? null);
  await page.goto(`http://127.0.0.1:${port}/`);
  return {
    page,
    consoleErrors,
    posted: () => page.evaluate(() => (window as any).__posted as unknown[]),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    // as VS Code does: the new variables and the body's theme class arrive together
    setTheme: (theme) =>
      page.evaluate(
        (t) =>
          new Promise<void>((resolve) => {
            const link = document.getElementById('theme') as HTMLLinkElement;
            link.onload = () => {
              document.body.className = `vscode-${t}`;
              resolve();
            };
            link.href = `/theme.css?name=${t}`;
          }),
        theme,
      ),
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
function page_(entry: string, theme: Theme): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'self';">
<link id="theme" rel="stylesheet" href="/theme.css?name=${theme}"><link rel="stylesheet" href="/${entry}.css"><title>${entry}</title></head>
<body class="vscode-${theme}"><div id="app"></div><script src="/${entry}.js"></script></body></html>`;
}

/** The variables VS Code's themes give every webview (Dark Modern, Light Modern, Dark High Contrast), so pages look as they will in the editor. */
const common = `--vscode-font-family: system-ui, sans-serif; --vscode-editor-font-family: monospace; --vscode-font-size: 13px;`;
const themes: Record<Theme, string> = {
  dark: `body { ${common} --neurite-test-theme: dark; --vscode-foreground: #cccccc; --vscode-editor-foreground: #cccccc;
  --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f; --vscode-editorWidget-border: #454545;
  --vscode-textLink-foreground: #4daafc; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-focusBorder: #0078d4; --vscode-progressBar-background: #0078d4; --vscode-input-background: #313131; --vscode-input-foreground: #cccccc;
  --vscode-input-border: #3c3c3c; --vscode-settings-textInputBackground: #313131; --vscode-dropdown-background: #313131; --vscode-dropdown-border: #3c3c3c;
  --vscode-checkbox-background: #313131; --vscode-checkbox-border: #3c3c3c; --vscode-editor-selectionBackground: #264f78;
  --vscode-editorCursor-foreground: #aeafad; --vscode-editorIndentGuide-background1: #404040; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c;
  --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700;
  --vscode-settings-textInputBackground: #313131; --vscode-settings-textInputForeground: #cccccc; --vscode-settings-textInputBorder: #3c3c3c;
  --vscode-settings-dropdownBackground: #313131; --vscode-settings-dropdownForeground: #cccccc; --vscode-settings-dropdownBorder: #3c3c3c;
  --vscode-settings-dropdownListBorder: #454545; --vscode-input-placeholderForeground: #989898; --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff; --vscode-list-hoverBackground: #2a2d2e; --vscode-list-focusOutline: #0078d4;
  --vscode-sideBar-background: #181818; --vscode-sideBarSectionHeader-background: #181818; --vscode-sideBarTitle-foreground: #cccccc;
  --vscode-icon-foreground: #cccccc; --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-checkbox-foreground: #cccccc; --vscode-widget-shadow: #0000005c;
  background: #1f1f1f; color: #cccccc; }`,
  light: `body { ${common} --neurite-test-theme: light; --vscode-foreground: #3b3b3b; --vscode-editor-foreground: #3b3b3b;
  --vscode-descriptionForeground: #717171; --vscode-editor-background: #ffffff; --vscode-editorWidget-border: #e5e5e5;
  --vscode-textLink-foreground: #005fb8; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #bf8803;
  --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b; --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-hoverBackground: #0258a8; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-focusBorder: #005fb8; --vscode-progressBar-background: #005fb8; --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b;
  --vscode-input-border: #cecece; --vscode-settings-textInputBackground: #ffffff; --vscode-dropdown-background: #ffffff; --vscode-dropdown-border: #cecece;
  --vscode-checkbox-background: #f8f8f8; --vscode-checkbox-border: #cecece; --vscode-editor-selectionBackground: #add6ff;
  --vscode-editorCursor-foreground: #000000; --vscode-editorIndentGuide-background1: #d3d3d3; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #388a34; --vscode-charts-red: #e51400;
  --vscode-charts-purple: #652d90; --vscode-charts-yellow: #bf8803;
  --vscode-settings-textInputBackground: #ffffff; --vscode-settings-textInputForeground: #3b3b3b; --vscode-settings-textInputBorder: #cecece;
  --vscode-settings-dropdownBackground: #ffffff; --vscode-settings-dropdownForeground: #3b3b3b; --vscode-settings-dropdownBorder: #cecece;
  --vscode-settings-dropdownListBorder: #cecece; --vscode-input-placeholderForeground: #767676; --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000; --vscode-list-hoverBackground: #f2f2f2; --vscode-list-focusOutline: #005fb8;
  --vscode-sideBar-background: #f8f8f8; --vscode-sideBarSectionHeader-background: #f8f8f8; --vscode-sideBarTitle-foreground: #3b3b3b;
  --vscode-icon-foreground: #3b3b3b; --vscode-inputValidation-errorBackground: #f2dede; --vscode-checkbox-foreground: #3b3b3b; --vscode-widget-shadow: #00000029;
  background: #ffffff; color: #3b3b3b; }`,
  'high-contrast': `body { ${common} --neurite-test-theme: high-contrast; --vscode-foreground: #ffffff; --vscode-editor-foreground: #ffffff;
  --vscode-descriptionForeground: #ffffff; --vscode-editor-background: #000000; --vscode-editorWidget-border: #6fc3df; --vscode-contrastBorder: #6fc3df;
  --vscode-textLink-foreground: #21a6ff; --vscode-errorForeground: #f48771; --vscode-editorWarning-foreground: #ffd700;
  --vscode-badge-background: #000000; --vscode-badge-foreground: #ffffff; --vscode-button-background: #000000;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff; --vscode-button-border: #6fc3df;
  --vscode-button-hoverBackground: #000000; --vscode-button-secondaryHoverBackground: #000000;
  --vscode-focusBorder: #f38518; --vscode-progressBar-background: #6fc3df; --vscode-input-background: #000000; --vscode-input-foreground: #ffffff;
  --vscode-input-border: #6fc3df; --vscode-settings-textInputBackground: #000000; --vscode-dropdown-background: #000000; --vscode-dropdown-border: #6fc3df;
  --vscode-checkbox-background: #000000; --vscode-checkbox-border: #6fc3df; --vscode-editor-selectionBackground: #ffffff33;
  --vscode-editorCursor-foreground: #ffffff; --vscode-editorIndentGuide-background1: #ffffff55; --vscode-inputValidation-errorBorder: #f48771;
  --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c;
  --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700;
  --vscode-settings-textInputBackground: #000000; --vscode-settings-textInputForeground: #ffffff; --vscode-settings-textInputBorder: #6fc3df;
  --vscode-settings-dropdownBackground: #000000; --vscode-settings-dropdownForeground: #ffffff; --vscode-settings-dropdownBorder: #6fc3df;
  --vscode-settings-dropdownListBorder: #6fc3df; --vscode-input-placeholderForeground: #ffffffb3; --vscode-list-activeSelectionBackground: #000000;
  --vscode-list-activeSelectionForeground: #ffffff; --vscode-list-hoverBackground: #000000; --vscode-list-focusOutline: #f38518;
  --vscode-sideBar-background: #000000; --vscode-sideBarSectionHeader-background: #000000; --vscode-sideBarTitle-foreground: #ffffff;
  --vscode-icon-foreground: #ffffff; --vscode-inputValidation-errorBackground: #000000; --vscode-checkbox-foreground: #ffffff; --vscode-widget-shadow: #000000;
  background: #000000; color: #ffffff; }`,
};

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
