// Mocha entry loaded by the VS Code extension host (extensionTestsPath = out/test/vscode/index.js).
// Runs every out/test/vscode/suite/**/*.test.js in name order (activation first), reports with
// the spec reporter on the extension host's console, and also writes the report to
// $NEURITE_VSCODE_REPORT (set by test/vscode/run.sh), which the driver prints as it grows: the
// host's console only reaches the browser mixed with the workbench's own chatter.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha = require('mocha');

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

/**
 * Copies every line the reporter (and suite/util.ts `log`) prints into the report file. The
 * extension host makes console.* unassignable, so this hooks mocha's own Base.consoleLog.
 */
function teeReporterTo(file: string | undefined): () => void {
  if (!file) return () => undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  const Base = Mocha.reporters.Base;
  const original = Base.consoleLog;
  Base.consoleLog = (...args: unknown[]) => {
    try { fs.appendFileSync(file, util.format(...args) + '\n'); } catch { /* the report is best effort */ }
    original(...args);
  };
  return () => { Base.consoleLog = original; };
}

export async function run(): Promise<void> {
  const restore = teeReporterTo(process.env.NEURITE_VSCODE_REPORT);
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.NEURITE_VSCODE_TEST_TIMEOUT_MS ?? 120_000),
    grep: process.env.NEURITE_VSCODE_GREP || undefined,
  });
  const files = findTests(path.resolve(__dirname, 'suite'));
  if (files.length === 0) throw new Error(`no *.test.js under ${path.resolve(__dirname, 'suite')}`);
  files.forEach((f) => mocha.addFile(f));
  try {
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} test(s) failed`);
  } finally {
    restore();
  }
}
