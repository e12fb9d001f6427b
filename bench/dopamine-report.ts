/**
 * The report of a gating.dopamine sweep (samples/dopamine.neurite.yaml): the four-method table
 * (trainable parameters, accuracy on rotated and upright test digits, the change on rotated
 * digits against the frozen base, the active fraction per layer with hard gates, the soft-vs-hard
 * gap) as mean ± sd over the seeds of the completed trials; the Dopamine gates per layer (how
 * often they are open for rotated and for upright digits, how many units they turn off for
 * rotated digits that fire for upright ones, the gains); and a chart of one trial's gates.
 *
 *   npm run bench -- dopamine-report .neurite/sweeps/<sweep folder>
 *
 * Writes <sweep>/dopamine-report.json and dopamine-gates.svg, and bench/results/dopamine-report.json
 * and dopamine-gates.svg.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mean, variance } from '../kernel/core/stats';
import type { XYTrace } from '../kernel/protocol/types';
import type { GateLayerReport } from '../kernel/models/gating/report';
import { printTable, writeResults, type Row } from './_table';

interface Trial {
  method: string;
  seed: number;
  dir: string;
  metrics: Record<string, number>;
  gates: GateLayerReport[];
}

const order = ['frozen', 'dopamine', 'lora', 'bias'];
const names: Record<string, string> = { frozen: 'frozen base', dopamine: 'Dopamine (τ, γ per unit)', lora: 'LoRA r = 4', bias: 'bias-only' };
const sd = (xs: number[]) => (xs.length > 1 ? Math.sqrt(variance(xs)) : 0);
const pm = (xs: number[], scale = 1, digits = 2) => `${(scale * mean(xs)).toFixed(digits)} ± ${(scale * sd(xs)).toFixed(digits)}`;

/** The last completed run of every trial. */
function readTrials(sweepDir: string): Trial[] {
  const trials: Trial[] = [];
  const root = path.join(sweepDir, 'runs');
  for (const t of fs.readdirSync(root).sort()) {
    for (const r of fs.readdirSync(path.join(root, t)).sort().reverse()) {
      const file = path.join(root, t, r, 'summary.json');
      if (!fs.existsSync(file)) continue;
      const s = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (s.status !== 'completed' || s.kind !== 'gating.dopamine') continue;
      trials.push({ method: s.result.method, seed: s.seed, dir: path.join(root, t, r), metrics: s.metrics, gates: s.result.gates ?? [] });
      break;
    }
  }
  return trials;
}

function methodTable(trials: Trial[]): Row[] {
  return order.flatMap((method) => {
    const ts = trials.filter((t) => t.method === method);
    if (!ts.length) return [];
    const m = (k: string) => ts.map((t) => t.metrics[k]).filter((v) => v !== undefined);
    const better = ts.filter((t) => t.metrics.rotated_gain_over_frozen > 0).length;
    return [
      {
        method: names[method],
        seeds: ts.length,
        trainable: `${mean(m('trainable_parameters'))}`,
        'rotated %': pm(m('rotated_accuracy'), 100),
        'upright %': pm(m('upright_accuracy'), 100),
        'rotated vs frozen (pp)': `${pm(m('rotated_gain_over_frozen'), 100)} (${better}/${ts.length} above)`,
        'active hidden0': pm(m('active_hidden0'), 1, 3),
        'active hidden1': pm(m('active_hidden1'), 1, 3),
        'soft − hard (pp)': pm(m('soft_hard_gap'), 100),
      },
    ];
  });
}

function gateTable(trials: Trial[]): Row[] {
  const ds = trials.filter((t) => t.method === 'dopamine');
  const layers = ds[0]?.gates.map((g) => g.layer) ?? [];
  return layers.map((layer) => {
    const gs = ds.map((t) => t.gates.find((g) => g.layer === layer)!);
    const both = (r: (g: GateLayerReport) => number, u: (g: GateLayerReport) => number) => `${pm(gs.map(r), 100, 1)} / ${pm(gs.map(u), 100, 1)}`;
    return {
      layer: `${layer} (${gs[0].units} units)`,
      'fires % (rot / up)': both((g) => g.firesRotated, (g) => g.firesUpright),
      'passed % (rot / up)': both((g) => g.activeRotated, (g) => g.activeUpright),
      'shut while firing % (rot / up)': both((g) => g.shutRotated, (g) => g.shutUpright),
      'units off for rotated, firing upright': pm(gs.map((g) => g.offForRotated), 1, 1),
      'their upright pass %': pm(gs.map((g) => g.offActiveUpright), 100, 1),
      'γ (min … max)': `${Math.min(...gs.map((g) => g.gain.min)).toFixed(2)} … ${Math.max(...gs.map((g) => g.gain.max)).toFixed(2)}`,
      'τ (min … max)': `${Math.min(...gs.map((g) => g.threshold.min)).toFixed(2)} … ${Math.max(...gs.map((g) => g.threshold.max)).toFixed(2)}`,
    };
  });
}

