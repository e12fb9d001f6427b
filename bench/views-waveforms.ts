/**
 * `npm run bench -- views-waveforms [samples=1000000] [steps=40] [rounds=3]`: the waveform viewer
 * on a JoSIM-style CSV of 10⁶ samples per trace (7 traces: SFQ pulses of area Φ0 every ~200 ps on
 * four nodes, two junction phases, a bias current; 250 ns at 0.25 ps), in Debian's chromium (no
 * GPU: the canvas is drawn in software) answered by the extension's own host code
 * (kernel/waveforms). Measured per round:
 *   - host: reading the CSV and indexing it (min/max pyramid, cumulative integrals);
 *   - first paint: from the page's navigation to the first frame drawn with data;
 *   - zooming from the whole run to one pulse with the wheel (`steps` notches): the time each
 *     frame takes to draw; a window's round trip as the page sees it (request posted → answer
 *     received: the transport, here Playwright's binding over CDP, and the host's work); the
 *     host's own time to answer one window; and, as the driver sees it, the time from a notch to
 *     the frame that shows its window (with Playwright's own round trips on top);
 *   - for scale: one whole-run window answered by scanning every sample instead of the pyramid.
 * Numbers are medians over the rounds (frame and step times: their median and 95th percentile).
 * This is a timing, not a test; the machine's load is printed with it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { waveformOutbound } from '../kernel/protocol/waveforms';
import { answer, openMessage } from '../kernel/waveforms/answer';
import { loadCsvWaveforms, type WaveformSet } from '../kernel/waveforms/sources';
import { closeBrowser, openWebview } from '../test/webview/browser';
import { median, printTable, writeResults, type Row } from './_table';

const N = Number(process.argv[2] ?? 1_000_000);
const STEPS = Number(process.argv[3] ?? 40);
const ROUNDS = Number(process.argv[4] ?? 3);
const PHI0 = 2.067833848e-15;
const DT = 0.25e-12;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** A JTL-like CSV: Gaussian voltage pulses of area Φ0 (σ 1.5 ps) at jittered ~200 ps intervals on four nodes 3 ps apart. */
function writeCsv(file: string): { pulse: number } {
  const fd = fs.openSync(file, 'w');
  const sigma = 1.5e-12;
  const amp = PHI0 / (sigma * Math.sqrt(2 * Math.PI));
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pulses: number[] = [];
  for (let t = 100e-12; t < N * DT - 100e-12; t += 150e-12 + 100e-12 * rand()) pulses.push(t);
  fs.writeSync(fd, 'time,V(J1),V(J2),V(J3),V(J4),P(B1|X1),P(B1|X4),I(IB)\n');
  let k = 0;
  let lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const t = i * DT;
    while (k + 1 < pulses.length && pulses[k + 1] - 20e-12 < t) k++;
    const v = [0, 3e-12, 6e-12, 9e-12].map((d) => {
      let s = 0;
      for (const p of [pulses[k], pulses[k + 1]]) if (p !== undefined) s += amp * Math.exp(-((t - p - d) ** 2) / (2 * sigma * sigma));
      return s;
    });
    const phase = (d: number) => 2 * Math.PI * (k + 0.5 * (1 + erf((t - pulses[k] - d) / (sigma * Math.SQRT2))));
    lines.push(`${t.toExponential(6)},${v.map((x) => x.toExponential(6)).join(',')},${phase(0).toExponential(6)},${phase(9e-12).toExponential(6)},${(2.8e-4 * Math.min(1, t / 5e-12)).toExponential(6)}`);
    if (lines.length === 20_000) {
      fs.writeSync(fd, lines.join('\n') + '\n');
      lines = [];
    }
  }
  fs.writeSync(fd, lines.join('\n') + '\n');
  fs.closeSync(fd);
  return { pulse: pulses[Math.floor(pulses.length / 2)] + 4.5e-12 };
}

/** erf to 1e-7 (Abramowitz & Stegun 7.1.26). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** One whole-run window by scanning every sample: what the pyramid saves. */
function scanWindow(set: WaveformSet, bins: number): number {
  const t0 = performance.now();
  for (const tr of set.traces) {
    const { x, y } = tr.data;
    const lo = new Float64Array(bins).fill(Infinity);
    const hi = new Float64Array(bins).fill(-Infinity);
    const w = (set.range[1] - set.range[0]) / bins;
    for (let i = 0; i < y.length; i++) {
      const b = Math.min(bins - 1, Math.floor((x[i] - set.range[0]) / w));
      if (y[i] < lo[b]) lo[b] = y[i];
      if (y[i] > hi[b]) hi[b] = y[i];
    }
  }
  return performance.now() - t0;
}

