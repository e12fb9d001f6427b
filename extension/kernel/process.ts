/**
 * The kernel process with an explicit life: launch once, request, dispose; an `exited` event
 * carrying exit code, signal and stderr tail. Every notification is validated on arrival.
 */
import { fork, type ChildProcess } from 'child_process';
import { EventEmitter } from 'events';
import { createMessageConnection, ResponseError, type MessageConnection } from 'vscode-jsonrpc/node';
import { IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { notificationSchemas, protocolProblems } from '../../kernel/protocol/schemas';
import { KernelErrorCodes, type Notifications, type Requests } from '../../kernel/protocol/types';
import { KernelDiedError, KernelInputError, KernelStartTimeoutError, type KernelExit } from './errors';

const TAIL_LINES = 40;

export interface KernelEvents {
  notification: [method: keyof Notifications, params: any];
  exited: [exit: KernelExit, expected: boolean];
  stderr: [text: string];
}

export class KernelProcess extends EventEmitter<KernelEvents> {
  private child: ChildProcess | undefined;
  private connection: MessageConnection | undefined;
  private stderrLines: string[] = [];
  private disposed = false;
  private exitInfo: KernelExit | undefined;

  constructor(private readonly entry: string, private readonly cwd: string) {
    super();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return !!this.child && this.exitInfo === undefined;
  }

  /** Fork the kernel and wait until it answers kernel/info. */
  async launch(timeoutMs = 20000): Promise<Requests['kernel/info'][1]> {
    if (this.child) throw new Error('KernelProcess.launch called twice');
    const child = fork(this.entry, [], {
      cwd: this.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    const onText = (chunk: Buffer) => {
      const text = chunk.toString();
      this.stderrLines.push(...text.split('\n').filter((l) => l.length > 0));
      if (this.stderrLines.length > TAIL_LINES) this.stderrLines.splice(0, this.stderrLines.length - TAIL_LINES);
      this.emit('stderr', text);
    };
    child.stderr!.on('data', onText);
    child.stdout!.on('data', onText);
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    this.connection = connection;
    for (const method of Object.keys(notificationSchemas) as (keyof Notifications)[]) {
      connection.onNotification(method, (params: unknown) => {
        const parsed = notificationSchemas[method].safeParse(params);
        if (!parsed.success) {
          this.emit('stderr', `[client] dropped invalid ${method}: ${protocolProblems(parsed.error).join('; ')}\n`);
          return;
        }
        this.emit('notification', method, params);
      });
    }
    const exited = new Promise<KernelExit>((resolve) => {
      child.on('exit', (exitCode, signal) => {
        this.exitInfo = { exitCode, signal, stderrTail: this.stderrTail() };
        connection.dispose();
        this.emit('exited', this.exitInfo, this.disposed);
        resolve(this.exitInfo);
      });
    });
    child.on('error', (e) => this.emit('stderr', `[client] ${e.message}\n`));
    connection.listen();
    const info = this.request('kernel/info', {});
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new KernelStartTimeoutError(timeoutMs, this.stderrTail())), timeoutMs).unref(),
    );
    const died = exited.then((exit) => Promise.reject(new KernelDiedError(exit)));
    try {
      return await Promise.race([info, timeout, died]);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** A typed request; kernel errors come back as typed errors. */
  async request<M extends keyof Requests>(method: M, params: Requests[M][0]): Promise<Requests[M][1]> {
    if (!this.connection || this.exitInfo) throw new KernelDiedError(this.exitInfo ?? { exitCode: null, signal: null, stderrTail: this.stderrTail() });
    try {
      return await this.connection.sendRequest(method, params);
    } catch (e) {
      if (e instanceof ResponseError) {
        const problems = (e.data as { problems?: string[] } | undefined)?.problems;
        if (e.code === KernelErrorCodes.BadInput || e.code === -32602 || e.code === KernelErrorCodes.UnknownRun) {
          throw new KernelInputError(e.message, problems ?? [e.message]);
        }
      }
      if (this.exitInfo) throw new KernelDiedError(this.exitInfo);
      throw e;
    }
  }

  stderrTail(lines = 15): string {
    return this.stderrLines.slice(-lines).join('\n');
  }

  /** Stop the kernel on purpose (no crash report). */
  dispose(): void {
    this.disposed = true;
    if (this.child && !this.exitInfo) {
      this.connection?.dispose();
      this.child.kill();
    }
  }
}
