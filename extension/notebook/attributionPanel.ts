/**
 * The attribution panel: one webview per run showing its stored attribution records (read from
 * artifacts/attribution/, validated, never recomputed), opened at a layer or neuron by a click
 * on an inline summary. Survives reloads through a WebviewPanelSerializer.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { attributionRecord } from '../../kernel/protocol/attribution';
import { attributionOutput, attributionPanelOutbound, type AttributionOutput, type AttributionPanelInbound } from '../../kernel/protocol/notebook';
import { webviewHtml, webviewOptions } from '../panels/html';

export interface AttributionTarget {
  run: string;
  layer?: string;
  neuron?: number;
}

/** A run's stored records, summarised for views; a record that fails validation is skipped with a warning. */
export function readStoredOutputs(runDir: string, warn: (m: string) => void = () => undefined): AttributionOutput[] {
  const folder = path.join(runDir, 'artifacts', 'attribution');
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const parsed = attributionRecord.safeParse(JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')));
      if (!parsed.success) {
        warn(`${f}: not a neurite-attribution-1 record (${parsed.error.issues[0]?.message})`);
        return [];
      }
      return [attributionOutput(parsed.data, path.basename(runDir))];
    });
}

export class AttributionPanel implements vscode.Disposable {
  static readonly viewType = 'neurite.attribution';
  private static readonly panels = new Map<string, AttributionPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  static createOrShow(extensionUri: vscode.Uri, target: AttributionTarget): AttributionPanel {
    const existing = AttributionPanel.panels.get(target.run);
    if (existing) {
      existing.target = target;
      existing.panel.reveal(undefined, true);
      existing.send();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(AttributionPanel.viewType, `Attribution · ${path.basename(target.run)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    return new AttributionPanel(panel, extensionUri, target);
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): void {
    const run = (state as { run?: unknown } | undefined)?.run;
    if (typeof run !== 'string') return panel.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    new AttributionPanel(panel, extensionUri, { run });
  }

  static disposeAll(): void {
    for (const p of AttributionPanel.panels.values()) p.dispose();
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private target: AttributionTarget) {
    AttributionPanel.panels.set(target.run, this);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'attribution-panel', `Attribution · ${path.basename(target.run)}`);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (attributionPanelOutbound.safeParse(m).success) this.send();
      }),
    );
  }

  private send(): void {
    const records = readStoredOutputs(this.target.run, (m) => void vscode.window.showWarningMessage(`Neurite: ${m}`));
    const msg: AttributionPanelInbound = { type: 'records', run: this.target.run, records, focus: { layer: this.target.layer, neuron: this.target.neuron } };
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    AttributionPanel.panels.delete(this.target.run);
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}