/** One panel per layer: units by upright firing, with how often their gate passes them. */
function chart(trace: XYTrace): string {
  const layers = [...new Set(trace.series.map((s) => s.name.split(' ')[0]))];
  const [PW, H, L, T, B, GAP] = [420, 330, 50, 40, 50, 30];
  const W = L + layers.length * (PW + GAP) + 10;
  const colors = ['#7f7f7f', '#1f77b4', '#d62728'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${L}" y="18" font-size="14">${trace.title}</text>`];
  layers.forEach((layer, k) => {
    const x0 = L + k * (PW + GAP);
    const series = trace.series.filter((s) => s.name.startsWith(`${layer} `));
    const n = Math.max(...series.map((s) => s.x.length));
    const px = (i: number) => x0 + (i / Math.max(1, n - 1)) * PW;
    const py = (v: number) => H - B - v * (H - T - B);
    for (let v = 0; v <= 1; v += 0.25) parts.push(`<line x1="${x0}" x2="${x0 + PW}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>${k === 0 ? `<text x="${x0 - 6}" y="${py(v) + 4}" text-anchor="end">${v}</text>` : ''}`);
    parts.push(`<text x="${x0 + PW / 2}" y="${H - 12}" text-anchor="middle">${layer}: ${n} units, by upright firing</text>`);
    series.forEach((s, j) => {
      const d = s.x.map((x, i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(s.y[i]).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${colors[j % colors.length]}" stroke-width="1.5"/>`);
      if (k === 0) parts.push(`<text x="${x0 + 8 + j * 150}" y="${T - 4}" fill="${colors[j % colors.length]}">${s.name.slice(layer.length + 1)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function main(): void {
  const sweepDir = process.argv[2];
  if (!sweepDir || !fs.existsSync(path.join(sweepDir, 'runs'))) {
    console.error('usage: npm run bench -- dopamine-report <sweep folder of samples/dopamine.neurite.yaml>');
    process.exit(2);
  }
  const trials = readTrials(sweepDir);
  const methods = methodTable(trials);
  const gates = gateTable(trials);
  printTable(`gating.dopamine: ${trials.length} trials, mean ± sd over seeds (hard gates; test digits rotated and upright)`, methods);
  printTable('Dopamine gates per layer (rotated: the rotated test digits; upright: the same digits upright)', gates);
  const first = trials.filter((t) => t.method === 'dopamine').sort((a, b) => a.seed - b.seed)[0];
  const tracePath = first && path.join(first.dir, 'traces', 'gate-states.json');
  const trace = tracePath && fs.existsSync(tracePath) ? (JSON.parse(fs.readFileSync(tracePath, 'utf8')) as XYTrace) : undefined;
  const offUnits = trials.filter((t) => t.method === 'dopamine').map((t) => ({ seed: t.seed, units: Object.fromEntries(t.gates.map((g) => [g.layer, g.offUnits])) }));
  const report = { sweep: path.resolve(sweepDir), methods, gates, offUnits, chartTrial: first && { seed: first.seed, run: path.basename(first.dir) } };
  fs.writeFileSync(path.join(sweepDir, 'dopamine-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeResults('dopamine-report', report);
  if (trace) {
    const svg = chart({ ...trace, title: `Dopamine gates, seed ${first.seed}: how often each unit fires (upright digits) and is passed by its gate` });
    fs.writeFileSync(path.join(sweepDir, 'dopamine-gates.svg'), svg);
    fs.writeFileSync(path.resolve(__dirname, '..', '..', 'bench', 'results', 'dopamine-gates.svg'), svg);
    console.log('wrote bench/results/dopamine-gates.svg');
  }
}

main();
