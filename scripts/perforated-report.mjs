// The dendrite.perforated comparison from a finished sweep's table (README "dendrite.perforated"):
//   node scripts/perforated-report.mjs <sweep-dir>… [--svg FILE]
// Reads each <sweep-dir>/table.json (what `neurite sweep` writes; several sweeps of the same
// spec merge, e.g. an ablation swept apart), prints a Markdown table per data fraction and
// width — plain, perforated and wide test accuracy (mean ± sd over seeds), parameter counts,
// cycles, and the remaining-error reduction of perforated and wide against plain; other cases
// (an ablation) in the last column — and with --svg draws test accuracy against parameters (one
// panel per data fraction).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const svgAt = argv.indexOf('--svg');
const dirs = svgAt >= 0 ? argv.filter((_, i) => i !== svgAt && i !== svgAt + 1) : argv;
if (!dirs.length) {
  console.error('usage: node scripts/perforated-report.mjs <sweep-dir>… [--svg FILE]');
  process.exit(2);
}
const tables = dirs.map((dir) => JSON.parse(readFileSync(join(dir, 'table.json'), 'utf8')));
for (const [i, t] of tables.entries()) if (t.kind !== 'dendrite.perforated') throw new Error(`${dirs[i]}: a ${t.kind} sweep, not dendrite.perforated`);
// A value the sweep does not vary is the base spec's (sweep.json beside table.json), so rows of
// sweeps that vary different fields still line up.
const table = {
  rows: tables.flatMap((t, i) => {
    const base = JSON.parse(readFileSync(join(dirs[i], 'sweep.json'), 'utf8')).base;
    const fixed = { 'data.fraction': base.data?.fraction ?? 1, 'model.hidden': base.model?.hidden ?? [16] };
    return t.rows.map((r) => ({ ...r, overrides: { ...fixed, ...r.overrides } }));
  }),
};

// One entry per (case, hidden, fraction, other swept values): the table's rows.
const label = (r) => r.overrides.name ?? (r.overrides['model.widenTo'] ? 'wide' : JSON.stringify(r.overrides['model.perforate']) === '[]' ? 'plain' : 'perforated');
const key = (r) => JSON.stringify(Object.entries(r.overrides).filter(([k]) => !['name', 'model.perforate', 'model.widenTo', 'dendrites.learning'].includes(k)).sort());
const groups = new Map();
for (const r of table.rows) {
  const k = key(r);
  if (!groups.has(k)) groups.set(k, { overrides: r.overrides, cases: {} });
  groups.get(k).cases[label(r)] = r.metrics;
}
const m = (c, name) => c?.[name]?.mean ?? NaN;
const pm = (c, name, scale = 100, digits = 2) => (c?.[name]?.mean == null ? '—' : `${(scale * c[name].mean).toFixed(digits)}${c[name].sd == null ? '' : ` ± ${(scale * c[name].sd).toFixed(digits)}`}`);
const reduction = (a, plain) => (1 - (1 - a) / (1 - plain)) * 100;
const rows = [...groups.values()].sort((a, b) => (a.overrides['data.fraction'] ?? 1) - (b.overrides['data.fraction'] ?? 1) || String(a.overrides['model.hidden']).localeCompare(String(b.overrides['model.hidden']), undefined, { numeric: true }));

