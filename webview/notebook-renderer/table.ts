/** A table widget: caption, header row, one row per entry; numbers right-aligned in the editor font. */
import type { TableOutput } from '../../kernel/protocol/notebook';
import { compact } from '../shared/charts';

export function table(parent: HTMLElement, t: TableOutput, opts: { maxRows?: number; className?: string } = {}): HTMLTableElement {
  const el = document.createElement('table');
  el.className = `nn-table ${opts.className ?? ''}`.trim();
  if (t.caption) el.createCaption().textContent = t.caption;
  const head = el.createTHead().insertRow();
  for (const c of t.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
  }
  const body = el.createTBody();
  const shown = opts.maxRows && t.rows.length > opts.maxRows ? t.rows.slice(0, opts.maxRows) : t.rows;
  for (const r of shown) {
    const row = body.insertRow();
    r.forEach((v, j) => {
      const cell = j === 0 ? document.createElement('th') : document.createElement('td');
      if (j === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = v === null ? '—' : typeof v === 'number' ? compact(v) : String(v);
      if (typeof v === 'number') cell.className = 'num';
      row.append(cell);
    });
  }
  parent.append(el);
  if (shown.length < t.rows.length) {
    const more = document.createElement('p');
    more.className = 'nn-more';
    more.textContent = `${t.rows.length - shown.length} more rows`;
    parent.append(more);
  }
  return el;
}
