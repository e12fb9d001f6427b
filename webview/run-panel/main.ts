/**
 * The run panel: header with status and progress, summary metrics, live metric curves,
 * traces (sweeps, waveforms, rasters) and the run's log. Talks to the host only by postMessage.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import type { Chart } from 'chart.js';
import type { RunPanelInbound, RunPanelOutbound } from '../../kernel/protocol/panels';
import type { MetricRecord, RunDetails, RunSummary, Trace } from '../../kernel/protocol/types';
import { applyTheme, figure, rasterChart, xyChart } from '../shared/charts';
import { metricTraces } from './metrics';
import './style.css';

const vscode = acquireVsCodeApi<{ dir?: string }>();
const send = (m: RunPanelOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;

let details: RunDetails | undefined;
let metrics: MetricRecord[] = [];
const metricCharts = new Map<string, Chart>();
const traceCharts = new Map<string, Chart>();
let redrawQueued = false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function render(d: RunDetails, active: { fraction: number; message?: string } | null): void {
  details = d;
  metrics = d.metrics;
  vscode.setState({ dir: d.info.dir });
  app.replaceChildren();
  metricCharts.clear();
  traceCharts.clear();
  const header = el('header');
  const title = el('h1', { id: 'run-title' }, d.info.id);
  const badge = el('vscode-badge', { id: 'run-status' }, active ? 'running' : d.info.status);
  const kind = el('span', { class: 'kind' }, d.info.kind ?? '');
  const cancel = el('vscode-button', { id: 'cancel', secondary: '', 'aria-label': 'Cancel run' }, 'Cancel');
  cancel.hidden = !active;
  cancel.addEventListener('click', () => send({ type: 'cancel' }));
  const files = el('nav', { 'aria-label': 'Run files' });
  for (const f of ['spec.json', 'summary.json', 'metrics.jsonl', 'log.txt'] as const) {
    const a = el('a', { href: '#', 'data-file': f }, f);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      send({ type: 'reveal', file: f });
    });
    files.append(a);
  }
  header.append(title, kind, badge, cancel);
  const progress = el('vscode-progress-bar', { id: 'progress', 'aria-label': 'Run progress' });
  progress.hidden = !active;
  const progressText = el('p', { id: 'progress-text', 'aria-live': 'polite' }, active ? progressLabel(active.fraction, active.message) : '');
  app.append(header, files, progress, progressText, el('section', { id: 'summary' }), el('section', { id: 'traces' }), el('section', { id: 'metrics' }), el('pre', { id: 'log', 'aria-label': 'Run log' }));
  if (active) setProgress(active.fraction, active.message);
  for (const line of d.log ?? []) appendLog('info', line);
  if (d.info.summary && !active) renderSummary(d.info.summary);
  for (const [name, trace] of Object.entries(d.traces)) renderTrace(name, trace);
  redrawMetrics();
}

function progressLabel(fraction: number, message?: string): string {
  return `${Math.round(fraction * 100)}%${message ? ` — ${message}` : ''}`;
}

function setProgress(fraction: number, message?: string): void {
  const bar = document.getElementById('progress') as (HTMLElement & { value?: number; max?: number }) | null;
  if (bar) {
    bar.hidden = false;
    bar.max = 1;
    bar.value = fraction;
  }
  const t = document.getElementById('progress-text');
  if (t) t.textContent = progressLabel(fraction, message);
}

function renderSummary(s: RunSummary): void {
  const section = document.getElementById('summary')!;
  section.replaceChildren(el('h2', {}, 'Summary'));
  document.getElementById('run-status')!.textContent = s.status;
  document.getElementById('cancel')!.hidden = true;
  document.getElementById('progress')!.hidden = true;
  if (s.error) section.append(el('p', { class: `error ${s.status}`, role: 'alert' }, s.error));
  const entries = Object.entries(s.metrics);
  if (entries.length) {
    const table = el('table', { id: 'summary-metrics' });
    table.append(el('caption', {}, `${entries.length} metrics · ${(s.durationMs / 1000).toFixed(2)} s · seed ${s.seed} · ${s.device}`));
    const head = el('tr');
    head.append(el('th', { scope: 'col' }, 'metric'), el('th', { scope: 'col' }, 'value'));
    table.append(head);
    for (const [k, v] of entries) {
      const row = el('tr');
      row.append(el('th', { scope: 'row' }, k), el('td', {}, formatNumber(v)));
      table.append(row);
    }
    section.append(table);
  }
}

function formatNumber(v: number | null): string {
  if (v === null || v === undefined) return '—';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(6) : v.toPrecision(6);
}

function renderTrace(name: string, trace: Trace): void {
  const section = document.getElementById('traces')!;
  traceCharts.get(name)?.destroy();
  const old = section.querySelector(`[data-trace="${CSS.escape(name)}"]`);
  const holder = el('div', { 'data-trace': name });
  if (old) old.replaceWith(holder);
  else section.append(holder);
  const canvas = figure(holder, trace.title ?? name);
  traceCharts.set(name, trace.type === 'raster' ? rasterChart(canvas, trace) : xyChart(canvas, trace));
  if (overTime(trace)) {
    const open = el('vscode-button', { secondary: '', class: 'open-waveforms', title: 'Zoom to single samples and spikes, read cursors (full-resolution data)' }, 'Open in waveform viewer');
    open.addEventListener('click', () => send({ type: 'openWaveforms' }));
    holder.prepend(open);
  }
  if (name === 'swimmer-pose') {
    const show = el('vscode-button', { secondary: '', class: 'open-swimmer', title: 'Animate the body at every control step, with play, scrub and speed' }, 'Show Swimmer');
    show.addEventListener('click', () => send({ type: 'openSwimmer' }));
    holder.prepend(show);
  }
}

/** Waveforms and rasters over time: the waveform viewer shows them at full resolution. */
function overTime(trace: Trace): boolean {
  return trace.type === 'raster' ? ['fs', 'ps', 'ns', 'us', 'µs', 'ms', 's'].includes(trace.timeUnit ?? '') : /^time\b/i.test(trace.xLabel ?? '');
}

