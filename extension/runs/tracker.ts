/**
 * The runs this window started: their live progress, their end, and what happens to them
 * when the kernel dies (the run folder gets a failed summary; nothing written is lost).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Notifications, RunStartParams, RunSummary } from '../../kernel/protocol/types';
import { markFailed } from '../../kernel/runs/store';
import type { KernelExit } from '../kernel/errors';
import type { KernelManager } from '../kernel/manager';

export interface ActiveRun {
  runId: string;
  dir: string;
  kind: string;
  fraction: number;
  message?: string;
  done: Promise<RunSummary>;
}

type RunMethod = Extract<keyof Notifications, `run/${string}`>;
export type RunEvent = { [M in RunMethod]: { runId: string; method: M; params: Notifications[M] } }[RunMethod];

export class RunTracker implements vscode.Disposable {
  private readonly runs = new Map<string, ActiveRun & { finish(s: RunSummary): void }>();
  /** Events for run ids not registered yet (the reply to run/start may come after them). */
  private readonly early = new Map<string, RunEvent[]>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly eventEmitter = new vscode.EventEmitter<RunEvent>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidChange = this.changeEmitter.event;
  /** Every progress, metric, trace, log and end event of a run. */
  readonly onRunEvent = this.eventEmitter.event;

  constructor(private readonly kernel: KernelManager) {
    this.subscriptions.push(
      kernel.onNotification(({ method, params }) => method.startsWith('run/') && this.route({ runId: params.runId, method, params } as RunEvent)),
      kernel.onDidCrash((exit) => this.failAll(crashText(exit))),
      kernel.onDidChangeState((s) => s === 'idle' && this.failAll('the kernel was stopped or restarted while the run was in progress')),
    );
  }

  get active(): ActiveRun[] {
    return [...this.runs.values()];
  }

  get(runId: string): ActiveRun | undefined {
    return this.runs.get(runId);
  }

  /** Ask the kernel to start a run; bad specs reject here, before any run folder exists. */
  async start(params: RunStartParams): Promise<ActiveRun> {
    const { runId, dir, kind } = await this.kernel.request('run/start', params);
    let finish!: (s: RunSummary) => void;
    const done = new Promise<RunSummary>((resolve) => (finish = resolve));
    const run = { runId, dir, kind, fraction: 0, done, finish };
    this.runs.set(runId, run);
    this.changeEmitter.fire();
    for (const e of this.early.get(runId) ?? []) this.route(e);
    this.early.delete(runId);
    return run;
  }

  async cancel(runId: string): Promise<void> {
    await this.kernel.request('run/cancel', { runId });
  }

  private route(e: RunEvent): void {
    if (!e.runId) return; // kernel-wide log lines
    const run = this.runs.get(e.runId);
    if (!run) {
      const list = this.early.get(e.runId) ?? [];
      if (list.length < 1000) list.push(e);
      this.early.set(e.runId, list);
      return;
    }
    if (e.method === 'run/progress') {
      run.fraction = e.params.fraction;
      run.message = e.params.message;
    }
    this.eventEmitter.fire(e);
    if (e.method === 'run/end') {
      this.runs.delete(e.runId);
      run.finish(e.params.summary);
    }
    if (e.method === 'run/progress' || e.method === 'run/end') this.changeEmitter.fire(); // metrics, traces and logs change nothing here
  }

  /** The kernel is gone: each unfinished run is marked failed on disk and ends. */
  private failAll(reason: string): void {
    for (const run of this.runs.values()) {
      markFailed(run.dir, reason);
      const summary = readSummary(run.dir);
      this.eventEmitter.fire({ runId: run.runId, method: 'run/end', params: { runId: run.runId, status: summary.status, summary } });
      run.finish(summary);
    }
    this.runs.clear();
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
    this.eventEmitter.dispose();
  }
}

function crashText(exit: KernelExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`;
  return `kernel crashed (${how})${exit.stderrTail ? `; stderr tail:\n${exit.stderrTail}` : ''}`;
}

function readSummary(dir: string): RunSummary {
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;
}
