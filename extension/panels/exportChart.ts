/** Saving a chart a panel exported (PNG or CSV): a save dialog starting in `folder`, then the file. */
import * as path from 'path';
import * as vscode from 'vscode';

export async function saveExport(e: { format: 'png' | 'csv'; name: string; data: string }, folder: string): Promise<vscode.Uri | undefined> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder, e.name)),
    filters: e.format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    title: `Save chart as ${e.format.toUpperCase()}`,
  });
  if (!target) return undefined;
  const bytes = e.format === 'png' ? Buffer.from(e.data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(e.data, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.setStatusBarMessage(`Neurite: saved ${path.basename(target.fsPath)}`, 3000);
  return target;
}

/** Open a file of a run: records and text as a document, binaries (model.onnx) revealed in the OS file explorer. */
export async function openRunFile(file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  if (/\.(json|jsonl|txt|csv|cir|ya?ml|log)$/i.test(file)) await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.One });
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
