/**
 * Just enough of the `vscode` module for the notebook serializer and controller to run in plain
 * Node: the notebook data classes, output items encoded as VS Code encodes them, a controller
 * whose executions record what they were given, and `workspace.isTrusted`. Installed in
 * require's resolution so `import * as vscode from 'vscode'` gets it.
 */
import Module = require('module');

const enc = (s: string) => new TextEncoder().encode(s);

export class NotebookCellOutputItem {
  constructor(readonly data: Uint8Array, readonly mime: string) {}
  static text(v: string, mime = 'text/plain') {
    return new NotebookCellOutputItem(enc(v), mime);
  }
  static json(v: unknown, mime = 'application/json') {
    return new NotebookCellOutputItem(enc(JSON.stringify(v)), mime);
  }
  static stdout(v: string) {
    return new NotebookCellOutputItem(enc(v), 'application/vnd.code.notebook.stdout');
  }
  static stderr(v: string) {
    return new NotebookCellOutputItem(enc(v), 'application/vnd.code.notebook.stderr');
  }
  static error(e: { name: string; message: string; stack?: string }) {
    return new NotebookCellOutputItem(enc(JSON.stringify({ name: e.name, message: e.message, stack: e.stack })), 'application/vnd.code.notebook.error');
  }
}

export class NotebookCellOutput {
  constructor(readonly items: NotebookCellOutputItem[], readonly metadata?: Record<string, unknown>) {}
}

export class NotebookCellData {
  outputs?: NotebookCellOutput[];
  metadata?: Record<string, unknown>;
  executionSummary?: { executionOrder?: number };
  constructor(readonly kind: number, public value: string, public languageId: string) {}
}

export class NotebookData {
  metadata?: Record<string, unknown>;
  constructor(public cells: NotebookCellData[]) {}
}

export interface RecordedExecution {
  cell: unknown;
  executionOrder?: number;
  outputs: NotebookCellOutput[];
  started: boolean;
  success?: boolean;
}

export const executions: RecordedExecution[] = [];

export const fake = {
  NotebookCellKind: { Markup: 1, Code: 2 },
  NotebookCellData,
  NotebookData,
  NotebookCellOutput,
  NotebookCellOutputItem,
  workspace: { isTrusted: true },
  notebooks: {
    createNotebookController(id: string, type: string, label: string) {
      return {
        id,
        type,
        label,
        createNotebookCellExecution(cell: unknown) {
          const rec: RecordedExecution = { cell, outputs: [], started: false };
          executions.push(rec);
          return {
            set executionOrder(n: number) {
              rec.executionOrder = n;
            },
            start: () => (rec.started = true),
            clearOutput: async () => (rec.outputs = []),
            replaceOutput: async (o: NotebookCellOutput | NotebookCellOutput[]) => (rec.outputs = Array.isArray(o) ? o : [o]),
            end: (success: boolean) => (rec.success = success),
          };
        },
        dispose() {},
      };
    },
  },
};

let installed = false;
export function installFakeVscode(): typeof fake {
  if (installed) return fake;
  installed = true;
  const m = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = m._resolveFilename;
  m._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake } as unknown as NodeJS.Module;
  return fake;
}
