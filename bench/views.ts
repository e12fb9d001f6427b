/**
 * `npm run bench -- views [--quick]`: the webviews in Debian chromium (as the browser tests run
 * them), on real dense.mlp runs:
 *   (a) time to first paint: from the host's message to every chart drawn, for the run panel of
 *       one run and the comparison dashboard of four (median of 5 page loads each);
 *   (b) a live stream into the comparison dashboard: 20 metric updates per second (four runs
 *       training, a running-mean record per update, an epoch record every 50) for 10 minutes
 *       (--quick: 1 minute), sampling every 10 s the JS heap after a forced GC, the DOM size,
 *       the points held by the charts, and frame times (rAF intervals) over the last 10 s;
 *   (c) then 10, 20 and 40 minutes' worth of updates at 20/s, sent as fast as the page takes
 *       them, with the heap and the points held after each.
 * Memory must stay bounded: the charts keep at most 2,000 points per curve (SeriesBuffer), so
 * the heap after (b) and (c) should level off instead of growing with the stream.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance as clock } from 'perf_hooks';
import type { Page } from 'playwright-core';
import { metricMeta } from '../kernel/protocol/metrics';
import { compareRuns } from '../kernel/runs/compare';
import { readRunDetails } from '../kernel/runs/store';
import { median, printTable, writeResults, type Row } from './_table';

const repo = path.resolve(__dirname, '..', '..');
const quick = process.argv.includes('--quick');
const STREAM_S = quick ? 60 : 600;
const RATE = 20;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-views-'));

function ensureBuilt(): void {
  if (!fs.existsSync(path.join(repo, 'dist', 'webview', 'compare.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (!fs.existsSync(path.join(repo, 'out', 'test', 'webview', 'browser.js'))) spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/webview/tsconfig.json'], { cwd: repo, stdio: 'inherit' });
}

function denseRun(seed: number, lr: number): string {
  const sets = ['data.trainLimit=3000', 'data.testLimit=500', 'model.hidden=[32]', 'train.epochs=5', 'train.spin=never', `train.lr=${lr}`, 'export=false', 'train.checkpoints=false'];
  const r = spawnSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'run', path.join(repo, 'samples', 'mnist-mlp.neurite.yaml'), '--out', work, '--json', '-q', '--seed', String(seed), ...sets.flatMap((s) => ['--set', s])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return path.join(work, JSON.parse(r.stdout.trim().split('\n').pop()!).id);
}

/** The parts of test/webview/browser.ts used here (loaded compiled: it is built with the DOM library). */
interface Browser {
  openWebview(entry: string): Promise<{ page: Page; send(m: unknown): Promise<void>; consoleErrors: string[]; close(): Promise<void> }>;
  closeBrowser(): Promise<void>;
}
const charts = (page: Page) => page.evaluate(() => (globalThis as any).__neuriteCharts() as { datasets: { points: number }[] }[]);

/** ms from posting `message` until `expected` charts exist and every canvas has ink. */
async function firstPaint(b: Browser, entry: string, message: unknown, expected: number): Promise<number> {
  const view = await b.openWebview(entry);
  try {
    await view.page.waitForFunction(() => (globalThis as any).__posted.length > 0);
    return await view.page.evaluate(
      async ({ m, n }) => {
        const g = globalThis as any;
        const t0 = g.performance.now();
        g.postMessage(m, '*');
        const inked = () => {
          const cs = [...g.document.querySelectorAll('canvas')] as any[];
          return cs.length >= n && cs.every((c) => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 16) if (d[i] > 0) return true;
            return false;
          });
        };
        for (;;) {
          await new Promise((r) => g.requestAnimationFrame(r));
          if (g.__neuriteCharts().length >= n && inked()) return g.performance.now() - t0;
          if (g.performance.now() - t0 > 30_000) throw new Error(`${g.__neuriteCharts().length} charts after 30 s, expected ${n}`);
        }
      },
      { m: message, n: expected },
    );
  } finally {
    await view.close();
  }
}

async function heapMB(page: Page): Promise<{ heap: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  await cdp.detach();
  const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
  return { heap: get('JSHeapUsedSize') / 2 ** 20, nodes: get('Nodes') };
}

/** Frame times (rAF intervals) the page saw since the last call. */
async function frames(page: Page): Promise<{ p50: number; p95: number; max: number; n: number }> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const xs: number[] = (g.__frames ?? []).sort((a: number, b: number) => a - b);
    g.__frames = [];
    const q = (p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : 0);
    return { p50: q(0.5), p95: q(0.95), max: xs.length ? xs[xs.length - 1] : 0, n: xs.length };
  });
}

