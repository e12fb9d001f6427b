/**
 * The notebook renderer's entry (VS Code loads it as an ES module): one function per Neurite
 * MIME type, drawing into the output's element; charts are destroyed when the output goes. The
 * drawing itself lives in render.ts and the widgets it calls.
 */
import type { Chart } from 'chart.js';
import { Mime as NeuriteMime } from './mimes';
import { applyTheme } from './widgets';
import { renderAttribution, renderChart, renderProgress, renderRun, renderTable, type Drawn } from './render';
import css from './style.css';

/** The parts of VS Code's notebook renderer API used here (vscode-notebook-renderer). */
interface OutputItem {
  readonly id: string;
  readonly mime: string;
  json(): any;
}
interface RendererContext {
  postMessage?(message: unknown): void;
}

const drawn = new Map<string, Chart[]>();
/** How to draw each shown output again (a theme change recolours by redrawing). */
const redraws = new Map<string, () => void>();

function dispose(id: string): void {
  for (const c of drawn.get(id) ?? []) c.destroy();
  drawn.delete(id);
}

function themeForeground(): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-foreground');
}

export function activate(ctx: RendererContext) {
  if (!document.getElementById('neurite-renderer-style')) {
    const style = document.createElement('style');
    style.id = 'neurite-renderer-style';
    style.textContent = css;
    document.head.append(style);
  }
  // A theme change sets new --vscode-* variables (on the root element) and the body's theme class: draw again in its colours.
  let foreground = themeForeground();
  const onTheme = () => {
    if (themeForeground() === foreground) return;
    foreground = themeForeground();
    for (const redraw of [...redraws.values()]) redraw();
  };
  const observer = new MutationObserver(onTheme);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['style', 'class'] });
  const openRun = ctx.postMessage ? (dir: string) => ctx.postMessage!({ type: 'openRun', dir }) : undefined;
  const render = (item: OutputItem, element: HTMLElement) => {
    redraws.set(item.id, () => render(item, element));
    dispose(item.id);
    applyTheme();
    element.replaceChildren();
    const root = document.createElement('div');
    root.className = 'nn-out';
    root.dataset.mime = item.mime;
    element.append(root);
    const d: Drawn = { charts: [] };
    drawn.set(item.id, d.charts);
    try {
      const v = item.json();
      if (item.mime === NeuriteMime.run) renderRun(root, v, d, openRun);
      else if (item.mime === NeuriteMime.chart || item.mime === NeuriteMime.waveform) renderChart(root, v, d);
      else if (item.mime === NeuriteMime.table) renderTable(root, v);
      else if (item.mime === NeuriteMime.attribution) renderAttribution(root, v);
      else if (item.mime === NeuriteMime.progress) renderProgress(root, v);
      else root.textContent = `no Neurite view for ${item.mime}`;
    } catch (e) {
      const p = document.createElement('p');
      p.className = 'nn-error';
      p.textContent = `Neurite could not draw this output: ${(e as Error).message}`;
      root.append(p);
    }
  };
  return {
    renderOutputItem: render,
    disposeOutputItem(id?: string) {
      for (const k of id ? [id] : [...drawn.keys()]) {
        dispose(k);
        redraws.delete(k);
      }
    },
  };
}
