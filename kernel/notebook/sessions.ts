/**
 * The kernel's notebook contexts: one worker thread per notebook (worker.ts), cells executed one
 * at a time in the order asked, their outputs streamed as they come and collected for the file.
 * Interrupt: set the shared flag (loops stop), tell the worker (awaits and runs stop); a worker
 * that has not finished the cell `graceMs` later is terminated and its notebook starts afresh
 * on the next cell (the cell's error says its variables are gone). Restart ends the context.
 * The kernel server and `neurite notebook run` both drive cells through this class.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { addOutput, savedOutputs, type CellExecuteParams, type CellExecuteResult, type CellOutput } from '../protocol/notebook';
import type { FromWorker, ToWorker } from './worker';

interface Running {
  params: CellExecuteParams;
  outputs: CellOutput[];
  t0: number;
  resolve(r: CellExecuteResult): void;
  onOutput?(o: CellOutput): void;
}

class Context {
  readonly worker: Worker;
  readonly flag = new Int32Array(new SharedArrayBuffer(4));
  running: Running | undefined;
  queue: Promise<unknown> = Promise.resolve();
  exited = false;

  constructor(script: string, private readonly onExit: (c: Context, code: number) => void) {
    this.worker = new Worker(script, { workerData: { flag: this.flag.buffer }, stdout: false, stderr: false });
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (e) => this.running && this.running.outputs.push({ type: 'error', ename: e.name, evalue: e.message, traceback: [String(e.stack ?? e)] }));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.onExit(this, code);
    });
  }

  private receive(m: FromWorker): void {
    const r = this.running;
    if (!r || m.executionId !== r.params.executionId) return; // output of a cell already given up on
    if (m.type === 'output') {
      addOutput(r.outputs, m.output);
      r.onOutput?.(m.output);
    } else {
      this.running = undefined;
      r.resolve({ status: m.status, outputs: savedOutputs(r.outputs), durationMs: Date.now() - r.t0, runs: m.runs });
    }
  }

  /** End the cell in progress without the worker (it was terminated or died). */
  abandon(output: CellOutput, status: CellExecuteResult['status']): void {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    addOutput(r.outputs, output);
    r.onOutput?.(output);
    r.resolve({ status, outputs: savedOutputs(r.outputs), durationMs: Date.now() - r.t0, runs: [] });
  }
}

export class NotebookSessions {
  private readonly contexts = new Map<string, Context>();

  constructor(private readonly opts: { graceMs?: number; script?: string } = {}) {}

  /** Run one cell in its notebook's context (created on first use); cells of one notebook run one after another. */
  execute(params: CellExecuteParams, onOutput?: (o: CellOutput) => void): Promise<CellExecuteResult> {
    const ctx = this.context(params.notebook);
    const next = ctx.queue.then(
      () =>
        new Promise<CellExecuteResult>((resolve) => {
          const live = this.contexts.get(params.notebook) === ctx && !ctx.exited ? ctx : this.context(params.notebook);
          live.running = { params, outputs: [], t0: Date.now(), resolve, onOutput };
          // Cleared here, not in the worker: an interrupt sent while the worker is still busy
          // starting (or compiling) the cell must not be wiped out when the cell begins.
          Atomics.store(live.flag, 0, 0);
          live.worker.postMessage({ type: 'execute', params } satisfies ToWorker);
        }),
    );
    ctx.queue = next.catch(() => undefined);
    return next;
  }

  /** Interrupt the notebook's running cell; resolves once it has ended (stopped, or its context terminated). */
  async interrupt(notebook: string): Promise<{ interrupted: boolean; restarted: boolean }> {
    const ctx = this.contexts.get(notebook);
    const r = ctx?.running;
    if (!ctx || !r) return { interrupted: false, restarted: false };
    Atomics.store(ctx.flag, 0, 1);
    ctx.worker.postMessage({ type: 'interrupt' } satisfies ToWorker);
    const stopped = await waitUntil(() => ctx.running !== r, this.opts.graceMs ?? 3000);
    if (stopped) return { interrupted: true, restarted: false };
    this.contexts.delete(notebook);
    ctx.abandon(
      {
        type: 'error',
        ename: 'Interrupted',
        evalue: `the cell did not stop within ${(this.opts.graceMs ?? 3000) / 1000} s, so its context was restarted: variables from earlier cells are gone`,
        traceback: [],
      },
      'interrupted',
    );
    await ctx.worker.terminate();
    return { interrupted: true, restarted: true };
  }

  /** End the notebook's context (its variables); the next cell starts a fresh one. */
  async restart(notebook: string): Promise<void> {
    const ctx = this.contexts.get(notebook);
    if (!ctx) return;
    this.contexts.delete(notebook);
    ctx.abandon({ type: 'error', ename: 'Restarted', evalue: 'the notebook context was restarted', traceback: [] }, 'interrupted');
    await ctx.worker.terminate();
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.contexts.keys()].map((n) => this.restart(n)));
  }

  /** Notebooks with a live context. */
  get notebooks(): string[] {
    return [...this.contexts.keys()];
  }

  private context(notebook: string): Context {
    let ctx = this.contexts.get(notebook);
    if (!ctx || ctx.exited) {
      ctx = new Context(this.opts.script ?? workerScript(), (c, code) => {
        if (this.contexts.get(notebook) === c) this.contexts.delete(notebook);
        c.abandon({ type: 'error', ename: 'ContextExited', evalue: `the notebook context exited (code ${code}); variables from earlier cells are gone`, traceback: [] }, 'error');
      });
      this.contexts.set(notebook, ctx);
    }
    return ctx;
  }
}

async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** dist/cell-worker.js beside the bundle, or worker.js beside this file under tsc. */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'cell-worker.js'), path.join(__dirname, 'worker.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`cannot find the notebook worker script next to ${__dirname}; run \`npm run build\``);
  return found;
}