const head = ['data', 'h', 'plain acc %', 'perforated acc %', 'wide acc %', 'params plain / perforated / wide', 'cycles', 'error reduction perforated (paired)', 'error reduction wide', 'other'];
console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const g of rows) {
  const { plain, perforated, wide } = g.cases;
  const others = Object.entries(g.cases).filter(([n]) => !['plain', 'perforated', 'wide'].includes(n));
  const cells = [
    `${100 * (g.overrides['data.fraction'] ?? 1)}%`,
    JSON.stringify(g.overrides['model.hidden'] ?? ''),
    pm(plain, 'test_accuracy'),
    pm(perforated, 'test_accuracy'),
    pm(wide, 'test_accuracy'),
    [plain, perforated, wide].map((c) => (Number.isNaN(m(c, 'parameters')) ? '—' : Math.round(m(c, 'parameters')))).join(' / '),
    pm(perforated, 'cycles', 1, 1),
    `${reduction(m(perforated, 'test_accuracy'), m(plain, 'test_accuracy')).toFixed(1)}% (${pm(perforated, 'error_reduction', 100, 1)}%)`,
    `${reduction(m(wide, 'test_accuracy'), m(plain, 'test_accuracy')).toFixed(1)}%`,
    others.map(([n, c]) => `${n}: ${pm(c, 'test_accuracy')}% (${Math.round(m(c, 'parameters'))} params, ${pm(c, 'cycles', 1, 1)} cycles)`).join('; ') || '',
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

if (svgAt >= 0) writeFileSync(argv[svgAt + 1], svg(rows));

/** Test accuracy (mean ± sd) against parameters, log x, one panel per data fraction. */
function svg(groups) {
  const fractions = [...new Set(groups.map((g) => g.overrides['data.fraction'] ?? 1))];
  const [W, H, pad] = [380, 280, { l: 58, r: 44, t: 28, b: 40 }];
  // The cases the README's sweeps name (wide1/wide2: widened to 1 or 2 sets' parameters; gradient: the ablation).
  const styles = {
    plain: { color: '#1f77b4', shape: 'circle' },
    perforated: { color: '#d62728', shape: 'triangle' },
    gradient: { color: '#ff7f0e', shape: 'triangle' },
    wide: { color: '#2ca02c', shape: 'square' },
    wide1: { color: '#98df8a', shape: 'square' },
    wide2: { color: '#17becf', shape: 'square' },
  };
  const parts = [];
  fractions.forEach((f, i) => {
    const mine = groups.filter((g) => (g.overrides['data.fraction'] ?? 1) === f);
    const pts = mine.flatMap((g) => Object.entries(styles).flatMap(([name]) => (g.cases[name] ? [{ name, x: m(g.cases[name], 'parameters'), y: m(g.cases[name], 'test_accuracy'), sd: g.cases[name].test_accuracy.sd ?? 0, h: g.overrides['model.hidden'] }] : [])));
    const xs = pts.map((p) => Math.log10(p.x));
    const ys = pts.flatMap((p) => [p.y - p.sd, p.y + p.sd]);
    const [x0, x1, y0, y1] = [Math.min(...xs) - 0.05, Math.max(...xs) + 0.05, Math.min(...ys) - 0.005, Math.max(...ys) + 0.005];
    const X = (v) => i * W + pad.l + ((Math.log10(v) - x0) / (x1 - x0)) * (W - pad.l - pad.r);
    const Y = (v) => pad.t + (1 - (v - y0) / (y1 - y0)) * (H - pad.t - pad.b);
    parts.push(`<text x="${i * W + W / 2}" y="16" text-anchor="middle" font-size="13">${100 * f}% of the training data</text>`);
    parts.push(`<line x1="${i * W + pad.l}" y1="${H - pad.b}" x2="${(i + 1) * W - pad.r}" y2="${H - pad.b}" stroke="#444"/><line x1="${i * W + pad.l}" y1="${pad.t}" x2="${i * W + pad.l}" y2="${H - pad.b}" stroke="#444"/>`);
    for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) parts.push(`<text x="${X(10 ** e)}" y="${H - pad.b + 14}" text-anchor="middle" font-size="10">1e${e}</text>`);
    for (let t = 0; t <= 4; t++) {
      const v = y0 + ((y1 - y0) * t) / 4;
      parts.push(`<text x="${i * W + pad.l - 4}" y="${Y(v) + 3}" text-anchor="end" font-size="10">${(100 * v).toFixed(1)}</text>`);
    }
    parts.push(`<text x="${i * W + W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">parameters</text>`);
    parts.push(`<text transform="translate(${i * W + 14},${H / 2}) rotate(-90)" text-anchor="middle" font-size="11">test accuracy %</text>`);
    for (const name of Object.keys(styles)) {
      const line = pts.filter((p) => p.name === name).sort((a, b) => a.x - b.x);
      if (line.length > 1) parts.push(`<polyline fill="none" stroke="${styles[name].color}" stroke-opacity="0.4" points="${line.map((p) => `${X(p.x)},${Y(p.y)}`).join(' ')}"/>`);
    }
    for (const p of pts) {
      const { color, shape } = styles[p.name];
      const [cx, cy] = [X(p.x), Y(p.y)];
      parts.push(`<line x1="${cx}" y1="${Y(p.y - p.sd)}" x2="${cx}" y2="${Y(p.y + p.sd)}" stroke="${color}"/>`);
      parts.push(shape === 'circle' ? `<circle cx="${cx}" cy="${cy}" r="4" fill="${color}"/>` : shape === 'square' ? `<rect x="${cx - 4}" y="${cy - 4}" width="8" height="8" fill="${color}"/>` : `<path d="M${cx},${cy - 5} L${cx + 5},${cy + 4} L${cx - 5},${cy + 4} Z" fill="${color}"/>`);
      parts.push(`<text x="${cx + 6}" y="${cy - 5}" font-size="9" fill="${color}">h=${[p.h].flat().join(',')}</text>`);
    }
  });
  const legend = Object.entries(styles).map(([name, s], k) => `<text x="${pad.l + 10 + k * 92}" y="${H + 16}" font-size="12" fill="${s.color}">${{ circle: '●', triangle: '▲', square: '■' }[s.shape]} ${name}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * fractions.length}" height="${H + 24}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${parts.join('')}${legend}<text x="${W * fractions.length - 6}" y="${H + 16}" text-anchor="end" font-size="10">mean ± sd over seeds</text></svg>\n`;
}
