/**
 * Problems of `*.neurite.{yaml,yml,json}` files from the kernel's own validation (spec/validate),
 * as you type (debounced), at their lines in the Problems panel. Where another validator already
 * checks the JSON Schema (VS Code's JSON support for .json; the Red Hat YAML extension for .yaml,
 * fed by our yamlValidation contribution) only what the schema cannot say is added: relations
 * between fields (θ ≤ s, one of netlist or netlistText), the files a spec names, the device.
 */
import * as vscode from 'vscode';
import type { SpecProblem } from '../../kernel/protocol/types';
import type { KernelManager } from '../kernel/manager';

export const specFile = /\.neurite\.(ya?ml|json)$/;
export const redHatYaml = 'redhat.vscode-yaml';
const debounceMs = 350;

export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('neurite');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly kernel: KernelManager, private readonly workspace: string) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, debounceMs)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.extensions.onDidChange(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0))),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!specFile.test(doc.fileName) || doc.uri.scheme === 'git') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.validate(doc).catch(() => undefined), delay));
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** Validate now; the diagnostics set (also returned). A crashed kernel is left alone until the user restarts it. */
  async validate(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    if (this.kernel.state === 'crashed') return [...(this.collection.get(doc.uri) ?? [])];
    const version = doc.version;
    const r = await this.kernel.request('spec/validate', { text: doc.getText(), specPath: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined, workspace: this.workspace });
    if (doc.isClosed || doc.version !== version) return [...(this.collection.get(doc.uri) ?? [])]; // typed on since: the next run sets them
    const schemaCovered = doc.fileName.endsWith('.json') || vscode.extensions.getExtension(redHatYaml) !== undefined;
    const shown = r.problems.filter((p) => !schemaCovered || p.origin === 'semantic' || p.origin === 'file' || p.origin === 'device');
    const diagnostics = shown.map(toDiagnostic);
    this.collection.set(doc.uri, diagnostics);
    return diagnostics;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}

export function toDiagnostic(p: SpecProblem): vscode.Diagnostic {
  const range = new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character);
  const where = p.path.length ? `${p.path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('')}: ` : '';
  const d = new vscode.Diagnostic(range, `${where}${p.message}`, vscode.DiagnosticSeverity.Error);
  d.source = 'neurite';
  d.code = p.origin;
  return d;
}
