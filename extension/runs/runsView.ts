/** The Runs view: the workspace's run store, newest first, with live status of active runs. */
import * as vscode from 'vscode';
import { listRuns, type RunInfo } from '../../kernel/runs/store';
import { hasPose } from '../../kernel/swimmer/pose';
import type { RunTracker } from './tracker';

const icons: Record<RunInfo['status'] | 'running', vscode.ThemeIcon> = {
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  incomplete: new vscode.ThemeIcon('warning'),
  running: new vscode.ThemeIcon('sync~spin'),
};

export class RunsView implements vscode.TreeDataProvider<RunInfo>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The run store as last read; progress redraws reuse it instead of reading every run folder again. */
  private runs: RunInfo[] | undefined;
  private activeIds = '';

  constructor(private readonly root: () => string, private readonly tracker: RunTracker) {
    this.subscriptions.push(tracker.onDidChange(() => this.trackerChanged()));
    const watcher = vscode.workspace.createFileSystemWatcher('**/.neurite/runs/*/summary.json');
    this.subscriptions.push(watcher, watcher.onDidCreate(() => this.refresh()), watcher.onDidDelete(() => this.refresh()));
  }

  /** Read the run store again and redraw. */
  refresh(): void {
    this.runs = undefined;
    this.emitter.fire();
  }

  /** A run started or ended: read the store again; only progress moved: redraw what we have. */
  private trackerChanged(): void {
    const ids = this.tracker.active.map((r) => r.runId).join('\n');
    if (ids !== this.activeIds) {
      this.activeIds = ids;
      this.refresh();
    } else this.emitter.fire();
  }

  getChildren(element?: RunInfo): RunInfo[] {
    return element ? [] : (this.runs ??= listRuns(this.root()));
  }

  getTreeItem(run: RunInfo): vscode.TreeItem {
    const active = this.tracker.get(run.id);
    const item = new vscode.TreeItem(run.id, vscode.TreeItemCollapsibleState.None);
    item.description = active ? `${run.kind ?? ''} ${Math.round(active.fraction * 100)}%` : `${run.kind ?? ''} · ${run.status}`;
    item.iconPath = active ? icons.running : icons[run.status];
    item.tooltip = new vscode.MarkdownString(
      `**${run.id}**\n\n${run.kind ?? ''} — ${active ? 'running' : run.status}` +
        (run.status === 'incomplete' && !active ? '\n\nNo summary.json: the run did not finish.' : '') +
        (run.summary?.error ? `\n\n${run.summary.error.split('\n')[0]}` : ''),
    );
    item.contextValue = active ? 'neurite.run.active' : hasPose(run.dir) ? 'neurite.run.pose' : 'neurite.run'; // .pose: Show Swimmer in its menu
    item.command = { command: 'neurite.openRun', title: 'Open Run', arguments: [run.dir] };
    return item;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}
