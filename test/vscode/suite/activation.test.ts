// Runs first (index.ts loads suites in name order): nothing has asked for the kernel yet.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, childProcesses, isAlive, kernelInfo, log } from './util';

const COMMANDS = [
  'neurite.runExperiment',
  'neurite.kernelInfo',
  'neurite.cancelRun',
  'neurite.restartKernel',
  'neurite.openRun',
  'neurite.showKernelLog',
  'neurite.refreshRuns',
  'neurite.compareRuns',
  'neurite.openSweep',
  'neurite.revealRun',
  'neurite.deleteRun',
  'neurite.editRunNotes',
  'neurite.filterRuns',
  'neurite.clearRunsFilter',
];
const KERNEL_CMD = /kernel/i;

/**
 * Activation time as the extension host itself measured it: VS Code marks
 * code/extHost/{willLoadExtensionCode,willActivateExtension,didActivateExtension}/<id>
 * (globalThis.MonacoPerformanceMarks, shared with the extensions it hosts): load = require of
 * the main file and the extension context, activate = activate() until its promise settles.
 * Undefined when absent.
 */
function hostActivationMarks(id: string): { loadMs: number; activateMs: number } | undefined {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  const marks = perf?.getMarks() ?? [];
  const at = (what: string) => marks.filter((m) => m.name === `code/extHost/${what}/${id}`).at(-1)?.startTime;
  const [load, will, did] = [at('willLoadExtensionCode'), at('willActivateExtension'), at('didActivateExtension')];
  if (load === undefined || will === undefined || did === undefined) return undefined;
  return { loadMs: will - load, activateMs: did - will };
}

suite('Activation', () => {
  test('activating Neurite is cheap: VS Code measures it under a second, and it does not start the kernel', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    await ext.activate();
    const ms = performance.now() - t0;
    // The workspace holds *.neurite.yaml, so workspaceContains usually activates it before the
    // tests begin: then only the host's own marks saw it, and without them there is no measurement.
    const host = hostActivationMarks(EXTENSION_ID);
    const mine = wasActive ? 'already active at test start' : `activate() awaited here took ${ms.toFixed(1)} ms`;
    assert.ok(host, `no activation measurement: the extension host has no code/extHost/*/${EXTENSION_ID} marks (${mine})`);
    const hostSays = `host marks: load ${host.loadMs} ms + activate() ${host.activateMs} ms`;
    log(`activation: ${mine}; ${hostSays}`);
    assert.ok(host.loadMs + host.activateMs < 1000, `activation took ${host.loadMs + host.activateMs} ms (${hostSays})`);
    if (!wasActive) assert.ok(ms < 1000, `activation took ${ms.toFixed(0)} ms as awaited here (${hostSays})`);
    const kernels = childProcesses(KERNEL_CMD);
    assert.deepStrictEqual(kernels, [], `activation started a kernel: ${JSON.stringify(kernels)}`);
  });

  test('every Neurite command is registered once the extension is active', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((c) => !all.has(c));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  test('kernelInfo starts the kernel on first use and reports its pid, version and the dendrite.sdr kind', async () => {
    const t0 = performance.now();
    const info = await kernelInfo();
    log(`kernel start (first kernelInfo): ${(performance.now() - t0).toFixed(0)} ms; pid ${info.pid}, version ${info.version}`);
    assert.ok(Number.isInteger(info.pid) && info.pid > 0, `pid: ${info.pid}`);
    assert.ok(isAlive(info.pid), `kernel pid ${info.pid} is not a live process`);
    assert.notStrictEqual(info.pid, process.pid, 'the kernel must be its own process, not the extension host');
    assert.ok(typeof info.version === 'string' && info.version.length > 0, `version: ${info.version}`);
    assert.ok(Array.isArray(info.kinds) && info.kinds.includes('dendrite.sdr'), `kinds: ${JSON.stringify(info.kinds)}`);
    // The /proc check the first test relies on must be able to see the kernel it says is absent.
    const seen = childProcesses(KERNEL_CMD).map((p) => p.pid);
    if (!seen.includes(info.pid)) log(`note: kernel pid ${info.pid} is not a direct child matching ${KERNEL_CMD} (children: ${JSON.stringify(seen)})`);
    const again = await kernelInfo();
    assert.strictEqual(again.pid, info.pid, 'a second kernelInfo must reuse the running kernel');
  });
});
