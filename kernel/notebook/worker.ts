/**
 * One notebook's code context: a worker thread whose global scope is the notebook's, where code
 * cells run one after another like REPL lines (transform.ts) and spec cells run their specs.
 * Console output, rich outputs and progress go to the main thread as messages; bundled as
 * dist/cell-worker.js. Interrupts arrive two ways: a flag in shared memory that every loop body
 * checks (so a busy loop stops and the context lives on), and a message that aborts the cell's
 * awaits and its runs. sessions.ts terminates a worker that still does not stop.
 */
import { Console } from 'console';
import { Writable } from 'stream';
import { inspect } from 'util';
import * as vm from 'vm';
import { createRequire } from 'module';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { CancelledError, InputError } from '../core/errors';
import { NeuriteMime, type CellOutput, type CellExecuteParams, type CellExecuteResult } from '../protocol/notebook';
import { createApi, isShowable, NotebookRun, SimResult } from './api';
import { display } from './outputs';
import { runSpecCell, type CellEnv } from './spec-cell';
import { CellSyntaxError, compileCell, TICK } from './transform';

export type ToWorker = { type: 'execute'; params: CellExecuteParams } | { type: 'interrupt' };
export type FromWorker = { type: 'output'; executionId: string; output: CellOutput } | { type: 'done'; executionId: string; status: CellExecuteResult['status']; runs: CellExecuteResult['runs'] };

/** Thrown by the loop check and raced against a cell's awaits once the cell is interrupted. */
class CellInterrupt extends Error {
  constructor() {
    super('the cell was interrupted');
    this.name = 'Interrupted';
  }
}

const port = parentPort!;
const flag = new Int32Array(workerData.flag as SharedArrayBuffer);
Object.defineProperty(globalThis, TICK, {
  value: () => {
    if (Atomics.load(flag, 0) !== 0) throw new CellInterrupt();
  },
});

interface Execution {
  id: string;
  env: CellEnv;
  abort: AbortController;
  interrupt(): void;
  runs: CellExecuteResult['runs'];
}
let current: Execution | undefined;
let last: Execution | undefined;
/** Scripts run so far (file name → the cell's name and lines), for tracebacks across cells. */
const scripts = new Map<string, { cellName: string; cellLine(l: number): number; lines: string[]; wrapperLine: number }>();
let counter = 0;
let lastRunDir: string | undefined;

const post = (m: FromWorker) => port.postMessage(m);
const target = () => current ?? last;

// Console lines are batched (a loop printing thousands of lines makes a few messages, not thousands).
const pending: { name: 'stdout' | 'stderr'; text: string; id: string }[] = [];
let flushTimer: NodeJS.Timeout | undefined;
function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  for (const p of pending.splice(0)) post({ type: 'output', executionId: p.id, output: { type: 'stream', name: p.name, text: p.text } });
}
function write(name: 'stdout' | 'stderr', text: string): void {
  const id = target()?.id;
  if (!id) return;
  const tail = pending[pending.length - 1];
  if (tail && tail.name === name && tail.id === id) tail.text += text;
  else pending.push({ name, text, id });
  if (pending.reduce((n, p) => n + p.text.length, 0) > 65536) flush();
  else flushTimer ??= setTimeout(flush, 50);
}
const stream = (name: 'stdout' | 'stderr') =>
  new Writable({
    write(chunk, _enc, cb) {
      write(name, String(chunk));
      cb();
    },
  });
globalThis.console = new Console({ stdout: stream('stdout'), stderr: stream('stderr') });

function emit(id: string, output: CellOutput): void {
  flush();
  post({ type: 'output', executionId: id, output });
}

const api = createApi(() => {
  const e = target();
  if (!e) throw new Error('no cell is running');
  return e.env;
});
Object.assign(globalThis, { neurite: api, show: api.show });

port.on('message', (m: ToWorker) => {
  if (m.type === 'execute') void execute(m.params);
  else if (m.type === 'interrupt' && current) current.interrupt();
});

// Errors of work a cell left running (a timer, a promise nobody awaits) belong to that cell's output, not to a crash.
process.on('uncaughtException', (e) => background(e));
process.on('unhandledRejection', (e) => background(e));
function background(e: unknown): void {
  const t = target();
  if (t) emit(t.id, errorOutput(e));
}

