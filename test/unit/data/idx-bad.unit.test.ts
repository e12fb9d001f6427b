import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { readFolder } from '../../../kernel/data/folder';
import { readIdx, type IdxKind } from '../../../kernel/data/idx';
import { inputErrorFrom, tempDir } from '../helpers';
import { idx, tinySet, writeFolder } from './fixtures';

/** The problem lines of the InputError that `p` rejects with. */
const problems = async (p: Promise<unknown>): Promise<string[]> => (await inputErrorFrom(p)).problems;

describe('IDX reader on bad files', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = tempDir('neurite-bad-idx-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (bytes: Buffer, gzip = false) => {
    const f = path.join(dir, `f${n++}`);
    fs.writeFileSync(f, gzip ? zlib.gzipSync(bytes) : bytes);
    return f;
  };
  const readErr = async (bytes: Buffer, kind: IdxKind, gzip = false) => {
    const f = file(bytes, gzip);
    const lines = await problems(readIdx(f, kind));
    assert.strictEqual(lines.length, 1);
    assert.ok(lines[0].startsWith(f + ': '), `names the file: ${lines[0]}`);
    return lines[0];
  };

  it('reads a valid tiny file, plain and gzipped, to the same bytes', async () => {
    const { images } = tinySet(5);
    const a = await readIdx(file(images), 'images');
    const b = await readIdx(file(images, true), 'images');
    assert.deepStrictEqual(a.dims, [5, 4, 3]);
    assert.deepStrictEqual(Array.from(a.data), Array.from(images.subarray(16)));
    assert.deepStrictEqual(Array.from(b.data), Array.from(a.data));
  });

  it('names the magic number it found and the one it expected', async () => {
    const { images, labels } = tinySet(3);
    assert.match(await readErr(images, 'labels'), /wrong magic number 0x00000803 \(IDX images.*\), expected 0x00000801 \(IDX labels/);
    assert.match(await readErr(labels, 'images', true), /wrong magic number 0x00000801 .*expected 0x00000803/);
    assert.match(await readErr(Buffer.from('hello world, not idx'), 'labels'), /wrong magic number 0x68656c6c \(not an IDX file\)/);
    assert.match(await readErr(idx([3], [1, 2, 3], 0x00000d01), 'labels'), /0x00000d01 \(IDX: float32, 1 dimension\)/);
  });

  it('reports an empty file', async () => {
    assert.match(await readErr(Buffer.alloc(0), 'labels'), /file is empty \(0 bytes\)/);
  });

  it('reports a truncated header with how many header bytes it expected and found', async () => {
    const { images } = tinySet(3);
    assert.match(await readErr(images.subarray(0, 9), 'images'), /truncated header: expected 16 header bytes, found 9/);
    assert.match(await readErr(images.subarray(0, 2), 'images', true), /truncated header: expected 4 header bytes, found 2/);
  });

  it('reports truncated data with the bytes expected and found, plain or gzipped', async () => {
    const { images } = tinySet(3); // 3 × 4 × 3 = 36 data bytes
    assert.match(await readErr(images.subarray(0, 16 + 30), 'images'), /truncated file: expected 36 bytes of data \(3 images of 4×3\), found 30/);
    assert.match(await readErr(images.subarray(0, 16 + 30), 'images', true), /truncated file: expected 36 bytes of data \(3 images of 4×3\), found 30/);
  });

  it('reports a gzip file cut short', async () => {
    const big = tinySet(2000, 28, 28).images;
    const gz = zlib.gzipSync(big);
    assert.match(await readErr(gz.subarray(0, Math.floor(gz.length / 2)), 'images'), /truncated gzip data \(the stream ends after \d+ of 1568000 data bytes\)/);
  });

  it('reports corrupt gzip data', async () => {
    const gz = zlib.gzipSync(tinySet(200, 28, 28).images);
    for (let i = 30; i < 200; i++) gz[i] ^= 0x5a; // scramble the deflate stream
    assert.match(await readErr(gz, 'images'), /corrupt gzip data \(.+\)/);
    const crc = zlib.gzipSync(tinySet(3).labels);
    crc[crc.length - 6] ^= 1; // flip a CRC32 bit in the trailer
    assert.match(await readErr(crc, 'labels'), /corrupt gzip data \(incorrect data check\)/);
  });

  it('reports bytes after the data', async () => {
    const { labels } = tinySet(3);
    assert.match(await readErr(Buffer.concat([labels, Buffer.from([1, 2])]), 'labels'), /unexpected bytes after the data: the header says 3 labels/);
  });

  it('refuses a header that promises more than a gzip file can hold, without allocating it', async () => {
    const liar = idx([0xffffff, 100, 100], []);
    assert.match(await readErr(liar, 'images', true), /truncated or corrupt: the header says 16777215 images of 100×100/);
  });

  it('reports a missing file and a folder given as a file', async () => {
    const missing = path.join(dir, 'nope');
    assert.deepStrictEqual(await problems(readIdx(missing, 'labels')), [`${missing}: file not found`]);
    assert.deepStrictEqual(await problems(readIdx(dir, 'labels')), [`${dir}: is a folder, expected an IDX file`]);
  });
});

