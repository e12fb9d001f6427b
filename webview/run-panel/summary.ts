/**
 * The run's summary as people read it: metrics grouped as the experiment declared them, each
 * with its name, value and unit (the raw key on hover), key metrics first in the header.
 */
import { bandBounds, formatValue, groupMetrics, metricMeta, type MetricTable } from '../../kernel/protocol/metrics';
import type { RunSummary } from '../../kernel/protocol/types';
import { duration, el } from '../shared/dom';

export function summaryTable(s: RunSummary, table: MetricTable | undefined): HTMLTableElement | undefined {
  const names = Object.keys(s.metrics);
  if (!names.length) return undefined;
  const t = el('table', { id: 'summary-metrics' });
  const partial = s.partial ? ' · stopped early: the last value of each streamed metric' : '';
  t.append(el('caption', {}, `${names.length} metrics · ${duration(s.durationMs)} · seed ${s.seed} · ${s.device}${partial}`));
  const bounds = bandBounds(table, names); // shown with the value they bound
  for (const g of groupMetrics(table, names.filter((n) => !bounds.has(n)))) {
    const body = el('tbody');
    const head = el('tr', { class: 'group' });
    head.append(el('th', { scope: 'rowgroup', colspan: '2' }, g.group));
    body.append(head);
    for (const m of g.metrics) {
      const row = el('tr');
      const band = m.band && bounds.has(m.band.lo) ? ` [${formatValue(s.metrics[m.band.lo], m, false)}, ${formatValue(s.metrics[m.band.hi], m, false)}]` : '';
      row.append(el('th', { scope: 'row', title: m.name }, m.label), el('td', { 'data-metric': m.name }, formatValue(s.metrics[m.name], m) + band));
      body.append(row);
    }
    t.append(body);
  }
  return t;
}

/** "test accuracy 97.12%" for each declared key metric the summary has. */
export function keyMetrics(metrics: Record<string, number | null>, table: MetricTable | undefined): string[] {
  return Object.keys(metrics)
    .map((n) => metricMeta(table, n))
    .filter((m) => m.key)
    .map((m) => `${m.label} ${formatValue(metrics[m.name], m)}`);
}
