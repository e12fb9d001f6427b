/**
 * The Runs view: the workspace's sweeps (their trials' runs grouped under them) and runs, newest
 * first, with live status of active runs. Each run is labelled by its name and start time (not
 * the timestamped folder name), described by kind, status and its key metric, with a tooltip
 * giving duration, spec, key metrics, notes and tags. Several rows can be selected (Compare
 * Runs); a filter by kind, spec name or tag narrows the list.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatValue, metricMeta, type MetricTable } from '../../kernel/protocol/metrics';
import { listRuns, readMetricsMeta, type RunInfo } from '../../kernel/runs/store';
import { readSweep, sweepsRoot, trialStates, type SweepRecord } from '../../kernel/sweeps/store';
import { hasPose } from '../../kernel/swimmer/pose';
import type { RunTracker } from './tracker';

const icons: Record<RunInfo['status'] | 'running', vscode.ThemeIcon> = {
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  incomplete: new vscode.ThemeIcon('warning'),
  running: new vscode.ThemeIcon('sync~spin'),
};

export interface RunNode {
  type: 'run';
  dir: string;
  run: RunInfo;
  /** Set for a sweep's trial: its overrides as text. */
  trial?: string;
}
export interface SweepNode {
  type: 'sweep';
  dir: string;
  id: string;
  record: SweepRecord;
  createdAt: string;
}
export type RunsNode = RunNode | SweepNode;

export interface RunsFilter {
  kind?: string;
  name?: string;
  tag?: string;
}

