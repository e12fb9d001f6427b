// Helpers shared by the tests that run inside VS Code's extension host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import Mocha = require('mocha');

export const EXTENSION_ID = 'neurite.neurite';

/** What `neurite.runExperiment` resolves with (the extension's contract). */
export interface RunResult {
  runId: string;
  dir: string;
  status: 'completed' | 'failed' | 'cancelled';
  summary: Record<string, unknown>;
}

export interface KernelInfo {
  pid: number;
  version: string;
  kinds: string[];
  [k: string]: unknown;
}

export function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests need a workspace folder (a copy of test/vscode/workspace)');
  return f.uri.fsPath;
}

export function fixture(name: string): vscode.Uri {
  const p = path.join(workspaceRoot(), name);
  assert.ok(fs.existsSync(p), `fixture ${name} is missing from the workspace ${workspaceRoot()}`);
  return vscode.Uri.file(p);
}

export function runsDir(): string {
  return path.join(workspaceRoot(), '.neurite', 'runs');
}

export function listRuns(): string[] {
  const d = runsDir();
  return fs.existsSync(d) ? fs.readdirSync(d).filter((n) => fs.statSync(path.join(d, n)).isDirectory()).sort() : [];
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Parsed lines of a run's metrics.jsonl (a half-written last line is ignored). */
export function readMetrics(dir: string): Record<string, unknown>[] {
  const f = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(f)) return [];
  const text = fs.readFileSync(f, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, sleep(ms).then((): never => { throw new Error(`${what} did not happen within ${ms} ms`); })]);
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number, everyMs = 25): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The run folder that appeared since `before` (a listRuns() snapshot), once it exists. */
export function newRunDir(before: string[], nameHint?: string): string | undefined {
  const fresh = listRuns().filter((n) => !before.includes(n) && (!nameHint || n.includes(nameHint)));
  return fresh.length ? path.join(runsDir(), fresh[fresh.length - 1]) : undefined;
}

/** Starts a run without awaiting it; the promise never rejects unhandled (settled is kept). */
export function startRun(spec: vscode.Uri): { done: Promise<RunResult>; settled: Promise<RunResult | Error> } {
  const done = Promise.resolve(vscode.commands.executeCommand<RunResult>('neurite.runExperiment', spec));
  const settled = done.then((r) => r, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  return { done, settled };
}

export async function kernelInfo(): Promise<KernelInfo> {
  const info = await vscode.commands.executeCommand<KernelInfo>('neurite.kernelInfo');
  assert.ok(info && typeof info === 'object', `neurite.kernelInfo returned ${JSON.stringify(info)}`);
  return info;
}

export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Processes whose parent is this extension host and whose command line mentions `needle` (Linux /proc). */
export function childProcesses(needle: RegExp): { pid: number; cmd: string }[] {
  if (process.platform !== 'linux') return [];
  const out: { pid: number; cmd: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (needle.test(cmd)) out.push({ pid: Number(name), cmd });
    } catch { /* the process went away */ }
  }
  return out;
}

/** The run id a folder stands for: spec.json's runId/id when it says, else the folder name. */
export function runIdOf(dir: string): string {
  try {
    const spec = readJson(path.join(dir, 'spec.json'));
    for (const k of ['runId', 'id']) if (typeof spec[k] === 'string') return spec[k] as string;
  } catch { /* spec.json not written yet */ }
  return path.basename(dir);
}

/** Prints a measurement under the current test, through mocha's reporter (so it lands in the report). */
export function log(...args: unknown[]): void {
  Mocha.reporters.Base.consoleLog('      ·', ...args);
}
