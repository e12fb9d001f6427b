/** Shared helpers for unit tests: temp folders, the compiled CLI, the kernel process, input errors, a source's trace. */
import * as assert from 'assert';
import { fork, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type CancellationToken } from 'vscode-jsonrpc/node';
import { SourceBank, type Waveform } from '../../kernel/circuits/waveforms';
import { main } from '../../kernel/cli';
import { InputError } from '../../kernel/core/errors';
import { Rng } from '../../kernel/core/rng';
import { loadSpec } from '../../kernel/runs/runner';

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

/**
 * `neurite <argv>` in this process (kernel/cli.ts main, stdout and stderr captured): as the
 * compiled CLI behaves, without a Node start per call.
 */
export async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => ((out.stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((out.stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}

/**
 * `neurite run <file> [extra…]` of a malformed spec, in process: asserts exit 2 and that no run
 * folder was written, and returns stderr (every problem, as the user sees them).
 */
export async function rejectedRun(file: string, extra: string[] = []): Promise<string> {
  const out = path.join(tempDir('neurite-rejected-'), 'runs');
  const r = await runMain(['run', file, '--out', out, '-q', ...extra]);
  assert.strictEqual(r.code, 2, `expected exit 2 (bad input), got ${r.code}: ${r.stderr}`);
  assert.ok(!fs.existsSync(out), 'a rejected spec must not create a run folder');
  return r.stderr;
}

/**
 * A malformed spec file is rejected before any work: loadSpec throws an InputError whose
 * problems match every pattern, and `neurite run` exits 2, writes nothing and prints each problem.
 */
export async function assertRejected(file: string, expect: RegExp[]): Promise<void> {
  const err = inputErrorOf(() => loadSpec({ specPath: file }));
  const text = `${err.problems.join('\n')}\n${err.message}`;
  for (const re of expect) assert.match(text, re);
  const stderr = await rejectedRun(file);
  for (const p of err.problems) assert.ok(stderr.includes(p), `stderr lacks "${p}":\n${stderr}`);
}

/** A circuit source's value after each of `steps` steps of `h` (noise drawn with seed 3). */
export function sourceTrace(w: Waveform, steps: number, h = 1e-12): number[] {
  const bank = new SourceBank([w], [false], new Rng(3));
  const out: number[] = [];
  for (let n = 1; n <= steps; n++) {
    bank.advance(n * h);
    out.push(bank.values[0]);
  }
  return out;
}