export class RunsView implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The run store as last read; progress redraws reuse it instead of reading every run folder again. */
  private nodes: RunsNode[] | undefined;
  private readonly metas = new Map<string, MetricTable | undefined>();
  private activeIds = '';
  private filterValue: RunsFilter = {};
  /** Set once the view is created, to show the filter in its description. */
  view: vscode.TreeView<RunsNode> | undefined;

  constructor(private readonly workspace: () => string, private readonly runsRoot: () => string, private readonly tracker: RunTracker) {
    this.subscriptions.push(tracker.onDidChange(() => this.trackerChanged()));
    for (const glob of ['**/.neurite/runs/*/summary.json', '**/.neurite/runs/*/notes.json', '**/.neurite/sweeps/*/sweep.json']) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      this.subscriptions.push(watcher, watcher.onDidCreate(() => this.refresh()), watcher.onDidChange(() => this.refresh()), watcher.onDidDelete(() => this.refresh()));
    }
  }

  /** Read the run store again and redraw. */
  refresh(): void {
    this.nodes = undefined;
    this.metas.clear();
    this.emitter.fire();
  }

  get filter(): RunsFilter {
    return this.filterValue;
  }

  setFilter(f: RunsFilter): void {
    this.filterValue = f;
    const text = [f.kind && `kind ${f.kind}`, f.name && `spec ${f.name}`, f.tag && `tag ${f.tag}`].filter(Boolean).join(', ');
    if (this.view) this.view.description = text ? `filter: ${text}` : undefined;
    void vscode.commands.executeCommand('setContext', 'neurite.runsFiltered', !!text);
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

  /** Every run and sweep, unfiltered (for the filter's choices and for pickers). */
  all(): RunsNode[] {
    return (this.nodes ??= readNodes(this.workspace(), this.runsRoot()));
  }

  private matches(n: RunsNode): boolean {
    const f = this.filterValue;
    if (n.type === 'sweep') return (!f.kind || n.record.kind === f.kind) && (!f.name || n.record.name === f.name) && !f.tag;
    return (!f.kind || n.run.kind === f.kind) && (!f.name || n.run.name === f.name) && (!f.tag || !!n.run.notes?.tags.includes(f.tag));
  }

  getChildren(element?: RunsNode): RunsNode[] {
    if (!element) return this.all().filter((n) => this.matches(n));
    if (element.type === 'run') return [];
    const states = trialStates(element.dir, element.record);
    return states.flatMap((s) => {
      if (!s.runDir) return [];
      const run = listRuns(path.dirname(s.runDir)).find((r) => r.dir === s.runDir);
      const overrides = element.record.trials[s.index]?.overrides ?? {};
      const trial = Object.entries(overrides).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
      return run ? [{ type: 'run' as const, dir: run.dir, run, trial: `t${s.index}${trial ? ` ${trial}` : ''}` }] : [];
    });
  }

  private meta(n: RunNode): MetricTable | undefined {
    if (!this.metas.has(n.dir)) this.metas.set(n.dir, readMetricsMeta(n.dir));
    return this.metas.get(n.dir);
  }

  /** "test accuracy 97.1%" for the run's key metrics. */
  private keyMetrics(n: RunNode): string[] {
    const metrics = n.run.summary?.metrics ?? {};
    const table = this.meta(n);
    return Object.keys(metrics)
      .map((k) => metricMeta(table, k))
      .filter((m) => m.key)
      .map((m) => `${m.label} ${formatValue(metrics[m.name], m)}`);
  }

  getTreeItem(n: RunsNode): vscode.TreeItem {
    if (n.type === 'sweep') {
      const item = new vscode.TreeItem(`${n.record.name ?? n.id}`, vscode.TreeItemCollapsibleState.Collapsed);
      const done = n.record.trialStatus?.filter((t) => t.status === 'completed').length;
      item.description = `sweep · ${n.record.kind} · ${done ?? '?'}/${n.record.trials.length} · ${n.record.status} · ${shortTime(n.createdAt)}`;
      item.iconPath = new vscode.ThemeIcon('layers');
      item.tooltip = new vscode.MarkdownString(`**Sweep ${n.id}**\n\n${n.record.kind} — ${n.record.status}, ${n.record.trials.length} trials over ${n.record.params.join(', ') || '(no parameters)'}\n\n${n.dir}`);
      item.contextValue = 'neurite.sweep';
      item.id = `sweep:${n.dir}`;
      item.command = { command: 'neurite.openSweep', title: 'Open Sweep', arguments: [n.dir] };
      return item;
    }
    const run = n.run;
    const active = this.tracker.get(run.id);
    const item = new vscode.TreeItem(n.trial ?? run.name ?? run.id, vscode.TreeItemCollapsibleState.None);
    const key = this.keyMetrics(n)[0];
    const status = active ? `${Math.round(active.fraction * 100)}%` : run.status;
    item.description = [n.trial ? undefined : shortTime(run.createdAt ?? stampTime(run.id)), run.kind, status, key, ...(run.notes?.tags ?? []).map((t) => `#${t}`)].filter(Boolean).join(' · ');
    item.iconPath = active ? icons.running : icons[run.status];
    item.id = `run:${run.dir}`;
    item.contextValue = active ? 'neurite.run.active' : hasPose(run.dir) ? 'neurite.run.pose' : 'neurite.run'; // .pose: Show Swimmer in its menu
    item.command = { command: 'neurite.openRun', title: 'Open Run', arguments: [run.dir] };
    return item;
  }

  /** Tooltips are built on hover: duration, spec, key metrics, notes. */
  resolveTreeItem(item: vscode.TreeItem, n: RunsNode): vscode.TreeItem {
    if (n.type !== 'run') return item;
    const run = n.run;
    const active = this.tracker.get(run.id);
    const lines = [`**${run.name ?? run.id}** — \`${run.id}\``, `${run.kind ?? ''} — ${active ? `running, ${Math.round(active.fraction * 100)}%` : run.status}${run.summary ? `, ${seconds(run.summary.durationMs)}` : ''}${run.summary?.partial ? ' (metrics so far)' : ''}`];
    const keys = this.keyMetrics(n);
    if (keys.length) lines.push(keys.join(' · '));
    if (run.specPath) lines.push(`spec: ${run.specPath}`);
    if (run.status === 'incomplete' && !active) lines.push('No summary.json: the run did not finish.');
    if (run.summary?.error) lines.push(run.summary.error.split('\n')[0]);
    if (run.notes?.tags.length) lines.push(`tags: ${run.notes.tags.join(', ')}`);
    if (run.notes?.note) lines.push(run.notes.note);
    const md = new vscode.MarkdownString(lines.join('\n\n'));
    md.supportHtml = false;
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}

/** Sweeps and runs, newest first. */
function readNodes(workspace: string, runsRoot: string): RunsNode[] {
  const sweeps: SweepNode[] = [];
  const root = sweepsRoot(workspace);
  for (const id of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const dir = path.join(root, id);
    try {
      const record = readSweep(dir);
      sweeps.push({ type: 'sweep', dir, id, record, createdAt: record.createdAt });
    } catch {
      /* not a sweep folder */
    }
  }
  const runs: RunNode[] = listRuns(runsRoot).map((run) => ({ type: 'run', dir: run.dir, run }));
  const time = (n: RunsNode) => (n.type === 'sweep' ? n.createdAt : (n.run.createdAt ?? stampTime(n.run.id) ?? ''));
  return [...sweeps, ...runs].sort((a, b) => time(b).localeCompare(time(a)));
}

/** The ISO time a run folder's name starts with (yyyymmdd-hhmmss, local time). */
function stampTime(id: string): string | undefined {
  const m = id.match(/^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/);
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).toISOString() : undefined;
}

/** "14:03" today, "7 Dec 14:03" before. */
function shortTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? hm : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${hm}`;
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
