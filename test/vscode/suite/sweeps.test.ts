import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixture, log, readJson, waitFor, withTimeout, workspaceRoot } from './util';

interface SweepEnd {
  sweepId: string;
  dir: string;
  status: string;
  counts: Record<string, number>;
  table?: { json: string; csv: string };
}

const sweepsDir = () => path.join(workspaceRoot(), '.neurite', 'sweeps');

suite('Running sweeps', () => {
  test('Neurite: Run Sweep runs every trial through the kernel on local workers, opens the sweep in the comparison view and lists its trials under it in the Runs view', async () => {
    const t0 = Date.now();
    const end = (await withTimeout(
      Promise.resolve(vscode.commands.executeCommand('neurite.runSweep', fixture('sweep.neurite.yaml'), { executor: 'local', jobs: 2 })),
      120_000,
      'the sweep to end',
    )) as SweepEnd;
    log(`sweep ${end.sweepId}: ${end.status} in ${Date.now() - t0} ms (command → resolved)`);
    assert.strictEqual(end.status, 'completed', JSON.stringify(end));
    assert.strictEqual(end.counts.completed, 4);
    assert.strictEqual(path.dirname(path.resolve(end.dir)), path.resolve(sweepsDir()));
    assert.ok(end.table, 'the end carries the table');
    const table = readJson<{ rows: { seeds: number[]; completed: number }[] }>(end.table.json);
    assert.deepStrictEqual(table.rows.map((r) => [r.completed, r.seeds]), [[2, [1, 2]], [2, [1, 2]]]);
    const tab = await waitFor('the sweep in a comparison tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /neurite\.compare/.test(t.input.viewType)), 10_000);
    log(`comparison tab: "${tab.label}"`);
    assert.strictEqual(tab.label, `Sweep ${end.sweepId}`);
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath.endsWith('.csv')), 'no CSV is opened');
    // The Runs view groups the sweep's trials under it.
    const { runsView } = vscode.extensions.getExtension(EXTENSION_ID)!.exports;
    runsView.refresh();
    const sweep = runsView.getChildren().find((n: any) => n.type === 'sweep' && n.id === end.sweepId);
    assert.ok(sweep, 'the sweep is a row of the Runs view');
    const trials = runsView.getChildren(sweep);
    assert.deepStrictEqual(trials.map((t: any) => t.run.status), ['completed', 'completed', 'completed', 'completed']);
    assert.match(trials[0].trial, /^t0 checks\.falsePositive\.0\.theta=10, seed=1$/);
  });

  test('a sweep over a path the spec does not have is rejected naming the sweep entry, and creates no sweep folder', async () => {
    const before = fs.existsSync(sweepsDir()) ? fs.readdirSync(sweepsDir()) : [];
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('neurite.runSweep', fixture('bad-sweep.neurite.yaml'), { executor: 'local' })), (e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      log(`rejected with: ${msg.split('\n').join(' ⏎ ')}`);
      assert.match(msg, /sweep\.grid\["model\.hidden"\]: model\.hidden is not a field of the dendrite\.sdr spec/);
      return true;
    });
    assert.deepStrictEqual(fs.existsSync(sweepsDir()) ? fs.readdirSync(sweepsDir()) : [], before);
  });
});
