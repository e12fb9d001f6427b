/**
 * The notebook controller: executes `.neuronb` cells in the kernel process. It only starts an
 * execution, forwards the cell (`cell/execute`), shows outputs as `cell/output` brings them, puts
 * the kernel's final outputs in place, and ends. Interrupt goes to `cell/interrupt`; restart
 * (`neurite.notebook.restart`) ends the notebook's context. In an untrusted workspace no cell runs.
 */
import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { addOutput, cellLanguages, type CellExecuteResult, type CellLanguage, type CellOutput } from '../../kernel/protocol/notebook';
import type { KernelManager } from '../kernel/manager';
import { NOTEBOOK_TYPE, toCellOutput } from './serializer';

export const CONTROLLER_ID = 'neurite-kernel';
export const UNTRUSTED_MESSAGE = 'Neurite runs no cells in an untrusted workspace: cells run code and experiments on this machine. Trust the workspace (Workspaces: Manage Workspace Trust) to run them.';

export class NeuriteController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly order = new Map<string, number>();
  /** Notebooks whose queued cells should not start (an interrupt came). */
  private readonly stopping = new Set<string>();

  constructor(private readonly kernel: Pick<KernelManager, 'request' | 'onNotification'>, private readonly workspace: () => string) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Neurite');
    this.controller.supportedLanguages = [...cellLanguages];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'YAML spec cells and JavaScript/TypeScript code cells, in the Neurite kernel';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
  }

  async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    this.stopping.delete(key);
    for (const cell of cells) {
      if (this.stopping.has(key)) break; // Jupyter's behaviour: an interrupt also drops the queued cells
      if (!vscode.workspace.isTrusted) {
        await this.refuse(cell);
        continue;
      }
      const ok = await this.runCell(cell, notebook);
      if (!ok) break; // Run All stops at the first failing cell, as in Jupyter
    }
    this.stopping.delete(key);
  }

  private async refuse(cell: vscode.NotebookCell): Promise<void> {
    const exec = this.controller.createNotebookCellExecution(cell);
    exec.start(Date.now());
    await exec.replaceOutput(toCellOutput({ type: 'error', ename: 'UntrustedWorkspace', evalue: UNTRUSTED_MESSAGE, traceback: [] }));
    exec.end(false, Date.now());
  }

  /** One cell in the kernel; resolves true when it ran without error. */
  private async runCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<boolean> {
    const key = notebook.uri.toString();
    const exec = this.controller.createNotebookCellExecution(cell);
    const order = (this.order.get(key) ?? 0) + 1;
    this.order.set(key, order);
    exec.executionOrder = order;
    exec.start(Date.now());
    await exec.clearOutput();
    const language = cell.document.languageId;
    if (!(cellLanguages as readonly string[]).includes(language)) {
      await exec.replaceOutput(toCellOutput({ type: 'error', ename: 'Language', evalue: `Neurite runs yaml (spec), javascript and typescript cells, not ${language}`, traceback: [] }));
      exec.end(false, Date.now());
      return false;
    }
    const executionId = randomUUID();
    const live: CellOutput[] = [];
    let shown = Promise.resolve();
    let queued = false;
    const sub = this.kernel.onNotification(({ method, params }) => {
      if (method !== 'cell/output' || params.executionId !== executionId) return;
      addOutput(live, params.output);
      if (queued) return;
      queued = true; // at most one replace in flight: bursts of output are shown together
      shown = shown.then(async () => {
        queued = false;
        await exec.replaceOutput(live.map(toCellOutput));
      });
    });
    let result: CellExecuteResult | undefined;
    try {
      result = await this.kernel.request('cell/execute', {
        notebook: key,
        executionId,
        language: language as CellLanguage,
        source: cell.document.getText(),
        workspace: this.workspace(),
        baseDir: notebook.uri.scheme === 'file' ? path.dirname(notebook.uri.fsPath) : this.workspace(),
        cellName: `cell ${cell.index + 1}`,
      });
    } catch (e) {
      result = { status: 'error', outputs: [...live, { type: 'error', ename: (e as Error).name, evalue: (e as Error).message, traceback: [] }], durationMs: 0, runs: [] };
    } finally {
      sub.dispose();
    }
    await shown;
    await exec.replaceOutput(result.outputs.map(toCellOutput));
    exec.end(result.status === 'ok', Date.now());
    return result.status === 'ok';
  }

  async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    this.stopping.add(key);
    await this.kernel.request('cell/interrupt', { notebook: key });
  }

  /** End the notebook's code context; execution counts start again at 1. */
  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    this.order.delete(key);
    await this.kernel.request('notebook/restart', { notebook: key });
  }

  /** The whole kernel restarted: every notebook's context is gone. */
  resetAll(): void {
    this.order.clear();
  }

  dispose(): void {
    this.controller.dispose();
  }
}
