/**
 * Metric metadata: each experiment declares every metric it emits once (display name, unit,
 * chart group, scale, which way is better), and every view (run panel, comparison dashboard,
 * Runs view tooltips, `neurite show`) builds its charts and tables from that declaration, never
 * from the metric's name. Pure and DOM-free: the kernel, the extension and the webviews share it.
 *
 * A declared name may be a pattern: `out_{input}_GHz` matches `out_01_GHz` with input = "01",
 * and `{input}` in the label or group is replaced by what it matched. Exact names are tried
 * first, then the patterns in their declared order. A metric nobody declared is still shown:
 * under its raw name, on a chart of its own, linear.
 */

export interface MetricDecl {
  /** The emitted name, or a pattern in which `{part}` stands for any non-empty text. */
  name: string;
  /** What people call it ("validation loss"); may use the pattern's `{part}`s. */
  label: string;
  /** Its unit as written after a number ("GHz", "s", "µA", "steps/s"); absent for counts and ratios. */
  unit?: string;
  /** The chart and summary-table group it belongs to ("Loss"); metrics of a group share an axis. */
  group: string;
  /** Axis scale of its chart (default linear); a chart is logarithmic when all its metrics are. */
  scale?: 'linear' | 'log';
  /** Which way is better, for comparison tables; absent when neither is. */
  better?: 'higher' | 'lower';
  /** A fraction shown as a percentage (0.93 → 93 %). */
  percent?: boolean;
  /** The metric's interval: the names of its lower and upper bounds, drawn as a band around it. */
  band?: { lo: string; hi: string };
  /** One of the run's headline numbers (Runs view tooltip and description, first in tables). */
  key?: boolean;
}

/** A streamed series: `series` of a metric record (its x is the record's step). */
export interface SeriesDecl {
  /** Added to chart titles ("per epoch"). */
  label?: string;
  /** Title of the x axis ("epoch", "training step"). */
  x: string;
}

/** One experiment's declaration: one table, written next to the experiment. */
export interface MetricTable {
  /** The streamed series by name; a series not listed is titled by its name, x "step". */
  series?: Record<string, SeriesDecl>;
  metrics: MetricDecl[];
}

/** A metric's declaration with its pattern's parts filled in, or the fallback for an undeclared one. */
export interface MetricMeta {
  name: string;
  label: string;
  unit: string;
  group: string;
  scale: 'linear' | 'log';
  better?: 'higher' | 'lower';
  percent: boolean;
  band?: { lo: string; hi: string };
  key: boolean;
  /** False for a metric its experiment did not declare (shown by its raw name). */
  declared: boolean;
  /** Position of its declaration (undeclared: after all declared ones), for stable ordering. */
  order: number;
}

const partRe = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const patterns = new Map<string, { re: RegExp; names: string[] } | null>();

