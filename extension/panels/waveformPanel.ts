/**
 * The waveform viewer: one webview per run folder or CSV file. The extension host reads the
 * full-resolution CSVs once (streamed, so the host stays responsive) and answers the viewer's
 * requests for the window it shows and for cursor readings. Survives reloads through a
 * WebviewPanelSerializer (the viewer keeps its source, view and cursors in its state).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { waveformOutbound, waveformSourceRef, type WaveformInbound, type WaveformSourceRef } from '../../kernel/protocol/waveforms';
import { answer, openMessage } from '../../kernel/waveforms/answer';
import { loadCsvWaveforms, loadRunWaveforms, type WaveformSet } from '../../kernel/waveforms/sources';
import { webviewHtml, webviewOptions } from './html';

export class WaveformPanel implements vscode.Disposable {
  static readonly viewType = 'neurite.waveforms';
  private static readonly panels = new Map<string, WaveformPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private set: WaveformSet | undefined;
  private failed: string | undefined;
  private ready = false;

  static createOrShow(extensionUri: vscode.Uri, source: WaveformSourceRef): WaveformPanel {
    const existing = WaveformPanel.panels.get(keyOf(source));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(WaveformPanel.viewType, titleOf(source), { viewColumn: vscode.ViewColumn.Active }, webviewOptions(extensionUri));
    return new WaveformPanel(panel, extensionUri, source);
  }

  /** Rebuild a viewer after a reload from the source its webview saved. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
    const source = waveformSourceRef.safeParse((state as { source?: unknown } | undefined)?.source);
    if (!source.success) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(extensionUri);
    new WaveformPanel(panel, extensionUri, source.data);
  }

  static disposeAll(): void {
    for (const p of WaveformPanel.panels.values()) p.dispose();
  }

  /** Resolves once the data is read (or failed to be). */
  readonly loaded: Promise<void>;

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: WaveformSourceRef) {
    WaveformPanel.panels.set(keyOf(source), this);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'waveforms', titleOf(source));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
    );
    const progress = (message: string) => void this.post({ type: 'loading', source, title: titleOf(source), message });
    this.loaded = ('run' in source ? loadRunWaveforms(source.run, progress) : loadCsvWaveforms(source.csv, progress)).then(
      (set) => {
        this.set = set;
        if (this.ready) this.sendOpen();
      },
      (e: Error) => {
        this.failed = e.message;
        if (this.ready) void this.post({ type: 'error', message: e.message });
      },
    );
  }

  private post(msg: WaveformInbound): Thenable<boolean> {
    return this.panel.webview.postMessage(msg);
  }

  private sendOpen(): void {
    void this.post(openMessage(this.set!, this.source));
  }

  /** Messages from the webview are untrusted input: validated, and a bad one is logged, not obeyed. */
  private receive(raw: unknown): void {
    const parsed = waveformOutbound.safeParse(raw);
    if (!parsed.success) {
      console.warn(`[neurite] waveform viewer sent an invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') {
      this.ready = true;
      if (this.set) this.sendOpen();
      else if (this.failed) void this.post({ type: 'error', message: this.failed });
      else void this.post({ type: 'loading', source: this.source, title: titleOf(this.source), message: 'reading the waveforms…' });
      return;
    }
    if (this.set) void this.post(answer(this.set, m));
  }

  dispose(): void {
    WaveformPanel.panels.delete(keyOf(this.source));
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
    this.set = undefined;
  }
}

function keyOf(s: WaveformSourceRef): string {
  return 'run' in s ? `run:${path.resolve(s.run)}` : `csv:${path.resolve(s.csv)}`;
}

function titleOf(s: WaveformSourceRef): string {
  return `Waveforms · ${path.basename('run' in s ? s.run : s.csv)}`;
}