interface Round {
  row: Row;
  frames: number[];
  steps: number[];
  answers: number[];
}

async function round(file: string, pulse: number): Promise<Round> {
  const t0 = performance.now();
  const set = await loadCsvWaveforms(file);
  const loadMs = performance.now() - t0;
  const answers: number[] = [];
  const view = await openWebview('waveforms', {
    viewport: { width: 1280, height: 900 },
    host: (raw) => {
      const m = waveformOutbound.parse(raw);
      if (m.type === 'ready') return [openMessage(set, { csv: file })];
      const a0 = performance.now();
      const reply = answer(set, m);
      answers.push(performance.now() - a0);
      return [reply];
    },
  });
  const page = view.page;
  await page.waitForFunction(() => (window as any).__waveStats?.firstPaint > 0, undefined, { timeout: 120_000 });
  const firstPaintMs = await page.evaluate(() => (window as any).__waveStats.firstPaint); // performance.now() counts from the navigation
  await page.evaluate(() => {
    (window as any).__waveStats.frames.length = 0;
    (window as any).__waveStats.roundTrips.length = 0;
  });
  const box = (await page.locator('#wave-canvas').boundingBox())!;
  const steps: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const [v0, v1] = (await page.getAttribute('#wave-canvas', 'data-view'))!.split(',').map(Number);
    const x = box.x + 78 + ((pulse - v0) / (v1 - v0)) * (box.width - 92);
    await page.mouse.move(x, box.y + 120);
    const windows = await page.evaluate(() => (window as any).__waveStats.windows);
    const s0 = performance.now();
    await page.mouse.wheel(0, -200);
    await page.waitForFunction((n) => (window as any).__waveStats.windows > n, windows, { timeout: 30_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    steps.push(performance.now() - s0);
  }
  const frames = (await page.evaluate(() => (window as any).__waveStats.frames)) as number[];
  const trips = (await page.evaluate(() => (window as any).__waveStats.roundTrips)) as number[];
  const [v0, v1] = (await page.getAttribute('#wave-canvas', 'data-view'))!.split(',').map(Number);
  const modes = await page.getAttribute('#wave-canvas', 'data-modes');
  await view.close();
  const row: Row = {
    'CSV read + index (ms)': loadMs,
    'first paint (ms)': firstPaintMs,
    'frame draw median (ms)': median(frames),
    'frame draw p95 (ms)': quantile(frames, 0.95),
    'window request → answer, in page, median (ms)': median(trips),
    'window request → answer, in page, p95 (ms)': quantile(trips, 0.95),
    'notch → new window drawn median (ms)': median(steps),
    'notch → new window drawn p95 (ms)': quantile(steps, 0.95),
    'host answer median (ms)': median(answers),
    'whole-run window by scan (ms)': scanWindow(set, 1200),
    'final view (ps)': `${(v0 * 1e12).toFixed(1)}–${(v1 * 1e12).toFixed(1)}`,
    'final windows': modes?.split(',')[0] ?? '',
  };
  return { row, frames, steps, answers };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-views-'));
  const file = path.join(dir, 'waveforms.csv');
  const w0 = performance.now();
  const { pulse } = writeCsv(file);
  console.log(`wrote ${N.toLocaleString('en')} rows × 8 columns (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - w0) / 1000).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round(file, pulse));
  await closeBrowser();
  const first = rounds[0].row;
  const summary: Row = { samples: N, traces: 7, rounds: ROUNDS };
  for (const k of Object.keys(first)) summary[k] = typeof first[k] === 'number' ? median(rounds.map((r) => r.row[k] as number)) : rounds[rounds.length - 1].row[k];
  printTable(`Waveform viewer, ${N.toLocaleString('en')} samples × 7 traces, chromium (software canvas), medians of ${ROUNDS} rounds`, Object.entries(summary).map(([k, v]) => ({ quantity: k, value: v })));
  writeResults('views-waveforms', { samples: N, steps: STEPS, loadAverage: os.loadavg(), summary, rounds: rounds.map((r) => ({ ...r.row, frames: r.frames.length, steps: r.steps.map((s) => Math.round(s)), answers: r.answers.length })) });
  fs.rmSync(dir, { recursive: true, force: true });
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
