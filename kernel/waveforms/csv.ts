/**
 * Numeric CSV files read in a stream (a 10⁶-row file is ~100 MB of text): columns go straight
 * into growing typed arrays, time in float64 (10⁶ steps of 0.25 ps need more than float32's 24
 * bits), values in float32; the reader yields to the event loop between chunks so the host
 * that reads stays responsive.
 */
import * as fs from 'fs';

export interface NumericTable {
  header: string[];
  rows: number;
  /** The first column. */
  time: Float64Array;
  /** The other columns, in header order. */
  columns: Float32Array[];
}

/** The header line of a CSV file (read without reading the rest). */
export function readCsvHeader(file: string): string[] {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return (nl >= 0 ? text.slice(0, nl) : text).replace(/\r$/, '').split(',').map((c) => c.trim());
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Read every row; `scales` multiplies each column (time first). A row that is not all numbers
 * stops the read with its line number. `progress` gets the fraction of bytes read.
 */
export async function readNumericCsv(file: string, scales: number[] = [], progress?: (fraction: number) => void): Promise<NumericTable> {
  const size = fs.statSync(file).size;
  let header: string[] | undefined;
  let width = 0;
  let capacity = 1 << 14;
  let rows = 0;
  let time = new Float64Array(capacity);
  let columns: Float32Array[] = [];
  let rest = '';
  let line = 0;
  let read = 0;
  const grow = () => {
    capacity *= 2;
    const t = new Float64Array(capacity);
    t.set(time);
    time = t;
    columns = columns.map((c) => {
      const g = new Float32Array(capacity);
      g.set(c);
      return g;
    });
  };
  const take = (text: string) => {
    line++;
    if (text.length === 0 || text === '\r') return;
    if (!header) {
      header = text.replace(/\r$/, '').split(',').map((c) => c.trim());
      width = header.length;
      columns = Array.from({ length: width - 1 }, () => new Float32Array(capacity));
      return;
    }
    if (rows === capacity) grow();
    let start = 0;
    for (let k = 0; k < width; k++) {
      const comma = k === width - 1 ? text.length : text.indexOf(',', start);
      if (comma < 0 && k < width - 1) throw new Error(`${file}:${line}: expected ${width} columns`);
      const field = text.slice(start, comma < 0 ? text.length : comma);
      const v = field.trim() === '' ? NaN : Number(field);
      if (!Number.isFinite(v)) throw new Error(`${file}:${line}: column ${header[k]} is not a number`);
      const s = scales[k] ?? 1;
      if (k === 0) time[rows] = v * s;
      else columns[k - 1][rows] = v * s;
      start = comma + 1;
    }
    rows++;
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
    read += Buffer.byteLength(chunk as string);
    progress?.(Math.min(1, read / Math.max(1, size)));
  }
  if (rest.length) take(rest);
  if (!header) throw new Error(`${file}: empty file`);
  return { header, rows, time: time.slice(0, rows), columns: columns.map((c) => c.slice(0, rows)) };
}
