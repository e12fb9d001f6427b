/**
 * Rich outputs of cells: a run, a chart, a table, an attribution, a waveform, each as JSON under
 * its MIME type plus a `text/plain` rendering (what Jupyter, GitHub and a terminal show). Kept
 * small: curves and traces are thinned, since a notebook file holds every output it shows.
 */
import * as path from 'path';
import { attributionOutput, NeuriteMime, type AttributionOutput, type CellOutput, type RunOutput, type TableOutput } from '../protocol/notebook';

export { attributionOutput };
import type { MetricRecord, RasterTrace, Trace, XYTrace } from '../protocol/types';
import { storedRecords } from '../runs/attribution';
import { readRunDetails } from '../runs/store';

/** Points kept per curve and spikes per raster in a saved output. */
export const MAX_POINTS = 400;
export const MAX_SPIKES = 20_000;

export function display(mime: string, payload: unknown, text: string, id?: string): CellOutput {
  return { type: 'display', data: { [mime]: payload, 'text/plain': text }, ...(id ? { id } : {}) };
}

/** Every `step`-th element, the last always kept. */
function thinIndex(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = n / max;
  const out: number[] = [];
  for (let k = 0; k < max - 1; k++) out.push(Math.floor(k * step));
  out.push(n - 1);
  return out;
}

export function thinTrace(t: Trace): Trace {
  if (t.type === 'raster') {
    const keep = thinIndex(t.times.length, MAX_SPIKES);
    return keep.length === t.times.length ? t : ({ ...t, times: keep.map((i) => t.times[i]), ids: keep.map((i) => t.ids[i]), title: `${t.title ?? 'raster'} (${MAX_SPIKES} of ${t.times.length} spikes)` } satisfies RasterTrace);
  }
  return {
    ...t,
    series: t.series.map((s) => {
      const keep = thinIndex(s.x.length, MAX_POINTS);
      if (keep.length === s.x.length) return s;
      const pick = (a?: number[]) => a && keep.map((i) => a[i]);
      return { ...s, x: pick(s.x)!, y: pick(s.y)!, lo: pick(s.lo), hi: pick(s.hi) };
    }),
  } satisfies XYTrace;
}

/** Metric records thinned per series, so curves keep their shape. */
export function thinRecords(records: MetricRecord[]): MetricRecord[] {
  const bySeries = new Map<string, MetricRecord[]>();
  for (const r of records) {
    const k = r.series ?? '';
    if (!bySeries.has(k)) bySeries.set(k, []);
    bySeries.get(k)!.push(r);
  }
  const keep = new Set<MetricRecord>();
  for (const list of bySeries.values()) for (const i of thinIndex(list.length, MAX_POINTS)) keep.add(list[i]);
  return records.filter((r) => keep.has(r));
}

/** "hidden0: 37/256 active · top n12 n201 n77" — the line inline hints and text outputs share. */
export function attributionLine(a: AttributionOutput, topN = 3): string {
  const layer = a.neuron ? `${a.neuron.layer}[${a.neuron.index}] → ${a.layer}` : a.layer;
  const active = a.fractionActive ? `${a.fractionActive.filter((f) => f > 0).length}/${a.units} active · ` : '';
  return `${layer} (${a.method}): ${active}top ${a.top.slice(0, topN).map((u) => `n${u}`).join(' ')}`;
}

export function attributionText(a: AttributionOutput): string {
  const rows = a.top.slice(0, 8).map((u) => `  n${u}: mean ${fmt(a.mean[u])} ${a.unit}, |mean| ${fmt(a.meanAbs[u])}`);
  return [`${attributionLine(a)} — ${a.definition} over ${a.items} items`, ...rows].join('\n');
}

/** A run folder as one output: summary, curves, traces, stored attributions. */
export function runOutput(dir: string): RunOutput {
  const d = readRunDetails(dir);
  const s = d.info.summary;
  let attributions: AttributionOutput[] = [];
  try {
    attributions = storedRecords(dir).map(({ record }) => attributionOutput(record, d.info.id));
  } catch {
    /* a record that fails validation is the attribution panel's to report; the run still shows */
  }
  return {
    run: {
      id: d.info.id,
      dir,
      kind: d.info.kind ?? 'unknown',
      name: d.info.name,
      status: d.info.status,
      durationMs: s?.durationMs,
      seed: s?.seed,
      device: s?.device,
      ...(s?.error ? { error: s.error } : {}),
    },
    metrics: s?.metrics ?? {},
    records: thinRecords(d.metrics),
    traces: Object.fromEntries(Object.entries(d.traces as Record<string, Trace>).map(([k, t]) => [k, thinTrace(t)])),
    attributions,
  };
}

export function runText(r: RunOutput): string {
  const head = `${r.run.id} · ${r.run.kind} · ${r.run.status}${r.run.durationMs !== undefined ? ` · ${(r.run.durationMs / 1000).toFixed(1)} s` : ''}`;
  const metrics = Object.entries(r.metrics).map(([k, v]) => `  ${k}: ${v === null ? '—' : fmt(v)}`);
  const traces = Object.keys(r.traces).length ? [`  traces: ${Object.keys(r.traces).join(', ')}`] : [];
  const attr = r.attributions.map((a) => `  ${attributionLine(a)}`);
  return [head, ...(r.run.error ? [`  error: ${r.run.error}`] : []), ...metrics, ...traces, ...attr].join('\n');
}

export function runDisplay(dir: string): CellOutput {
  const r = runOutput(dir);
  return display(NeuriteMime.run, r, runText(r));
}

export function tableText(t: TableOutput): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map((v) => (v === null ? '—' : typeof v === 'number' ? fmt(v) : String(v))))];
  const w = t.columns.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => c.padEnd(w[j])).join('  ').trimEnd();
  return [...(t.caption ? [t.caption] : []), line(cells[0]), line(w.map((n) => '-'.repeat(n))), ...cells.slice(1).map(line)].join('\n');
}

/** Rows of plain objects as a table (columns: every key, in first-seen order). */
export function tableFromObjects(rows: Record<string, unknown>[], caption?: string): TableOutput {
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const cell = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v));
  return { ...(caption ? { caption } : {}), columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))) };
}

export function chartText(t: Trace): string {
  if (t.type === 'raster') return `${t.title ?? 'raster'}: ${t.times.length} spikes of ${new Set(t.ids).size} neurons`;
  const series = t.series.map((s) => `${s.name} (${s.x.length} points, y ${fmt(Math.min(...(s.y.filter((v) => v !== null) as number[])))}…${fmt(Math.max(...(s.y.filter((v) => v !== null) as number[])))})`);
  return `${t.title ?? 'chart'}: ${series.join(', ')}`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(4) : String(Number(v.toPrecision(5)));
}

/** `dir` relative to the workspace when inside it (shorter in saved outputs). */
export function shortDir(dir: string, workspace: string): string {
  const rel = path.relative(workspace, dir);
  return rel.startsWith('..') ? dir : rel;
}
