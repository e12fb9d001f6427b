/** Inside VS Code: YAML spec problems, completion and hover without other extensions; New Experiment; the form, the waveform viewer and the swimmer view open. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, RunResult, fixture, log, waitFor, workspaceRoot } from './util';

const neurite = (d: vscode.Diagnostic) => d.source === 'neurite';
const diagnosticsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter(neurite);

function writeSpec(name: string, text: string): vscode.Uri {
  const file = path.join(workspaceRoot(), name);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

suite('YAML specs, configuration form and waveform viewer', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('`seed: abc` shows a problem at its line in the Problems panel, which goes away as the text is fixed', async () => {
    const uri = writeSpec('seed-abc.neurite.yaml', '# seed must be a number\nkind: dendrite.sdr\nname: abc   # a run name\nseed: abc\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const t0 = Date.now();
    const [d] = await waitFor('a neurite diagnostic for seed: abc', () => (diagnosticsOf(uri).length ? diagnosticsOf(uri) : undefined), 60_000);
    log(`diagnostic after ${Date.now() - t0} ms: line ${d.range.start.line + 1}: ${d.message}`);
    assert.strictEqual(d.range.start.line, 3);
    assert.strictEqual(d.range.start.character, 6);
    assert.match(d.message, /^seed: .*expected number/);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    const fix = new vscode.WorkspaceEdit();
    fix.replace(uri, new vscode.Range(3, 6, 3, 9), '7');
    await vscode.workspace.applyEdit(fix);
    await waitFor('the diagnostic to clear once seed is a number', () => (diagnosticsOf(uri).length === 0 ? true : undefined), 20_000);
    await doc.save();
  });

  test('a relation only the kernel checks (θ ≤ s) is a problem too', async () => {
    const uri = writeSpec('theta.neurite.yaml', 'kind: dendrite.sdr\nchecks:\n  falsePositive:\n    - { n: 300, a: 64, s: 24, theta: 30 }\n');
    await vscode.workspace.openTextDocument(uri);
    const [d] = await waitFor('the θ > s diagnostic', () => (diagnosticsOf(uri).length ? diagnosticsOf(uri) : undefined), 30_000);
    assert.strictEqual(d.range.start.line, 3);
    assert.match(d.message, /theta \(30\) cannot exceed s \(24\)/);
    assert.strictEqual(d.code, 'semantic');
  });

  test('completion offers the kind\'s fields with their units, and hover describes a field', async () => {
    assert.strictEqual(vscode.extensions.getExtension('redhat.vscode-yaml'), undefined, 'this test is about VS Code without the Red Hat YAML extension');
    const uri = writeSpec('complete.neurite.yaml', 'kind: sfq.xor\nnetwork:\n  rateGHz: 30\n  \ntemperature: 4.2\n');
    await vscode.workspace.openTextDocument(uri);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(3, 2));
    const items = list.items.filter((i) => ['iwOn', 'iwOff', 'ithHidden', 'ithOut', 'rateGHz'].includes(String(i.label)));
    log(`completion at network.: ${list.items.slice(0, 8).map((i) => `${i.label} ${i.detail ?? ''}`).join(' | ')}`);
    assert.deepStrictEqual(items.map((i) => String(i.label)).sort(), ['ithHidden', 'ithOut', 'iwOff', 'iwOn'], 'the network fields not yet in the file');
    assert.match(items.find((i) => i.label === 'iwOn')!.detail!, /number \(µA\) = 90/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (c as vscode.MarkdownString).value ?? String(c))).join('\n');
    log(`hover on temperature: ${text.replace(/\n/g, ' ')}`);
    assert.match(text, /\*\*temperature\*\* — number · in K · 0\.5 ≤ x ≤ 9 · default `4\.2`/);
    assert.match(text, /Operating temperature/);
  });

  test('a rejected run opens its spec at the first problem and rejects with one line naming the file', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('neurite.runExperiment', fixture('bad.neurite.yaml'))), (e: Error) => {
      log(`rejected with: ${e.message}`);
      assert.match(e.message, /^bad\.neurite\.yaml was not run, 1 problem \(see Problems\): simulation\.trialz: unknown key/);
      assert.ok(!e.message.includes(workspaceRoot()), 'no absolute path');
      return true;
    });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.fsPath === fixture('bad.neurite.yaml').fsPath, 'the spec is open');
    assert.strictEqual(editor.selection.start.line, 5, 'at the line of the unknown key');
    assert.ok(diagnosticsOf(fixture('bad.neurite.yaml')).some((d) => d.range.start.line === 5));
  });

  test('New Experiment writes a spec of the kind with its defaults, which the kernel accepts', async () => {
    const file = path.join(workspaceRoot(), 'new-xor.neurite.yaml');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('neurite.newExperiment', 'sfq.xor', file);
    assert.strictEqual(uri?.fsPath, file);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^kind: sfq\.xor$/m);
    assert.match(text, /^name: new-xor$/m);
    assert.match(text, /# Operating temperature, K/);
    await new Promise((r) => setTimeout(r, 1500)); // validated on open
    assert.deepStrictEqual(diagnosticsOf(uri).map((d) => d.message), []);
  });

  test('the configuration form opens as an editor of the spec file', async () => {
    const uri = fixture('quick.neurite.yaml');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('neurite.openConfigForm', uri);
    const tab = await waitFor('the form tab', () => tabs().find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'neurite.configForm'), 15_000);
    assert.strictEqual((tab.input as vscode.TabInputCustom).uri.fsPath, uri.fsPath);
    log(`form tab: "${tab.label}"`);
  });

  test('Open Waveforms opens the viewer for a circuit run, for a Runs view item and for a CSV file', async () => {
    const sample = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'samples', 'sfq-circuit.neurite.yaml');
    const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', vscode.Uri.file(sample));
    assert.strictEqual(r.status, 'completed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const viewers = () => tabs().filter((t) => t.input instanceof vscode.TabInputWebview && /neurite\.waveforms/.test(t.input.viewType));
    await vscode.commands.executeCommand('neurite.openWaveforms', r.dir);
    const tab = await waitFor('a waveform viewer tab', () => viewers()[0], 15_000);
    assert.strictEqual(tab.label, `Waveforms · ${path.basename(r.dir)}`);
    await vscode.commands.executeCommand('neurite.openWaveforms', { dir: r.dir });
    await vscode.commands.executeCommand('neurite.openWaveforms', vscode.Uri.file(path.join(r.dir, 'traces', 'waveforms.csv')));
    await waitFor('a viewer of the CSV', () => viewers().find((t) => t.label === 'Waveforms · waveforms.csv'), 15_000);
    // tabs arrive in order: once the CSV's viewer is a tab, a second viewer of the run would be one too
    assert.deepStrictEqual(viewers().map((t) => t.label).sort(), [tab.label, 'Waveforms · waveforms.csv'], 'the same run reuses its viewer');
  });

  test('Show Swimmer opens the swimmer view for an ncap.swimmer run, once per run', async () => {
    const r = await vscode.commands.executeCommand<RunResult>('neurite.runExperiment', fixture('swimmer.neurite.yaml'));
    assert.strictEqual(r.status, 'completed');
    assert.ok(fs.existsSync(path.join(r.dir, 'traces', 'pose.csv')), 'the run wrote its pose');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const views = () => tabs().filter((t) => t.input instanceof vscode.TabInputWebview && /neurite\.swimmer/.test(t.input.viewType));
    await vscode.commands.executeCommand('neurite.showSwimmer', r.dir);
    const tab = await waitFor('a swimmer view tab', () => views()[0], 15_000);
    assert.strictEqual(tab.label, `Swimmer · ${path.basename(r.dir)}`);
    await vscode.commands.executeCommand('neurite.showSwimmer', { dir: r.dir }); // as the Runs view's context menu calls it
    await vscode.commands.executeCommand('neurite.openWaveforms', r.dir); // a later tab: once it is there, a second swimmer tab would be too
    await waitFor('the waveform viewer of the run', () => tabs().find((t) => t.label === `Waveforms · ${path.basename(r.dir)}`), 15_000);
    assert.deepStrictEqual(views().map((t) => t.label), [tab.label], 'the same run reuses its swimmer view');
  });
});
