/**
 * Notebook latency: the time from "run cell" (the `cell/execute` request leaving the client) to
 * the cell's first output arriving (`cell/output`), over real JSON-RPC and node IPC to the
 * bundled kernel (dist/kernel.js), as the extension sees it. Target: under 300 ms with a warm
 * kernel. Measured per case over rounds (median, min, max):
 *   code cell, warm context   `console.log(…)` in a notebook whose context ran a cell before
 *   code cell, new context    the first cell of a notebook (its worker thread starts)
 *   TypeScript cell, warm     the same with types (esbuild strips them)
 *   spec cell, warm           a dendrite.sdr spec (first output: the run's progress)
 *   end of a code cell        the reply to `cell/execute`, warm
 * Run: npm run bench -- notebook [--rounds N]
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { median, printTable, writeResults, type Row } from './_table';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 10;
const repo = path.resolve(__dirname, '..', '..');
const kernelJs = path.join(repo, 'dist', 'kernel.js');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-bench-nb-'));
const spec = 'kind: dendrite.sdr\nname: bench\nchecks:\n  falsePositive:\n    - { n: 300, a: 64, s: 24, theta: 12 }\nsimulation:\n  trials: 2000\nsweeps: []\n';

async function main() {
  const child = fork(kernelJs, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  child.stderr!.resume();
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const firstOutput = new Map<string, number>();
  conn.onNotification('cell/output', (p: { executionId: string }) => {
    if (!firstOutput.has(p.executionId)) firstOutput.set(p.executionId, performance.now());
  });
  conn.listen();
  await conn.sendRequest('kernel/info', {});
  let n = 0;
  /** One cell: ms to its first output and to the reply. */
  const cell = async (notebook: string, language: string, source: string) => {
    const executionId = `b${++n}`;
    const t0 = performance.now();
    const r = (await conn.sendRequest('cell/execute', { notebook, executionId, language, source, workspace })) as { status: string };
    if (r.status !== 'ok') throw new Error(`bench cell failed: ${JSON.stringify(r)}`);
    return { first: (firstOutput.get(executionId) ?? NaN) - t0, end: performance.now() - t0 };
  };
  const cases: Record<string, { first: number[]; end: number[] }> = {};
  const add = (name: string, m: { first: number; end: number }) => {
    if (Number.isNaN(m.first)) throw new Error(`${name}: the cell gave no output`);
    cases[name] ??= { first: [], end: [] };
    cases[name].first.push(m.first);
    cases[name].end.push(m.end);
  };
  await cell('warm', 'javascript', 'let i = 0');
  await cell('warm', 'typescript', 'const t: number = 1');
  await cell('warm', 'yaml', spec);
  for (let r = 0; r < ROUNDS; r++) {
    add('code cell, new context', await cell(`fresh-${r}`, 'javascript', 'console.log("hi")'));
    await conn.sendRequest('notebook/restart', { notebook: `fresh-${r}` });
    add('code cell, warm context', await cell('warm', 'javascript', 'console.log(++i)'));
    add('TypeScript cell, warm', await cell('warm', 'typescript', 'const x: number = i * 2\nconsole.log(x)'));
    add('spec cell, warm', await cell('warm', 'yaml', spec));
  }
  conn.dispose();
  child.kill();
  const rows: Row[] = Object.entries(cases).map(([name, c]) => ({
    case: name,
    'first output median (ms)': Number(median(c.first).toFixed(1)),
    'min (ms)': Number(Math.min(...c.first).toFixed(1)),
    'max (ms)': Number(Math.max(...c.first).toFixed(1)),
    'cell end median (ms)': Number(median(c.end).toFixed(1)),
    'target 300 ms': name.includes('new context') ? '(not warm)' : median(c.first) < 300 ? 'met' : 'missed',
  }));
  printTable(`Notebook: run cell → first output, ${ROUNDS} rounds, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`, rows);
  writeResults('notebook', { rounds: ROUNDS, load1: os.loadavg()[0], rows, samples: cases });
  fs.rmSync(workspace, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
