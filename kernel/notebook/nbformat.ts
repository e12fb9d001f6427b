/**
 * `.neuronb` files: Jupyter's nbformat 4 JSON, so Jupyter tooling and GitHub can read them.
 * A cell's language is `metadata.vscode.languageId` (the convention of VS Code's Jupyter
 * extension), else the notebook's `metadata.language_info.name`. Every field this code does not
 * know (at the notebook, cell and output level) is kept and written back unchanged. Outputs map
 * 1:1 onto the kernel's CellOutput (nbformat's stream, display_data, execute_result, error).
 */
import { InputError } from '../core/errors';
import type { CellOutput } from '../protocol/notebook';

export type NbOutput = CellOutput & {
  /** Fields of the output this code does not read (`metadata`, …), kept for the file. */
  extra?: Record<string, unknown>;
};

export interface NbCell {
  kind: 'code' | 'markdown' | 'raw';
  /** Code cells: `yaml`, `javascript`, `typescript` (others are kept but not run). */
  language?: string;
  source: string;
  outputs: NbOutput[];
  executionCount?: number | null;
  id?: string;
  /** The cell's `metadata`, with the language taken out. */
  metadata: Record<string, unknown>;
  /** Other fields of the cell (`attachments`, …). */
  extra: Record<string, unknown>;
}

export interface NbDoc {
  cells: NbCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformatMinor: number;
  /** Other top-level fields. */
  extra: Record<string, unknown>;
}

export const DEFAULT_LANGUAGE = 'typescript';

const lines = (v: unknown): string => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '');
/** nbformat's multiline strings, as Jupyter writes them: a list of lines, each with its '\n'. */
const toLines = (s: string): string[] => s.split(/(?<=\n)/).filter((l) => l.length > 0);
const omit = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parseNotebook(text: string, source = 'notebook'): NbDoc {
  if (text.trim() === '') return emptyNotebook();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError([`not JSON: ${(e as Error).message}`], source);
  }
  if (!isObject(raw) || !Array.isArray(raw.cells)) throw new InputError(['expected an nbformat 4 notebook (an object with "cells")'], source);
  if (typeof raw.nbformat === 'number' && raw.nbformat !== 4) throw new InputError([`nbformat ${raw.nbformat}: only nbformat 4 is read`], source);
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const fallback = isObject(metadata.language_info) && typeof metadata.language_info.name === 'string' ? metadata.language_info.name : DEFAULT_LANGUAGE;
  const cells = raw.cells.map((c, i): NbCell => {
    if (!isObject(c)) throw new InputError([`cells.${i}: expected an object`], source);
    const kind = c.cell_type === 'markdown' || c.cell_type === 'raw' ? c.cell_type : 'code';
    const meta = isObject(c.metadata) ? c.metadata : {};
    const vscodeMeta = isObject(meta.vscode) ? meta.vscode : undefined;
    const language = kind === 'code' ? (typeof vscodeMeta?.languageId === 'string' ? vscodeMeta.languageId : fallback) : undefined;
    const restVscode = vscodeMeta ? omit(vscodeMeta, ['languageId']) : undefined;
    const cellMeta = omit(meta, ['vscode']);
    if (restVscode && Object.keys(restVscode).length) cellMeta.vscode = restVscode;
    return {
      kind,
      language,
      source: lines(c.source),
      outputs: Array.isArray(c.outputs) ? c.outputs.filter(isObject).map(readOutput) : [],
      executionCount: typeof c.execution_count === 'number' ? c.execution_count : null,
      ...(typeof c.id === 'string' ? { id: c.id } : {}),
      metadata: cellMeta,
      extra: omit(c, ['cell_type', 'source', 'outputs', 'execution_count', 'id', 'metadata']),
    };
  });
  return {
    cells,
    metadata,
    nbformat: 4,
    nbformatMinor: typeof raw.nbformat_minor === 'number' ? raw.nbformat_minor : 5,
    extra: omit(raw, ['cells', 'metadata', 'nbformat', 'nbformat_minor']),
  };
}

export function emptyNotebook(): NbDoc {
  return {
    cells: [],
    metadata: { kernelspec: { name: 'neurite', display_name: 'Neurite', language: DEFAULT_LANGUAGE }, language_info: { name: DEFAULT_LANGUAGE } },
    nbformat: 4,
    nbformatMinor: 5,
    extra: {},
  };
}

function readOutput(o: Record<string, unknown>): NbOutput {
  const known = (keys: string[]) => {
    const extra = omit(o, ['output_type', ...keys]);
    return Object.keys(extra).length ? { extra } : {};
  };
  const data = isObject(o.data) ? Object.fromEntries(Object.entries(o.data).map(([m, v]) => [m, typeof v === 'string' || Array.isArray(v) ? (m.endsWith('json') ? v : lines(v)) : v])) : {};
  switch (o.output_type) {
    case 'stream':
      return { type: 'stream', name: o.name === 'stderr' ? 'stderr' : 'stdout', text: lines(o.text), ...known(['name', 'text']) };
    case 'execute_result':
      return { type: 'result', data, ...known(['data', 'execution_count']) };
    case 'error':
      return { type: 'error', ename: String(o.ename ?? 'Error'), evalue: String(o.evalue ?? ''), traceback: Array.isArray(o.traceback) ? o.traceback.map(String) : [], ...known(['ename', 'evalue', 'traceback']) };
    case 'display_data':
      return { type: 'display', data, ...known(['data']) };
    default: // an output type this code does not know: shown as a display, written back as it was
      return { type: 'display', data, extra: omit(o, ['data']) };
  }
}

function writeOutput(o: NbOutput, executionCount: number | null | undefined): Record<string, unknown> {
  const extra = o.extra ?? {};
  const data = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).map(([m, v]) => [m, typeof v === 'string' && !m.endsWith('json') ? toLines(v) : v]));
  switch (o.type) {
    case 'stream':
      return { output_type: 'stream', name: o.name, text: toLines(o.text), ...extra };
    case 'result':
      return { output_type: 'execute_result', execution_count: executionCount ?? null, data: data(o.data), metadata: {}, ...extra };
    case 'error':
      return { output_type: 'error', ename: o.ename, evalue: o.evalue, traceback: o.traceback, ...extra };
    case 'display':
      return { output_type: 'display_data', data: data(o.data), metadata: {}, ...extra };
  }
}

export function serializeNotebook(doc: NbDoc): string {
  const fallback = isObject(doc.metadata.language_info) && typeof doc.metadata.language_info.name === 'string' ? doc.metadata.language_info.name : DEFAULT_LANGUAGE;
  const cells = doc.cells.map((c) => {
    const metadata: Record<string, unknown> = { ...c.metadata };
    if (c.kind === 'code' && c.language && c.language !== fallback) metadata.vscode = { ...(isObject(c.metadata.vscode) ? c.metadata.vscode : {}), languageId: c.language };
    const base: Record<string, unknown> = { cell_type: c.kind, ...(c.id ? { id: c.id } : {}), metadata, source: toLines(c.source) };
    if (c.kind === 'code') Object.assign(base, { execution_count: c.executionCount ?? null, outputs: c.outputs.map((o) => writeOutput(o, c.executionCount)) });
    return { ...base, ...c.extra };
  });
  const out = { cells, metadata: doc.metadata, nbformat: 4, nbformat_minor: doc.nbformatMinor, ...doc.extra };
  return JSON.stringify(out, null, 1) + '\n';
}
