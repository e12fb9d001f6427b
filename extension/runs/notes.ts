/** Neurite: Edit Note and Tags… — two input boxes, written to the run's notes.json. */
import * as vscode from 'vscode';
import type { RunNotes } from '../../kernel/protocol/types';
import { parseTags, readNotes, writeNotes } from '../../kernel/runs/notes';

/** Ask for a run's note and tags; returns what was saved, or undefined when the user backed out. */
export async function editNotes(dir: string, runLabel: string): Promise<RunNotes | undefined> {
  const old = readNotes(dir) ?? { note: '', tags: [] };
  const note = await vscode.window.showInputBox({ title: `Note on ${runLabel}`, prompt: 'A line about this run (empty: none)', value: old.note, ignoreFocusOut: true });
  if (note === undefined) return undefined;
  const tags = await vscode.window.showInputBox({ title: `Tags of ${runLabel}`, prompt: 'Comma-separated tags, e.g. baseline, lr-sweep', value: old.tags.join(', '), ignoreFocusOut: true });
  if (tags === undefined) return undefined;
  const notes = { note: note.trim(), tags: parseTags(tags) };
  writeNotes(dir, notes);
  return notes;
}
