/**
 * Activation: register commands, the Runs view, the status bar and the panel serializer.
 * Cheap on purpose: the kernel starts on the first command that needs it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { KernelDiedError } from './kernel/errors';
import { KernelManager } from './kernel/manager';
import { cancelRun, runExperiment, type RunCommandDeps } from './commands/run';
import { runSweep, type SweepCommandOptions } from './commands/sweep';
import { RunPanel } from './panels/runPanel';
import { RunsView } from './runs/runsView';
import { RunTracker } from './runs/tracker';
import { createStatusBar } from './statusBar';
import { registerNotebooks } from './notebook/activate';
import { runsFolder, workspaceRoot } from './workspace';
import { registerViews } from './views';
import { showRejectedSpec } from './spec-language/rejected';
import { listRuns } from '../kernel/runs/store';

export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('Neurite');
  const kernel = new KernelManager(context.asAbsolutePath(path.join('dist', 'kernel.js')), workspaceRoot(context), log);
  const tracker = new RunTracker(kernel);
  const runsView = new RunsView(() => runsFolder(context), tracker);
  const openPanel = (dir: string) => RunPanel.createOrShow(context.extensionUri, tracker, dir).runId;
  const views = registerViews(context, kernel); // waveform viewer, configuration form, YAML spec support
  const deps: RunCommandDeps = { context, tracker, log, openPanel, rejected: (uri, e) => showRejectedSpec(views.diagnostics, uri, e) };

  kernel.onDidCrash((exit) => {
    const err = new KernelDiedError(exit);
    void vscode.window.showErrorMessage(`Neurite: ${err.message.split('\n')[0]}`, { detail: exit.stderrTail }, 'Restart Kernel', 'Show Log').then((choice) => {
      if (choice === 'Restart Kernel') void vscode.commands.executeCommand('neurite.restartKernel');
      if (choice === 'Show Log') log.show();
    });
  });

  context.subscriptions.push(
    log,
    kernel,
    tracker,
    runsView,
    vscode.window.registerTreeDataProvider('neurite.runs', runsView),
    createStatusBar(kernel, tracker),
    vscode.window.registerWebviewPanelSerializer(RunPanel.viewType, {
      async deserializeWebviewPanel(panel, state) {
        RunPanel.revive(panel, context.extensionUri, tracker, state);
      },
    }),
    { dispose: () => RunPanel.disposeAll() },
    vscode.commands.registerCommand('neurite.runExperiment', (arg?: vscode.Uri | string) => runExperiment(deps, arg)),
    vscode.commands.registerCommand('neurite.runSweep', (arg?: vscode.Uri | string, options?: SweepCommandOptions) => runSweep({ context, kernel, log }, arg, options)),
    vscode.commands.registerCommand('neurite.cancelRun', (runId?: string) => cancelRun(tracker, typeof runId === 'string' ? runId : undefined)),
    vscode.commands.registerCommand('neurite.restartKernel', async () => {
      const k = await kernel.restart();
      void vscode.window.setStatusBarMessage(`Neurite kernel restarted (pid ${k.pid})`, 3000);
      return k.pid;
    }),
    vscode.commands.registerCommand('neurite.kernelInfo', async () => ({ ...(await kernel.request('kernel/info', {})), pid: kernel.pid })),
    vscode.commands.registerCommand('neurite.openRun', async (arg?: string | { dir?: string }) => {
      const dir = typeof arg === 'string' ? arg : arg?.dir ?? (await pickRun(runsFolder(context)));
      if (!dir) return undefined;
      if (!fs.existsSync(path.join(dir, 'spec.json'))) throw new Error(`Neurite: ${dir} is not a run folder (no spec.json)`);
      return openPanel(dir);
    }),
    vscode.commands.registerCommand('neurite.showKernelLog', () => log.show(true)),
    vscode.commands.registerCommand('neurite.refreshRuns', () => runsView.refresh()),
  );
  const notebooks = registerNotebooks(context, kernel, tracker);
  return { kernel, tracker, notebooks };
}

async function pickRun(root: string): Promise<string | undefined> {
  const runs = listRuns(root);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Neurite: no runs yet. Run an experiment first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.id, description: `${r.kind ?? ''} · ${r.status}`, dir: r.dir })),
    { title: 'Neurite: Open Run', placeHolder: 'Pick a run' },
  );
  return pick?.dir;
}

export function deactivate() {
  RunPanel.disposeAll();
}
