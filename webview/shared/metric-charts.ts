/**
 * Metric records → charts, from the experiment's declaration (kernel/protocol/metrics.ts), never
 * from metric names: metrics of one declared group and one streamed series share a chart (its
 * y axis titled by the group and their shared unit, logarithmic when they all are); a metric's
 * declared band bounds become its band, not lines of their own; x is the record's step, titled
 * as the series declares. Values are kept in bounded buffers (SeriesBuffer), so a long stream
 * costs bounded memory.
 */
import { axisTitle, metricMeta, seriesMeta, unitOf, type MetricMeta, type MetricTable } from '../../kernel/protocol/metrics';
import type { MetricRecord } from '../../kernel/protocol/types';
import type { ChartSpec } from './chart-spec';
import { SeriesBuffer } from './series-buffer';

export interface StoredMetric {
  /** The record's series ('' when it has none). */
  series: string;
  meta: MetricMeta;
  buffer: SeriesBuffer;
}

const SEP = '\u0001';

/** One run's streamed metrics, by series and name. */
export class MetricStore {
  readonly metrics = new Map<string, StoredMetric>();
  private readonly metas = new Map<string, MetricMeta>();

  constructor(readonly table: MetricTable | undefined, private readonly cap = 2000) {}

  meta(name: string): MetricMeta {
    let m = this.metas.get(name);
    if (!m) this.metas.set(name, (m = metricMeta(this.table, name)));
    return m;
  }

  add(r: MetricRecord): void {
    const series = r.series ?? '';
    const bounds = new Set<string>();
    for (const name in r.values) {
      const band = this.meta(name).band;
      if (band && band.lo in r.values && band.hi in r.values) bounds.add(band.lo).add(band.hi);
    }
    for (const name in r.values) {
      if (bounds.has(name)) continue; // drawn as the band of the metric that declares it
      const meta = this.meta(name);
      const key = series + SEP + name;
      let m = this.metrics.get(key);
      if (!m) this.metrics.set(key, (m = { series, meta, buffer: new SeriesBuffer(this.cap) }));
      const band = meta.band && bounds.has(meta.band.lo) ? meta.band : undefined;
      m.buffer.push(r.step, finite(r.values[name]), band ? finite(r.values[band.lo]) : null, band ? finite(r.values[band.hi]) : null);
    }
  }

  addAll(records: Iterable<MetricRecord>): this {
    for (const r of records) this.add(r);
    return this;
  }

  /** Sum of buffer versions: changes whenever any point was added. */
  get version(): number {
    let v = 0;
    for (const m of this.metrics.values()) v += m.buffer.version;
    return v;
  }
}

function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

/** Chart-level axis facts shared by the metrics drawn on it. */
function axes(series: string, group: string, metas: MetricMeta[], table: MetricTable | undefined) {
  const s = seriesMeta(table, series || undefined);
  const units = new Set(metas.map(unitOf));
  const percent = metas.every((m) => m.percent);
  return {
    title: s.label ? `${group} · ${s.label}` : group,
    xLabel: s.x,
    yLabel: axisTitle(group, metas),
    yUnit: units.size === 1 && !percent ? [...units][0] || undefined : undefined,
    yPercent: percent || undefined,
    logY: metas.every((m) => m.scale === 'log') || undefined,
  };
}

/** A run's charts: one per (series, declared group), in declaration order. */
export function groupCharts(store: MetricStore, maxCharts = 24): ChartSpec[] {
  const charts = new Map<string, StoredMetric[]>();
  const entries = [...store.metrics.values()].sort((a, b) => a.meta.order - b.meta.order);
  for (const m of entries) {
    const key = m.series + SEP + m.meta.group;
    if (!charts.has(key)) {
      if (charts.size >= maxCharts) continue;
      charts.set(key, []);
    }
    charts.get(key)!.push(m);
  }
  return [...charts].map(([key, ms]) => {
    const a = axes(ms[0].series, ms[0].meta.group, ms.map((m) => m.meta), store.table);
    return {
      id: `metric:${key.replace(SEP, '/')}`,
      ...a,
      smoothable: true,
      version: ms.reduce((v, m) => v + m.buffer.version, 0),
      series: ms.map((m) => {
        const p = m.buffer.points();
        const banded = m.meta.band && p.lo.some((v) => v !== null);
        return { name: m.meta.label, x: p.x, y: p.y, ...(banded ? { lo: p.lo, hi: p.hi } : {}) };
      }),
    };
  });
}

