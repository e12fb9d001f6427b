/** Shared by benchmarks: medians of rounds, an aligned table, and bench/results/<name>.json. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type Row = Record<string, string | number>;

/** The middle value of the rounds (the upper of the two middle ones for an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function printTable(title: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(cols)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c] ?? ''))));
}

export function writeResults(name: string, data: Record<string, unknown>): string {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const host = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
  fs.writeFileSync(file, JSON.stringify({ name, host, ...data }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  return file;
}
