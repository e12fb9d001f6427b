/** Shared helpers for unit tests: temp folders, the compiled CLI, the kernel process, input errors. */
import * as assert from 'assert';
import { fork, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type CancellationToken } from 'vscode-jsonrpc/node';
import { InputError } from '../../kernel/core/errors';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cliJs = path.join(repoRoot, 'out', 'kernel', 'cli.js');
export const kernelJs = path.join(repoRoot, 'out', 'kernel', 'server', 'main.js');

export function tempDir(prefix = 'neurite-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Run the compiled `neurite` CLI; returns exit code and output. */
export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', timeout: opts.timeoutMs ?? 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The last line of stdout parsed as JSON (the `--json` contract). */
export function lastJsonLine(stdout: string): any {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

export interface Note {
  method: string;
  params: any;
}

export interface KernelClient {
  readonly child: ChildProcess;
  /** Every notification so far, in order. */
  readonly notes: Note[];
  /** Everything the kernel wrote to stderr so far. */
  readonly stderr: string;
  /** A request; cancelling `token` sends JSON-RPC's $/cancelRequest. */
  request(method: string, params?: unknown, token?: CancellationToken): Promise<any>;
  /** The params of the first notification that `match` accepts (polled every 20 ms); rejects after `timeoutMs` so a failed test cannot keep the process alive. */
  until(match: (n: Note) => boolean, timeoutMs?: number): Promise<any>;
  dispose(): void;
}

/** The compiled kernel process over real node IPC and JSON-RPC, as the extension talks to it. */
export function startKernel(): KernelClient {
  const child = fork(kernelJs, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d)); // read, so a chatty kernel never blocks on a full pipe
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const notes: Note[] = [];
  conn.onNotification((method: string, params: any) => {
    notes.push({ method, params });
  });
  conn.listen();
  return {
    child,
    notes,
    get stderr() {
      return stderr;
    },
    request: (method, params, token) => (token ? conn.sendRequest(method, params, token) : conn.sendRequest(method, params)) as Promise<any>,
    async until(match, timeoutMs = 120000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = notes.find(match);
        if (hit) return hit.params;
        if (Date.now() > deadline) throw new Error(`no matching notification within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    dispose() {
      conn.dispose();
      child.kill();
    },
  };
}

/** The InputError that `f` throws (fails the test if it throws something else or nothing). */
export function inputErrorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${(e as Error)?.stack ?? e}`);
    return e;
  }
  assert.fail('expected an InputError');
}

/** The InputError that `p` rejects with (fails the test if it rejects with something else or resolves). */
export async function inputErrorFrom(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${(e as Error)?.stack ?? e}`);
    return e;
  }
  assert.fail('expected an InputError');
}
