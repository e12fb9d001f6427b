/**
 * Fuzzing the IDX(.gz) reader: damaged copies of real Fashion-MNIST files (header and first
 * images, as Debian ships them) and of hand-built ones, plain and gzipped, and gzip streams
 * damaged after compression. Each read ends with the decoded array, consistent with its header,
 * or an InputError naming the file — never another error, a hang or a buffer the file cannot fill.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import fc from 'fast-check';
import { InputError } from '../../../kernel/core/errors';
import { readIdx, type IdxKind } from '../../../kernel/data/idx';
import { debianDir, tinySet } from '../data/fixtures';
import { tempDir } from '../helpers';
import { found, fuzzSuite } from './harness';
import { mutatedBytes } from './inputs';

/** The first `count` items of a real file, its header's count set to match. */
function realSlice(name: string, count: number, itemBytes: number, headerBytes: number): Buffer {
  const whole = zlib.gunzipSync(fs.readFileSync(path.join(debianDir, name)));
  const out = Buffer.from(whole.subarray(0, headerBytes + count * itemBytes));
  out.writeUInt32BE(count, 4);
  return out;
}

const samples: Record<IdxKind, Buffer[]> = { images: [], labels: [] };
function loadSamples(): void {
  if (samples.images.length) return;
  const tiny = tinySet(4);
  samples.images.push(realSlice('t10k-images-idx3-ubyte.gz', 3, 28 * 28, 16), tiny.images);
  samples.labels.push(realSlice('t10k-labels-idx1-ubyte.gz', 20, 1, 8), tiny.labels);
}

let dir: string | undefined;
let n = 0;

/** Write the bytes, read them as `kind`: the array matches its header, or the error names the file. */
async function checkIdx([kind, bytes, gzipAfter]: [IdxKind, Uint8Array, boolean]): Promise<void> {
  dir ??= tempDir('neurite-fuzz-idx-');
  const file = path.join(dir, `f${n++ % 8}${gzipAfter ? '.gz' : ''}`);
  fs.writeFileSync(file, gzipAfter ? zlib.gzipSync(bytes) : bytes);
  try {
    const got = await readIdx(file, kind);
    assert.strictEqual(got.dims.length, kind === 'images' ? 3 : 1);
    assert.strictEqual(got.data.length, got.dims.reduce((a, b) => a * b, 1));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.ok(e.problems.length === 1 && e.problems[0].startsWith(`${file}: `), `names the file: ${e.problems}`);
  }
}

const kind = fc.constantFrom<IdxKind>('images', 'labels');
/** A sample of either kind, damaged, read as either kind, gzipped or not. */
const damaged = (gzipBefore: boolean) =>
  fc.tuple(kind, kind, fc.boolean()).chain(([from, as, gz]) => {
    loadSamples();
    const pool = samples[from].map((b) => new Uint8Array(gzipBefore ? zlib.gzipSync(b) : b));
    return mutatedBytes(pool).map((bytes): [IdxKind, Uint8Array, boolean] => [as, bytes, !gzipBefore && gz]);
  });

const openFiles = () => fs.readdirSync('/proc/self/fd').length;

/** Read, then wait for the file to be closed (closing is asynchronous). */
async function closesItsFile(bytes: Uint8Array): Promise<void> {
  const before = openFiles();
  await checkIdx(['images', bytes, false]);
  for (let i = 0; i < 100 && openFiles() > before; i++) await new Promise((r) => setTimeout(r, 10));
  assert.strictEqual(openFiles(), before, 'the file is still open');
}

fuzzSuite(__filename, 'fuzz: IDX files, inputs found and kept', {
  'a gzip file with bytes after the gzip data is read, and its file closed (it stayed open)': found(
    new Uint8Array(Buffer.concat([zlib.gzipSync(tinySet(4).images), Buffer.alloc(64)])),
    closesItsFile,
  ),
});

fuzzSuite(__filename, 'fuzz: IDX files', {
  'damaged IDX files, plain or gzipped after the damage, are read or named in an InputError': { runs: 1200, input: () => damaged(false), check: checkIdx },
  'damaged gzip streams of IDX files are read or named in an InputError': { runs: 600, input: () => damaged(true), check: checkIdx },
  'random bytes are named in an InputError': { runs: 400, input: () => fc.tuple(kind, fc.uint8Array({ maxLength: 2048 }), fc.boolean()), check: checkIdx },
});
