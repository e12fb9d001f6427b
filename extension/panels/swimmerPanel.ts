/**
 * The swimmer view: one webview per ncap.swimmer run, animating the body from the run's
 * traces/pose.csv (read here, in the extension host, and sent once). Survives reloads through a
 * WebviewPanelSerializer (the view keeps its run, frame and speed in its state).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { swimmerOutbound, swimmerSourceRef, type SwimmerInbound, type SwimmerSourceRef } from '../../kernel/protocol/swimmer';
import { poseMessage, readPose } from '../../kernel/swimmer/pose';
import { webviewHtml, webviewOptions } from './html';

export class SwimmerPanel implements vscode.Disposable {
  static readonly viewType = 'neurite.swimmer';
  private static readonly panels = new Map<string, SwimmerPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private open: SwimmerInbound | undefined;
  private ready = false;

  static createOrShow(extensionUri: vscode.Uri, source: SwimmerSourceRef): SwimmerPanel {
    const existing = SwimmerPanel.panels.get(path.resolve(source.run));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(SwimmerPanel.viewType, titleOf(source), { viewColumn: vscode.ViewColumn.Active }, webviewOptions(extensionUri));
    return new SwimmerPanel(panel, extensionUri, source);
  }

  /** Rebuild a view after a reload from the run its webview saved. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
    const source = swimmerSourceRef.safeParse((state as { source?: unknown } | undefined)?.source);
    if (!source.success) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(extensionUri);
    new SwimmerPanel(panel, extensionUri, source.data);
  }

  static disposeAll(): void {
    for (const p of SwimmerPanel.panels.values()) p.dispose();
  }

  /** Resolves once the pose is read (or failed to be). */
  readonly loaded: Promise<void>;

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: SwimmerSourceRef) {
    SwimmerPanel.panels.set(path.resolve(source.run), this);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'swimmer', titleOf(source));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
    );
    this.loaded = readPose(source.run).then(
      (rec) => this.deliver(poseMessage(rec, source)),
      (e: Error) => this.deliver({ type: 'error', message: e.message }),
    );
  }

  private deliver(msg: SwimmerInbound): void {
    this.open = msg;
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  /** Messages from the webview are untrusted input: validated, and a bad one is logged, not obeyed. */
  private receive(raw: unknown): void {
    const parsed = swimmerOutbound.safeParse(raw);
    if (!parsed.success) {
      console.warn(`[neurite] swimmer view sent an invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
      return;
    }
    this.ready = true;
    const msg: SwimmerInbound = this.open ?? { type: 'loading', source: this.source, title: titleOf(this.source), message: 'reading the pose…' };
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    SwimmerPanel.panels.delete(path.resolve(this.source.run));
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
    this.open = undefined;
  }
}

function titleOf(s: SwimmerSourceRef): string {
  return `Swimmer · ${path.basename(s.run)}`;
}
