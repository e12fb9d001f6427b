/**
 * A run the kernel refused for a bad spec: its problems go to the Problems panel (each at its
 * line), the editor jumps to the first, and the error the command rejects with is one short
 * line naming the file (not its absolute path) and the first problems.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { KernelInputError } from '../kernel/errors';
import type { SpecDiagnostics } from './diagnostics';

export async function showRejectedSpec(diagnostics: SpecDiagnostics, uri: vscode.Uri, e: KernelInputError): Promise<KernelInputError> {
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const [first] = await diagnostics.validate(doc);
    if (first) await vscode.window.showTextDocument(doc, { selection: first.range, preview: false });
  } catch {
    // the problems below still say what is wrong
  }
  const n = e.problems.length;
  return new KernelInputError(`${path.basename(uri.fsPath)} was not run, ${n} problem${n > 1 ? 's' : ''} (see Problems): ${e.problems.slice(0, 3).join('; ')}${n > 3 ? '; …' : ''}`, e.problems);
}
