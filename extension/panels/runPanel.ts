/**
 * The run panel: one webview, reused — opening another run shows it in the same panel instead
 * of a further split. Shows progress, metric curves, traces and the summary; live while the run
 * is active. Survives reloads through a WebviewPanelSerializer (the webview keeps its run folder
 * in its state).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { MetricTable } from '../../kernel/protocol/metrics';
import { runPanelOutbound, type RunPanelInbound } from '../../kernel/protocol/panels';
import type { RunDetails } from '../../kernel/protocol/types';
import { readRunDetails, runInfo } from '../../kernel/runs/store';
import { editNotes } from '../runs/notes';
import type { RunTracker } from '../runs/tracker';
import { openRunFile, saveExport } from './exportChart';
import { webviewHtml, webviewOptions } from './html';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  tracker: RunTracker;
  /** Today's metric declaration of a kind, for run folders older than metrics-meta.json. */
  metaFor(kind: string): Promise<MetricTable | undefined>;
  /** A run's notes changed (the Runs view shows them). */
  notesChanged(): void;
}

export class RunPanel implements vscode.Disposable {
  static readonly viewType = 'neurite.run';
  private static readonly panels = new Set<RunPanel>();
  /** The panel new runs open in: the one last active. */
  private static current: RunPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private dir: string;

  /** Show the run in `dir`: in the open run panel if there is one, else in a new panel beside the editor. */
  static createOrShow(deps: PanelDeps, dir: string): RunPanel {
    const open = RunPanel.current;
    if (open) {
      open.show(dir);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(RunPanel.viewType, path.basename(dir), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(deps.extensionUri));
    return new RunPanel(panel, deps, dir);
  }

  /** Whether some run panel shows the run in `dir` now. */
  static isOpen(dir: string): boolean {
    return [...RunPanel.panels].some((p) => p.dir === dir);
  }

  /** Rebuild a panel after a reload from the state its webview saved. */
  static revive(panel: vscode.WebviewPanel, deps: PanelDeps, state: unknown): void {
    const dir = (state as { dir?: unknown } | undefined)?.dir;
    if (typeof dir !== 'string' || !fs.existsSync(path.join(dir, 'spec.json'))) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(deps.extensionUri);
    new RunPanel(panel, deps, dir);
  }

  static disposeAll(): void {
    for (const p of [...RunPanel.panels]) p.dispose();
  }

  get runId(): string {
    return path.basename(this.dir);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PanelDeps, dir: string) {
    this.dir = dir;
    RunPanel.panels.add(this);
    RunPanel.current = this;
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'run-panel', this.runId);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => e.webviewPanel.active && (RunPanel.current = this)),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      deps.tracker.onRunEvent((e) => {
        if (e.runId !== this.runId) return;
        const msg: RunPanelInbound =
          e.method === 'run/progress' ? { type: 'progress', fraction: e.params.fraction, message: e.params.message }
          : e.method === 'run/metric' ? { type: 'metric', record: e.params.record }
          : e.method === 'run/trace' ? { type: 'trace', name: e.params.name, trace: e.params.trace }
          : e.method === 'run/log' ? { type: 'log', level: e.params.level, message: e.params.message }
          : { type: 'end', summary: e.params.summary };
        void this.post(msg);
      }),
    );
  }

  /** Show another run here (or this one again). */
  show(dir: string): void {
    if (dir !== this.dir) {
      this.dir = dir;
      this.panel.title = this.runId;
      void this.sendDetails();
    }
    this.panel.reveal(undefined, true);
  }

  private post(msg: RunPanelInbound): Thenable<boolean> {
    return this.panel.webview.postMessage(msg);
  }

  /** Messages from the webview are untrusted input: validated, and a bad one is logged, not obeyed. */
  private receive(raw: unknown): void {
    const parsed = runPanelOutbound.safeParse(raw);
    if (!parsed.success) {
      console.warn(`[neurite] run panel sent an invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
      return;
    }
    const m = parsed.data;
    const fail = (e: unknown) => vscode.window.showErrorMessage(`Neurite: ${(e as Error).message}`);
    if (m.type === 'ready') void this.sendDetails();
    else if (m.type === 'cancel') void this.deps.tracker.cancel(this.runId).catch(fail);
    else if (m.type === 'export') void saveExport(m, this.dir).then(undefined, fail);
    else if (m.type === 'openWaveforms' || m.type === 'openSwimmer') void vscode.commands.executeCommand(m.type === 'openWaveforms' ? 'neurite.openWaveforms' : 'neurite.showSwimmer', this.dir).then(undefined, fail);
    else if (m.type === 'editNotes') {
      void editNotes(this.dir, this.runId).then((notes) => {
        if (!notes) return;
        void this.post({ type: 'notes', notes: notes.note || notes.tags.length ? notes : null });
        this.deps.notesChanged();
      }, fail);
    } else {
      const file = path.resolve(this.dir, m.file);
      // the schema allows only run-relative names without '..'; check the file is there, inside the folder
      if (!file.startsWith(path.resolve(this.dir) + path.sep) || !fs.existsSync(file)) void vscode.window.showWarningMessage(`Neurite: ${m.file} is not in ${this.runId}`);
      else void openRunFile(file).then(undefined, fail);
    }
  }

  private async sendDetails(): Promise<void> {
    const dir = this.dir;
    // Today's declaration for a folder older than metrics-meta.json: asked for first, so that the
    // folder is read and posted in one go (no live event can fall between the two).
    const kind = fs.existsSync(path.join(dir, 'metrics-meta.json')) ? undefined : runInfo(dir).kind;
    const meta = kind ? await this.deps.metaFor(kind).catch(() => undefined) : undefined;
    if (dir !== this.dir) return; // another run was shown meanwhile
    let details: RunDetails;
    try {
      details = readRunDetails(dir);
    } catch (e) {
      void vscode.window.showErrorMessage(`Neurite: cannot open run: ${(e as Error).message}`);
      this.panel.dispose();
      return;
    }
    if (!details.meta && meta) details.meta = meta;
    const active = this.deps.tracker.get(this.runId);
    void this.post({ type: 'details', details, active: active ? { fraction: active.fraction, message: active.message } : null });
  }

  dispose(): void {
    RunPanel.panels.delete(this);
    if (RunPanel.current === this) RunPanel.current = [...RunPanel.panels].pop();
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
