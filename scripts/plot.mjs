// Line charts as SVG files from what runs and sweeps wrote, for the README's figures:
//   node scripts/plot.mjs trace <run-dir> <trace-name> <out.svg> [--title T]
//       an xy trace of a run (traces/<name>.json): one line per series
//   node scripts/plot.mjs sweep <sweep-dir> <x-param> <metric> <out.svg> [--title T]
//       a sweep's table.json: for each name in the metric's `{a,b,…}` alternatives, the mean of
//       `<metric>` (with `{…}` replaced by the name) against the swept parameter, ± sd as bars;
//       e.g. mean_acc_{constant,random,homeostatic}
// --xlabel and --ylabel replace the axis titles.
// No dependencies: the SVG is written as text.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [mode, ...rest] = process.argv.slice(2);
const option = (name) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest.splice(i, 2)[1] : undefined;
};
const title = option('title');
const xLabel = option('xlabel');
const yLabel = option('ylabel');
const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

if (mode === 'trace' && rest.length === 3) {
  const [dir, name, out] = rest;
  const trace = JSON.parse(readFileSync(join(dir, 'traces', `${name}.json`), 'utf8'));
  writeFileSync(out, chart({ title: title ?? trace.title, xLabel: xLabel ?? trace.xLabel, yLabel: yLabel ?? trace.yLabel, series: trace.series }));
} else if (mode === 'sweep' && rest.length === 4) {
  const [dir, param, metric, out] = rest;
  const table = JSON.parse(readFileSync(join(dir, 'table.json'), 'utf8'));
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(metric);
  const names = m ? m[2].split(',') : [metric];
  const key = (n) => (m ? `${m[1]}${n}${m[3]}` : n);
  const rows = [...table.rows].sort((a, b) => a.overrides[param] - b.overrides[param]);
  const series = names.map((n) => ({
    name: n,
    x: rows.map((r) => r.overrides[param]),
    y: rows.map((r) => r.metrics[key(n)]?.mean ?? NaN),
    sd: rows.map((r) => r.metrics[key(n)]?.sd ?? 0),
  }));
  writeFileSync(out, chart({ title: title ?? `${metric} (mean ± sd over seeds)`, xLabel: xLabel ?? param, yLabel: yLabel ?? metric, series, points: true }));
} else {
  console.error('usage: node scripts/plot.mjs trace <run-dir> <trace-name> <out.svg> | sweep <sweep-dir> <x-param> <metric> <out.svg>  [--title T] [--xlabel X] [--ylabel Y]');
  process.exit(2);
}
console.log(`wrote ${rest[rest.length - 1]}`);

/** Round numbers for an axis from lo to hi (about 5 of them). */
function ticks(lo, hi) {
  if (hi === lo) return [lo];
  const step0 = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function label(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a !== 0 && a < 1e-2) return v.toExponential(1);
  return String(+v.toPrecision(3));
}

function esc(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function chart({ title, xLabel, yLabel, series, points = false }) {
  const W = 720, H = 400, L = 70, R = 150, T = 36, B = 52;
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.y.map((y, i) => [y - (s.sd?.[i] ?? 0), y + (s.sd?.[i] ?? 0)]).flat()).filter(Number.isFinite);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  for (const t of ticks(x0, x1)) parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${T}" y2="${H - B}" stroke="#eee"/><text x="${sx(t)}" y="${H - B + 16}" text-anchor="middle">${label(t)}</text>`);
  for (const t of ticks(y0, y1)) parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${L - 6}" y="${sy(t) + 4}" text-anchor="end">${label(t)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, k) => {
    const c = colors[k % colors.length];
    const pts = s.x.map((x, i) => [x, s.y[i]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    if (points) {
      s.x.forEach((x, i) => {
        const y = s.y[i], d = s.sd?.[i] ?? 0;
        if (!Number.isFinite(y)) return;
        parts.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${c}"/>`);
        if (d) parts.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${sy(y - d)}" y2="${sy(y + d)}" stroke="${c}"/>`);
      });
    }
    parts.push(`<line x1="${W - R + 12}" x2="${W - R + 32}" y1="${T + 14 + 18 * k}" y2="${T + 14 + 18 * k}" stroke="${c}" stroke-width="2"/><text x="${W - R + 38}" y="${T + 18 + 18 * k}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
