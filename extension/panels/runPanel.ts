/**
 * The run panel: one webview per run, showing its progress, metrics as curves, traces and the
 * summary; live while the run is active. Survives reloads through a WebviewPanelSerializer.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { runPanelOutbound, type RunPanelInbound } from '../../kernel/protocol/panels';
import type { RunDetails } from '../../kernel/protocol/types';
import { readRunDetails } from '../../kernel/runs/store';
import type { RunTracker } from '../runs/tracker';
import { webviewHtml, webviewOptions } from './html';

export class RunPanel implements vscode.Disposable {
  static readonly viewType = 'neurite.run';
  private static readonly panels = new Map<string, RunPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Show the panel of the run in `dir`, creating it if needed. Returns the run id. */
  static createOrShow(extensionUri: vscode.Uri, tracker: RunTracker, dir: string): RunPanel {
    const existing = RunPanel.panels.get(dir);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RunPanel.viewType, path.basename(dir), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    return new RunPanel(panel, extensionUri, tracker, dir);
  }

  /** Rebuild a panel after a reload from the state its webview saved. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, tracker: RunTracker, state: unknown): void {
    const dir = (state as { dir?: unknown } | undefined)?.dir;
    if (typeof dir !== 'string') {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(extensionUri);
    new RunPanel(panel, extensionUri, tracker, dir);
  }

  static disposeAll(): void {
    for (const p of RunPanel.panels.values()) p.dispose();
  }

  readonly runId: string;

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly tracker: RunTracker, readonly dir: string) {
    this.runId = path.basename(dir);
    RunPanel.panels.set(dir, this);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'run-panel', this.runId);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      tracker.onRunEvent((e) => {
        if (e.runId !== this.runId) return;
        const msg: RunPanelInbound | undefined =
          e.method === 'run/progress' ? { type: 'progress', fraction: e.params.fraction, message: e.params.message }
          : e.method === 'run/metric' ? { type: 'metric', record: e.params.record }
          : e.method === 'run/trace' ? { type: 'trace', name: e.params.name, trace: e.params.trace }
          : e.method === 'run/log' ? { type: 'log', level: e.params.level, message: e.params.message }
          : { type: 'end', summary: e.params.summary };
        void this.post(msg);
      }),
    );
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
    if (m.type === 'ready') this.sendDetails();
    else if (m.type === 'cancel') void this.tracker.cancel(this.runId).catch((e) => vscode.window.showErrorMessage(`Neurite: ${(e as Error).message}`));
    else if (m.type === 'openWaveforms' || m.type === 'openSwimmer')
      void vscode.commands.executeCommand(m.type === 'openWaveforms' ? 'neurite.openWaveforms' : 'neurite.showSwimmer', this.dir).then(undefined, (e) => vscode.window.showErrorMessage(`Neurite: ${(e as Error).message}`));
    else void vscode.window.showTextDocument(vscode.Uri.file(path.join(this.dir, m.file)), { preview: true, viewColumn: vscode.ViewColumn.One });
  }

  private sendDetails(): void {
    let details: RunDetails;
    try {
      details = readRunDetails(this.dir) as RunDetails;
    } catch (e) {
      void vscode.window.showErrorMessage(`Neurite: cannot open run: ${(e as Error).message}`);
      this.panel.dispose();
      return;
    }
    const active = this.tracker.get(this.runId);
    void this.post({ type: 'details', details, active: active ? { fraction: active.fraction, message: active.message } : null });
  }

  dispose(): void {
    RunPanel.panels.delete(this.dir);
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
