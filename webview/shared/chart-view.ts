/**
 * One chart as a widget: title, tools (reset zoom, PNG, CSV), the canvas with zoom and pan
 * (zoom.ts), hover values with units, and a legend whose entries show and hide their series
 * (keyboard reachable buttons, not canvas drawings). Bands for intervals, categorical x axes,
 * log axes, panel-wide smoothing of training curves, and colours that follow the editor theme
 * live. A view is updated in place with new data and keeps its zoom, hidden series and smoothing.
 */
import type { ChartDataset, TooltipItem } from 'chart.js';
import { formatNumber } from '../../kernel/protocol/metrics';
import type { ChartSeries, ChartSpec } from './chart-spec';
import { axisOptions, Chart } from './charts';
import './charts.css';
import { chartCsv, fileName } from './export';
import { alpha, color, dash } from './palette';
import { byX } from './points';
import { smooth } from './smooth';
import { themeColors, watchTheme, type ThemeColors } from './theme';
import { attachZoom, type Range, type Ranges } from './zoom';

export interface ExportRequest {
  format: 'png' | 'csv';
  name: string;
  /** PNG: a data: URL; CSV: the text. */
  data: string;
}

export interface ChartViewOptions {
  onExport?(e: ExportRequest): void;
}

type Role = { series: number; role: 'main' | 'raw' | 'lo' | 'hi' };
type Point = { x: number; y: number | null };

