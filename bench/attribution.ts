/**
 * `npm run bench -- attribution [--rounds N] [--items N]`: attributions for all 256 units of the
 * hidden layer of an MLP 784-256-10 over 1,000 Fashion-MNIST test images, Neurite's engine
 * against Captum-equivalent PyTorch (Captum's algorithms in plain torch autograd, batched as
 * Captum batches them: every path point of a chunk of items in one forward and one backward
 * pass; bench/attribution_torch.py), in the same run:
 *   activation   LayerActivation of the hidden layer
 *   gradxact     LayerGradientXActivation, target = label
 *   conductance  LayerConductance (integrated gradients through each unit), 64 steps
 *   ig           IntegratedGradients over the 784 input pixels, 64 steps
 * Both sides use Gauss–Legendre points (Captum's default) with baseline 0 and the same rows per
 * run (8,192: 126 items × 65 points). PyTorch runs in every setting of bench/_torch.ts (Debian's
 * 1.13 and the current CPU build from the venv it makes, each with OMP_WAIT_POLICY PASSIVE,
 * ACTIVE and unset, 1 and 2 threads), since these change its speed by 2–4× on these cores,
 * differently per version; a process is stopped while it is not measured. Rounds alternate
 * Neurite and every PyTorch setting so load from other processes hits all; the spread
 * (min–max over rounds) is reported beside each median. Neurite runs with 2 and with 1
 * onnxruntime thread; the comparison takes each side's best setting per method, and the
 * speedup is the median over rounds of PyTorch's time over Neurite's, both in their best
 * setting. Each round also checks that both sides computed the same per-unit means. Prints a
 * table and writes bench/results/attribution.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng } from '../kernel/core/rng';
import { loadData } from '../kernel/data';
import { imageSlice } from '../kernel/dense/attribution/data';
import { attribute } from '../kernel/dense/attribution/engine';
import { sequentialModel } from '../kernel/dense/attribution/model';
import { quadrature } from '../kernel/dense/attribution/quadrature';
import { Activation, Sequential } from '../kernel/dense/layers/layer';
import { Linear } from '../kernel/dense/layers/linear';
import { execOptions } from '../kernel/dense/session';
import { attributionOptions } from '../kernel/protocol/attribution';
import { median, printTable, writeResults, type Row } from './_table';
import { benchScript, torchBuilds, TorchProcess, WAIT_POLICIES } from './_torch';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg('rounds', 5);
const ITEMS = arg('items', 1000);
const STEPS = 64;
const ROWS = 8192;

const methods = [
  { name: 'activation', layer: 'hidden0' },
  { name: 'gradxact', layer: 'hidden0' },
  { name: 'conductance', layer: 'hidden0' },
  { name: 'ig', layer: 'input' },
] as const;


async function main() {
  const data = await loadData({ name: 'fashion-mnist', download: false, validation: 0, testLimit: ITEMS });
  const folder = data.source; // the folder of IDX files it was read from
  const rng = new Rng(1);
  const seq = new Sequential('mlp', [new Linear('fc1', 784, 256, rng, { init: { kind: 'torch' } }), new Activation('relu', 'relu'), new Linear('fc2', 256, 10, rng, { init: { kind: 'torch' } })]);
  const model = sequentialModel(seq, { taps: { relu: 'hidden0' }, features: 784, classes: 10, inputType: 'uint8', inputShape: [28, 28] });
  const slice = imageSlice(data.test, Int32Array.from({ length: ITEMS }, (_, i) => i));
  const neuriteSettings = [2, 1].map((threads) => ({ name: `neurite, ${threads} thread${threads > 1 ? 's' : ''}`, exec: execOptions('cpu', { threads }) }));
  const [w0, b0, w1, b1] = seq.parameters().map((p) => Array.from(p.data));
  const ig = quadrature('gausslegendre', STEPS);
  const cond = quadrature('gausslegendre', STEPS + 1);
  const modelFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-')), 'model.json');
  fs.writeFileSync(modelFile, JSON.stringify({ W0: w0, b0, W1: w1, b1, items: ITEMS, igAlphas: Array.from(ig.alphas), igWeights: Array.from(ig.weights), conductanceAlphas: Array.from(cond.alphas) }));

  const { builds, skipped } = torchBuilds((line) => console.log(line));
  for (const why of skipped) console.log(`(skipping ${why})`);
  const procs = builds.flatMap((b) => WAIT_POLICIES.flatMap((p) => [1, 2].map((t) => new TorchProcess(b, p, t, benchScript('attribution_torch.py'), [modelFile, folder, String(t)]))));
  const torches = (await Promise.all(procs.map((p) => p.start()))).map((proc) => ({ proc, setting: { name: `${proc.build.label}, ${proc.setting}` } }));
  console.log(`MLP 784-256-10, ${ITEMS} Fashion-MNIST test images, ${STEPS} steps, ${ROWS} rows per run; ${ROUNDS} rounds; load ${os.loadavg()[0].toFixed(1)}`);

  const neurite = async (m: (typeof methods)[number], exec: (typeof neuriteSettings)[number]['exec']) => {
    const t0 = performance.now();
    const r = await attribute(model, slice, { method: m.name, layer: m.layer, options: attributionOptions.parse({ steps: STEPS, batchSize: Math.max(1, Math.floor(ROWS / (m.name === 'conductance' ? STEPS + 1 : m.name === 'ig' ? STEPS : 1))) }) }, { exec });
    return { seconds: (performance.now() - t0) / 1000, mean: r.summary.mean };
  };
  for (const m of methods) for (const n of neuriteSettings) await neurite(m, n.exec); // compile every graph once, untimed
  const times: Record<string, Record<string, number[]>> = Object.fromEntries(methods.map((m) => [m.name, {}]));
  const agreement: Record<string, number> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    for (const m of methods) {
      let ours: { seconds: number; mean: Float64Array } | undefined;
      for (const n of neuriteSettings) {
        ours = await neurite(m, n.exec);
        if (round > 0) (times[m.name][n.name] ??= []).push(ours.seconds);
      }
      for (const t of torches) {
        const theirs = await t.proc.ask({ cmd: 'time', method: m.name, rows: ROWS });
        if (round === 0) continue; // warm-up round
        (times[m.name][t.setting.name] ??= []).push(theirs.seconds);
        const scale = Math.max(...Array.from(ours!.mean, Math.abs));
        const diff = Math.max(...theirs.mean.map((v: number, u: number) => Math.abs(v - ours!.mean[u]))) / scale;
        agreement[m.name] = Math.max(agreement[m.name] ?? 0, diff);
      }
    }
    if (round > 0) console.log(`  round ${round}: ${methods.map((m) => `${m.name} ${neuriteSettings.map((n) => times[m.name][n.name][round - 1].toFixed(2)).join('/')} s`).join(', ')}`);
  }
  for (const t of torches) t.proc.stop();

  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const bestOf = (t: Record<string, number[]>, names: string[]) => names.reduce((a, b) => (median(t[b]) < median(t[a]) ? b : a));
  const rows: Row[] = methods.map((m) => {
    const t = times[m.name];
    const ours = bestOf(t, neuriteSettings.map((n) => n.name));
    const theirs = bestOf(t, torches.map((x) => x.setting.name));
    const ratios = t[ours].map((s, i) => t[theirs][i] / s);
    return {
      method: m.name,
      neurite_s: median(t[ours]),
      neurite_spread: spread(t[ours]),
      neurite_best: ours,
      torch_s: median(t[theirs]),
      torch_spread: spread(t[theirs]),
      torch_best: theirs,
      speedup: median(ratios),
      speedup_spread: spread(ratios),
      agree: agreement[m.name],
    };
  });
  printTable(`All 256 hidden units over ${ITEMS} images: seconds (median of ${ROUNDS} rounds; spread min–max), each side in its best setting; speedup = median of per-round PyTorch/Neurite (> 1: Neurite faster); agree = largest |Δ mean| / largest |mean|`, rows);
  const all: Row[] = methods.flatMap((m) => Object.entries(times[m.name]).map(([side, t]) => ({ method: m.name, side, median_s: median(t), spread: spread(t) })));
  printTable('Every setting (median seconds, spread)', all);
  writeResults('attribution', { items: ITEMS, steps: STEPS, rowsPerRun: ROWS, rounds: ROUNDS, loadAverage: os.loadavg(), torch: torches.map((t) => ({ ...t.setting, version: t.proc.version })), results: rows, settings: all, times });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
