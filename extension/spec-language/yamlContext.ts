/**
 * Where the cursor is in a YAML spec, for completion and hover: the path of the key under it,
 * or the mapping a new key typed on this line belongs to (found by indentation, since the line
 * being typed is rarely valid YAML yet), or the key whose value is being typed. Pure.
 */
import YAML, { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { Path } from '../../kernel/protocol/spec-schema';

/** Every key of the document: its offset range and path. */
export function keysOf(doc: Document): { start: number; end: number; path: Path }[] {
  const out: { start: number; end: number; path: Path }[] = [];
  YAML.visit(doc, {
    Pair(_k, pair, ancestors) {
      if (!isScalar(pair.key) || !pair.key.range) return;
      const path: Path = [];
      const chain = [...ancestors, pair];
      chain.forEach((a, i) => {
        const child = chain[i + 1];
        if (isPair(a) && isScalar(a.key) && child !== undefined && a.value === child) path.push(String(a.key.value));
        if (isSeq(a) && child !== undefined) path.push(a.items.indexOf(child as never));
      });
      path.push(String(pair.key.value));
      out.push({ start: pair.key.range[0], end: pair.key.range[1], path });
    },
  });
  return out;
}

export type CursorContext =
  | { kind: 'key'; parent: Path; partial: string; present: string[] }
  | { kind: 'value'; path: Path; partial: string };

/** The key path under `offset` (for hover), if the cursor is on a key. */
export function keyAt(text: string, offset: number): Path | undefined {
  const doc = YAML.parseDocument(text);
  return keysOf(doc).find((k) => offset >= k.start && offset <= k.end)?.path;
}

const keyLine = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s#:'"][^:#]*?)\s*:(\s|$)/;

/** What is being typed at `offset`: a key (and in which mapping) or a key's value. */
export function contextAt(text: string, offset: number): CursorContext | undefined {
  const doc = YAML.parseDocument(text);
  const keys = keysOf(doc);
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(start, offset);
  const value = /^(\s*)(-\s+)?([\w.-]+)\s*:\s*(\S*)$/.exec(before);
  const key = /^(\s*)(-\s+)?([\w.-]*)$/.exec(before);
  if (!value && !key) return undefined;
  const m = (value ?? key)!;
  const column = m[1].length + (m[2]?.length ?? 0);
  const parent = parentAt(text, keys, doc, start, column, m[2] !== undefined);
  if (!parent) return undefined;
  if (value) return { kind: 'value', path: [...parent, value[3]], partial: value[4] };
  const node = parent.length ? doc.getIn(parent, true) : doc.contents;
  const present = isMap(node) ? node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k && k !== key![3]) : [];
  return { kind: 'key', parent, partial: key![3], present };
}

/** How many items of a list start before `offset` (the index of an item typed there). */
function itemsBefore(seq: unknown, offset: number): number {
  return isSeq(seq) ? seq.items.filter((i) => ((i as { range?: number[] }).range?.[0] ?? 0) < offset).length : 0;
}

/**
 * The mapping a key at `column` on the line starting at `lineStart` belongs to: the nearest line
 * above with a key at that column (a sibling: its parent) or further left (the key that opens
 * this block). A line that starts a list item (`- `) opens a new item of the list above.
 */
function parentAt(text: string, keys: { start: number; path: Path }[], doc: Document, lineStart: number, column: number, newItem: boolean): Path | undefined {
  let end = lineStart - 1;
  while (end > 0) {
    const s = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(s, end);
    end = s - 1;
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const m = keyLine.exec(line);
    const indent = line.length - line.trimStart().length;
    if (!m) {
      if (indent < column) return undefined; // a value or list item that is not a key: nothing known
      continue;
    }
    const keyColumn = m[1].length + (m[2]?.length ?? 0);
    const here = keys.find((k) => k.start === s + keyColumn)?.path;
    if (!here) return undefined;
    if (newItem) {
      // "- " on this line: a new item of the list opened by the nearest key left of the dash
      if (keyColumn >= column - 1 && m[2] !== undefined && indent === column - 2) {
        const list = here.slice(0, -2);
        return [...list, itemsBefore(doc.getIn(list, true), lineStart)];
      }
      if (keyColumn < column - 1) return [...here, itemsBefore(doc.getIn(here, true), lineStart)];
      continue;
    }
    if (keyColumn === column) return here.slice(0, -1);
    if (keyColumn < column) return here;
  }
  return column === 0 ? [] : undefined;
}
