/**
 * The comparison dashboard: several runs (or a sweep's trials) side by side — a sortable table
 * of their summary metrics (mean ± sd where runs share a configuration), their curves overlaid
 * per metric (one colour per run, or mean ± sd per configuration), and the diff of their resolved
 * specs. Live: metrics of runs still going arrive as messages and are drawn at most once a frame,
 * kept in bounded buffers.
 */
import { compareInbound, type CompareInbound, type CompareModel, type CompareOutbound, type CompareTarget } from '../../kernel/protocol/panels';
import type { MetricTable } from '../../kernel/protocol/metrics';
import type { ChartSpec } from '../shared/chart-spec';
import { ChartView, setSmoothingAll } from '../shared/chart-view';
import { duration, el } from '../shared/dom';
import { aggregateCharts, MetricStore, overlayCharts } from '../shared/metric-charts';
import { smoothingControl } from '../shared/smoothing-control';
import { diffTable, summaryTable, type Sort } from './table';
import './style.css';

interface State {
  target?: CompareTarget;
  smoothing?: number;
  sort?: Sort;
  perRun?: boolean;
  aggregate?: boolean;
}

const vscode = acquireVsCodeApi<State>();
const state = (): State => vscode.getState() ?? {};
const setState = (s: Partial<State>) => vscode.setState({ ...state(), ...s });
const send = (m: CompareOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;

let model: CompareModel | undefined;
let stores = new Map<string, MetricStore>();
const charts = new Map<string, { view: ChartView; version?: number }>();
let redrawQueued = false;
const onExport = (e: { format: 'png' | 'csv'; name: string; data: string }) => send({ type: 'export', ...e });

/** The declaration the table and charts use: the first run's that has one (runs of one kind share it). */
function table(): MetricTable | undefined {
  return model?.runs.find((r) => r.meta)?.meta;
}

function render(m: CompareModel, target: CompareTarget): void {
  const sameRuns = model && model.runs.map((r) => r.id).join('\n') === m.runs.map((r) => r.id).join('\n');
  model = m;
  setState({ target });
  // Keep the buffers (and so live points) of runs already shown; a new set of runs starts afresh.
  const old = stores;
  stores = new Map(m.runs.map((r) => [r.id, sameRuns && old.get(r.id) && !r.metrics.length ? old.get(r.id)! : new MetricStore(r.meta).addAll(r.metrics)]));
  if (!sameRuns) {
    for (const c of charts.values()) c.view.destroy();
    charts.clear();
    app.replaceChildren(
      el('header', {}),
      el('section', { id: 'summary', 'aria-label': 'Summary metrics' }),
      el('section', { id: 'curves', 'aria-label': 'Curves' }),
      el('section', { id: 'diff', 'aria-label': 'Spec differences' }),
    );
  }
  renderHeader();
  renderSummary();
  renderDiff();
  redraw();
}

function renderHeader(): void {
  const m = model!;
  const header = app.querySelector('header')!;
  const kinds = [...new Set(m.runs.map((r) => r.kind).filter(Boolean))];
  const done = m.runs.filter((r) => r.status === 'completed').length;
  const running = m.runs.filter((r) => r.status === 'running').length;
  const total = m.runs.reduce((s, r) => s + (r.durationMs ?? 0), 0);
  const facts = [
    kinds.join(', '),
    m.sweep ? `${m.runs.length} of ${m.sweep.total} trials run${m.sweep.status ? ` · sweep ${m.sweep.status}` : ''}` : `${m.runs.length} runs`,
    `${done} completed${running ? `, ${running} running` : ''}`,
    total ? `${duration(total)} of run time` : '',
  ].filter(Boolean);
  header.replaceChildren(el('h1', { id: 'compare-title' }, m.title), el('p', { class: 'facts' }, facts.join(' · ')));
}

function renderSummary(): void {
  const m = model!;
  const section = document.getElementById('summary')!;
  const repeated = m.configs.some((c) => c.runs.length > 1);
  const s = state();
  const perRun = !repeated || (s.perRun ?? false);
  const head = el('div', { class: 'section-head' });
  head.append(el('h2', {}, 'Summary'));
  if (repeated) {
    const toggle = el('label', { class: 'toggle' });
    const box = el('input', { type: 'checkbox', id: 'per-run' });
    box.checked = perRun;
    box.addEventListener('change', () => {
      setState({ perRun: box.checked });
      renderSummary();
    });
    toggle.append(box, ' one row per run');
    head.append(toggle);
  }
  const scroll = el('div', { class: 'scroll' });
  scroll.append(
    summaryTable(m, table(), {
      perRun,
      sort: s.sort,
      onSort: (sort) => {
        setState({ sort });
        renderSummary();
        (document.querySelector(`#compare-summary th[data-column="${CSS.escape(sort.column)}"] button`) as HTMLElement | null)?.focus();
      },
      onOpen: (run) => send({ type: 'openRun', run }),
    }),
  );
  section.replaceChildren(head, scroll);
}

function renderDiff(): void {
  const section = document.getElementById('diff')!;
  section.replaceChildren(el('h2', {}, 'Spec differences'), diffTable(model!));
}

function chartSpecs(): ChartSpec[] {
  const m = model!;
  const repeated = m.configs.some((c) => c.runs.length > 1);
  if (repeated && state().aggregate) {
    return aggregateCharts(m.configs.map((c) => ({ label: c.label, color: m.runs[c.runs[0]].color, stores: c.runs.map((i) => stores.get(m.runs[i].id)!).filter(Boolean) })));
  }
  return overlayCharts(m.runs.map((r) => ({ label: r.label, color: r.color, store: stores.get(r.id)! })));
}

/** Charts are rebuilt from the stores; one redraws only when its data changed. */
function redraw(): void {
  redrawQueued = false;
  const section = document.getElementById('curves');
  if (!section || !model) return;
  const specs = chartSpecs();
  if (!section.querySelector('.section-head')) {
    const head = el('div', { class: 'section-head' });
    head.append(el('h2', {}, 'Curves'), smoothingControl(state().smoothing ?? 0, (w) => {
      setState({ smoothing: w });
      setSmoothingAll(w);
    }));
    if (model.configs.some((c) => c.runs.length > 1)) {
      const toggle = el('label', { class: 'toggle' });
      const box = el('input', { type: 'checkbox', id: 'aggregate' });
      box.checked = !!state().aggregate;
      box.addEventListener('change', () => {
        setState({ aggregate: box.checked });
        for (const c of charts.values()) c.view.destroy();
        charts.clear();
        section.querySelectorAll('.chart-group').forEach((g) => g.remove());
        redraw();
      });
      toggle.append(box, ' mean ± sd per configuration');
      head.append(toggle);
    }
    section.append(head);
  }
  if (!specs.length && !section.querySelector('.empty')) section.append(el('p', { class: 'empty' }, 'These runs streamed no metrics.'));
  for (const spec of specs) {
    const c = charts.get(spec.id);
    if (c) {
      if (c.version !== spec.version) c.view.update(spec);
      c.version = spec.version;
      continue;
    }
    const group = spec.group ?? 'Other';
    let holder = section.querySelector<HTMLElement>(`.chart-group[data-group="${CSS.escape(group)}"]`);
    if (!holder) {
      holder = el('div', { class: 'chart-group', 'data-group': group });
      holder.append(el('h3', {}, group));
      section.append(holder);
    }
    const view = new ChartView(holder, spec, { onExport });
    view.setSmoothing(state().smoothing ?? 0);
    charts.set(spec.id, { view, version: spec.version });
  }
}

function queueRedraw(): void {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(redraw);
}

function receive(m: CompareInbound): void {
  if (m.type === 'model') render(m.model, m.target);
  else if (m.type === 'metric') {
    const store = stores.get(m.run);
    if (!store) return;
    store.add(m.record);
    queueRedraw();
  } else {
    const run = model?.runs.find((r) => r.id === m.run);
    if (run) run.status = m.summary.status;
  }
}

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = compareInbound.safeParse(ev.data);
  if (!parsed.success) {
    console.warn(`[neurite] comparison ignored an invalid message: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
    return;
  }
  receive(parsed.data as CompareInbound);
});

send({ type: 'ready' });
