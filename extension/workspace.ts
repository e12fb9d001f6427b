/** Where specs and runs are found: the first workspace folder, or the extension's storage. */
import * as path from 'path';
import * as vscode from 'vscode';
import { runsRoot } from '../kernel/runs/store';

export function workspaceRoot(context: vscode.ExtensionContext): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? context.globalStorageUri.fsPath;
}

export function runsFolder(context: vscode.ExtensionContext): string {
  return runsRoot(workspaceRoot(context));
}

/** Spec files in the workspace, then the samples shipped with the extension. */
export async function findSpecs(context: vscode.ExtensionContext): Promise<{ uri: vscode.Uri; sample: boolean }[]> {
  const inWorkspace = await vscode.workspace.findFiles('**/*.neurite.{yaml,yml,json}', '{**/node_modules/**,**/.neurite/**}', 500);
  const samples = await vscode.workspace.fs.readDirectory(vscode.Uri.file(path.join(context.extensionPath, 'samples'))).then(
    (entries) => entries.filter(([n]) => /\.neurite\.(ya?ml|json)$/.test(n)).map(([n]) => vscode.Uri.file(path.join(context.extensionPath, 'samples', n))),
    () => [] as vscode.Uri[],
  );
  // A workspace copy of a bundled sample (same file name) stands for it: the picker lists it once.
  const names = new Set(inWorkspace.map((u) => path.basename(u.fsPath)));
  const seen = new Set(inWorkspace.map((u) => u.fsPath));
  return [
    ...inWorkspace.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ uri, sample: false })),
    ...samples.filter((u) => !seen.has(u.fsPath) && !names.has(path.basename(u.fsPath))).map((uri) => ({ uri, sample: true })),
  ];
}
