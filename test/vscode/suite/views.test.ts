import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, RunResult, fixture, listRuns, log, readJson, runsDir, waitFor } from './util';

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

/** A completed run in the workspace: one an earlier suite left, or a fresh quick run. */
async function completedRun(): Promise<{ dir: string; runId?: string }> {
  for (const name of listRuns().reverse()) {
    const dir = path.join(runsDir(), name);
    const f = path.join(dir, 'summary.json');
    if (fs.existsSync(f) && readJson(f).status === 'completed') return { dir };
  }
  const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', fixture('quick.neurite.yaml'));
  assert.strictEqual(r.status, 'completed');
  return { dir: r.dir, runId: r.runId };
}

suite('Runs view and run panel', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('openRun opens the run panel as a webview tab named for the run and returns that run id', async () => {
    const run = await completedRun();
    // runExperiment opens the run's panel itself: close everything so openRun has to open it again.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('all webview tabs to close', () => (webviewTabs().length === 0 ? true : undefined), 10_000);
    const id = await vscode.commands.executeCommand<string>('neurite.openRun', run.dir);
    log(`openRun(${path.basename(run.dir)}) → ${JSON.stringify(id)}`);
    assert.ok(typeof id === 'string' && id.length > 0, `openRun returned ${JSON.stringify(id)}`);
    if (run.runId) assert.strictEqual(id, run.runId);
    else assert.ok(id === path.basename(run.dir) || run.dir.includes(id), `run id ${id} does not name ${run.dir}`);
    const tab = await waitFor('a webview tab for the run panel', () => webviewTabs().find((t) => t.label.includes(id)), 15_000);
    log(`run panel tab: "${tab.label}" (${(tab.input as vscode.TabInputWebview).viewType})`);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /neurite/);
    assert.ok(tab.isActive, 'the run panel should be the active tab of its group');
    const again = await vscode.commands.executeCommand<string>('neurite.openRun', run.dir);
    assert.strictEqual(again, id);
    assert.strictEqual(webviewTabs().filter((t) => t.label.includes(id)).length, 1, 'opening the same run again reuses its panel');
  });

  test('the Runs view is contributed and can be focused', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const views = (ext.packageJSON?.contributes?.views ?? {}) as Record<string, { id: string; name?: string }[]>;
    const all = Object.values(views).flat();
    const runsView = all.find((v) => /runs/i.test(v.id) || /runs/i.test(v.name ?? ''));
    assert.ok(runsView, `no Runs view among contributed views: ${JSON.stringify(all.map((v) => v.id))}`);
    await vscode.commands.executeCommand(`${runsView.id}.focus`);
    await vscode.commands.executeCommand('neurite.refreshRuns');
    log(`focused view ${runsView.id}`);
  });

  test('showKernelLog opens the kernel log without error', async () => {
    await vscode.commands.executeCommand('neurite.showKernelLog');
  });
});
