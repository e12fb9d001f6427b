/** Neurite: Run Experiment… and Cancel Run. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../kernel/protocol/types';
import { KernelInputError } from '../kernel/errors';
import type { RunTracker } from '../runs/tracker';
import { findSpecs, workspaceRoot } from '../workspace';

export interface RunOutcome {
  runId: string;
  dir: string;
  status: RunSummary['status'];
  summary: RunSummary;
}

export interface RunCommandDeps {
  context: vscode.ExtensionContext;
  tracker: RunTracker;
  log: vscode.OutputChannel;
  openPanel(dir: string): void;
  /** A spec the kernel refused: show its problems at their lines; returns the error to reject with. */
  rejected?(uri: vscode.Uri, e: KernelInputError): Promise<Error>;
}

/** Pick a spec (or take `arg`), run it with a cancellable progress notification, resolve at its end. */
export async function runExperiment(deps: RunCommandDeps, arg?: vscode.Uri | string): Promise<RunOutcome | undefined> {
  const uri = await specArg(deps.context, arg, 'Neurite: Run Experiment');
  if (!uri) return undefined;
  await saveIfDirty(uri); // run what the user sees
  let run;
  try {
    run = await deps.tracker.start({ workspace: workspaceRoot(deps.context), specPath: uri.fsPath });
  } catch (e) {
    if (e instanceof KernelInputError) {
      deps.log.appendLine(`[neurite] ${path.basename(uri.fsPath)} rejected:\n  ${e.problems.join('\n  ')}`);
      if (deps.rejected) throw await deps.rejected(uri, e);
    }
    throw e; // VS Code shows the message; programmatic callers get the typed error
  }
  deps.log.appendLine(`[neurite] run ${run.runId} started → ${run.dir}`);
  if (vscode.workspace.getConfiguration('neurite').get<boolean>('openRunPanel', true)) deps.openPanel(run.dir);
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Neurite ${run.kind}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => void deps.tracker.cancel(run.runId).catch(() => undefined));
      let reported = 0;
      const sub = deps.tracker.onRunEvent((e) => {
        if (e.runId !== run.runId || e.method !== 'run/progress') return;
        const pct = Math.round(e.params.fraction * 100);
        progress.report({ increment: pct - reported, message: `${pct}% ${e.params.message ?? ''}` });
        reported = pct;
      });
      try {
        return await run.done;
      } finally {
        sub.dispose();
      }
    },
  );
  deps.log.appendLine(`[neurite] run ${run.runId} ${summary.status}${summary.error ? `: ${summary.error}` : ''}`);
  announce(deps, run.dir, summary);
  return { runId: run.runId, dir: run.dir, status: summary.status, summary };
}

function announce(deps: RunCommandDeps, dir: string, summary: RunSummary): void {
  const open = 'Open Run';
  const show =
    summary.status === 'completed'
      ? vscode.window.showInformationMessage(`Neurite: ${summary.id} completed.`, open)
      : summary.status === 'cancelled'
        ? vscode.window.showWarningMessage(`Neurite: ${summary.id} cancelled.`, open)
        : vscode.window.showErrorMessage(`Neurite: ${summary.id} failed: ${summary.error?.split('\n')[0] ?? 'unknown error'}`, open);
  void show.then((choice) => choice === open && deps.openPanel(dir));
}

/** The spec a command was given (a path or a URI), else the one the user picks. */
export async function specArg(context: vscode.ExtensionContext, arg: vscode.Uri | string | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (arg) return typeof arg === 'string' ? vscode.Uri.file(arg) : arg;
  return pickSpec(context, title);
}

/** Save the spec's editor if it has unsaved changes. */
export async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document?.isDirty) await document.save();
}

async function pickSpec(context: vscode.ExtensionContext, title: string): Promise<vscode.Uri | undefined> {
  const specs = await findSpecs(context);
  if (specs.length === 0) {
    void vscode.window.showWarningMessage('Neurite: no *.neurite.yaml or *.neurite.json spec in this workspace.');
    return undefined;
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const pick = await vscode.window.showQuickPick(
    specs.map((s) => ({
      label: path.basename(s.uri.fsPath),
      description: s.sample ? 'sample' : root ? path.relative(root, path.dirname(s.uri.fsPath)) || '.' : undefined,
      uri: s.uri,
    })),
    { title, placeHolder: 'Pick an experiment spec' },
  );
  return pick?.uri;
}

/** Cancel one active run: the argument, the only one, or a pick. */
export async function cancelRun(tracker: RunTracker, runId?: string): Promise<boolean> {
  const active = tracker.active;
  let id = runId;
  if (!id) {
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Neurite: no run in progress.');
      return false;
    }
    id = active.length === 1 ? active[0].runId : (await vscode.window.showQuickPick(active.map((r) => r.runId), { title: 'Cancel which run?' }));
  }
  if (!id) return false;
  await tracker.cancel(id);
  return true;
}
