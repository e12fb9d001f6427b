/**
 * The comparison dashboard: one webview, reused, for several runs (picked in the Runs view) or
 * a sweep's trials. The host reads the run folders (kernel/runs/compare.ts) and forwards live
 * metrics of runs still going; a sweep still running is re-read as its trials progress.
 * Survives reloads: the webview keeps what it compares in its state.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { compareOutbound, type CompareInbound, type CompareTarget } from '../../kernel/protocol/panels';
import { compareRuns, sweepRunDirs } from '../../kernel/runs/compare';
import type { KernelManager } from '../kernel/manager';
import type { RunTracker } from '../runs/tracker';
import { saveExport } from './exportChart';
import { webviewHtml, webviewOptions } from './html';

export interface CompareDeps {
  extensionUri: vscode.Uri;
  tracker: RunTracker;
  kernel: KernelManager;
}

export class ComparePanel implements vscode.Disposable {
  static readonly viewType = 'neurite.compare';
  private static current: ComparePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The webview's name of each run shown now → its folder (the webview names runs, never paths). */
  private dirs = new Map<string, string>();
  /** Run id (as live events name it) → the webview's name of the run. */
  private keys = new Map<string, string>();
  private rereadTimer: NodeJS.Timeout | undefined;
  private ready = false;

  /** Compare `target` in the open comparison panel, or in a new one. */
  static show(deps: CompareDeps, target: CompareTarget): ComparePanel {
    const open = ComparePanel.current;
    if (open) {
      open.target = target;
      open.panel.title = titleOf(target);
      if (open.ready) open.sendModel();
      open.panel.reveal(undefined, false);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, titleOf(target), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(deps.extensionUri));
    return new ComparePanel(panel, deps, target);
  }

  static revive(panel: vscode.WebviewPanel, deps: CompareDeps, state: unknown): void {
    const t = (state as { target?: CompareTarget } | undefined)?.target;
    const ok = t && ((typeof t.sweepDir === 'string' && fs.existsSync(t.sweepDir)) || (Array.isArray(t.dirs) && t.dirs.every((d) => typeof d === 'string')));
    if (!ok) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(deps.extensionUri);
    new ComparePanel(panel, deps, t);
  }

  static disposeAll(): void {
    ComparePanel.current?.dispose();
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly deps: CompareDeps, private target: CompareTarget) {
    ComparePanel.current?.dispose();
    ComparePanel.current = this;
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'compare', titleOf(target));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      deps.tracker.onRunEvent((e) => {
        const key = this.keys.get(e.runId);
        if (!key) return;
        if (e.method === 'run/metric') void this.post({ type: 'metric', run: key, record: e.params.record });
        else if (e.method === 'run/end') this.rereadSoon(0);
      }),
      deps.kernel.onNotification(({ method, params }) => {
        if (this.target.sweepDir && method.startsWith('sweep/') && path.resolve(params.dir ?? path.join(path.dirname(this.target.sweepDir), params.sweepId)) === path.resolve(this.target.sweepDir)) {
          this.rereadSoon(method === 'sweep/end' ? 0 : 2000);
        }
      }),
    );
  }

  /** Read the folders again (at most once per `ms`): a sweep's trials progressed, or a run ended. */
  private rereadSoon(ms: number): void {
    if (this.rereadTimer && ms > 0) return;
    clearTimeout(this.rereadTimer);
    this.rereadTimer = setTimeout(() => {
      this.rereadTimer = undefined;
      this.sendModel();
    }, ms);
  }

  private post(msg: CompareInbound): Thenable<boolean> {
    return this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    const parsed = compareOutbound.safeParse(raw);
    if (!parsed.success) {
      console.warn(`[neurite] comparison panel sent an invalid message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') {
      this.ready = true;
      this.sendModel();
    } else if (m.type === 'openRun') {
      const dir = this.dirs.get(m.run);
      if (dir) void vscode.commands.executeCommand('neurite.openRun', dir);
    } else {
      const folder = this.target.sweepDir ?? this.dirs.values().next().value ?? '';
      void saveExport(m, folder).then(undefined, (e) => vscode.window.showErrorMessage(`Neurite: ${(e as Error).message}`));
    }
  }

  private sendModel(): void {
    let dirs = this.target.dirs ?? [];
    let sweep;
    try {
      if (this.target.sweepDir) ({ dirs, sweep } = sweepRunDirs(this.target.sweepDir));
    } catch (e) {
      void vscode.window.showErrorMessage(`Neurite: cannot open the sweep: ${(e as Error).message}`);
      return;
    }
    const model = compareRuns(dirs, { sweep, title: sweep ? `Sweep ${sweep.id}` : undefined, running: (id) => !!this.deps.tracker.get(id) });
    this.dirs = new Map(model.runs.map((r) => [r.id, r.dir]));
    this.keys = new Map(model.runs.map((r) => [r.runId, r.id]));
    void this.post({ type: 'model', model, target: this.target });
  }

  dispose(): void {
    if (ComparePanel.current === this) ComparePanel.current = undefined;
    clearTimeout(this.rereadTimer);
    this.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.disposables.length = 0;
  }
}

function titleOf(t: CompareTarget): string {
  return t.sweepDir ? `Sweep ${path.basename(t.sweepDir)}` : `Compare ${t.dirs?.length ?? 0} runs`;
}
