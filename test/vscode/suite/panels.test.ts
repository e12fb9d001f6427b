import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, RunResult, fixture, log, waitFor } from './util';

function webviewTabs(viewType: RegExp): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && viewType.test(t.input.viewType));
}

async function quickRun(): Promise<RunResult> {
  const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', fixture('quick.neurite.yaml'));
  assert.strictEqual(r.status, 'completed');
  return r;
}

/** What a Runs view row hands its context-menu commands. */
const node = (r: RunResult) => ({ type: 'run', dir: r.dir, run: { id: r.runId, dir: r.dir, status: r.status } });

suite('Panels: one run panel, comparing runs, the Runs view', () => {
  const runs: RunResult[] = [];

  suiteSetup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a second run shows in the run panel already open, not in a further split', async () => {
    runs.push(await quickRun());
    const groups = vscode.window.tabGroups.all.length;
    runs.push(await quickRun());
    const panels = await waitFor('the run panel on the second run', () => {
      const tabs = webviewTabs(/neurite\.run$/);
      return tabs.length === 1 && tabs[0].label === runs[1].runId ? tabs : undefined;
    }, 10_000);
    log(`run panel: "${panels[0].label}"; tab groups ${groups} → ${vscode.window.tabGroups.all.length}`);
    assert.strictEqual(vscode.window.tabGroups.all.length, groups, 'no new editor group');
  });

  test('Compare Runs on two runs selected in the Runs view opens the comparison dashboard, and a second comparison reuses it', async () => {
    const [a, b] = [node(runs[0]), node(runs[1])]; // the clicked row is one of the selected rows
    const n = await vscode.commands.executeCommand<number>('neurite.compareRuns', a, [a, b]);
    assert.strictEqual(n, 2);
    const tab = await waitFor('a comparison tab', () => webviewTabs(/neurite\.compare$/)[0], 10_000);
    assert.strictEqual(tab.label, 'Compare 2 runs');
    const third = await quickRun();
    await vscode.commands.executeCommand('neurite.compareRuns', [runs[0].dir, runs[1].dir, third.dir]);
    await waitFor('the comparison to show three runs', () => (webviewTabs(/neurite\.compare$/)[0]?.label === 'Compare 3 runs' ? true : undefined), 10_000);
    assert.strictEqual(webviewTabs(/neurite\.compare$/).length, 1, 'one comparison panel, reused');
    runs.push(third);
  });

  test('the Runs view labels runs by name and time, filters by kind, and keeps notes and tags', async () => {
    const { runsView } = vscode.extensions.getExtension(EXTENSION_ID)!.exports;
    runsView.refresh();
    const row = runsView.getChildren().find((n: any) => n.type === 'run' && n.dir === runs[0].dir);
    const item = runsView.getTreeItem(row);
    log(`row: "${item.label}" — ${item.description}`);
    assert.strictEqual(item.label, 'quick');
    assert.match(String(item.description), /^\d\d?:\d\d( [AP]M)? · dendrite\.sdr · completed · checks whose theory lies in the interval \d+%$/);
    runsView.setFilter({ kind: 'no.such-kind' });
    assert.deepStrictEqual(runsView.getChildren(), []);
    runsView.setFilter({});
    assert.ok(runsView.getChildren().length >= 3);
    const tooltip = runsView.resolveTreeItem(item, row).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, new RegExp(`quick\\*\\* — \`${runs[0].runId}\``));
    assert.match(tooltip.value, /spec: .*quick\.neurite\.yaml/);
    assert.ok(path.isAbsolute(runs[0].dir));
  });
});
