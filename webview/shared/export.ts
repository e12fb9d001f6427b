/** A chart's data as CSV (raw values, not smoothed; one row per point), free of the DOM. */
import type { ChartSpec } from './chart-spec';

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function chartCsv(spec: ChartSpec): string {
  if (spec.raster) {
    const { times, ids } = spec.raster;
    const rows = ['time,id'];
    for (let i = 0; i < times.length; i++) rows.push(`${times[i]},${ids[i]}`);
    return rows.join('\n') + '\n';
  }
  const band = spec.series.some((s) => s.lo);
  const x = spec.xLabel ?? 'x';
  const rows = [['series', x, ...(spec.xCategories ? ['category'] : []), spec.yLabel ?? 'y', ...(band ? ['lo', 'hi'] : [])].map(cell).join(',')];
  for (const s of spec.series) {
    for (let i = 0; i < s.x.length; i++) {
      rows.push([s.name, s.x[i], ...(spec.xCategories ? [spec.xCategories[s.x[i]] ?? ''] : []), s.y[i], ...(band ? [s.lo?.[i], s.hi?.[i]] : [])].map(cell).join(','));
    }
  }
  return rows.join('\n') + '\n';
}

/** A file name from a chart title. */
export function fileName(title: string, ext: string): string {
  return `${title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'chart'}.${ext}`;
}
