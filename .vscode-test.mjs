// @vscode/test-cli configuration (`npx vscode-test`) for machines that can download VS Code.
// It runs the same suite as test/vscode/run.sh, which is what runs here (offline: code-server).
// Run after `npm run build && npm run compile`.
import { defineConfig } from '@vscode/test-cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The tests write runs into the workspace: give them a fresh copy of the fixture, outside the repo
// (so its specs never show up in the repo's own workspace).
const workspace = path.join(os.tmpdir(), 'neurite-vscode-test-workspace');
fs.rmSync(workspace, { recursive: true, force: true });
fs.cpSync('test/vscode/workspace', workspace, { recursive: true });

export default defineConfig({
  label: 'neurite',
  // activation first: it checks that nothing has started the kernel yet (test-cli keeps this order)
  files: ['out/test/vscode/suite/activation.test.js', 'out/test/vscode/suite/**/*.test.js'],
  version: 'stable',
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 120_000, color: true },
});
