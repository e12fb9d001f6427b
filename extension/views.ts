/**
 * The researcher's views beside the run panel: the waveform viewer, the swimmer view, the configuration form, YAML
 * spec support (kernel diagnostics; completion and hover unless the Red Hat YAML extension is
 * there) and New Experiment…. One call from activate() registers them all.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { kindSchema } from '../kernel/protocol/spec-schema';
import { showSwimmer } from './commands/swimmer';
import { openWaveforms } from './commands/waveforms';
import type { KernelManager } from './kernel/manager';
import { ConfigFormProvider, openConfigForm } from './panels/configForm';
import { SwimmerPanel } from './panels/swimmerPanel';
import { WaveformPanel } from './panels/waveformPanel';
import { loadSchema, specCompletion, specHover, yamlSpecs } from './spec-language/completion';
import { redHatYaml, SpecDiagnostics } from './spec-language/diagnostics';
import { specTemplate } from './spec-language/template';
import { runsFolder, workspaceRoot } from './workspace';

export interface Views {
  diagnostics: SpecDiagnostics;
}

export function registerViews(context: vscode.ExtensionContext, kernel: KernelManager): Views {
  const schemaFile = context.asAbsolutePath(path.join('dist', 'schemas', 'spec.schema.json'));
  const diagnostics = new SpecDiagnostics(kernel, workspaceRoot(context));
  const language = new LanguageFeatures(schemaFile);
  context.subscriptions.push(
    diagnostics,
    language,
    vscode.window.registerWebviewPanelSerializer(WaveformPanel.viewType, {
      async deserializeWebviewPanel(panel, state) {
        WaveformPanel.revive(panel, context.extensionUri, state);
      },
    }),
    { dispose: () => WaveformPanel.disposeAll() },
    vscode.window.registerWebviewPanelSerializer(SwimmerPanel.viewType, {
      async deserializeWebviewPanel(panel, state) {
        SwimmerPanel.revive(panel, context.extensionUri, state);
      },
    }),
    { dispose: () => SwimmerPanel.disposeAll() },
    vscode.window.registerCustomEditorProvider(ConfigFormProvider.viewType, new ConfigFormProvider(context.extensionUri, kernel, workspaceRoot(context)), {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('neurite.openWaveforms', (arg?: unknown) => openWaveforms(context.extensionUri, runsFolder(context), arg)),
    vscode.commands.registerCommand('neurite.showSwimmer', (arg?: unknown) => showSwimmer(context.extensionUri, runsFolder(context), arg)),
    vscode.commands.registerCommand('neurite.openConfigForm', (arg?: vscode.Uri) => openConfigForm(arg)),
    vscode.commands.registerCommand('neurite.newExperiment', (kind?: string, file?: string) => newExperiment(context, schemaFile, kind, file)),
  );
  return { diagnostics };
}

/** Completion and hover, present only while the Red Hat YAML extension is not (it then gets our schema). */
class LanguageFeatures implements vscode.Disposable {
  private registered: vscode.Disposable[] = [];
  private readonly watch: vscode.Disposable;

  constructor(private readonly schemaFile: string) {
    this.update();
    this.watch = vscode.extensions.onDidChange(() => this.update());
  }

  private update(): void {
    const redHat = vscode.extensions.getExtension(redHatYaml) !== undefined;
    if (redHat && this.registered.length) this.clear();
    if (redHat || this.registered.length || !fs.existsSync(this.schemaFile)) return;
    const schema = loadSchema(this.schemaFile);
    this.registered = [
      vscode.languages.registerCompletionItemProvider(yamlSpecs, specCompletion(schema), ' ', ':'),
      vscode.languages.registerHoverProvider(yamlSpecs, specHover(schema)),
    ];
  }

  private clear(): void {
    this.registered.forEach((d) => d.dispose());
    this.registered = [];
  }

  dispose(): void {
    this.clear();
    this.watch.dispose();
  }
}

/** Neurite: New Experiment… — a spec of the chosen kind with its defaults, saved where the user says, opened. */
async function newExperiment(context: vscode.ExtensionContext, schemaFile: string, kindArg?: string, fileArg?: string): Promise<vscode.Uri | undefined> {
  const all = loadSchema(schemaFile);
  const kinds = (all.allOf ?? []).map((b) => ({ kind: b.if?.properties?.kind?.const as string, title: b.then?.title ?? '', description: b.then?.description ?? '' }));
  const kind =
    kindArg ??
    (await vscode.window.showQuickPick(
      kinds.map((k) => ({ label: k.kind, description: k.title.replace(/^.*? — /, ''), detail: k.description })),
      { title: 'Neurite: New Experiment', placeHolder: 'Pick the kind of experiment', matchOnDescription: true, matchOnDetail: true },
    ))?.label;
  const schema = kind ? kindSchema(all, kind) : undefined;
  if (!kind || !schema) return undefined;
  const name = kind.replace(/\./g, '-');
  const target = fileArg
    ? vscode.Uri.file(fileArg)
    : await vscode.window.showSaveDialog({ title: 'Save the new spec', defaultUri: vscode.Uri.file(path.join(workspaceRoot(context), `${name}.neurite.yaml`)), filters: { 'Neurite spec': ['neurite.yaml'] } });
  if (!target) return undefined;
  const file = /\.neurite\.ya?ml$/.test(target.fsPath) ? target : target.with({ path: target.path.replace(/(\.ya?ml)?$/, '.neurite.yaml') });
  const stem = path.basename(file.fsPath).replace(/\.neurite\.ya?ml$/, '');
  await vscode.workspace.fs.writeFile(file, Buffer.from(specTemplate(kind, schema, /^[A-Za-z0-9][\w.-]*$/.test(stem) ? stem : name), 'utf8'));
  await vscode.window.showTextDocument(file, { preview: false });
  return file;
}
