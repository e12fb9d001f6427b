/**
 * What a user does with runs from the Runs view (its context menu and title bar) and the
 * palette: compare several, open a sweep, reveal a folder, delete (after asking), write a note
 * and tags, filter by kind, spec name or tag.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CompareTarget } from '../../kernel/protocol/panels';
import { editNotes } from './notes';
import type { RunNode, RunsNode, RunsView } from './runsView';
import type { RunTracker } from './tracker';

export interface RunCommandsDeps {
  runsView: RunsView;
  tracker: RunTracker;
  compare(target: CompareTarget): void;
}

/** The nodes a context-menu command acts on: the selection when the clicked row is part of it, else the clicked row. */
function targets(clicked: RunsNode | undefined, selected: readonly RunsNode[] | undefined): RunsNode[] {
  if (selected?.length && (!clicked || selected.includes(clicked))) return [...selected];
  return clicked ? [clicked] : [];
}

/** Run folders of the nodes: runs as they are, sweeps as their trials' runs. */
function runDirs(view: RunsView, nodes: RunsNode[]): string[] {
  const dirs = nodes.flatMap((n) => (n.type === 'run' ? [n.dir] : view.getChildren(n).map((c) => c.dir)));
  return [...new Set(dirs)];
}

async function pickRuns(view: RunsView): Promise<string[] | undefined> {
  const runs = view.all().filter((n): n is RunNode => n.type === 'run');
  if (runs.length < 2) {
    void vscode.window.showInformationMessage('Neurite: comparing needs two runs or more.');
    return undefined;
  }
  const picks = await vscode.window.showQuickPick(
    runs.map((n) => ({ label: n.run.name ?? n.run.id, description: `${n.run.kind ?? ''} · ${n.run.status}`, detail: n.run.id, dir: n.dir })),
    { title: 'Neurite: Compare Runs', placeHolder: 'Pick the runs to compare', canPickMany: true },
  );
  return picks?.map((p) => p.dir);
}

export function registerRunCommands(deps: RunCommandsDeps): vscode.Disposable[] {
  const { runsView: view } = deps;
  return [
    vscode.commands.registerCommand('neurite.compareRuns', async (clicked?: RunsNode | string[], selected?: RunsNode[]) => {
      const dirs = Array.isArray(clicked) ? clicked.filter((d): d is string => typeof d === 'string') : clicked || selected ? runDirs(view, targets(clicked, selected)) : await pickRuns(view);
      if (!dirs) return undefined;
      if (dirs.length < 2 && !(clicked && !Array.isArray(clicked) && clicked.type === 'sweep')) {
        void vscode.window.showInformationMessage('Neurite: select two runs or more (Ctrl/Cmd+click) to compare them.');
        return undefined;
      }
      deps.compare({ dirs });
      return dirs.length;
    }),
    vscode.commands.registerCommand('neurite.openSweep', async (arg?: string | RunsNode) => {
      let dir = typeof arg === 'string' ? arg : arg?.type === 'sweep' ? arg.dir : undefined;
      if (!dir) {
        const sweeps = view.all().filter((n) => n.type === 'sweep');
        const pick = await vscode.window.showQuickPick(sweeps.map((s) => ({ label: s.type === 'sweep' ? s.id : '', description: s.type === 'sweep' ? `${s.record.kind} · ${s.record.status}` : '', dir: s.dir })), { title: 'Neurite: Open Sweep' });
        dir = pick?.dir;
      }
      if (!dir) return undefined;
      if (!fs.existsSync(path.join(dir, 'sweep.json'))) throw new Error(`Neurite: ${dir} is not a sweep folder (no sweep.json)`);
      deps.compare({ sweepDir: dir });
      return dir;
    }),
    vscode.commands.registerCommand('neurite.revealRun', (n?: RunsNode) => n && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(n.dir))),
    vscode.commands.registerCommand('neurite.deleteRun', async (clicked?: RunsNode, selected?: RunsNode[]) => {
      const nodes = targets(clicked, selected).filter((n): n is RunNode => n.type === 'run');
      if (!nodes.length) return 0;
      const active = nodes.filter((n) => deps.tracker.get(n.run.id));
      if (active.length) {
        void vscode.window.showWarningMessage(`Neurite: ${active.map((n) => n.run.id).join(', ')} ${active.length > 1 ? 'are' : 'is'} still running; cancel first.`);
        return 0;
      }
      const what = nodes.length === 1 ? `run ${nodes[0].run.id}` : `${nodes.length} runs`;
      const choice = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true, detail: `The run folder${nodes.length > 1 ? 's' : ''} (metrics, traces, artifacts) will be removed from disk.` }, 'Delete');
      if (choice !== 'Delete') return 0;
      for (const n of nodes) fs.rmSync(n.dir, { recursive: true, force: true });
      view.refresh();
      return nodes.length;
    }),
    vscode.commands.registerCommand('neurite.editRunNotes', async (n?: RunsNode) => {
      if (n?.type !== 'run') return undefined;
      const notes = await editNotes(n.dir, n.run.name ?? n.run.id);
      if (notes) view.refresh();
      return notes;
    }),
    vscode.commands.registerCommand('neurite.filterRuns', async () => {
      const runs = view.all().filter((n): n is RunNode => n.type === 'run');
      const count = (f: (n: RunNode) => string[]) => {
        const m = new Map<string, number>();
        for (const n of runs) for (const v of f(n)) m.set(v, (m.get(v) ?? 0) + 1);
        return [...m].sort((a, b) => a[0].localeCompare(b[0]));
      };
      type Item = vscode.QuickPickItem & { filter?: Partial<Record<'kind' | 'name' | 'tag', string>> };
      const items: Item[] = [
        { label: 'All runs', filter: {} },
        { label: 'Kind', kind: vscode.QuickPickItemKind.Separator },
        ...count((n) => (n.run.kind ? [n.run.kind] : [])).map(([k, c]) => ({ label: k, description: `${c} runs`, filter: { kind: k } })),
        { label: 'Spec name', kind: vscode.QuickPickItemKind.Separator },
        ...count((n) => (n.run.name ? [n.run.name] : [])).map(([k, c]) => ({ label: k, description: `${c} runs`, filter: { name: k } })),
        { label: 'Tag', kind: vscode.QuickPickItemKind.Separator },
        ...count((n) => n.run.notes?.tags ?? []).map(([k, c]) => ({ label: `#${k}`, description: `${c} runs`, filter: { tag: k } })),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Neurite: Filter Runs', placeHolder: 'Show only the runs of…' });
      if (pick?.filter) view.setFilter(pick.filter);
      return pick?.filter;
    }),
    vscode.commands.registerCommand('neurite.clearRunsFilter', () => view.setFilter({})),
  ];
}
