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
];
const KERNEL_CMD = /kernel/i;

/**
 * Activation time as the extension host itself measured it: VS Code marks
 * code/extHost/{willLoadExtensionCode,willActivateExtension,didActivateExtension}/<id>
 * (globalThis.MonacoPerformanceMarks, shared with the extensions it hosts). Undefined when absent.
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
  test('activating Neurite is cheap: it takes under a second and does not start the kernel', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    await ext.activate();
    const ms = performance.now() - t0;
    const host = hostActivationMarks(EXTENSION_ID);
    const hostSays = host ? `host marks: load ${host.loadMs} ms + activate() ${host.activateMs} ms` : 'no host marks';
    // The workspace holds *.neurite.yaml, so workspaceContains usually activates it before the tests begin.
    log(`activation: ${wasActive ? 'already active at test start' : `activate() took ${ms.toFixed(1)} ms`}; ${hostSays}`);
    const total = wasActive ? (host ? host.loadMs + host.activateMs : 0) : ms;
    assert.ok(total < 1000, `activation took ${total.toFixed(0)} ms (${hostSays})`);
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
