/**
 * The report of a richlazy.rnn sweep (samples/richlazy.neurite.yaml): per task and case (the
 * rank r, and the aligned pair), the final ‖ΔW_rec‖_F, representation and tangent-kernel
 * alignment and probe accuracy as mean ± sd over seeds; whether each measure is monotone in r
 * the way PAPERS.md §5 claims (higher rank: smaller ΔW, higher alignment), with the Welch
 * p-value of r = 1 against the largest r; the aligned init against the random one of the same
 * spectrum; and one figure: the three measures against r per task, and the kernel alignment
 * over training.
 *
 *   npm run bench -- richlazy-report <sweep folder>
 *
 * Writes bench/results/richlazy-report.json and bench/results/richlazy-trend.svg.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mean, variance, welch } from '../kernel/core/stats';
import { printTable, writeResults, type Row } from './_table';

interface Trial {
  task: string;
  name: string;
  rank: number;
  init: string;
  seed: number;
  metrics: Record<string, number>;
  curve: { step: number; kernelAlignment: number }[];
}

const measures = [
  { key: 'weight_change', label: '‖ΔW_rec‖_F', lazier: -1 },
  { key: 'rep_alignment', label: 'representation alignment', lazier: 1 },
  { key: 'kernel_alignment', label: 'tangent-kernel alignment', lazier: 1 },
] as const;

const sd = (xs: number[]) => (xs.length > 1 ? Math.sqrt(variance(xs)) : 0);
const pm = (xs: number[], digits = 3) => `${mean(xs).toFixed(digits)} ± ${sd(xs).toFixed(digits)}`;

function readTrials(sweepDir: string): Trial[] {
  const trials: Trial[] = [];
  const runsRoot = path.join(sweepDir, 'runs');
  for (const t of fs.readdirSync(runsRoot).sort()) {
    for (const r of fs.readdirSync(path.join(runsRoot, t)).sort().reverse()) {
      const dir = path.join(runsRoot, t, r);
      if (!fs.existsSync(path.join(dir, 'summary.json'))) continue;
      const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
      if (s.status !== 'completed' || s.kind !== 'richlazy.rnn') continue;
      const spec = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')).spec;
      trials.push({ task: spec.task, name: s.name, rank: spec.model.rank, init: spec.model.init, seed: s.seed, metrics: s.metrics, curve: s.result.curve });
      break;
    }
  }
  return trials;
}

/** One panel: series of (x, mean, sd) points on a log-x axis, or a plain x axis. */
function panel(o: { x: number; y: number; w: number; h: number; title: string; logX: boolean; floor?: number; xTicks: number[]; series: { name: string; color: string; dash?: string; points: { x: number; m: number; s: number }[] }[] }): string[] {
  const all = o.series.flatMap((s) => s.points.flatMap((p) => [p.m - p.s, p.m + p.s]));
  let [y0, y1] = [Math.min(...all), Math.max(...all)];
  const pad = (y1 - y0) * 0.08 || 0.05;
  [y0, y1] = [Math.max(o.floor ?? -Infinity, y0 - pad), y1 + pad];
  const fx = (v: number) => (o.logX ? Math.log10(v) : v);
  const [x0, x1] = [fx(Math.min(...o.xTicks)), fx(Math.max(...o.xTicks))];
  const px = (v: number) => o.x + 45 + ((fx(v) - x0) / (x1 - x0 || 1)) * (o.w - 60);
  const py = (v: number) => o.y + o.h - 30 - ((v - y0) / (y1 - y0)) * (o.h - 55);
  const clip = (v: number) => Math.max(y0, v); // error bars stop at the axis floor
  const out = [`<text x="${o.x + 45}" y="${o.y + 14}" font-size="13">${o.title}</text>`];
  for (let k = 0; k <= 4; k++) {
    const v = y0 + ((y1 - y0) * k) / 4;
    out.push(`<line x1="${o.x + 45}" x2="${o.x + o.w - 15}" y1="${py(v)}" y2="${py(v)}" stroke="#e4e4e4"/><text x="${o.x + 40}" y="${py(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text>`);
  }
  for (const t of o.xTicks) out.push(`<text x="${px(t)}" y="${o.y + o.h - 12}" text-anchor="middle">${t}</text>`);
  for (const s of o.series) {
    const pts = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.m).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    for (const p of s.points) {
      out.push(`<line x1="${px(p.x)}" x2="${px(p.x)}" y1="${py(clip(p.m - p.s))}" y2="${py(p.m + p.s)}" stroke="${s.color}"/><circle cx="${px(p.x)}" cy="${py(p.m)}" r="3" fill="${s.color}"/>`);
    }
  }
  return out;
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npm run bench -- richlazy-report <sweep folder>');
  const trials = readTrials(dir);
  const tasks = [...new Set(trials.map((t) => t.task))];
  const names = [...new Set(trials.map((t) => t.name))];
  const of = (task: string, name: string) => trials.filter((t) => t.task === task && t.name === name);
  const values = (ts: Trial[], key: string) => ts.map((t) => t.metrics[key]);

  const table: Row[] = [];
  for (const task of tasks)
    for (const name of names) {
      const ts = of(task, name);
      if (!ts.length) continue;
      table.push({ task, case: name, seeds: ts.length, weight_change: pm(values(ts, 'weight_change')), rep_alignment: pm(values(ts, 'rep_alignment')), kernel_alignment: pm(values(ts, 'kernel_alignment')), accuracy: pm(values(ts, 'accuracy')) });
    }
  printTable('richlazy.rnn: final values, mean ± sd over seeds', table);

  // The rank trend: random inits rescaled to ‖W₀‖_F (the cases named r<rank>).
  const rankCases = names.filter((n) => /^r\d+$/.test(n)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const ranks = rankCases.map((n) => Number(n.slice(1)));
  const trend: Row[] = [];
  for (const task of tasks)
    for (const m of measures) {
      const means = rankCases.map((n) => mean(values(of(task, n), m.key)));
      const monotone = means.every((v, i) => i === 0 || m.lazier * (v - means[i - 1]) > 0);
      const lo = values(of(task, rankCases[0]), m.key), hi = values(of(task, rankCases[rankCases.length - 1]), m.key);
      const w = lo.length > 1 && hi.length > 1 ? welch(hi, lo) : undefined;
      trend.push({ task, measure: m.label, ...Object.fromEntries(rankCases.map((n, i) => [n, means[i].toFixed(3)])), monotone_lazier: monotone ? 'yes' : 'no', lazier_at_top: m.lazier * (means[means.length - 1] - means[0]) > 0 ? 'yes' : 'no', p_welch: w ? w.p.toPrecision(2) : '' });
    }
  printTable(`Higher rank → lazier? (means over seeds at r = ${ranks.join(', ')}; p: Welch t-test of r = ${ranks[ranks.length - 1]} against r = ${ranks[0]})`, trend);

  // The aligned exception: the aligned init against the random one of the same spectrum.
  const alignedName = names.find((n) => n.startsWith('aligned'));
  const controlName = alignedName && names.find((n) => n.startsWith('random') && n.slice('random'.length) === alignedName.slice('aligned'.length));
  const aligned: Row[] = [];
  if (alignedName && controlName)
    for (const task of tasks)
      for (const m of measures) {
        const a = values(of(task, alignedName), m.key), c = values(of(task, controlName), m.key);
        if (!a.length || !c.length) continue;
        const w = a.length > 1 && c.length > 1 ? welch(a, c) : undefined;
        aligned.push({ task, measure: m.label, aligned: pm(a), random_same_spectrum: pm(c), lazier: m.lazier * (mean(a) - mean(c)) > 0 ? 'yes' : 'no', p_welch: w ? w.p.toPrecision(2) : '' });
      }
  printTable(`The aligned low-rank init (${alignedName}) against random directions with the same singular values (${controlName})`, aligned);

  // The figure: three measures against r (one line per task), and the kernel alignment over training.
  const colors = ['#1f77b4', '#d62728', '#2ca02c'];
  const shades = ['#fdae61', '#f46d43', '#d73027', '#a50026', '#74add1', '#313695']; // the bottom panel: r low → high, then the aligned pair
  const [W, H] = [1100, 640];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  measures.forEach((m, i) => {
    parts.push(...panel({ x: i * 360, y: 10, w: 360, h: 300, title: `${m.label} vs initial rank r`, logX: true, floor: 0, xTicks: ranks, series: tasks.map((task, k) => ({ name: task, color: colors[k], points: rankCases.map((n, j) => ({ x: ranks[j], m: mean(values(of(task, n), m.key)), s: sd(values(of(task, n), m.key)) })) })) }));
  });
  const curveTask = tasks[0];
  const curveCases = [...rankCases, ...(alignedName && controlName ? [controlName, alignedName] : [])];
  const curveSeries = curveCases.map((n, k) => {
    const ts = of(curveTask, n);
    const steps = ts[0]?.curve.map((c) => c.step) ?? [];
    return { name: n, color: shades[k % shades.length], dash: n.startsWith('random') ? '5,3' : n.startsWith('aligned') ? '2,2' : undefined, points: steps.map((s, j) => ({ x: s, m: mean(ts.map((t) => t.curve[j].kernelAlignment)), s: sd(ts.map((t) => t.curve[j].kernelAlignment)) })) };
  });
  const steps = curveSeries[0]?.points.map((p) => p.x) ?? [0];
  parts.push(...panel({ x: 0, y: 320, w: 720, h: 310, title: `tangent-kernel alignment over training, ${curveTask} (mean ± sd over seeds)`, logX: false, xTicks: steps, series: curveSeries }));
  const legend = [...tasks.map((t, k) => ({ name: `${t} (top row)`, color: colors[k], dash: undefined as string | undefined })), ...curveSeries.map((s) => ({ name: `${s.name} (bottom)`, color: s.color, dash: s.dash }))];
  legend.forEach((l, k) => parts.push(`<line x1="760" x2="790" y1="${350 + k * 20}" y2="${350 + k * 20}" stroke="${l.color}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/><text x="798" y="${354 + k * 20}">${l.name}</text>`));
  parts.push('</svg>');
  const svg = path.resolve(__dirname, '..', '..', 'bench', 'results', 'richlazy-trend.svg');
  fs.writeFileSync(svg, parts.join('\n') + '\n');
  console.log(`wrote ${path.relative(process.cwd(), svg)}`);
  writeResults('richlazy-report', { sweep: path.basename(dir), trials: trials.length, table, trend, aligned });
}

main();