describe('MNIST-format folders with problems', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('neurite-bad-folder-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const good = () => {
    const train = tinySet(12);
    const test = tinySet(5);
    return { trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels };
  };

  it('reads a good folder, gzipped or not', async () => {
    for (const gzip of [false, true]) {
      const d = writeFolder(path.join(dir, String(gzip)), good(), gzip);
      const { train, test } = await readFolder(d, 10);
      assert.deepStrictEqual([train.count, test.count, train.rows, train.cols], [12, 5, 4, 3]);
      assert.deepStrictEqual(Array.from(train.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }
  });

  it('lists what it looked for when the folder does not exist', async () => {
    const missing = path.join(dir, 'absent');
    const [line] = await problems(readFolder(missing, 10));
    assert.strictEqual(line, `data.dir: folder ${missing} does not exist; it should hold train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]`);
  });

  it('lists every missing file with the names it tried', async () => {
    const { trainImages, trainLabels } = good();
    writeFolder(dir, { trainImages, trainLabels });
    assert.deepStrictEqual(await problems(readFolder(dir, 10)), [
      `data.dir: no test images in ${dir} (looked for t10k-images-idx3-ubyte.gz, t10k-images-idx3-ubyte, t10k-images.idx3-ubyte.gz, t10k-images.idx3-ubyte)`,
      `data.dir: no test labels in ${dir} (looked for t10k-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte, t10k-labels.idx1-ubyte.gz, t10k-labels.idx1-ubyte)`,
    ]);
  });

  it('reports a label/image count mismatch naming both files', async () => {
    writeFolder(dir, { ...good(), trainLabels: tinySet(11).labels });
    const [line] = await problems(readFolder(dir, 10));
    assert.strictEqual(line, `${path.join(dir, 'train-labels-idx1-ubyte')}: 11 labels, but ${path.join(dir, 'train-images-idx3-ubyte')} holds 12 images`);
  });

  it('reports the first label that is not a class', async () => {
    writeFolder(dir, { ...good(), testLabels: idx([5], [0, 1, 2, 10, 3]) });
    const [line] = await problems(readFolder(dir, 10));
    assert.strictEqual(line, `${path.join(dir, 't10k-labels-idx1-ubyte')}: label 10 at index 3 is not a class (expected 0…9)`);
  });

  it('reports test images of another size than the training images', async () => {
    writeFolder(dir, { ...good(), testImages: tinySet(5, 3, 4).images });
    const [line] = await problems(readFolder(dir, 10));
    assert.match(line, /t10k-images-idx3-ubyte: test images are 3×4 but training images are 4×3/);
  });
});
