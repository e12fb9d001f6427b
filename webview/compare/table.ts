/**
 * The comparison's summary table: a row per configuration (mean ± sd over its completed runs
 * when it has several) or per run, a column per summary metric grouped as declared, with units;
 * sortable by any column (click or Enter on its header), best value of a column marked when the
 * metric declares which way is better.
 */
import { formatNumber, formatValue, groupMetrics, unitOf, type MetricMeta, type MetricTable } from '../../kernel/protocol/metrics';
import type { CompareModel } from '../../kernel/protocol/panels';
import { el } from '../shared/dom';
import { color } from '../shared/palette';

export interface Sort {
  column: string;
  descending: boolean;
}

interface Row {
  key: string;
  label: string;
  colors: number[];
  /** A run id when the row is one run (its label opens it). */
  run?: string;
  n: number;
  status?: string;
  values: Record<string, { mean: number | null; sd: number | null; n: number }>;
}

function rows(model: CompareModel, perRun: boolean): Row[] {
  if (perRun) {
    return model.runs.map((r) => ({
      key: r.id,
      label: r.label,
      colors: [r.color],
      run: r.id,
      n: 1,
      status: r.status,
      values: Object.fromEntries(Object.entries(r.summary).map(([k, v]) => [k, { mean: v, sd: null, n: v === null ? 0 : 1 }])),
    }));
  }
  return model.configs.map((c, i) => ({
    key: `config-${i}`,
    label: c.label,
    colors: c.runs.map((j) => model.runs[j].color),
    run: c.runs.length === 1 ? model.runs[c.runs[0]].id : undefined,
    n: c.runs.length,
    status: c.runs.length === 1 ? model.runs[c.runs[0]].status : undefined,
    values: c.stats,
  }));
}

function cellText(v: { mean: number | null; sd: number | null; n: number } | undefined, meta: MetricMeta): string {
  if (!v || v.mean === null) return '—';
  if (v.sd === null) return formatValue(v.mean, meta, false);
  const sd = meta.percent ? v.sd * 100 : v.sd;
  return `${formatValue(v.mean, meta, false)} ± ${formatNumber(Number(sd.toPrecision(2)))}`;
}

/** The table element; `onSort` and `onOpen` are called with the user's choices. */
export function summaryTable(
  model: CompareModel,
  table: MetricTable | undefined,
  opts: { perRun: boolean; sort?: Sort; onSort(s: Sort): void; onOpen(run: string): void },
): HTMLTableElement {
  const names = [...new Set(model.runs.flatMap((r) => Object.keys(r.summary)))];
  const groups = groupMetrics(table, names);
  const metas = groups.flatMap((g) => g.metrics);
  let data = rows(model, opts.perRun);
  const sort = opts.sort;
  if (sort) {
    const value = (r: Row) => (sort.column === 'label' ? r.label : r.values[sort.column]?.mean ?? null);
    data = [...data].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1; // empty cells last either way
      const c = typeof va === 'string' ? va.localeCompare(String(vb), undefined, { numeric: true }) : va - (vb as number);
      return sort.descending ? -c : c;
    });
  }
  const best = new Map<string, number>();
  for (const m of metas) {
    if (!m.better) continue;
    const vs = data.map((r) => r.values[m.name]?.mean).filter((v): v is number => typeof v === 'number');
    if (vs.length > 1) best.set(m.name, m.better === 'higher' ? Math.max(...vs) : Math.min(...vs));
  }

  const t = el('table', { id: 'compare-summary' });
  t.append(el('caption', {}, opts.perRun ? `${data.length} runs` : `${data.length} configurations of ${model.runs.length} runs · mean ± sd over completed runs`));
  const head = el('thead');
  const groupRow = el('tr', { class: 'groups' });
  groupRow.append(el('td', { colspan: '2' }));
  for (const g of groups) groupRow.append(el('th', { scope: 'colgroup', colspan: String(g.metrics.length) }, g.group));
  const colRow = el('tr');
  const sortable = (key: string, text: string, title: string) => {
    const th = el('th', { scope: 'col', 'data-column': key, title });
    const active = sort?.column === key;
    th.setAttribute('aria-sort', active ? (sort!.descending ? 'descending' : 'ascending') : 'none');
    const b = el('button', { type: 'button', class: 'sort' }, `${text}${active ? (sort!.descending ? ' ▾' : ' ▴') : ''}`);
    b.addEventListener('click', () => opts.onSort({ column: key, descending: active ? !sort!.descending : key !== 'label' }));
    th.append(b);
    return th;
  };
  colRow.append(sortable('label', opts.perRun ? 'run' : 'configuration', 'Sort by name'), el('th', { scope: 'col' }, 'n'));
  for (const m of metas) {
    const unit = unitOf(m);
    colRow.append(sortable(m.name, unit ? `${m.label} (${unit})` : m.label, `${m.name}${m.better ? ` (${m.better} is better)` : ''}`));
  }
  head.append(groupRow, colRow);
  const body = el('tbody');
  for (const r of data) {
    const tr = el('tr', { 'data-row': r.key });
    const name = el('th', { scope: 'row' });
    for (const c of r.colors.slice(0, 12)) {
      const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      sw.style.background = color(c);
      name.append(sw);
    }
    if (r.run) {
      const b = el('button', { type: 'button', class: 'link', title: `Open ${r.run}` }, r.label);
      b.addEventListener('click', () => opts.onOpen(r.run!));
      name.append(b);
    } else name.append(el('span', {}, r.label));
    if (r.status && r.status !== 'completed') name.append(el('span', { class: `status ${r.status}` }, r.status));
    tr.append(name, el('td', {}, String(r.n)));
    for (const m of metas) {
      const v = r.values[m.name];
      const td = el('td', { 'data-metric': m.name }, cellText(v, m));
      if (v?.mean !== null && v?.mean !== undefined && best.get(m.name) === v.mean) td.classList.add('best');
      tr.append(td);
    }
    body.append(tr);
  }
  t.append(head, body);
  return t;
}

/** The resolved-spec diff: a row per differing path, a column per run. */
export function diffTable(model: CompareModel): HTMLElement {
  const wrap = el('div', { class: 'scroll' });
  if (model.diff.length === 0) {
    wrap.append(el('p', {}, `The runs' resolved specs are identical (${model.same} parameters).`));
    return wrap;
  }
  const t = el('table', { id: 'compare-diff' });
  t.append(el('caption', {}, `${model.diff.length} parameters differ; ${model.same} are the same in every run`));
  const head = el('tr');
  head.append(el('th', { scope: 'col' }, 'parameter'));
  for (const r of model.runs) {
    const th = el('th', { scope: 'col', title: r.id });
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = color(r.color);
    th.append(sw, r.id);
    head.append(th);
  }
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const d of model.diff) {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row' }, d.path));
    for (const v of d.values) tr.append(el('td', {}, v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v)));
    t.tBodies[0].append(tr);
  }
  wrap.append(t);
  return wrap;
}