export interface ComparedRun {
  label: string;
  color: number;
  store: MetricStore;
}

/** A comparison's charts: one per (series, metric), each run a curve in its colour, grouped by declared group. */
export function overlayCharts(runs: ComparedRun[], maxCharts = 48): ChartSpec[] {
  const keys = new Map<string, { m: StoredMetric; table: MetricTable | undefined }>();
  for (const r of runs) {
    for (const [k, m] of r.store.metrics) if (!keys.has(k) || m.meta.order < keys.get(k)!.m.meta.order) keys.set(k, { m, table: r.store.table });
  }
  const ordered = [...keys].sort((a, b) => a[1].m.meta.order - b[1].m.meta.order).slice(0, maxCharts);
  return ordered.map(([key, { m: first, table }]) => ({
    id: `compare:${key.replace(SEP, '/')}`,
    ...axes(first.series, first.meta.label, [first.meta], table),
    group: first.meta.declared ? first.meta.group : 'Other',
    smoothable: true,
    version: runs.reduce((v, r) => v + (r.store.metrics.get(key)?.buffer.version ?? 0), 0),
    series: runs.flatMap((r) => {
      const m = r.store.metrics.get(key);
      if (!m) return [];
      const p = m.buffer.points();
      const banded = m.meta.band && p.lo.some((v) => v !== null);
      return [{ name: r.label, color: r.color, x: p.x, y: p.y, ...(banded ? { lo: p.lo, hi: p.hi } : {}) }];
    }),
  }));
}

export interface ComparedConfig {
  label: string;
  color: number;
  stores: MetricStore[];
}

/**
 * A comparison's charts with the runs of each configuration (seeds) drawn as one curve: the
 * mean over the runs that have a value at that step, and a band of ± one sample sd where two
 * or more do.
 */
export function aggregateCharts(configs: ComparedConfig[], maxCharts = 48): ChartSpec[] {
  const runs: ComparedRun[] = configs.flatMap((c) => c.stores.map((store) => ({ label: c.label, color: c.color, store })));
  return overlayCharts(runs, maxCharts).map((spec) => {
    const key = spec.id.replace(/^compare:/, '');
    const series = configs.flatMap((c) => {
      const curves = c.stores.map((s) => [...s.metrics].find(([k]) => k.replace(SEP, '/') === key)?.[1]).filter((m): m is StoredMetric => !!m);
      if (!curves.length) return [];
      const at = new Map<number, number[]>();
      for (const m of curves) {
        const p = m.buffer.points();
        p.x.forEach((x, i) => {
          const y = p.y[i];
          if (y === null) return;
          if (!at.has(x)) at.set(x, []);
          at.get(x)!.push(y);
        });
      }
      const xs = [...at.keys()].sort((a, b) => a - b);
      const stats = xs.map((x) => meanSd(at.get(x)!));
      return [{ name: `${c.label} (n = ${curves.length})`, color: c.color, x: xs, y: stats.map((s) => s.mean), lo: stats.map((s) => (s.sd === null ? null : s.mean - s.sd)), hi: stats.map((s) => (s.sd === null ? null : s.mean + s.sd)) }];
    });
    return { ...spec, id: `aggregate:${key}`, series };
  });
}

function meanSd(xs: number[]): { mean: number; sd: number | null } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: null };
  return { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) };
}
