/**
 * One measurement in a fresh process (so RSS starts clean): load Fashion-MNIST with Neurite's
 * data layer, then iterate one shuffled epoch of float batches and one of byte batches. Prints one JSON line.
 * Run by bench/data.ts as `node --expose-gc out/bench/_data-child.js <batchSize>`.
 */
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { Rng } from '../kernel/core/rng';
import { batches, byteBatches } from '../kernel/data/batches';
import { loadData } from '../kernel/data/load';
import { dataSpec } from '../kernel/data/spec';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const status = (key: string) => Number(fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1]) / 1024;

async function main() {
  const batchSize = Number(process.argv[2] ?? 64);
  gc();
  const rss0 = status('VmRSS');
  const t0 = performance.now();
  const data = await loadData(dataSpec.parse({ name: 'fashion-mnist' }));
  const loadS = (performance.now() - t0) / 1000;
  gc();
  const rss1 = status('VmRSS');
  const peak = status('VmHWM');
  const all = Int32Array.from({ length: data.train.count }, (_, i) => i);
  const t1 = performance.now();
  let seen = 0;
  for (const b of batches(data.train, all, batchSize, new Rng(1))) seen += b.size;
  const epochS = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  for (const b of byteBatches(data.train, all, batchSize, new Rng(1))) seen += b.size;
  const byteEpochS = (performance.now() - t2) / 1000;
  console.log(JSON.stringify({ loadS, rssBeforeMB: rss0, rssDeltaMB: rss1 - rss0, peakDeltaMB: peak - rss0, epochS, byteEpochS, seen, source: data.source }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
