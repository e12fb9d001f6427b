/**
 * The configuration form of a `*.neurite.yaml` spec: a custom text editor (Open With… →
 * Neurite Configuration Form, or the editor title button), so the form and the text are two
 * views of one document: a form edit is a text edit (undo, dirty state and save as usual), a
 * text edit updates the form, and VS Code restores the form after a reload. The form is drawn
 * from the kind's JSON Schema (`experiments/schema`) and checked by the kernel (`spec/validate`)
 * after every change; Run saves the file and runs it.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import YAML from 'yaml';
import { formOutbound, type FormInbound } from '../../kernel/protocol/config-form';
import type { ExperimentListItem } from '../../kernel/protocol/types';
import type { KernelManager } from '../kernel/manager';
import { applyEdit, YamlEditError, type SpecEdit } from '../spec-language/yamlEdit';
import { webviewHtml, webviewOptions } from './html';

export class ConfigFormProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'neurite.configForm';
  private kinds: ExperimentListItem[] | undefined;
  private readonly schemas = new Map<string, Record<string, unknown>>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly kernel: KernelManager, private readonly workspace: string) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'config-form', `Form · ${path.basename(document.fileName)}`);
    const post = (m: FormInbound) => void panel.webview.postMessage(m);
    let shownKind: string | null | undefined;
    let timer: NodeJS.Timeout | undefined;

    const parsed = () => {
      try {
        const doc = YAML.parseDocument(document.getText());
        return doc.errors.length ? null : (doc.toJS() as unknown);
      } catch {
        return null;
      }
    };
    const validate = async () => {
      const version = document.version;
      try {
        const r = await this.kernel.request('spec/validate', { text: document.getText(), specPath: document.uri.fsPath, workspace: this.workspace });
        if (document.version === version) post({ type: 'problems', problems: r.problems });
      } catch (e) {
        post({ type: 'error', message: `the kernel could not check the spec: ${(e as Error).message}` });
      }
    };
    const sync = async (full: boolean) => {
      const value = parsed();
      const kind = value && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string' ? (value as { kind: string }).kind : null;
      if (full || kind !== shownKind) {
        shownKind = kind;
        const [kinds, schema] = await Promise.all([this.kindList(), kind ? this.schemaOf(kind) : Promise.resolve(null)]);
        post({ type: 'init', file: path.basename(document.fileName), kinds: kinds.map(({ kind: k, title, description }) => ({ kind: k, title, description })), kind, schema, value });
      } else post({ type: 'value', value });
      await validate();
    };

    const edit = async (e: SpecEdit) => {
      let next: string;
      try {
        next = applyEdit(document.getText(), e).text;
      } catch (err) {
        post({ type: 'error', message: err instanceof YamlEditError ? err.message : `could not edit the YAML: ${(err as Error).message}` });
        return;
      }
      await replaceText(document, next);
    };

    const subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== document.uri.toString() || e.contentChanges.length === 0) return;
        clearTimeout(timer);
        timer = setTimeout(() => void sync(false), 150);
      }),
      panel.webview.onDidReceiveMessage(async (raw) => {
        const m = formOutbound.safeParse(raw);
        if (!m.success) {
          console.warn(`[neurite] configuration form sent an invalid message: ${m.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
          return;
        }
        const msg = m.data;
        if (msg.type === 'ready') await sync(true).catch((e) => post({ type: 'error', message: (e as Error).message }));
        else if (msg.type === 'set') await edit({ op: 'set', path: msg.path, value: msg.value });
        else if (msg.type === 'unset') await edit({ op: 'unset', path: msg.path });
        else if (msg.type === 'setYaml') {
          const doc = YAML.parseDocument(msg.text);
          if (doc.errors.length) post({ type: 'error', message: `${msg.path.join('.')}: not valid YAML (${doc.errors[0].message.split('\n')[0]})` });
          else await edit({ op: 'set', path: msg.path, value: doc.toJS() });
        } else if (msg.type === 'openText') await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
        else {
          await document.save();
          void vscode.commands.executeCommand('neurite.runExperiment', document.uri).then(undefined, () => undefined); // its errors are shown by the command
        }
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
    });
  }

  private async kindList(): Promise<ExperimentListItem[]> {
    this.kinds ??= (await this.kernel.request('experiments/list', {})).experiments;
    return this.kinds;
  }

  private async schemaOf(kind: string): Promise<Record<string, unknown> | null> {
    if (!this.schemas.has(kind)) {
      try {
        this.schemas.set(kind, (await this.kernel.request('experiments/schema', { kind })).schema);
      } catch {
        return null; // an unknown kind: the form offers the kinds, the problems say why
      }
    }
    return this.schemas.get(kind)!;
  }
}

/** Replace the document's text by `next`, as one edit of the part that changed (cursors and folds elsewhere stay). */
async function replaceText(document: vscode.TextDocument, next: string): Promise<boolean> {
  const old = document.getText();
  if (old === next) return true;
  let a = 0;
  while (a < old.length && a < next.length && old[a] === next[a]) a++;
  let b = 0;
  while (b < old.length - a && b < next.length - a && old[old.length - 1 - b] === next[next.length - 1 - b]) b++;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(a), document.positionAt(old.length - b)), next.slice(a, next.length - b));
  return vscode.workspace.applyEdit(edit);
}

/** Open the form of a spec (the argument, or the active editor's file) beside its text. */
export async function openConfigForm(arg?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !/\.neurite\.ya?ml$/.test(uri.fsPath)) {
    void vscode.window.showWarningMessage('Neurite: open a *.neurite.yaml spec first (the form edits YAML specs).');
    return undefined;
  }
  const beside = vscode.window.activeTextEditor?.document.uri.toString() === uri.toString();
  await vscode.commands.executeCommand('vscode.openWith', uri, ConfigFormProvider.viewType, beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
  return uri;
}
