import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { readIdx } from '../../../kernel/data/idx';
import { readFolder } from '../../../kernel/data/folder';
import { datasetEntry, idxBaseNames, idxRoles } from '../../../kernel/data/registry';
import { debianDir, golden, md5, officialFashionFile, sha256 } from './fixtures';

const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

describe('IDX reader on the real Fashion-MNIST files (Debian)', () => {
  let data: Awaited<ReturnType<typeof readFolder>>;
  before(async () => {
    data = await readFolder(debianDir, 10);
  });

  it('reads 60,000 training and 10,000 test images of 28×28 with as many labels', () => {
    assert.deepStrictEqual([data.train.count, data.train.rows, data.train.cols], [60000, 28, 28]);
    assert.deepStrictEqual([data.test.count, data.test.rows, data.test.cols], [10000, 28, 28]);
    assert.strictEqual(data.train.images.length, 60000 * 784);
    assert.strictEqual(data.train.labels.length, 60000);
    assert.deepStrictEqual(datasetEntry('fashion-mnist').images, { train: data.train.count, test: data.test.count }, 'specs are checked against these counts');
  });

  it('gives the same labels, class histogram and pixel sums as Python gzip + numpy', () => {
    for (const part of ['train', 'test'] as const) {
      const set = data[part];
      const ref = golden.sets[part];
      assert.deepStrictEqual(Array.from(set.labels.subarray(0, 20)), ref.firstLabels, part);
      const hist = new Array(10).fill(0);
      for (const y of set.labels) hist[y]++;
      assert.deepStrictEqual(hist, ref.histogram, part);
      assert.strictEqual(sum(set.images), ref.pixelSum, part);
      assert.strictEqual(sum(set.images.subarray(0, 784)), ref.firstImageSum, part);
      assert.strictEqual(sum(set.images.subarray((set.count - 1) * 784)), ref.lastImageSum, part);
    }
  });

  it('returns bytes, not floats', () => {
    assert.ok(data.train.images instanceof Uint8Array);
    assert.ok(data.train.labels instanceof Uint8Array);
  });

  it('reads an uncompressed copy and a gzip file with a misleading name identically, by content', async () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'neurite-idx-'));
    const raw = zlib.gunzipSync(fs.readFileSync(path.join(debianDir, 't10k-labels-idx1-ubyte.gz')));
    fs.writeFileSync(path.join(dir, 'plain'), raw);
    fs.copyFileSync(path.join(debianDir, 't10k-labels-idx1-ubyte.gz'), path.join(dir, 'no-gz-suffix'));
    const a = await readIdx(path.join(dir, 'plain'), 'labels');
    const b = await readIdx(path.join(dir, 'no-gz-suffix'), 'labels');
    assert.deepStrictEqual(a.dims, [10000]);
    assert.ok(Buffer.from(a.data).equals(Buffer.from(b.data)));
    assert.ok(Buffer.from(a.data).equals(data.test.labels));
    fs.rmSync(dir, { recursive: true });
  });

  it('Debian\'s files are the official ones up to the gzip header: rebuilt, they match the README md5 and the registry\'s size and sha256', () => {
    const readme = zlib.gunzipSync(fs.readFileSync('/usr/share/doc/dataset-fashion-mnist/README.md.gz')).toString('utf8');
    const entry = datasetEntry('fashion-mnist');
    for (const role of idxRoles) {
      const official = officialFashionFile(role);
      const want = entry.files[role];
      const row = readme.split('\n').find((l) => l.includes('`' + idxBaseNames[role] + '.gz`'));
      const readmeMd5 = row?.match(/`([0-9a-f]{32})`/)?.[1];
      assert.ok(readmeMd5, `README lists an md5 for ${role}`);
      assert.strictEqual(md5(official), readmeMd5, role);
      assert.strictEqual(official.length, want.bytes, role);
      assert.strictEqual(sha256(official), want.sha256, role);
    }
  });
});
