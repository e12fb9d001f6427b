/**
 * Metric records → charts. One chart per series and quantity: values named `<prefix>_<quantity>`
 * share a chart with the same quantity (train_loss with val_loss, train_accuracy with
 * val_accuracy); values without a prefix share their series' chart. x is the record's step,
 * labelled "epoch" in the epoch series (the dense trainer numbers its epoch records from 1).
 */
import type { MetricRecord, XYTrace } from '../../kernel/protocol/types';

const MAX_CHARTS = 16;

/** The chart a value goes to within its series. */
export function chartKey(series: string, name: string): string {
  const i = name.lastIndexOf('_');
  return i > 0 && i < name.length - 1 ? `${series} · ${name.slice(i + 1)}` : series;
}

export function metricTraces(records: MetricRecord[]): Map<string, XYTrace> {
  const charts = new Map<string, Map<string, { x: number[]; y: number[] }>>();
  for (const r of records) {
    const series = r.series ?? 'metrics';
    for (const [name, v] of Object.entries(r.values)) {
      if (v === null || !Number.isFinite(v)) continue;
      const key = chartKey(series, name);
      let lines = charts.get(key);
      if (!lines) {
        if (charts.size >= MAX_CHARTS) continue;
        charts.set(key, (lines = new Map()));
      }
      let line = lines.get(name);
      if (!line) lines.set(name, (line = { x: [], y: [] }));
      line.x.push(r.step);
      line.y.push(v);
    }
  }
  const out = new Map<string, XYTrace>();
  for (const [key, lines] of charts) {
    const xLabel = key === 'epoch' || key.startsWith('epoch · ') ? 'epoch' : 'step';
    out.set(key, { type: 'xy', title: key, xLabel, series: [...lines].map(([name, l]) => ({ name, x: l.x, y: l.y })) });
  }
  return out;
}
