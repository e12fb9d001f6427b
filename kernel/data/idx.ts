/**
 * The IDX format of MNIST-style data sets (LeCun's "idx3-ubyte"), plain or gzip-compressed.
 *
 * Layout: a 4-byte big-endian magic `0x0000 TT NN` (TT = element type, 0x08 unsigned byte;
 * NN = number of dimensions), NN big-endian uint32 dimension sizes, then the elements,
 * row-major. Labels are `0x00000801` (1 dimension: count), images `0x00000803` (count,
 * rows, cols). Gzip is recognised by its magic bytes (1f 8b), never by the file name.
 *
 * The file is streamed (1 MiB reads through zlib) into one buffer allocated from the header,
 * so a 47 MB image file never exists twice in memory. Every problem is an InputError that
 * names the file and says what was expected and what was found.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { CancelledError, InputError } from '../core/errors';

export type IdxKind = 'images' | 'labels';

/** A decoded IDX file: its dimensions and its bytes. */
export interface IdxArray {
  file: string;
  dims: number[];
  data: Uint8Array;
}

const expectedMagic: Record<IdxKind, number> = { labels: 0x00000801, images: 0x00000803 };
const typeNames: Record<number, string> = { 0x08: 'unsigned bytes', 0x09: 'signed bytes', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };
/** Deflate cannot compress better than ~1032:1; a header promising more than that is corrupt. */
const maxDeflateRatio = 1032;

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
const fail = (file: string, message: string) => new InputError([`${file}: ${message}`]);

/** What a magic number claims to be, for error messages. */
function describeMagic(magic: number): string {
  const type = (magic >>> 8) & 0xff;
  const ndims = magic & 0xff;
  if (magic >>> 16 !== 0 || !typeNames[type]) return 'not an IDX file';
  const what = magic === expectedMagic.labels ? 'IDX labels' : magic === expectedMagic.images ? 'IDX images' : 'IDX';
  return `${what}: ${typeNames[type]}, ${ndims} dimension${ndims === 1 ? '' : 's'}`;
}

/** Read one IDX(.gz) file of unsigned bytes, checking that it holds `kind`. */
export async function readIdx(file: string, kind: IdxKind, opts: { signal?: AbortSignal } = {}): Promise<IdxArray> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(file, code === 'ENOENT' ? 'file not found' : `cannot open (${code ?? (e as Error).message})`);
  }
  let size: number;
  let gzip: boolean;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw fail(file, 'is a folder, expected an IDX file');
    size = stat.size;
    if (size === 0) throw fail(file, 'file is empty (0 bytes)');
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    gzip = size >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    await handle.close();
    throw e;
  }
  const raw = handle.createReadStream({ start: 0, highWaterMark: 1 << 20, signal: opts.signal });
  const source = gzip ? raw.pipe(zlib.createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gzip) raw.on('error', (e) => source.destroy(e));
  const parser = new IdxParser(file, kind, size, gzip);
  try {
    for await (const chunk of source) parser.push(chunk as Buffer);
  } catch (e) {
    source.destroy();
    if (e instanceof InputError) throw e;
    if ((e as Error).name === 'AbortError' || opts.signal?.aborted) throw new CancelledError();
    throw parser.streamError(e as NodeJS.ErrnoException);
  } finally {
    // Gunzip can end before the file does (bytes after the gzip data): the file stream is then
    // left paused and its descriptor open, so close it on every path.
    raw.destroy();
  }
  return parser.finish();
}

/** Incremental decoder: header first, then the elements straight into their final buffer. */
class IdxParser {
  private readonly header: number[] = [];
  private headerLength = 4;
  private dims: number[] = [];
  private data: Uint8Array | null = null;
  private filled = 0;

  constructor(
    private readonly file: string,
    private readonly kind: IdxKind,
    private readonly fileBytes: number,
    private readonly gzip: boolean,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (this.data === null && at < chunk.length) {
      this.header.push(chunk[at++]);
      if (this.header.length === 4) this.checkMagic();
      if (this.header.length === this.headerLength && this.headerLength > 4) this.allocate();
    }
    if (this.data === null || at >= chunk.length) return;
    const n = chunk.length - at;
    if (this.filled + n > this.data.length) {
      throw fail(this.file, `unexpected bytes after the data: the header says ${this.shape()} (${this.data.length} bytes) but the file holds more`);
    }
    this.data.set(chunk.subarray(at), this.filled);
    this.filled += n;
  }

  /** Turn a stream failure into a located message. */
  streamError(e: NodeJS.ErrnoException): InputError {
    const got = this.data ? `${this.filled} of ${this.data.length} data bytes` : `${this.header.length} header bytes`;
    if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) return fail(this.file, `truncated gzip data (the stream ends after ${got})`);
    if (e.code?.startsWith('Z_')) return fail(this.file, `corrupt gzip data (${e.message}) after ${got}`);
    return fail(this.file, `cannot read (${e.code ?? e.message})`);
  }

  finish(): IdxArray {
    if (this.data === null) {
      throw fail(this.file, `truncated header: expected ${this.headerLength} header bytes, found ${this.header.length}`);
    }
    if (this.filled < this.data.length) {
      throw fail(this.file, `truncated file: expected ${this.data.length} bytes of data (${this.shape()}), found ${this.filled}`);
    }
    return { file: this.file, dims: this.dims, data: this.data };
  }

  private checkMagic(): void {
    const magic = ((this.header[0] << 24) | (this.header[1] << 16) | (this.header[2] << 8) | this.header[3]) >>> 0;
    const want = expectedMagic[this.kind];
    if (magic !== want) {
      throw fail(this.file, `wrong magic number ${hex(magic)} (${describeMagic(magic)}), expected ${hex(want)} (${describeMagic(want)}) for ${this.kind}`);
    }
    this.headerLength = 4 + 4 * (magic & 0xff);
  }

  private allocate(): void {
    const h = this.header;
    for (let i = 4; i < this.headerLength; i += 4) this.dims.push(((h[i] << 24) | (h[i + 1] << 16) | (h[i + 2] << 8) | h[i + 3]) >>> 0);
    const bytes = this.dims.reduce((a, b) => a * b, 1);
    if (this.kind === 'images' && (this.dims[1] === 0 || this.dims[2] === 0)) throw fail(this.file, `images of ${this.dims[1]}×${this.dims[2]} pixels`);
    // Known before reading on: a plain file's size is exact, a gzip file's bounds what it can hold.
    if (!this.gzip && this.headerLength + bytes > this.fileBytes) {
      throw fail(this.file, `truncated file: expected ${bytes} bytes of data (${this.shape()}), found ${this.fileBytes - this.headerLength}`);
    }
    if (this.gzip && this.headerLength + bytes > this.fileBytes * maxDeflateRatio) {
      throw fail(this.file, `truncated or corrupt: the header says ${this.shape()} (${bytes} bytes of data), more than a ${this.fileBytes}-byte gzip file can hold`);
    }
    if (bytes > 0x7fffffff) throw fail(this.file, `${this.shape()} is too large (${bytes} bytes; at most 2 GiB)`);
    this.data = new Uint8Array(bytes);
  }

  private shape(): string {
    const [count, rows, cols] = this.dims;
    return this.kind === 'labels' ? `${count} labels` : `${count} images of ${rows}×${cols}`;
  }
}