async function execute(p: CellExecuteParams): Promise<void> {
  const abort = new AbortController();
  let interrupt!: () => void;
  const interrupted = new Promise<never>((_, reject) => (interrupt = () => reject(new CellInterrupt())));
  interrupted.catch(() => undefined);
  const runs: CellExecuteResult['runs'] = [];
  let lastProgress = 0;
  const env: CellEnv = {
    workspace: p.workspace,
    baseDir: p.baseDir ?? p.workspace,
    signal: abort.signal,
    emit: (o) => emit(p.executionId, o),
    progress: (fraction, message, runId) => {
      const now = Date.now();
      if (fraction > 0 && fraction < 1 && now - lastProgress < 100) return;
      lastProgress = now;
      const text = `${Math.round(fraction * 100)}%${message ? ` ${message}` : ''}`;
      emit(p.executionId, display(NeuriteMime.progress, { fraction, message, runId }, text, 'progress'));
    },
    ranRun: (r) => {
      runs.push(r);
      lastRunDir = r.dir;
    },
    lastRun: () => lastRunDir,
    overrides: p.overrides,
  };
  const exec: Execution = {
    id: p.executionId,
    env,
    abort,
    runs,
    interrupt: () => {
      abort.abort();
      interrupt();
    },
  };
  current = last = exec;
  const cellName = p.cellName ?? 'cell';
  let status: CellExecuteResult['status'] = 'ok';
  try {
    if (p.language === 'yaml') {
      await runSpecCell(p.source, env, cellName); // interrupt: the run is cancelled, shown, then CancelledError
    } else {
      const script = await compileCell(p.source, p.language);
      const filename = `neurite-cell-${++counter}`;
      scripts.set(filename, { cellName, cellLine: script.cellLine, lines: p.source.split('\n'), wrapperLine: script.code.split('\n').length });
      Object.assign(globalThis, { require: createRequire(path.join(env.baseDir, 'notebook.js')) });
      const value = await Promise.race([new vm.Script(script.code, { filename }).runInThisContext() as Promise<unknown>, interrupted]);
      showResult(value, env);
    }
  } catch (e) {
    status = e instanceof CellInterrupt || e instanceof CancelledError || abort.signal.aborted ? 'interrupted' : 'error';
    env.emit(errorOutput(e, cellName, p.source));
  } finally {
    current = undefined;
    flush();
    post({ type: 'done', executionId: p.executionId, status, runs });
  }
}

/** The last expression's value: rich when it is something `show` draws, else as Node prints it. */
function showResult(value: unknown, env: CellEnv): void {
  if (value === undefined) return;
  if (value instanceof NotebookRun || value instanceof SimResult || isShowable(value)) return api.show(value);
  env.emit({ type: 'result', data: { 'text/plain': inspect(value, { depth: 3, maxArrayLength: 20, breakLength: 100 }) } });
}

/** An error as Jupyter shows one: name, message, and the cell lines it passed through. */
export function errorOutput(e: unknown, cellName?: string, source?: string): CellOutput {
  if (e instanceof CellSyntaxError) {
    const lines = source?.split('\n') ?? [];
    return { type: 'error', ename: 'SyntaxError', evalue: e.message, traceback: [`SyntaxError: ${e.message}`, `    at ${cellName}, line ${e.line}`, ...snippet(lines, e.line, e.column)] };
  }
  if (!(e instanceof Error)) return { type: 'error', ename: 'Error', evalue: `${inspect(e)} (thrown, not an Error)`, traceback: [`Uncaught ${inspect(e)}`] };
  if (e instanceof CellInterrupt || e instanceof CancelledError) return { type: 'error', ename: 'Interrupted', evalue: e.message, traceback: [`Interrupted: ${e.message}`, ...cellFrames(e).frames] };
  if (e instanceof InputError) return { type: 'error', ename: e.name, evalue: e.message, traceback: [e.message, ...cellFrames(e).frames] };
  const { frames, first } = cellFrames(e);
  const where = first ? snippet(first.lines, first.line) : [];
  return { type: 'error', ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`, ...frames, ...where] };
}

/** The stack frames in cells, with the cells' names and lines; the kernel's own frames left out. */
function cellFrames(e: Error): { frames: string[]; first?: { lines: string[]; line: number } } {
  const frames: string[] = [];
  let first: { lines: string[]; line: number } | undefined;
  for (const l of (e.stack ?? '').split('\n').slice(1)) {
    const m = /^\s*at (?:(.*?) \()?(neurite-cell-\d+):(\d+):(\d+)\)?$/.exec(l);
    const s = m && scripts.get(m[2]);
    if (!m || !s || Number(m[3]) === s.wrapperLine) continue; // the wrapper's call, not the user's code
    const line = s.cellLine(Number(m[3]));
    const fn = m[1] && !/^(async )?<anonymous>$/.test(m[1]) ? m[1].replace(/^async /, '') : '';
    frames.push(fn ? `    at ${fn} (${s.cellName}, line ${line})` : `    at ${s.cellName}, line ${line}`);
    first ??= { lines: s.lines, line };
  }
  return { frames, first };
}

function snippet(lines: string[], line: number, column?: number): string[] {
  const text = lines[line - 1];
  if (text === undefined) return [];
  const gutter = `${line} | `;
  return [`${gutter}${text}`, ...(column !== undefined ? [`${' '.repeat(gutter.length + column)}^`] : [])];
}
