/**
 * Owns the one kernel: starts it lazily on first use, restarts it on demand, and turns an
 * unexpected exit into a crash report. Knows nothing about runs; RunTracker listens to it.
 */
import * as vscode from 'vscode';
import type { Notifications, Requests } from '../../kernel/protocol/types';
import type { KernelExit } from './errors';
import { KernelProcess } from './process';

export type KernelState = 'idle' | 'starting' | 'ready' | 'crashed';

export class KernelManager implements vscode.Disposable {
  private kernel: KernelProcess | undefined;
  private starting: Promise<KernelProcess> | undefined;
  private _state: KernelState = 'idle';
  private readonly stateEmitter = new vscode.EventEmitter<KernelState>();
  private readonly notificationEmitter = new vscode.EventEmitter<{ method: keyof Notifications; params: any }>();
  private readonly crashEmitter = new vscode.EventEmitter<KernelExit>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onNotification = this.notificationEmitter.event;
  readonly onDidCrash = this.crashEmitter.event;

  constructor(private readonly entry: string, private readonly cwd: string, private readonly log: vscode.OutputChannel) {}

  get state(): KernelState {
    return this._state;
  }

  get pid(): number | undefined {
    return this.kernel?.pid;
  }

  private setState(s: KernelState): void {
    this._state = s;
    this.stateEmitter.fire(s);
  }

  /** The running kernel, started if needed. */
  async get(): Promise<KernelProcess> {
    if (this.kernel?.alive) return this.kernel;
    if (!this.starting) {
      this.starting = this.launch().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  async request<M extends keyof Requests>(method: M, params: Requests[M][0]): Promise<Requests[M][1]> {
    return (await this.get()).request(method, params);
  }

  private async launch(): Promise<KernelProcess> {
    this.setState('starting');
    const t0 = Date.now();
    const kernel = new KernelProcess(this.entry, this.cwd);
    kernel.on('stderr', (text) => this.log.append(text.endsWith('\n') ? text : text + '\n'));
    kernel.on('notification', (method, params) => this.notificationEmitter.fire({ method, params }));
    kernel.on('exited', (exit, expected) => {
      if (this.kernel !== kernel) return;
      this.kernel = undefined;
      if (expected) {
        this.log.appendLine(`[neurite] kernel stopped`);
        this.setState('idle');
      } else {
        this.log.appendLine(`[neurite] kernel crashed: exit code ${exit.exitCode}, signal ${exit.signal}`);
        this.setState('crashed');
        this.crashEmitter.fire(exit);
      }
    });
    this.kernel = kernel;
    try {
      const info = await kernel.launch();
      this.log.appendLine(`[neurite] kernel ${info.version} ready in ${Date.now() - t0} ms (pid ${info.pid}, ${info.node})`);
      this.setState('ready');
      return kernel;
    } catch (e) {
      this.kernel = undefined;
      this.log.appendLine(`[neurite] kernel failed to start: ${(e as Error).message}`);
      this.setState('crashed');
      throw e;
    }
  }

  /** Stop the kernel (cancelling its runs) and start a fresh one. */
  async restart(): Promise<KernelProcess> {
    this.stop();
    return this.get();
  }

  stop(): void {
    const k = this.kernel;
    this.kernel = undefined;
    k?.dispose();
    this.setState('idle');
  }

  dispose(): void {
    this.stop();
    this.stateEmitter.dispose();
    this.notificationEmitter.dispose();
    this.crashEmitter.dispose();
  }
}
