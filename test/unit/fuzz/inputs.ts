/**
 * What the fuzz tests feed the parsers: random text and bytes, and real inputs (sample files,
 * IDX headers, protocol messages) damaged by a few edits — characters inserted, deleted or
 * replaced, lines swapped or repeated, ranges duplicated, the end cut off, spaces turned into
 * Unicode spaces, NUL and control characters, 32-bit fields set to extremes. Edits are data, so
 * fast-check shrinks a failing case to the fewest, smallest edits.
 */
import fc from 'fast-check';

/** Characters that have broken parsers: Unicode spaces, NUL and controls, brackets and quotes, line ends, a lone surrogate. */
const NASTY = [
  '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200b', '\u2028', '\u0000', '\u0007', '\u001b', '\u007f', '\t', '\r', '\n', '\r\n',
  '{', '}', '(', ')', '[', ']', "'", '"', '`', '=', ',', ';', ':', '*', '+', '-', '.', '&', '!', '|', '%', '#', '\\', '/',
  '\ud800', '\udfff', '\u{1f600}', 'é', 'µ', 'Ω', '∞',
];

export const nastyChar = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

/** Random text: mostly letters, digits and spaces, with a good share of nasty characters. */
export function randomText(maxLength = 400): fc.Arbitrary<string> {
  const plain = fc.constantFrom(...'abcxyzRLCBKIVXPT0123456789.e  \n'.split(''));
  return fc.string({ unit: fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: nastyChar, weight: 2 }), maxLength });
}

/** Random bytes read as UTF-8 text, as a random file is read. */
export function randomFileText(maxBytes = 4096): fc.Arbitrary<string> {
  return fc.uint8Array({ maxLength: maxBytes }).map((b) => Buffer.from(b).toString('utf8'));
}

type TextEdit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; n: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'unicodeSpace'; at: number; space: string }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'repeatLine'; at: number; times: number }
  | { op: 'duplicate'; at: number; n: number }
  | { op: 'truncate'; at: number };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(nastyChar, randomText(12)) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: nastyChar }),
  fc.record({ op: fc.constant('unicodeSpace' as const), at: fc.nat(), space: fc.constantFrom('\u00a0', '\u2003', '\u3000', '\ufeff', '\t', '\u000b') }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('repeatLine' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 50 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyText(s: string, e: TextEdit): string {
  const at = (n: number) => n % (s.length + 1);
  switch (e.op) {
    case 'insert':
      return s.slice(0, at(e.at)) + e.text + s.slice(at(e.at));
    case 'delete':
      return s.slice(0, at(e.at)) + s.slice(at(e.at) + e.n);
    case 'replace':
      return s.slice(0, at(e.at)) + e.text + s.slice(at(e.at) + 1);
    case 'unicodeSpace': {
      const spaces = [...s.matchAll(/ /g)].map((m) => m.index!);
      if (!spaces.length) return s;
      const i = spaces[e.at % spaces.length];
      return s.slice(0, i) + e.space + s.slice(i + 1);
    }
    case 'swapLines': {
      const lines = s.split('\n');
      const a = e.a % lines.length, b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'repeatLine': {
      const lines = s.split('\n');
      const i = e.at % lines.length;
      lines.splice(i, 0, ...Array<string>(e.times - 1).fill(lines[i]));
      return lines.join('\n');
    }
    case 'duplicate':
      return s.slice(0, at(e.at) + e.n) + s.slice(at(e.at), at(e.at) + e.n) + s.slice(at(e.at) + e.n);
    case 'truncate':
      return s.slice(0, at(e.at));
  }
}

/** One of `samples` with 1 to `maxEdits` edits applied. */
export function mutatedText(samples: string[], maxEdits = 8): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...samples), fc.array(textEdit, { minLength: 1, maxLength: maxEdits }))
    .map(([s, edits]) => edits.reduce(applyText, s));
}

type ByteEdit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; n: number }
  | { op: 'word'; at: number; value: number }
  | { op: 'duplicate'; at: number; n: number }
  | { op: 'truncate'; at: number };

const extremeWord = fc.oneof(fc.constantFrom(0, 1, 2, 28, 255, 256, 60000, 0x7fffffff, 0x80000000, 0xffffffff), fc.nat({ max: 0xffffffff }));

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('word' as const), at: fc.nat({ max: 31 }), value: extremeWord }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 512 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyBytes(b: Uint8Array, e: ByteEdit): Uint8Array {
  const at = (n: number) => n % (b.length + 1);
  const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  switch (e.op) {
    case 'flip':
    case 'set': {
      if (!b.length) return b;
      const out = b.slice();
      const i = e.at % b.length;
      out[i] = e.op === 'flip' ? out[i] ^ (1 << e.bit) : e.byte;
      return out;
    }
    case 'insert':
      return cat(b.subarray(0, at(e.at)), e.bytes, b.subarray(at(e.at)));
    case 'delete':
      return cat(b.subarray(0, at(e.at)), b.subarray(at(e.at) + e.n));
    case 'word': {
      // A 32-bit big-endian field (IDX headers are made of them) set to an extreme value.
      const i = 4 * Math.floor(e.at / 4);
      if (i + 4 > b.length) return b;
      const out = b.slice();
      new DataView(out.buffer, out.byteOffset).setUint32(i, e.value);
      return out;
    }
    case 'duplicate':
      return cat(b.subarray(0, at(e.at) + e.n), b.subarray(at(e.at), at(e.at) + e.n), b.subarray(at(e.at) + e.n));
    case 'truncate':
      return b.slice(0, at(e.at));
  }
}

/** One of `samples` with 1 to `maxEdits` byte edits applied. */
export function mutatedBytes(samples: Uint8Array[], maxEdits = 6): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.constantFrom(...samples), fc.array(byteEdit, { minLength: 1, maxLength: maxEdits }))
    .map(([b, edits]) => edits.reduce(applyBytes, b));
}

/** Values that have broken validators: signs, extremes, NaN, wrong types, long strings. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, -0, 0.5, 1e308, -1e308, 1e-320, 2 ** 53, 2 ** 32, NaN, Infinity, -Infinity, '', 'x'.repeat(5000), [], {}, null, true, '1', 'cpu'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
);
