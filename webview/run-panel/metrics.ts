/** Metric records → one curve set per series: x = step, one line per value name. */
import type { MetricRecord, XYTrace } from '../../kernel/protocol/types';

const MAX_CHARTS = 12;

export function metricTraces(records: MetricRecord[]): Map<string, XYTrace> {
  const bySeries = new Map<string, Map<string, { x: number[]; y: number[] }>>();
  for (const r of records) {
    const key = r.series ?? 'metrics';
    let lines = bySeries.get(key);
    if (!lines) {
      if (bySeries.size >= MAX_CHARTS) continue;
      bySeries.set(key, (lines = new Map()));
    }
    for (const [name, v] of Object.entries(r.values)) {
      if (v === null || !Number.isFinite(v)) continue;
      let line = lines.get(name);
      if (!line) lines.set(name, (line = { x: [], y: [] }));
      line.x.push(r.step);
      line.y.push(v);
    }
  }
  const out = new Map<string, XYTrace>();
  for (const [key, lines] of bySeries) {
    out.set(key, { type: 'xy', title: key, xLabel: 'step', series: [...lines].map(([name, l]) => ({ name, x: l.x, y: l.y })) });
  }
  return out;
}
