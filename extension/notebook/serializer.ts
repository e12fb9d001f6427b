/**
 * `.neuronb` ↔ VS Code's NotebookData. The file format (nbformat 4) lives in the kernel
 * (kernel/notebook/nbformat.ts, shared with `neurite notebook run`); this maps its cells and
 * outputs onto VS Code's, and keeps what VS Code has no place for (cell ids, nbformat metadata,
 * unknown fields) in the cells' and notebook's metadata, so saving writes them back.
 */
import * as vscode from 'vscode';
import { emptyNotebook, parseNotebook, serializeNotebook, type NbCell, type NbDoc, type NbOutput } from '../../kernel/notebook/nbformat';
import type { CellOutput } from '../../kernel/protocol/notebook';

export const NOTEBOOK_TYPE = 'neurite-notebook';

const ERROR_MIME = 'application/vnd.code.notebook.error';
const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
const STDERR_MIME = 'application/vnd.code.notebook.stderr';

/** What a cell keeps for the file that VS Code does not model. */
interface CellKeep {
  id?: string;
  metadata: Record<string, unknown>;
  extra: Record<string, unknown>;
  raw?: boolean;
}

export class NeuriteSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = new TextDecoder().decode(content);
    return toNotebookData(text.trim() ? parseNotebook(text) : emptyNotebook());
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return new TextEncoder().encode(serializeNotebook(fromNotebookData(data)));
  }
}

export function toNotebookData(doc: NbDoc): vscode.NotebookData {
  const cells = doc.cells.map((c) => {
    const markup = c.kind === 'markdown';
    const cell = new vscode.NotebookCellData(markup ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.source, markup ? 'markdown' : c.kind === 'raw' ? 'plaintext' : (c.language ?? 'typescript'));
    cell.outputs = c.outputs.map(toCellOutput);
    const keep: CellKeep = { ...(c.id ? { id: c.id } : {}), metadata: c.metadata, extra: c.extra, ...(c.kind === 'raw' ? { raw: true } : {}) };
    cell.metadata = { neurite: keep };
    if (typeof c.executionCount === 'number') cell.executionSummary = { executionOrder: c.executionCount };
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = { neurite: { metadata: doc.metadata, extra: doc.extra, nbformatMinor: doc.nbformatMinor } };
  return data;
}

export function fromNotebookData(data: vscode.NotebookData): NbDoc {
  const nb = (data.metadata?.neurite ?? {}) as { metadata?: Record<string, unknown>; extra?: Record<string, unknown>; nbformatMinor?: number };
  const base = emptyNotebook();
  const cells = data.cells.map((c): NbCell => {
    const keep = ((c.metadata?.neurite ?? {}) as Partial<CellKeep>) ?? {};
    const kind = c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : keep.raw ? 'raw' : 'code';
    return {
      kind,
      language: kind === 'code' ? c.languageId : undefined,
      source: c.value,
      outputs: (c.outputs ?? []).map(fromCellOutput).filter((o): o is NbOutput => o !== undefined),
      executionCount: c.executionSummary?.executionOrder ?? null,
      ...(keep.id ? { id: keep.id } : {}),
      metadata: keep.metadata ?? {},
      extra: keep.extra ?? {},
    };
  });
  return { cells, metadata: nb.metadata ?? base.metadata, nbformat: 4, nbformatMinor: nb.nbformatMinor ?? 5, extra: nb.extra ?? {} };
}

/** A kernel output (or one read from a file) as VS Code shows it: Neurite's MIME types first, so the renderer draws them. */
export function toCellOutput(o: NbOutput | CellOutput): vscode.NotebookCellOutput {
  const meta = { outputType: o.type, ...('extra' in o && o.extra ? { extra: o.extra } : {}) };
  switch (o.type) {
    case 'stream':
      return new vscode.NotebookCellOutput([o.name === 'stderr' ? vscode.NotebookCellOutputItem.stderr(o.text) : vscode.NotebookCellOutputItem.stdout(o.text)], meta);
    case 'error':
      return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: o.ename, message: o.evalue, stack: o.traceback.join('\n') })], meta);
    default: {
      const entries = Object.entries(o.data).sort(([a], [b]) => rank(a) - rank(b));
      const items = entries.map(([mime, v]) => (typeof v === 'string' && !mime.endsWith('json') ? vscode.NotebookCellOutputItem.text(v, mime) : vscode.NotebookCellOutputItem.json(v, mime)));
      return new vscode.NotebookCellOutput(items, { ...meta, ...(o.type === 'display' && o.id ? { displayId: o.id } : {}) });
    }
  }
}

function rank(mime: string): number {
  return mime.startsWith('application/vnd.neurite.') ? 0 : mime === 'text/plain' ? 2 : 1;
}

export function fromCellOutput(out: vscode.NotebookCellOutput): NbOutput | undefined {
  const meta = (out.metadata ?? {}) as { outputType?: CellOutput['type']; extra?: Record<string, unknown>; displayId?: string };
  const extra = meta.extra ? { extra: meta.extra } : {};
  const decode = (d: Uint8Array) => new TextDecoder().decode(d);
  const first = out.items[0];
  if (!first) return undefined;
  if (first.mime === STDOUT_MIME || first.mime === STDERR_MIME) {
    return { type: 'stream', name: first.mime === STDERR_MIME ? 'stderr' : 'stdout', text: out.items.map((i) => decode(i.data)).join(''), ...extra };
  }
  if (first.mime === ERROR_MIME) {
    const e = JSON.parse(decode(first.data)) as { name?: string; message?: string; stack?: string };
    return { type: 'error', ename: e.name ?? 'Error', evalue: e.message ?? '', traceback: e.stack ? e.stack.split('\n') : [], ...extra };
  }
  const data = Object.fromEntries(out.items.map((i) => [i.mime, i.mime.endsWith('json') ? JSON.parse(decode(i.data)) : decode(i.data)]));
  return meta.outputType === 'result' ? { type: 'result', data, ...extra } : { type: 'display', data, ...(meta.displayId ? { id: meta.displayId } : {}), ...extra };
}
