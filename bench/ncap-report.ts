/**
 * The report of an ncap.swimmer sweep (samples/ncap-swimmer.neurite.yaml): one chart of the
 * learning curves of every controller (mean ± sd over seeds, against training episodes: the
 * same budget for all), and tables of parameters, return at initialisation, final return and
 * zero-shot transfer, each as mean ± sd over the seeds of the completed trials.
 *
 *   npm run bench -- ncap-report .neurite/sweeps/<sweep folder>
 *
 * Writes <sweep>/ncap-report.json (the chart as an xy trace, and the tables), <sweep>/ncap-curves.svg,
 * and bench/results/ncap-report.json and ncap-curves.svg.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mean, variance } from '../kernel/core/stats';
import type { XYTrace } from '../kernel/protocol/types';
import { printTable, writeResults, type Row } from './_table';

interface Trial {
  label: string;
  seed: number;
  parameters: number;
  atInit: number;
  final: number;
  curve: { episodes: number; current: number }[];
  transfer: { links: number; mean: number }[];
}

const sd = (xs: number[]) => (xs.length > 1 ? Math.sqrt(variance(xs)) : 0);
const pm = (xs: number[]) => `${mean(xs).toFixed(1)} ± ${sd(xs).toFixed(1)}`;

function readTrials(sweepDir: string): Trial[] {
  const trials: Trial[] = [];
  const runsRoot = path.join(sweepDir, 'runs');
  for (const t of fs.readdirSync(runsRoot).sort()) {
    const runs = fs.readdirSync(path.join(runsRoot, t)).sort();
    for (const r of runs.reverse()) {
      const file = path.join(runsRoot, t, r, 'summary.json');
      if (!fs.existsSync(file)) continue;
      const s = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (s.status !== 'completed' || s.kind !== 'ncap.swimmer') continue;
      const res = s.result;
      trials.push({ label: res.label, seed: s.seed, parameters: res.parameters, atInit: res.atInit.mean, final: res.final.mean, curve: res.curve, transfer: res.transfer });
      break;
    }
  }
  return trials;
}

function chart(trace: XYTrace): string {
  const [W, H, L, R, T, B] = [780, 420, 60, 220, 30, 45];
  const xs = trace.series.flatMap((s) => s.x), ys = trace.series.flatMap((s) => [...(s.lo ?? s.y), ...(s.hi ?? s.y)]);
  const [x0, x1, y0, y1] = [0, Math.max(...xs), Math.min(0, ...ys), Math.max(1000, ...ys)];
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${L}" y="18" font-size="14">${trace.title}</text>`];
  for (let v = 0; v <= 1000; v += 200) parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/><text x="${L - 6}" y="${py(v) + 4}" text-anchor="end">${v}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = Math.round((x1 * k) / 4);
    parts.push(`<text x="${px(v)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${trace.xLabel}</text>`, `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">${trace.yLabel}</text>`);
  trace.series.forEach((s, i) => {
    const c = colors[i % colors.length];
    if (s.lo && s.hi) parts.push(`<polygon fill="${c}" fill-opacity="0.15" points="${[...s.x.map((x, k) => `${px(x)},${py(s.hi![k])}`), ...s.x.map((x, k) => `${px(x)},${py(s.lo![k])}`).reverse()].join(' ')}"/>`);
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.x.map((x, k) => `${px(x)},${py(s.y[k])}`).join(' ')}"/>`);
    parts.push(`<rect x="${W - R + 12}" y="${T + 18 * i}" width="14" height="3" fill="${c}"/><text x="${W - R + 32}" y="${T + 18 * i + 5}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function main() {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(path.join(dir, 'runs'))) {
    console.error('usage: npm run bench -- ncap-report <sweep folder> (e.g. .neurite/sweeps/ncap-swimmer-…)');
    process.exit(2);
  }
  const trials = readTrials(dir);
  const labels = [...new Set(trials.map((t) => t.label))];
  const byLabel = (l: string) => trials.filter((t) => t.label === l);
  const series: XYTrace['series'] = labels.map((l) => {
    const ts = byLabel(l);
    const n = Math.min(...ts.map((t) => t.curve.length));
    const x = ts[0].curve.slice(0, n).map((p) => p.episodes);
    // at 0 episodes, the return at initialisation; then the current parameters after each generation
    const points = [{ x: 0, v: ts.map((t) => t.atInit) }, ...x.map((e, k) => ({ x: e, v: ts.map((t) => t.curve[k].current) }))];
    return { name: `${l} (${ts.length} seeds)`, x: points.map((p) => p.x), y: points.map((p) => mean(p.v)), lo: points.map((p) => mean(p.v) - sd(p.v)), hi: points.map((p) => mean(p.v) + sd(p.v)) };
  });
  const trace: XYTrace = { type: 'xy', title: 'ES learning curves, 6-link swimmer (mean ± sd over seeds)', xLabel: 'training episodes', yLabel: 'episode return (max 1000)', series };
  const summary: Row[] = labels.map((l) => {
    const ts = byLabel(l);
    return { controller: l, seeds: ts.map((t) => t.seed).join(','), parameters: ts[0].parameters, 'return at init': pm(ts.map((t) => t.atInit)), 'final return': pm(ts.map((t) => t.final)), 'training episodes': ts[0].curve.at(-1)?.episodes ?? 0 };
  });
  const transfer: Row[] = labels
    .filter((l) => byLabel(l)[0].transfer.length)
    .flatMap((l) => byLabel(l)[0].transfer.map(({ links }) => ({ controller: l, links, return: pm(byLabel(l).map((t) => t.transfer.find((r) => r.links === links)!.mean)) })));
  printTable('ncap.swimmer sweep: returns over 1000 control steps (max 1000), mean ± sd over seeds', summary);
  printTable('zero-shot transfer of the trained 6-link NCAP (mean ± sd over seeds)', transfer);
  fs.writeFileSync(path.join(dir, 'ncap-report.json'), JSON.stringify({ trace, summary, transfer }, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'ncap-curves.svg'), chart(trace));
  fs.copyFileSync(path.join(dir, 'ncap-curves.svg'), path.resolve(__dirname, '..', '..', 'bench', 'results', 'ncap-curves.svg'));
  console.log(`\nwrote ${path.join(dir, 'ncap-report.json')}, ${path.join(dir, 'ncap-curves.svg')} and bench/results/ncap-curves.svg`);
  writeResults('ncap-report', { sweep: path.basename(path.resolve(dir)), summary, transfer, trace });
}

main();