/** What a pattern's `{part}`s matched in `name` ({} for an exact match), or null when it does not match. */
export function matchName(pattern: string, name: string): Record<string, string> | null {
  if (pattern === name) return {};
  let p = patterns.get(pattern);
  if (p === undefined) {
    const names: string[] = [];
    const source = pattern
      .split(partRe)
      .map((piece, i) => (i % 2 ? (names.push(piece), '(.+?)') : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    p = names.length ? { re: new RegExp(`^${source}$`), names } : null;
    patterns.set(pattern, p);
  }
  const m = p && name.match(p.re);
  return m ? Object.fromEntries(p!.names.map((n, i) => [n, m[i + 1]])) : null;
}

function fill(text: string, found: Record<string, string>): string {
  return text.replace(partRe, (whole, part: string) => found[part] ?? whole);
}

/** The first of `keys` that `name` matches: an exact key before any pattern. */
function lookup<T>(entries: [string, T][], name: string): { value: T; index: number; found: Record<string, string> } | undefined {
  const exact = entries.findIndex(([k]) => k === name);
  if (exact >= 0) return { value: entries[exact][1], index: exact, found: {} };
  for (const [index, [k, value]] of entries.entries()) {
    const found = k.includes('{') ? matchName(k, name) : null;
    if (found) return { value, index, found };
  }
  return undefined;
}

/** The declaration of `name` in `table`, or the raw-name fallback. */
export function metricMeta(table: MetricTable | undefined, name: string): MetricMeta {
  const decls = table?.metrics ?? [];
  const hit = lookup(decls.map((d) => [d.name, d] as [string, MetricDecl]), name);
  if (!hit) return { name, label: name, unit: '', group: name, scale: 'linear', percent: false, key: false, declared: false, order: decls.length };
  const { value: d, found } = hit;
  return {
    name,
    label: fill(d.label, found),
    unit: d.unit ?? '',
    group: fill(d.group, found),
    scale: d.scale ?? 'linear',
    better: d.better,
    percent: d.percent ?? false,
    band: d.band && { lo: fill(d.band.lo, found), hi: fill(d.band.hi, found) },
    key: d.key ?? false,
    declared: true,
    order: hit.index,
  };
}

/** Names a table does not declare, in their order. */
export function undeclared(table: MetricTable | undefined, names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => !metricMeta(table, n).declared);
}

/** The x-axis title and chart-title suffix of a streamed series (keys may be patterns, like metric names). */
export function seriesMeta(table: MetricTable | undefined, series: string | undefined): { label: string; x: string } {
  const hit = series === undefined ? undefined : lookup(Object.entries(table?.series ?? {}), series);
  return { label: hit ? fill(hit.value.label ?? series!, hit.found) : (series ?? ''), x: hit ? fill(hit.value.x, hit.found) : 'step' };
}

/** A group of metrics as tables show them: the group's title and its metrics in declared order. */
export interface MetricGroup {
  group: string;
  metrics: MetricMeta[];
}

/**
 * Summary metrics grouped by their declared group: groups in the order of their first declared
 * member, metrics within a group in the order given (the order the experiment emitted them, so
 * one check's numbers stay together). Undeclared metrics share one "Other" group, last.
 */
export function groupMetrics(table: MetricTable | undefined, names: Iterable<string>): MetricGroup[] {
  const groups = new Map<string, { order: number; metrics: MetricMeta[] }>();
  for (const n of new Set(names)) {
    const m = metricMeta(table, n);
    const g = m.declared ? m.group : 'Other';
    const entry = groups.get(g) ?? { order: m.order, metrics: [] };
    entry.order = Math.min(entry.order, m.order);
    entry.metrics.push(m);
    groups.set(g, entry);
  }
  return [...groups].sort((a, b) => a[1].order - b[1].order).map(([group, e]) => ({ group, metrics: e.metrics }));
}

/** Names that are the band bounds of another metric present among `names` (tables show them with it). */
export function bandBounds(table: MetricTable | undefined, names: Iterable<string>): Set<string> {
  const all = new Set(names);
  const out = new Set<string>();
  for (const n of all) {
    const b = metricMeta(table, n).band;
    if (b && all.has(b.lo) && all.has(b.hi)) out.add(b.lo).add(b.hi);
  }
  return out;
}

/** The unit shown after a value: "%" for a percentage, else the declared unit. */
export function unitOf(meta: Pick<MetricMeta, 'unit' | 'percent'>): string {
  return meta.percent ? '%' : meta.unit;
}

/** A value as people read it: 4 significant digits, exponent form for tiny or huge numbers, with its unit. */
export function formatValue(v: number | null | undefined, meta?: Pick<MetricMeta, 'unit' | 'percent'>, withUnit = true): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const x = meta?.percent ? v * 100 : v;
  const unit = meta ? unitOf(meta) : '';
  return `${formatNumber(x)}${withUnit && unit ? `${unit === '%' ? '' : '\u202f'}${unit}` : ''}`;
}

/** 4 significant digits; integers as they are; exponent form below 1e-3 and from 1e6. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** Axis title of a chart of metrics: the group, with the unit they share. */
export function axisTitle(group: string, metas: Pick<MetricMeta, 'unit' | 'percent'>[]): string {
  const units = new Set(metas.map(unitOf));
  const unit = units.size === 1 ? [...units][0] : '';
  return unit ? `${group} (${unit})` : group;
}