/** Metric curves are re-derived from all records; redraws are batched per animation frame. */
function redrawMetrics(): void {
  redrawQueued = false;
  const section = document.getElementById('metrics');
  if (!section) return;
  for (const [key, trace] of metricTraces(metrics)) {
    const chart = metricCharts.get(key);
    if (chart) {
      trace.series.forEach((s, i) => {
        const ds = chart.data.datasets[i];
        if (ds) ds.data = s.x.map((x, j) => ({ x, y: s.y[j] }));
        else chart.data.datasets.push({ label: s.name, data: s.x.map((x, j) => ({ x, y: s.y[j] })) });
      });
      chart.update('none');
    } else {
      if (metricCharts.size === 0) section.append(el('h2', {}, 'Metrics'));
      metricCharts.set(key, xyChart(figure(section, trace.title ?? key), trace));
    }
  }
}

function queueRedraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(redrawMetrics);
}

function appendLog(level: string, message: string): void {
  const log = document.getElementById('log');
  if (!log) return;
  log.textContent = (log.textContent + `${level === 'info' ? '' : `${level}: `}${message}\n`).split('\n').slice(-200).join('\n');
}

window.addEventListener('message', (ev: MessageEvent<RunPanelInbound>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'details':
      render(m.details, m.active);
      break;
    case 'progress':
      setProgress(m.fraction, m.message);
      break;
    case 'metric':
      metrics.push(m.record);
      queueRedraw();
      break;
    case 'trace':
      if (details) details.traces[m.name] = m.trace;
      renderTrace(m.name, m.trace);
      break;
    case 'log':
      appendLog(m.level, m.message);
      break;
    case 'end':
      renderSummary(m.summary);
      break;
  }
});

applyTheme();
send({ type: 'ready' });
