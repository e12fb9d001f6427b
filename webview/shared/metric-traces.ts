/**
 * Metric records → plain x/y traces, one per declared chart group and series (the grouping of
 * the run panel's charts, kernel/protocol/metrics.ts), for views that draw simple charts (the
 * notebook renderer). Without a declaration each metric gets a chart of its own: nothing is
 * grouped by splitting names.
 */
import { metricMeta, seriesMeta, type MetricTable } from '../../kernel/protocol/metrics';
import type { MetricRecord, XYTrace } from '../../kernel/protocol/types';

const MAX_CHARTS = 16;

export function metricTraces(records: MetricRecord[], table?: MetricTable): Map<string, XYTrace> {
  const charts = new Map<string, { title: string; x: string; lines: Map<string, { x: number[]; y: number[] }> }>();
  for (const r of records) {
    const s = seriesMeta(table, r.series);
    for (const [name, v] of Object.entries(r.values)) {
      if (v === null || !Number.isFinite(v)) continue;
      const m = metricMeta(table, name);
      const key = `${r.series ?? ''}/${m.group}`;
      let chart = charts.get(key);
      if (!chart) {
        if (charts.size >= MAX_CHARTS) continue;
        charts.set(key, (chart = { title: s.label ? `${m.group} · ${s.label}` : m.group, x: s.x, lines: new Map() }));
      }
      let line = chart.lines.get(m.label);
      if (!line) chart.lines.set(m.label, (line = { x: [], y: [] }));
      line.x.push(r.step);
      line.y.push(m.percent ? v * 100 : v);
    }
  }
  const out = new Map<string, XYTrace>();
  for (const [key, c] of charts) out.set(key, { type: 'xy', title: c.title, xLabel: c.x, series: [...c.lines].map(([name, l]) => ({ name, x: l.x, y: l.y })) });
  return out;
}
