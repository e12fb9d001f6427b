/** Shared helpers for unit tests: temp folders and running the compiled CLI. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