async function main(): Promise<void> {
  ensureBuilt();
  const b: Browser = require(path.join(repo, 'out', 'test', 'webview', 'browser.js'));
  console.log(`making 4 dense.mlp runs in ${work} …`);
  const dirs = [denseRun(1, 0.02), denseRun(2, 0.02), denseRun(1, 0.1), denseRun(2, 0.1)];
  const details = readRunDetails(dirs[0]);
  const model = compareRuns(dirs);
  // every chart the views will draw: a run's metric groups per series plus its traces; a comparison's metrics per series
  const runCharts = new Set(details.metrics.flatMap((r) => Object.keys(r.values).map((k) => `${r.series}/${metricMeta(details.meta, k).group}`))).size + Object.keys(details.traces).length;
  const compareCharts = new Set(details.metrics.flatMap((r) => Object.keys(r.values).map((k) => `${r.series}/${k}`))).size;

  // (a) time to first paint
  const paint: Row[] = [];
  for (const [entry, message, n] of [
    ['run-panel', { type: 'details', details, active: null }, runCharts],
    ['compare', { type: 'model', model, target: { dirs } }, compareCharts],
  ] as const) {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) ms.push(await firstPaint(b, entry, message, n));
    paint.push({ view: entry, charts: n, 'first paint median (ms)': median(ms), min: Math.min(...ms), max: Math.max(...ms) });
  }
  printTable('Time to first paint (message from the host → every chart drawn), 5 loads each', paint);

  // (b) a live stream at 20 updates/s
  const empty = { ...model, runs: model.runs.map((r) => ({ ...r, metrics: [], status: 'running' as const })) };
  const view = await b.openWebview('compare');
  await view.page.waitForFunction(() => (globalThis as any).__posted.length > 0);
  await view.send({ type: 'model', model: empty, target: { dirs } });
  await view.page.evaluate(() => {
    const g = globalThis as any;
    g.__frames = [];
    let last = g.performance.now();
    const tick = (t: number) => {
      g.__frames.push(t - last);
      last = t;
      g.requestAnimationFrame(tick);
    };
    g.requestAnimationFrame(tick);
  });
  const record = (k: number) => {
    const run = model.runs[k % 4].id;
    const step = Math.floor(k / 4) + 1;
    const loss = 2 * Math.exp(-step / 400) + 0.1 * Math.random();
    return k % 200 === 199
      ? { type: 'metric', run, record: { t: k / RATE, step: Math.floor(step / 50), series: 'epoch', values: { train_loss: loss, val_loss: loss * 1.1, train_accuracy: 1 - loss / 2, val_accuracy: 1 - loss / 2.2, lr: 0.02, seconds: 3 } } }
      : { type: 'metric', run, record: { t: k / RATE, step, series: 'train', values: { loss, accuracy: 1 - loss / 2 } } };
  };
  const samples: Row[] = [];
  const sample = async (sent: number, elapsed: number) => {
    const { heap, nodes } = await heapMB(view.page);
    const f = await frames(view.page);
    const points = (await charts(view.page)).reduce((s, c) => s + c.datasets.reduce((a, d) => a + d.points, 0), 0);
    samples.push({ 's': Math.round(elapsed), updates: sent, 'heap (MB)': Number(heap.toFixed(2)), 'DOM nodes': nodes, 'chart points': points, 'frame p50 (ms)': Number(f.p50.toFixed(1)), 'frame p95 (ms)': Number(f.p95.toFixed(1)), 'frame max (ms)': Number(f.max.toFixed(1)) });
    console.log(`  ${JSON.stringify(samples[samples.length - 1])}`);
  };
  console.log(`streaming ${RATE} updates/s for ${STREAM_S} s …`);
  await sample(0, 0);
  const t0 = clock.now();
  let sent = 0;
  while (sent < STREAM_S * RATE) {
    const due = Math.floor(((clock.now() - t0) / 1000) * RATE);
    while (sent < due && sent < STREAM_S * RATE) await view.send(record(sent++));
    if (sent % (10 * RATE) === 0 && sent > 0 && samples.length <= sent / (10 * RATE)) await sample(sent, (clock.now() - t0) / 1000);
    await new Promise((r) => setTimeout(r, 5));
  }
  printTable(`Comparison dashboard under a stream of ${RATE} updates/s for ${STREAM_S} s (4 runs, ${quick ? 'quick' : 'full'} mode)`, samples);

  // (c) 10, 20 and 40 minutes' worth of updates, as fast as the page takes them: the heap and
  // the points held must level off (every curve keeps at most 2,000 points).
  const burst: Row[] = [];
  const start = await heapMB(view.page);
  burst.push({ 'updates (cumulative)': 0, 'minutes at 20/s': 0, 'wall (s)': 0, 'updates/s taken': 0, 'heap (MB)': Number(start.heap.toFixed(2)), 'chart points': (await charts(view.page)).reduce((s, c) => s + c.datasets.reduce((a, d) => a + d.points, 0), 0) });
  let k = STREAM_S * RATE;
  for (const minutes of [10, 20, 40]) {
    const tb = clock.now();
    const from = k;
    const until = STREAM_S * RATE + minutes * 60 * RATE;
    for (; k < until; k += 50) {
      await view.page.evaluate((ms) => ms.forEach((m: unknown) => (globalThis as any).postMessage(m, '*')), Array.from({ length: 50 }, (_, i) => record(k + i)));
    }
    await view.page.evaluate(() => new Promise((r) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(r))));
    const wall = (clock.now() - tb) / 1000;
    const { heap } = await heapMB(view.page);
    const points = (await charts(view.page)).reduce((s, c) => s + c.datasets.reduce((a, d) => a + d.points, 0), 0);
    burst.push({ 'updates (cumulative)': minutes * 60 * RATE, 'minutes at 20/s': minutes, 'wall (s)': Number(wall.toFixed(1)), 'updates/s taken': Math.round((k - from) / wall), 'heap (MB)': Number(heap.toFixed(2)), 'chart points': points });
    console.log(`  ${JSON.stringify(burst[burst.length - 1])}`);
  }
  printTable('The stream continued as fast as the page takes it (after the live stream above)', burst);
  const errors = view.consoleErrors;
  await view.close();
  await b.closeBrowser();
  writeResults('views', { mode: quick ? 'quick' : 'full', note: 'loaded machine: 2 cores shared with other jobs (see loadAverage)', rate: RATE, streamSeconds: STREAM_S, paint, samples, burst, consoleErrors: errors, loadAverage: os.loadavg() });
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