const views = new Set<ChartView>();
let stopWatching: (() => void) | undefined;
let nextId = 0;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class ChartView {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly chart: Chart;
  private readonly legend: HTMLElement;
  private readonly resetButton: HTMLButtonElement;
  private roles: Role[] = [];
  private readonly hidden = new Set<string>();
  private ranges: Ranges = {};
  private smoothing = 0;
  private theme: ThemeColors = themeColors();
  private readonly detachZoom: () => void;
  private legendKey = '';

  constructor(parent: HTMLElement, private spec: ChartSpec, private readonly opts: ChartViewOptions = {}) {
    const n = nextId++;
    this.element = el('figure', { class: 'chart', 'data-chart': spec.id });
    const head = el('div', { class: 'chart-head' });
    const caption = el('figcaption', { id: `chart-cap-${n}` }, spec.title);
    const tools = el('div', { class: 'chart-tools', role: 'toolbar', 'aria-label': `${spec.title}: chart tools` });
    this.resetButton = el('button', { type: 'button', 'data-action': 'reset', title: 'Reset zoom (double-click the chart, or press 0)' }, 'Reset zoom');
    this.resetButton.disabled = true;
    const png = el('button', { type: 'button', 'data-action': 'png', title: 'Save the chart as a PNG image' }, 'PNG');
    const csv = el('button', { type: 'button', 'data-action': 'csv', title: 'Save the chart\u2019s data as CSV' }, 'CSV');
    this.resetButton.addEventListener('click', () => this.resetZoom());
    png.addEventListener('click', () => this.export('png'));
    csv.addEventListener('click', () => this.export('csv'));
    tools.append(this.resetButton, png, csv);
    head.append(caption, tools);
    const body = el('div', { class: 'chart-body' });
    this.canvas = el('canvas', {
      tabindex: '0',
      role: 'img',
      'aria-label': `${spec.title}. Drag to zoom into a box, Alt+wheel to zoom, Shift+drag to pan, double-click to reset; keys: plus, minus, arrows, 0.`,
    });
    const box = el('div', { class: 'zoom-box' });
    box.hidden = true;
    body.append(this.canvas, box);
    this.legend = el('div', { class: 'chart-legend', role: 'group', 'aria-label': `Series of ${spec.title}` });
    this.element.append(head, body, this.legend);
    parent.append(this.element);

    this.chart = new Chart(this.canvas, { type: spec.raster ? 'scatter' : 'line', data: { datasets: this.datasets() }, options: this.options() as never });
    this.renderLegend();
    this.detachZoom = attachZoom(this.canvas, box, {
      chart: () => this.chart,
      current: () => ({ x: [this.chart.scales.x.min, this.chart.scales.x.max], y: [this.chart.scales.y.min, this.chart.scales.y.max] }),
      set: (r) => this.setRanges(r),
      reset: () => this.resetZoom(),
    });
    views.add(this);
    stopWatching ??= watchTheme((c) => views.forEach((v) => v.applyTheme(c)));
  }

  get id(): string {
    return this.spec.id;
  }

  /** New data (same chart): redraw, keeping zoom, hidden series and smoothing. */
  update(spec: ChartSpec): void {
    this.spec = spec;
    this.chart.data.datasets = this.datasets() as never;
    this.renderLegend();
    this.chart.update('none');
  }

  setSmoothing(w: number): void {
    if (w === this.smoothing || !this.spec.smoothable) {
      this.smoothing = w;
      return;
    }
    this.smoothing = w;
    this.update(this.spec);
  }

  /** Show or hide a series (as its legend entry does). */
  toggle(name: string): void {
    if (this.hidden.has(name)) this.hidden.delete(name);
    else this.hidden.add(name);
    this.update(this.spec);
  }

  get zoomed(): Ranges {
    return { ...this.ranges };
  }

  setRanges(r: Ranges): void {
    const ok = (v?: Range) => v && Number.isFinite(v[0]) && Number.isFinite(v[1]) && v[1] > v[0];
    if (ok(r.x)) this.ranges.x = r.x;
    if (ok(r.y)) this.ranges.y = r.y;
    this.applyRanges();
  }

  resetZoom(): void {
    this.ranges = {};
    this.applyRanges();
  }

  private applyRanges(): void {
    const s = this.chart.options.scales as Record<'x' | 'y', { min?: number; max?: number }>;
    const base = this.baseRanges();
    s.x.min = this.ranges.x?.[0] ?? base.x?.[0];
    s.x.max = this.ranges.x?.[1] ?? base.x?.[1];
    s.y.min = this.ranges.y?.[0] ?? base.y?.[0];
    s.y.max = this.ranges.y?.[1] ?? base.y?.[1];
    this.resetButton.disabled = !this.ranges.x && !this.ranges.y;
    this.chart.update('none');
  }

  /** Ranges the chart has when not zoomed (categories and raster rows end half a step out). */
  private baseRanges(): Ranges {
    const r: Ranges = {};
    if (this.spec.xCategories) r.x = [-0.5, this.spec.xCategories.length - 0.5];
    if (this.spec.raster) r.y = [-0.5, maxOf(this.spec.raster.ids) + 0.5];
    return r;
  }

  applyTheme(c: ThemeColors): void {
    this.theme = c;
    const o = this.options() as { scales: Record<string, unknown> };
    const scales = this.chart.options.scales as Record<string, unknown>;
    for (const axis of ['x', 'y']) Object.assign(scales[axis] as object, o.scales[axis], { min: (scales[axis] as { min?: number }).min, max: (scales[axis] as { max?: number }).max });
    this.chart.data.datasets = this.datasets() as never;
    this.chart.update('none');
  }

  private export(format: 'png' | 'csv'): void {
    if (!this.opts.onExport) return;
    if (format === 'csv') {
      this.opts.onExport({ format, name: fileName(this.spec.title, 'csv'), data: chartCsv(this.spec) });
      return;
    }
    // The canvas is transparent: paint the editor background under it so the file reads anywhere.
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const g = out.getContext('2d')!;
    g.fillStyle = this.theme.background;
    g.fillRect(0, 0, out.width, out.height);
    g.drawImage(this.canvas, 0, 0);
    this.opts.onExport({ format, name: fileName(this.spec.title, 'png'), data: out.toDataURL('image/png') });
  }

  private renderLegend(): void {
    const series = this.spec.raster ? [] : this.spec.series;
    const key = JSON.stringify(series.map((s, i) => [s.name, s.color ?? i, !!s.points, this.hidden.has(s.name)]));
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.replaceChildren(
      ...series.map((s, i) => {
        const shown = !this.hidden.has(s.name);
        const b = el('button', { type: 'button', 'aria-pressed': String(shown), title: `${shown ? 'Hide' : 'Show'} ${s.name}` });
        const swatch = el('span', { class: `swatch${s.points ? ' points' : ''}`, 'aria-hidden': 'true' });
        swatch.style.background = color(s.color ?? i);
        b.append(swatch, el('span', { class: 'label' }, s.name));
        b.addEventListener('click', () => this.toggle(s.name));
        return b;
      }),
    );
  }

  private datasets(): ChartDataset<'line' | 'scatter', Point[]>[] {
    this.roles = [];
    const out: ChartDataset<'line' | 'scatter', Point[]>[] = [];
    const spec = this.spec;
    if (spec.raster) {
      const { times, ids } = spec.raster;
      const few = maxOf(ids) < 20;
      const data = byX(Array.from({ length: times.length }, (_, i) => ({ x: times[i], y: ids[i] })));
      this.roles.push({ series: 0, role: 'main' });
      out.push({ label: 'spikes', data, pointStyle: few ? 'line' : 'circle', pointRotation: few ? 90 : 0, pointRadius: few ? 6 : 1, borderWidth: 1, borderColor: color(0), backgroundColor: color(0) } as never);
      return out;
    }
    const fx = spec.logX ? toLog : (v: number) => v;
    const fy = spec.logY ? toLog : (v: number | null) => v;
    const few = spec.series.every((s) => s.x.length <= 40);
    spec.series.forEach((s, i) => {
      if (this.hidden.has(s.name)) return;
      const c = color(s.color ?? i);
      const d = dash(s.color ?? i);
      const pts = (ys: ArrayLike<number | null>) => points(s.x, ys, fx, fy);
      if (s.lo && s.hi) {
        out.push({ label: `${s.name} (lower)`, data: pts(s.lo), borderWidth: 0, pointRadius: 0, fill: false, showLine: true, backgroundColor: 'transparent' } as never);
        out.push({ label: `${s.name} (upper)`, data: pts(s.hi), borderWidth: 0, pointRadius: 0, fill: '-1', showLine: true, backgroundColor: alpha(c, 0.2) } as never);
        this.roles.push({ series: i, role: 'lo' }, { series: i, role: 'hi' });
      }
      const smoothed = this.smoothing > 0 && spec.smoothable && !s.points && s.x.length > 2;
      if (smoothed) {
        out.push({ label: `${s.name} (raw)`, data: pts(s.y), borderColor: alpha(c, 0.3), backgroundColor: alpha(c, 0.3), borderWidth: 1, pointRadius: 0, borderDash: d } as never);
        this.roles.push({ series: i, role: 'raw' });
      }
      out.push({
        label: s.name,
        data: pts(smoothed ? smooth(s.y, this.smoothing) : s.y),
        borderColor: c,
        backgroundColor: c,
        borderWidth: 1.75,
        borderDash: d,
        pointRadius: s.points ? 3.5 : few ? 2.5 : 0,
        pointHoverRadius: 4.5,
        showLine: !s.points,
        spanGaps: false,
      } as never);
      this.roles.push({ series: i, role: 'main' });
    });
    return out;
  }

  private options() {
    const spec = this.spec;
    const theme = this.theme;
    const integersX = !spec.raster && spec.series.every((s) => Array.from(s.x).every(Number.isInteger));
    const base = this.baseRanges();
    const many = spec.series.some((s) => s.x.length > 4000);
    return {
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      color: theme.foreground,
      font: { family: theme.font },
      interaction: spec.raster ? { mode: 'nearest', intersect: true } : { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { ...axisOptions({ title: spec.xLabel, log: spec.logX, integers: integersX, categories: spec.xCategories, theme }), min: this.ranges.x?.[0] ?? base.x?.[0], max: this.ranges.x?.[1] ?? base.x?.[1] },
        y: {
          ...axisOptions({ title: spec.yLabel, log: spec.logY, percent: spec.yPercent, integers: !!spec.raster, theme }),
          min: this.ranges.y?.[0] ?? base.y?.[0],
          max: this.ranges.y?.[1] ?? base.y?.[1],
        },
      },
      plugins: {
        decimation: { enabled: many, algorithm: 'min-max' },
        tooltip: {
          filter: (item: TooltipItem<'line'>) => this.roles[item.datasetIndex]?.role === 'main',
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => (items.length ? `${spec.xLabel ?? 'x'}: ${this.formatX(items[0].parsed.x ?? 0)}` : ''),
            label: (c: TooltipItem<'line'>) => this.tooltipLabel(c),
          },
        },
      },
    };
  }

  private formatX(v: number): string {
    const s = this.spec;
    if (s.xCategories) return s.xCategories[Math.round(v)] ?? '';
    const x = s.logX ? 10 ** v : v;
    return `${formatNumber(x)}${s.xUnit ? `\u202f${s.xUnit}` : ''}`;
  }

  formatY(v: number | null): string {
    if (v === null || v === undefined) return '—';
    const s = this.spec;
    const y = s.logY ? 10 ** v : v;
    if (s.yPercent) return `${formatNumber(y * 100)}%`;
    return `${formatNumber(y)}${s.yUnit ? `\u202f${s.yUnit}` : ''}`;
  }

  private tooltipLabel(c: TooltipItem<'line'>): string {
    if (this.spec.raster) return `neuron ${c.parsed.y} at ${this.formatX(c.parsed.x ?? 0)}`;
    const role = this.roles[c.datasetIndex];
    const s: ChartSeries | undefined = role && this.spec.series[role.series];
    let text = `${c.dataset.label}: ${this.formatY(c.parsed.y)}`;
    if (s?.lo && s.hi) {
      const lo = this.spec.logY ? toLog(s.lo[c.dataIndex]) : s.lo[c.dataIndex];
      const hi = this.spec.logY ? toLog(s.hi[c.dataIndex]) : s.hi[c.dataIndex];
      if (lo !== null && hi !== null) text += ` [${this.formatY(lo)}, ${this.formatY(hi)}]`;
    }
    return text;
  }

  /** What the chart shows now, for tests and benchmarks in a real browser (window.__neuriteCharts). */
  describe() {
    const c = this.chart;
    const x = c.scales.x;
    const y = c.scales.y;
    const opts = c.options.scales as Record<'x' | 'y', { ticks?: { color?: unknown }; grid?: { color?: unknown } }>;
    const tip = c.tooltip;
    return {
      id: this.spec.id,
      title: this.spec.title,
      x: [x.min, x.max],
      y: [y.min, y.max],
      zoomed: this.zoomed,
      datasets: c.data.datasets.map((d) => ({ label: d.label, points: d.data.length })),
      legend: [...this.legend.querySelectorAll('button')].map((b) => ({ name: b.textContent, pressed: b.getAttribute('aria-pressed') })),
      xTicks: x.ticks.map((t) => String(t.label)),
      yTicks: y.ticks.map((t) => String(t.label)),
      yTitle: (c.options.scales as Record<string, { title?: { text?: string } }>).y.title?.text,
      tickColor: opts.x.ticks?.color,
      gridColor: opts.x.grid?.color,
      tooltip: tip && tip.opacity > 0 ? { title: tip.title, lines: tip.body.flatMap((b) => b.lines) } : undefined,
      smoothing: this.smoothing,
    };
  }

  destroy(): void {
    this.detachZoom();
    this.chart.destroy();
    this.element.remove();
    views.delete(this);
  }
}

/** Smoothing for every smoothable chart on the page. */
export function setSmoothingAll(w: number): void {
  views.forEach((v) => v.setSmoothing(w));
}

/** Every live chart. */
export function allCharts(): ChartView[] {
  return [...views];
}

(window as unknown as { __neuriteCharts: () => unknown[] }).__neuriteCharts = () => allCharts().map((v) => v.describe());

function toLog(v: number | null | undefined): number | null {
  return v !== null && v !== undefined && v > 0 ? Math.log10(v) : null;
}

function maxOf(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m;
}

/** Points for Chart.js (parsing off): sorted by x, x never null; a null y is a gap in the line. */
function points(xs: ArrayLike<number>, ys: ArrayLike<number | null>, fx: (v: number) => number | null, fy: (v: number | null) => number | null): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = fx(xs[i]);
    if (x === null || !Number.isFinite(x)) continue;
    const y = fy(ys[i] ?? null);
    out.push({ x, y: y === null || !Number.isFinite(y) ? null : y });
  }
  return byX(out);
}
