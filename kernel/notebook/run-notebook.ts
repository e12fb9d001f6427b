/**
 * A whole notebook, top to bottom, headless (as `jupyter nbconvert --execute` does): each code
 * cell runs in the notebook's context and its outputs and execution count replace the old ones.
 * Stops at the first cell that fails unless `allowErrors`. Used by `neurite notebook run`.
 */
import * as path from 'path';
import { cellLanguages, type CellExecuteResult, type CellLanguage, type CellOutput } from '../protocol/notebook';
import type { NbDoc } from './nbformat';
import { NotebookSessions } from './sessions';

export interface NotebookRunOptions {
  file: string;
  workspace: string;
  overrides?: string[];
  allowErrors?: boolean;
  /** Called after each cell ran (its index among all cells). */
  onCell?(index: number, language: string, result: CellExecuteResult): void;
  onOutput?(index: number, output: CellOutput): void;
  /** Called when a cell starts; its value, if a function, is called to interrupt it (SIGINT). */
  sessions?: NotebookSessions;
}

/** The overrides a notebook asks for when run quickly (`metadata.neurite.quick`: `[kind:]path=value` strings). */
export function quickOverrides(doc: NbDoc): string[] {
  const q = (doc.metadata.neurite as { quick?: unknown } | undefined)?.quick;
  return Array.isArray(q) ? q.filter((s): s is string => typeof s === 'string') : [];
}

export async function runNotebook(doc: NbDoc, opts: NotebookRunOptions): Promise<{ failed: number; ran: number; interrupted: boolean }> {
  const sessions = opts.sessions ?? new NotebookSessions();
  const notebook = path.resolve(opts.file);
  let count = 0;
  let failed = 0;
  let interrupted = false;
  try {
    for (const [i, cell] of doc.cells.entries()) {
      if (cell.kind !== 'code' || !(cellLanguages as readonly string[]).includes(cell.language ?? '')) continue;
      const result = await sessions.execute(
        {
          notebook,
          executionId: `${notebook}#${i}`,
          language: cell.language as CellLanguage,
          source: cell.source,
          workspace: opts.workspace,
          baseDir: path.dirname(notebook),
          cellName: `cell ${i + 1}`,
          overrides: opts.overrides,
        },
        (o) => opts.onOutput?.(i, o),
      );
      cell.outputs = result.outputs;
      cell.executionCount = ++count;
      opts.onCell?.(i, cell.language!, result);
      if (result.status === 'interrupted') {
        interrupted = true;
        break;
      }
      if (result.status === 'error') {
        failed++;
        if (!opts.allowErrors) break;
      }
    }
  } finally {
    if (!opts.sessions) await sessions.disposeAll();
  }
  return { failed, ran: count, interrupted };
}
