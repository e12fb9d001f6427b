/**
 * A run's notes and tags: `<run>/notes.json`, the one file of a run folder a person edits after
 * the run (spec.json, metrics and summary stay as the run wrote them). Written atomically.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/files';
import type { RunNotes } from '../protocol/types';

export const runNotesSchema = z.strictObject({
  note: z.string().max(10_000).default(''),
  tags: z.array(z.string().min(1).max(60)).max(50).default([]),
});

/** The run's notes, or undefined when it has none (or the file is not valid notes). */
export function readNotes(dir: string): RunNotes | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, 'notes.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = runNotesSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Tags as typed ("baseline, lr sweep ,, x") → trimmed, unique, in order. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** Write (or with an empty note and no tags, remove) the run's notes. */
export function writeNotes(dir: string, notes: RunNotes): void {
  const clean = runNotesSchema.parse(notes);
  const file = path.join(dir, 'notes.json');
  if (!clean.note && clean.tags.length === 0) fs.rmSync(file, { force: true });
  else writeFileAtomic(file, JSON.stringify(clean, null, 2) + '\n');
}
