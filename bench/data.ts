/**
 * `npm run bench -- data [reps]`: loading the full Fashion-MNIST (70,000 images) and one
 * shuffled epoch of batch-64 floats (and of bytes), Neurite vs the reference (Python gzip + numpy, as in
 * Fashion-MNIST's own utils/mnist_reader.py; batches by fancy indexing and /255), each in a
 * fresh process, alternating, `reps` times. Reports medians, the resident-memory growth the
 * load leaves behind (after GC), and its peak during the load.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { median, printTable, writeResults } from './_table';

const reps = Number(process.argv[2] ?? 5);
const batchSize = 64;

const python = `
import gzip, json, os, resource, time
import numpy as np
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key + ':'): return int(line.split()[1]) / 1024
d = '/usr/share/datasets/fashion-mnist'
def load(prefix):
    with gzip.open(f'{d}/{prefix}-labels-idx1-ubyte.gz', 'rb') as f: labels = np.frombuffer(f.read(), np.uint8, offset=8)
    with gzip.open(f'{d}/{prefix}-images-idx3-ubyte.gz', 'rb') as f: images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(len(labels), 784)
    return images, labels
rss0 = status('VmRSS'); t0 = time.perf_counter()
(xtr, ytr), (xte, yte) = load('train'), load('t10k')
load_s = time.perf_counter() - t0
rss1 = status('VmRSS'); peak = status('VmHWM')
rng = np.random.default_rng(1); order = rng.permutation(len(ytr)); seen = 0
t1 = time.perf_counter()
for s in range(0, len(order), ${batchSize}):
    idx = order[s:s + ${batchSize}]
    x = xtr[idx].astype(np.float32) / 255.0; y = ytr[idx].astype(np.int32); seen += len(idx)
epoch_s = time.perf_counter() - t1
t2 = time.perf_counter()
for s in range(0, len(order), ${batchSize}):
    idx = order[s:s + ${batchSize}]
    x = xtr[idx]; y = ytr[idx].astype(np.int32); seen += len(idx)
byte_epoch_s = time.perf_counter() - t2
print(json.dumps(dict(loadS=load_s, rssBeforeMB=rss0, rssDeltaMB=rss1 - rss0, peakDeltaMB=peak - rss0, epochS=epoch_s, byteEpochS=byte_epoch_s, seen=seen)))
`;

type M = { loadS: number; rssBeforeMB: number; rssDeltaMB: number; peakDeltaMB: number; epochS: number; byteEpochS: number; seen: number };
const last = (out: string): M => JSON.parse(out.trim().split('\n').pop()!);

const runs: { neurite: M[]; numpy: M[] } = { neurite: [], numpy: [] };
for (let r = 0; r < reps; r++) {
  const n = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, '_data-child.js'), String(batchSize)], { encoding: 'utf8' });
  if (n.status !== 0) throw new Error(`neurite child failed: ${n.stderr}`);
  runs.neurite.push(last(n.stdout));
  const p = spawnSync('/usr/bin/python3', ['-c', python], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2', OMP_WAIT_POLICY: 'PASSIVE' } });
  if (p.status !== 0) throw new Error(`python failed: ${p.stderr}`);
  runs.numpy.push(last(p.stdout));
}
const summary = (ms: M[]) => ({
  loadS: median(ms.map((m) => m.loadS)),
  rssDeltaMB: median(ms.map((m) => m.rssDeltaMB)),
  peakDeltaMB: median(ms.map((m) => m.peakDeltaMB)),
  epochS: median(ms.map((m) => m.epochS)),
  byteEpochS: median(ms.map((m) => m.byteEpochS)),
});
const neurite = summary(runs.neurite);
const numpy = summary(runs.numpy);
const rows = (['loadS', 'rssDeltaMB', 'peakDeltaMB', 'epochS', 'byteEpochS'] as const).map((k) => ({
  measure: { loadS: 'load 70k images (s)', rssDeltaMB: 'RSS kept after load (MB)', peakDeltaMB: 'RSS peak during load (MB)', epochS: `1 epoch of batch ${batchSize}, floats (s)`, byteEpochS: `1 epoch of batch ${batchSize}, bytes (s)` }[k],
  neurite: neurite[k],
  numpy: numpy[k],
  'numpy/neurite': numpy[k] / neurite[k],
}));
printTable(`Fashion-MNIST load and batches, median of ${reps} fresh processes each (bytes in memory: 54.9 MB)`, rows);
writeResults('data', { reps, batchSize, neurite, numpy, runs });
