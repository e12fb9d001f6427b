import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { fixture, log, readJson, RunResult, sleep, waitFor } from './util';

const RUN_MIME = 'application/vnd.neurite.run+json';
const decode = (d: Uint8Array) => new TextDecoder().decode(d);

function items(cell: vscode.NotebookCell): { mime: string; text: string }[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => ({ mime: i.mime, text: decode(i.data) })));
}

/** Waits until every code cell in `indices` has finished its latest execution. */
async function finished(doc: vscode.NotebookDocument, indices: number[], timeoutMs: number, since = 0): Promise<void> {
  await waitFor(`cells ${indices.join(', ')} to finish`, () => (indices.every((i) => {
    const s = doc.cellAt(i).executionSummary;
    return s?.success !== undefined && (s.timing?.endTime ?? 0) >= since;
  }) ? true : undefined), timeoutMs, 100);
}

async function runCells(doc: vscode.NotebookDocument, start: number, end: number): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: doc.uri });
}

suite('Notebooks and inline attribution', () => {
  let doc: vscode.NotebookDocument;

  suiteSetup(async () => {
    doc = await vscode.workspace.openNotebookDocument(fixture('notebook.neuronb'));
    await vscode.window.showNotebookDocument(doc);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'neurite-kernel', extension: 'neurite.neurite' });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Run All runs the spec cell as a run (summary and curves in its output) and code cells that keep state', async () => {
    const t0 = Date.now();
    await vscode.commands.executeCommand('notebook.execute', doc.uri);
    await finished(doc, [1, 2, 3, 4], 120_000, t0);
    const spec = items(doc.cellAt(1)).find((i) => i.mime === RUN_MIME);
    assert.ok(spec, `the spec cell has no run output: ${JSON.stringify(items(doc.cellAt(1))).slice(0, 300)}`);
    const run = JSON.parse(spec.text);
    log(`spec cell → ${run.run.id} (${run.run.status}), ${Object.keys(run.metrics).length} metrics, ${Object.keys(run.traces).length} traces`);
    assert.strictEqual(run.run.status, 'completed');
    assert.ok(Object.keys(run.metrics).length > 0 && Object.keys(run.traces).length > 0);
    assert.ok(fs.existsSync(run.run.dir), 'the run folder exists');
    assert.match(items(doc.cellAt(2)).map((i) => i.text).join(''), new RegExp(`the run: ${run.run.id}`));
    assert.strictEqual(items(doc.cellAt(3)).find((i) => i.mime === 'text/plain')?.text, '42', 'a later cell sees the earlier cell\'s const');
    assert.ok(items(doc.cellAt(4)).some((i) => i.mime === 'application/vnd.neurite.chart+json'));
    assert.deepStrictEqual([1, 2, 3, 4].map((i) => doc.cellAt(i).executionSummary?.executionOrder), [1, 2, 3, 4]);
    assert.ok([1, 2, 3, 4].every((i) => doc.cellAt(i).executionSummary?.success === true));
  });

  test('interrupting a cell stuck in while (true) stops it and keeps the context', async () => {
    const edit = new vscode.WorkspaceEdit();
    const loop = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'let spins = 0\nwhile (true) { spins++ }', 'javascript');
    const after = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'spins > 0 ? answer : -1', 'javascript');
    edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [loop, after])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const i = doc.cellCount - 2;
    const t0 = Date.now();
    void runCells(doc, i, i + 1);
    await sleep(1500);
    await vscode.commands.executeCommand('notebook.cancelExecution', doc.uri);
    await finished(doc, [i], 15_000, t0);
    log(`interrupted after ${Date.now() - t0} ms`);
    assert.strictEqual(doc.cellAt(i).executionSummary?.success, false);
    assert.match(items(doc.cellAt(i)).map((x) => x.text).join(''), /Interrupted/);
    const t1 = Date.now();
    await runCells(doc, i + 1, i + 2);
    await finished(doc, [i + 1], 15_000, t1);
    assert.strictEqual(items(doc.cellAt(i + 1)).find((x) => x.mime === 'text/plain')?.text, '41', 'variables survive the interrupt');
  });

  test('restarting the notebook context clears its variables', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('neurite.notebook.restart', doc.uri), true);
    const i = doc.cellCount - 1;
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(i, i + 1), [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'typeof answer', 'javascript')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const t0 = Date.now();
    await runCells(doc, i, i + 1);
    await finished(doc, [i], 30_000, t0);
    assert.strictEqual(items(doc.cellAt(i)).find((x) => x.mime === 'text/plain')?.text, "'undefined'");
    assert.strictEqual(doc.cellAt(i).executionSummary?.executionOrder, 1, 'execution counts start again');
  });

  test('saved outputs are in the file and come back when the notebook is opened again', async () => {
    assert.ok(await doc.save());
    const file = readJson<{ cells: { outputs?: { data?: Record<string, unknown> }[] }[] }>(doc.uri.fsPath);
    assert.ok(file.cells[1].outputs?.some((o) => o.data?.[RUN_MIME]), 'the run output is saved as display_data');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = await vscode.workspace.openNotebookDocument(doc.uri);
    await vscode.window.showNotebookDocument(again);
    assert.ok(items(again.cellAt(1)).some((i) => i.mime === RUN_MIME));
    assert.strictEqual(again.cellAt(3).executionSummary?.executionOrder, 3);
  });

  test('a spec file with a finished run shows each layer\'s summary as a CodeLens, its hover a heat map, and its click the attribution panel', async () => {
    const uri = fixture('attr.neurite.yaml');
    const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', uri);
    assert.strictEqual(r.status, 'completed');
    const text = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(text);
    let lenses: vscode.CodeLens[] = [];
    for (let k = 0; k < 40 && lenses.length === 0; k++) {
      if (k) await sleep(250);
      const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      lenses = got.filter((l) => /^hidden0: /.test(l.command?.title ?? ''));
    }
    assert.ok(lenses.length, 'no hidden0 CodeLens');
    const lens = lenses[0];
    log(`CodeLens at line ${lens.range.start.line + 1}: "${lens.command!.title}"`);
    assert.match(lens.command!.title, /^hidden0: \d+\/16 active · top n\d+ n\d+ n\d+ \(conductance\)$/);
    assert.strictEqual(text.lineAt(lens.range.start.line).text.trim(), '- 16', 'on the layer\'s line');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(lens.range.start.line, 6));
    const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(md, /\*\*hidden0\*\*/);
    assert.match(md, /data:image\/svg\+xml;base64,/);
    assert.match(md, /\| n\d+ \| /);
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const tab = await waitFor('the attribution panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /Attribution/.test(t.label)), 15_000);
    log(`attribution panel: "${tab.label}"`);
    // an edit that changes the model makes the summary stale instead of wrong
    const editor = await vscode.window.showTextDocument(text);
    await editor.edit((e) => e.replace(text.lineAt(lens.range.start.line).range, '    - 17'));
    const stale = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const titles = stale.map((l) => l.command?.title ?? '');
    log(`after the edit: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => /stale: the spec changed since run .* \(model\.hidden\.0 differs\)/.test(t)));
    assert.ok(!titles.some((t) => /^hidden0: /.test(t)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
  test('a netlist with a finished sfq.circuit run shows each printed junction\'s pulses as a CodeLens on its card, its hover the switching times, stale after an edit', async () => {
    const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', fixture('jtl.neurite.yaml'));
    assert.strictEqual(r.status, 'completed');
    const uri = fixture('circuits/jtl.cir');
    const text = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(text);
    let lenses: vscode.CodeLens[] = [];
    for (let k = 0; k < 40 && lenses.length < 2; k++) {
      if (k) await sleep(250);
      const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      lenses = got.filter((l) => /^B1\|X[18]: /.test(l.command?.title ?? ''));
    }
    log(`junction CodeLenses: ${JSON.stringify(lenses.map((l) => [l.range.start.line + 1, l.command!.title]))}`);
    assert.strictEqual(lenses.length, 2, 'one lens per printed instance of the JTL\'s B1');
    for (const l of lenses) {
      assert.match(l.command!.title, /^B1\|X[18]: 2 pulses · first switch [\d.]+ ps · mean width [\d.]+ ps$/);
      assert.match(text.lineAt(l.range.start.line).text, /^B1 a 1G JSFQ/, 'on the junction\'s card');
    }
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(lenses[0].range.start.line, 1));
    const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(md, /\| switching times \| [\d.]+, [\d.]+ ps \|/);
    await editor.edit((e) => e.insert(new vscode.Position(text.lineCount, 0), '* an edit\n'));
    const titles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)).map((l) => l.command?.title ?? '');
    log(`after the edit: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => /stale: the netlist changed since run /.test(t)));
    assert.ok(!titles.some((t) => /^B1\|X/.test(t)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
