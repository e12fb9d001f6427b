/**
 * The run panel: header (name, id, kind, status, key metrics, tags), the run's files and
 * artifacts, progress, the summary grouped with units, metric curves built from the kind's
 * declaration (live, smoothable, zoomable), traces, and the log. Talks to the host only by
 * postMessage, and checks every message it is given.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { runPanelInbound, type RunPanelInbound, type RunPanelOutbound } from '../../kernel/protocol/panels';
import type { RunDetails, RunNotes, RunSummary, Trace } from '../../kernel/protocol/types';
import { traceSpec } from '../shared/chart-spec';
import { ChartView, setSmoothingAll } from '../shared/chart-view';
import { el } from '../shared/dom';
import { groupCharts, MetricStore } from '../shared/metric-charts';
import { smoothingControl } from '../shared/smoothing-control';
import { keyMetrics, summaryTable } from './summary';
import './style.css';

const vscode = acquireVsCodeApi<{ dir?: string; smoothing?: number }>();
const send = (m: RunPanelOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;

let details: RunDetails | undefined;
let store = new MetricStore(undefined);
const metricCharts = new Map<string, { view: ChartView; version?: number }>();
const traceCharts = new Map<string, ChartView>();
let lastProgress: { fraction: number; message?: string } | undefined;
let redrawQueued = false;
const onExport = (e: { format: 'png' | 'csv'; name: string; data: string }) => send({ type: 'export', ...e });

function render(d: RunDetails, active: { fraction: number; message?: string } | null): void {
  details = d;
  store = new MetricStore(d.meta).addAll(d.metrics);
  vscode.setState({ ...vscode.getState(), dir: d.info.dir });
  for (const c of metricCharts.values()) c.view.destroy();
  for (const c of traceCharts.values()) c.destroy();
  metricCharts.clear();
  traceCharts.clear();
  app.replaceChildren();
  lastProgress = active ?? undefined;

  const header = el('header');
  const title = el('h1', { id: 'run-title', title: d.info.id }, d.info.id);
  const badge = el('vscode-badge', { id: 'run-status' }, active ? 'running' : d.info.status);
  const kind = el('span', { class: 'kind' }, d.info.kind ?? '');
  const cancel = el('vscode-button', { id: 'cancel', secondary: '', 'aria-label': 'Cancel run' }, 'Cancel');
  cancel.hidden = !active;
  cancel.addEventListener('click', () => send({ type: 'cancel' }));
  header.append(title, kind, badge, el('span', { id: 'key-metrics', class: 'key-metrics' }), cancel);

  const files = el('nav', { 'aria-label': 'Run files' });
  for (const f of ['spec.json', 'summary.json', 'metrics.jsonl', 'log.txt', ...d.files]) {
    const a = el('a', { href: '#', 'data-file': f, title: f.startsWith('artifacts/') ? `Reveal ${f} in the file explorer` : `Open ${f}` }, f);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      send({ type: 'reveal', file: f });
    });
    files.append(a);
  }
  const notes = el('section', { id: 'notes', 'aria-label': 'Notes and tags' });
  const progress = el('vscode-progress-bar', { id: 'progress', 'aria-label': 'Run progress' });
  progress.hidden = !active;
  const progressText = el('p', { id: 'progress-text', 'aria-live': 'polite' }, active ? progressLabel(active.fraction, active.message) : '');
  const metricsSection = el('section', { id: 'metrics', 'aria-label': 'Metrics' });
  app.append(header, files, notes, progress, progressText, el('section', { id: 'summary' }), metricsSection, el('section', { id: 'traces', 'aria-label': 'Traces' }), el('pre', { id: 'log', 'aria-label': 'Run log', tabindex: '0' }));
  renderNotes(d.info.notes ?? null);
  if (active) setProgress(active.fraction, active.message);
  for (const line of d.log ?? []) appendLog('info', line);
  if (d.info.summary && !active) renderSummary(d.info.summary);
  for (const [name, trace] of Object.entries(d.traces)) renderTrace(name, trace);
  redrawMetrics();
}

function renderNotes(n: RunNotes | null): void {
  const section = document.getElementById('notes');
  if (!section) return;
  const edit = el('button', { type: 'button', id: 'edit-notes', class: 'link' }, n ? 'Edit note and tags…' : 'Add a note or tags…');
  edit.addEventListener('click', () => send({ type: 'editNotes' }));
  const tags = el('span', { class: 'tags' });
  for (const t of n?.tags ?? []) tags.append(el('span', { class: 'tag' }, t));
  section.replaceChildren(tags, ...(n?.note ? [el('p', { class: 'note' }, n.note)] : []), edit);
}

function progressLabel(fraction: number, message?: string): string {
  return `${Math.round(fraction * 100)}%${message ? ` — ${message}` : ''}`;
}

function setProgress(fraction: number, message?: string): void {
  lastProgress = { fraction, message };
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
  // The progress line says how the run ended, not the last thing it was doing.
  const text = document.getElementById('progress-text')!;
  const at = lastProgress && s.status !== 'completed' ? ` at ${progressLabel(lastProgress.fraction, lastProgress.message)}` : '';
  text.textContent = s.status === 'completed' ? '' : `${s.status}${at}`;
  const keys = keyMetrics(s.metrics, details?.meta);
  document.getElementById('key-metrics')!.textContent = keys.join(' · ');
  if (s.error) section.append(el('p', { class: `error ${s.status}`, role: 'alert' }, s.error));
  const table = summaryTable(s, details?.meta);
  if (table) section.append(table);
}

function renderTrace(name: string, trace: Trace): void {
  const section = document.getElementById('traces')!;
  const spec = traceSpec(name, trace);
  const existing = traceCharts.get(name);
  if (existing) {
    existing.update(spec);
    return;
  }
  if (traceCharts.size === 0) section.append(el('h2', {}, 'Traces'));
  const holder = el('div', { 'data-trace': name });
  section.append(holder);
  traceCharts.set(name, new ChartView(holder, spec, { onExport }));
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

/** Metric charts are rebuilt from the store; a chart redraws only when its data changed, at most once a frame. */
function redrawMetrics(): void {
  redrawQueued = false;
  const section = document.getElementById('metrics');
  if (!section) return;
  for (const spec of groupCharts(store)) {
    const c = metricCharts.get(spec.id);
    if (c) {
      if (c.version !== spec.version) c.view.update(spec);
      c.version = spec.version;
      continue;
    }
    if (metricCharts.size === 0) {
      const head = el('div', { class: 'section-head' });
      head.append(el('h2', {}, 'Metrics'), smoothingControl(vscode.getState()?.smoothing ?? 0, (w) => {
        vscode.setState({ ...vscode.getState(), smoothing: w });
        setSmoothingAll(w);
      }));
      section.append(head);
    }
    const view = new ChartView(section, spec, { onExport });
    view.setSmoothing(vscode.getState()?.smoothing ?? 0);
    metricCharts.set(spec.id, { view, version: spec.version });
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

function receive(m: RunPanelInbound): void {
  switch (m.type) {
    case 'details':
      render(m.details, m.active);
      break;
    case 'progress':
      setProgress(m.fraction, m.message);
      break;
    case 'metric':
      store.add(m.record);
      queueRedraw();
      break;
    case 'trace':
      // before the details arrive there is nowhere to draw it; the details read from disk include it
      if (!details) break;
      details.traces[m.name] = m.trace;
      renderTrace(m.name, m.trace);
      break;
    case 'log':
      appendLog(m.level, m.message);
      break;
    case 'end':
      renderSummary(m.summary);
      break;
    case 'notes':
      renderNotes(m.notes);
      break;
  }
}

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = runPanelInbound.safeParse(ev.data);
  if (!parsed.success) {
    console.warn(`[neurite] run panel ignored an invalid message: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
    return;
  }
  receive(parsed.data as RunPanelInbound);
});

send({ type: 'ready' });
