/**
 * Drawing each Neurite output into its element: a run (header, summary table, traces and metric
 * curves, stored attributions, sweep table), a chart, a table, an attribution, a waveform, live
 * progress. Every chart and table comes from widgets.ts; charts are destroyed with their output.
 */
import type { Chart } from 'chart.js';
import type { AttributionOutput, ProgressOutput, RunOutput, TableOutput } from '../../kernel/protocol/notebook';
import type { Trace } from '../../kernel/protocol/types';
import { attributionMap, figure, metricTraces, rasterChart, table, xyChart } from './widgets';

export interface Drawn {
  charts: Chart[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function chart(parent: HTMLElement, title: string, t: Trace, drawn: Drawn): void {
  const canvas = figure(parent, title);
  drawn.charts.push(t.type === 'raster' ? rasterChart(canvas, t) : xyChart(canvas, t));
}

/** Summary metrics shown as a table (the first 14; the rest counted). */
const SUMMARY_ROWS = 14;

export function renderRun(root: HTMLElement, r: RunOutput, drawn: Drawn, openRun?: (dir: string) => void): void {
  const head = el('div', 'nn-head');
  head.append(el('h2', 'nn-run-id', r.run.id), el('span', 'nn-kind', r.run.kind), el('span', `nn-status ${r.run.status}`, r.run.status));
  const facts = [r.run.durationMs !== undefined ? `${(r.run.durationMs / 1000).toFixed(1)} s` : '', r.run.seed !== undefined ? `seed ${r.run.seed}` : '', r.run.device ?? ''].filter(Boolean).join(' · ');
  head.append(el('span', 'nn-facts', facts));
  if (openRun) {
    const a = el('a', 'nn-open', 'Open run panel');
    a.setAttribute('role', 'button');
    a.tabIndex = 0;
    a.addEventListener('click', () => openRun(r.run.dir));
    head.append(a);
  }
  root.append(head);
  if (r.run.error) root.append(el('p', 'nn-error', r.run.error));
  // The summary beside the curves, as a notebook reader scans them: numbers left, shapes right.
  const body = el('div', 'nn-run-body');
  const side = el('div', 'nn-side');
  const charts = el('div', 'nn-charts');
  body.append(side, charts);
  root.append(body);
  const entries = Object.entries(r.metrics);
  if (entries.length) {
    const t: TableOutput = { caption: 'Summary', columns: ['metric', 'value'], rows: entries.map(([k, v]) => [k, v]) };
    table(side, t, { maxRows: SUMMARY_ROWS, className: 'nn-summary' });
  }
  if (r.table) table(side, r.table);
  for (const [name, t] of Object.entries(r.traces)) chart(charts, t.title ?? name, t, drawn);
  // A metric recorded once is a number, not a curve: the summary table has it.
  for (const [key, t] of metricTraces(r.records)) if (t.series.some((s) => s.x.length > 1)) chart(charts, t.title ?? key, t, drawn);
  for (const a of r.attributions) attributionMap(root, a);
}

export function renderChart(root: HTMLElement, t: Trace, drawn: Drawn): void {
  const charts = el('div', 'nn-charts');
  root.append(charts);
  chart(charts, t.title ?? (t.type === 'raster' ? 'raster' : 'chart'), t, drawn);
}

export function renderTable(root: HTMLElement, t: TableOutput): void {
  table(root, t, { maxRows: 200 });
}

export function renderAttribution(root: HTMLElement, a: AttributionOutput): void {
  attributionMap(root, a);
}

export function renderProgress(root: HTMLElement, p: ProgressOutput): void {
  const box = el('div', 'nn-progress');
  const bar = el('progress');
  bar.max = 1;
  bar.value = p.fraction;
  bar.setAttribute('aria-label', 'progress');
  box.append(bar, el('span', 'nn-facts', `${Math.round(p.fraction * 100)}%${p.message ? ` ${p.message}` : ''}`));
  root.append(box);
}
