import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CancelledError } from '../../../kernel/core/errors';
import { ensureDownloaded } from '../../../kernel/data/download';
import { readFolder } from '../../../kernel/data/folder';
import { loadData } from '../../../kernel/data/load';
import { datasetEntry, idxRoles, type DatasetEntry, type IdxRole } from '../../../kernel/data/registry';
import { dataSpec } from '../../../kernel/data/spec';
import { inputErrorFrom, tempDir } from '../helpers';
import { debianDir, officialFashionFile, serve, sha256, type Route } from './fixtures';

const fashion = datasetEntry('fashion-mnist');
const official = Object.fromEntries(idxRoles.map((r) => [r, officialFashionFile(r)])) as Record<IdxRole, Buffer>;
/** Routes serving the official files under `/fm/<name>`, with per-role overrides. */
const routes = (over: Partial<Record<IdxRole, Route>> = {}) =>
  Object.fromEntries(idxRoles.map((r) => [`/fm/${fashion.files[r].file}`, over[r] ?? { body: official[r] }]));

describe('download on demand (against a local HTTP server)', function () {
  let cache: string;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeEach(() => (cache = tempDir('neurite-cache-')));
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(cache, { recursive: true, force: true });
  });
  const spec = (mirror: string) => dataSpec.parse({ name: 'fashion-mnist', download: true, mirror: `${mirror}/fm` });
  const dir = () => path.join(cache, 'datasets', 'fashion-mnist');
  const cached = () => (fs.existsSync(dir()) ? fs.readdirSync(dir()).sort() : []);

  it('downloads the four files once, checks them, and loads the same data as the Debian copy', async () => {
    server = await serve(routes());
    const logs: string[] = [];
    const data = await loadData(spec(server.url), { cacheDir: cache, systemDirs: [], log: (m) => logs.push(m) });
    assert.strictEqual(data.source, dir());
    assert.deepStrictEqual(cached(), idxRoles.map((r) => fashion.files[r].file).sort());
    for (const r of idxRoles) assert.strictEqual(sha256(fs.readFileSync(path.join(dir(), fashion.files[r].file))), fashion.files[r].sha256);
    const deb = await readFolder(debianDir, 10);
    assert.ok(Buffer.from(data.train.images).equals(deb.train.images));
    assert.ok(Buffer.from(data.test.labels).equals(deb.test.labels));
    assert.strictEqual(logs.filter((l) => l.includes('sha256 verified')).length, 4);
    assert.strictEqual(server.hits.length, 4);
    await loadData(spec(server.url), { cacheDir: cache, systemDirs: [] });
    assert.strictEqual(server.hits.length, 4, 'a second load reads the cache');
  });

  it('reports a 404 with the file and URL, and leaves the cache empty', async () => {
    server = await serve({});
    const e = await inputErrorFrom(loadData(spec(server.url), { cacheDir: cache, systemDirs: [] }));
    assert.deepStrictEqual(e.problems, [`data.mirror: train-images-idx3-ubyte.gz from ${server.url}/fm/train-images-idx3-ubyte.gz: HTTP 404 Not Found`]);
    assert.deepStrictEqual(cached(), []);
  });

  it('reports a truncated file (short body) and keeps it out of the cache', async () => {
    server = await serve(routes({ testLabels: { body: official.testLabels.subarray(0, 2574) } }));
    const e = await inputErrorFrom(loadData(spec(server.url), { cacheDir: cache, systemDirs: [] }));
    assert.match(e.problems[0], /^data\.mirror: t10k-labels-idx1-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/fm\/t10k-labels-idx1-ubyte\.gz: truncated download: expected 5148 bytes, got 2574$/);
    assert.ok(!cached().includes('t10k-labels-idx1-ubyte.gz'));
    assert.ok(!cached().some((f) => f.includes('.part')), 'no temporary file left');
    // The three verified files stay; a retry against a good server fetches only the missing one.
    await server.close();
    server = await serve(routes());
    await loadData(spec(server.url), { cacheDir: cache, systemDirs: [] });
    assert.deepStrictEqual(server.hits, ['/fm/t10k-labels-idx1-ubyte.gz']);
  });

  it('reports a connection dropped mid-file and keeps the cache clean', async () => {
    server = await serve(routes({ trainLabels: { body: official.trainLabels, cutAt: 10000 } }));
    const e = await inputErrorFrom(loadData(spec(server.url), { cacheDir: cache, systemDirs: [] }));
    assert.match(e.problems[0], /train-labels-idx1-ubyte\.gz from .*: connection failed after \d+ of 29515 bytes \(UND_ERR_SOCKET: other side closed\)$/);
    assert.ok(!cached().includes('train-labels-idx1-ubyte.gz'));
    assert.ok(!cached().some((f) => f.includes('.part')));
  });

  it('reports a wrong sha256 naming the file, the expected and the actual hash', async () => {
    const bad = Buffer.from(official.testImages);
    bad[1000] ^= 0xff;
    server = await serve(routes({ testImages: { body: bad } }));
    const e = await inputErrorFrom(loadData(spec(server.url), { cacheDir: cache, systemDirs: [] }));
    assert.strictEqual(e.problems[0], `data.mirror: t10k-images-idx3-ubyte.gz from ${server.url}/fm/t10k-images-idx3-ubyte.gz: sha256 mismatch: expected ${fashion.files.testImages.sha256}, got ${sha256(bad)}`);
    assert.ok(!cached().includes('t10k-images-idx3-ubyte.gz'));
  });

  it('refuses Debian\'s re-headered files: same data, but 23 bytes shorter than the official file', async () => {
    const deb = fs.readFileSync(path.join(debianDir, 't10k-labels-idx1-ubyte.gz'));
    server = await serve(routes({ testLabels: { body: deb } }));
    const e = await inputErrorFrom(loadData(spec(server.url), { cacheDir: cache, systemDirs: [] }));
    assert.match(e.problems[0], /t10k-labels-idx1-ubyte\.gz .*truncated download: expected 5148 bytes, got 5125/);
  });

  it('tries the mirrors in order and reports every attempt when all fail', async () => {
    server = await serve(routes());
    const entry: DatasetEntry = { ...fashion, mirrors: [`${server.url}/nowhere`, `${server.url}/fm`] };
    await ensureDownloaded(entry, dir());
    assert.strictEqual(cached().length, 4);
    fs.rmSync(dir(), { recursive: true });
    const none: DatasetEntry = { ...fashion, mirrors: [`${server.url}/a`, `${server.url}/b`] };
    const e = await inputErrorFrom(ensureDownloaded(none, dir()));
    assert.deepStrictEqual(e.problems.map((p) => p.replace(server!.url, 'URL')), [
      'data.download: train-images-idx3-ubyte.gz from URL/a/train-images-idx3-ubyte.gz: HTTP 404 Not Found',
      'data.download: train-images-idx3-ubyte.gz from URL/b/train-images-idx3-ubyte.gz: HTTP 404 Not Found',
    ]);
  });

  it('reports an unreachable server', async () => {
    server = await serve({});
    const url = server.url;
    await server.close();
    server = undefined;
    const e = await inputErrorFrom(loadData(spec(url), { cacheDir: cache, systemDirs: [] }));
    assert.match(e.problems[0], /connection failed \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('stops on cancellation mid-file and leaves no partial file', async () => {
    server = await serve(routes({ trainImages: { body: official.trainImages, cutAt: 1 << 20, stall: true } }));
    const abort = new AbortController();
    const p = loadData(spec(server.url), { cacheDir: cache, systemDirs: [], signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    await assert.rejects(p, (e) => e instanceof CancelledError);
    assert.deepStrictEqual(cached(), []);
  });
});
