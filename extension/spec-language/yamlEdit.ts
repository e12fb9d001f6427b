/**
 * Edits of a YAML spec that keep the rest of the file as the user wrote it. The `yaml`
 * package's Document API finds the node a form field stands for and its place in the text; the
 * edit replaces only that value, or inserts or removes one entry, in the style around it (block
 * or flow, its indentation), so comments, order, quoting and spacing elsewhere stay byte for
 * byte. Every edit is checked by parsing the result: when it does not give what the Document
 * API's own setIn/deleteIn gives, that Document is written instead (comments and order still
 * kept, some spacing normalised).
 */
import YAML, { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type Path = (string | number)[];
export type SpecEdit = { op: 'set'; path: Path; value: unknown } | { op: 'unset'; path: Path };

export interface EditResult {
  text: string;
  /** false when the edit fell back to re-writing the Document. */
  surgical: boolean;
}

export class YamlEditError extends Error {}

export function applyEdit(text: string, edit: SpecEdit): EditResult {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new YamlEditError(`the YAML has syntax errors; fix them first (${doc.errors[0].message.split('\n')[0]})`);
  if (edit.path.length === 0) throw new YamlEditError('cannot replace the whole spec');
  const expected = doc.clone();
  if (edit.op === 'set') expected.setIn(edit.path, expected.createNode(edit.value));
  else expected.deleteIn(edit.path);
  const want = JSON.stringify(expected.toJS());
  let out: string | undefined;
  try {
    out = edit.op === 'set' ? surgicalSet(doc, text, edit.path, edit.value) : surgicalUnset(doc, text, edit.path);
  } catch {
    out = undefined; // a shape this editor does not handle: the Document below does
  }
  if (out !== undefined) {
    const check = YAML.parseDocument(out);
    if (!check.errors.length && JSON.stringify(check.toJS()) === want) return { text: out, surgical: true };
  }
  return { text: expected.toString(), surgical: false };
}

type Ranged = Node & { range: [number, number, number] };

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (text: string, at: number) => {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
};
const column = (text: string, at: number) => at - lineStart(text, at);

/** A scalar as YAML text that is safe in flow and block context alike. */
function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  const plain = /^[A-Za-z_./~][\w./~-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function flowText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, x]) => `${scalarText(k)}: ${flowText(x)}`).join(', ')} }` : '{}';
  }
  return scalarText(v);
}

const isCollection = (v: unknown) => v !== null && typeof v === 'object';
/** Lists of scalars read best on one line ([1, 2, 3]); maps and lists of maps as blocks. */
const blockWorthy = (v: unknown) => isCollection(v) && (Array.isArray(v) ? v.some(isCollection) : Object.keys(v as object).length > 0);

/** `key: value` for a block map at `indent`, the value as a block below when it is a map or a list of maps. */
function blockPair(key: string, v: unknown, indent: number): string {
  return blockWorthy(v) ? `${scalarText(key)}:\n${blockLines(v, indent + 2)}` : `${scalarText(key)}: ${flowText(v)}`;
}

/** A map or list as block lines, each indented by `indent`. */
function blockLines(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    return v.map((x) => (blockWorthy(x) && !Array.isArray(x) ? `${pad}- ${blockLines(x, indent + 2).slice(indent + 2)}` : `${pad}- ${flowText(x)}`)).join('\n');
  }
  return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pad}${blockPair(k, x, indent)}`).join('\n');
}

/** Whether a node sits inside a flow collection (`{ … }` or `[ … ]`), where only flow text may go. */
function inFlow(doc: Document, path: Path): boolean {
  for (let i = 0; i < path.length; i++) {
    const n = doc.getIn(path.slice(0, i), true) as { flow?: boolean } | undefined;
    if (n?.flow) return true;
  }
  return false;
}

function surgicalSet(doc: Document, text: string, path: Path, value: unknown): string | undefined {
  const flow = inFlow(doc, path);
  const node = doc.getIn(path, true) as Ranged | undefined;
  if (node?.range) {
    const [start, end] = node.range;
    if (isScalar(node) && typeof value === 'string' && node.type === 'QUOTE_SINGLE') {
      return text.slice(0, start) + `'${value.replace(/'/g, "''")}'` + text.slice(end); // in the quotes it had
    }
    if (isScalar(node) || flow || (node as { flow?: boolean }).flow || !blockWorthy(value)) {
      return text.slice(0, start) + flowText(value) + text.slice(end);
    }
    const indent = column(text, start);
    return text.slice(0, start) + blockLines(value, indent).slice(indent) + text.slice(end);
  }
  // The deepest part of the path that exists, and what to add to it.
  let depth = path.length - 1;
  while (depth > 0 && !isCollectionNode(doc.getIn(path.slice(0, depth), true))) depth--;
  const parent = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as YAMLMap | YAMLSeq | null;
  if (!parent || !isCollectionNode(parent)) return undefined;
  const rest = path.slice(depth);
  if (rest.slice(1).some((k) => typeof k === 'number')) return undefined;
  const nested = rest.slice(1).reduceRight<unknown>((v, k) => ({ [k]: v }), value);
  return isMap(parent) ? insertPair(text, parent, String(rest[0]), nested, flow || !!parent.flow) : appendItem(text, parent as YAMLSeq, rest[0], nested, flow || !!parent.flow);
}

const isCollectionNode = (n: unknown): n is YAMLMap | YAMLSeq => isMap(n) || isSeq(n);

function insertPair(text: string, map: YAMLMap, key: string, v: unknown, flow: boolean): string | undefined {
  const items = map.items as Pair<Ranged, Ranged | null>[];
  const last = items[items.length - 1];
  if (flow) {
    const range = (map as unknown as Ranged).range;
    if (!last) return text.slice(0, range[0]) + `{ ${scalarText(key)}: ${flowText(v)} }` + text.slice(range[1]);
    const end = (last.value ?? last.key).range[1];
    return text.slice(0, end) + `, ${scalarText(key)}: ${flowText(v)}` + text.slice(end);
  }
  if (!last) return undefined;
  const indent = column(text, last.key.range[0]);
  const at = lineEnd(text, (last.value ?? last.key).range[1] - 1); // after the last entry's line (and its comment)
  return text.slice(0, at) + `\n${' '.repeat(indent)}${blockPair(key, v, indent)}` + text.slice(at);
}

function appendItem(text: string, seq: YAMLSeq, index: string | number, v: unknown, flow: boolean): string | undefined {
  const items = seq.items as Ranged[];
  if (index !== items.length) return undefined; // only appending: other indices do not exist to set
  const last = items[items.length - 1];
  if (flow) {
    const range = (seq as unknown as Ranged).range;
    if (!last) return text.slice(0, range[0]) + `[${flowText(v)}]` + text.slice(range[1]);
    return text.slice(0, last.range[1]) + `, ${flowText(v)}` + text.slice(last.range[1]);
  }
  if (!last) return undefined;
  const dash = text.lastIndexOf('-', last.range[0]);
  const indent = column(text, dash);
  const at = lineEnd(text, last.range[1] - 1);
  const item = blockWorthy(v) && !Array.isArray(v) ? `- ${blockLines(v, indent + 2).slice(indent + 2)}` : `- ${flowText(v)}`;
  return text.slice(0, at) + `\n${' '.repeat(indent)}${item}` + text.slice(at);
}

function surgicalUnset(doc: Document, text: string, path: Path): string | undefined {
  const parentPath = path.slice(0, -1);
  const parent = (parentPath.length ? doc.getIn(parentPath, true) : doc.contents) as YAMLMap | YAMLSeq | null;
  if (!parent || !isCollectionNode(parent)) return undefined;
  const key = path[path.length - 1];
  let start: number;
  let end: number;
  let index: number;
  if (isMap(parent)) {
    index = parent.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === String(key));
    if (index < 0) return text; // nothing to remove
    const pair = parent.items[index] as Pair<Ranged, Ranged | null>;
    [start, end] = [pair.key.range[0], (pair.value ?? pair.key).range[1]];
  } else {
    index = typeof key === 'number' ? key : -1;
    const item = parent.items[index] as Ranged | undefined;
    if (!item) return text;
    [start, end] = [item.range[0], item.range[1]];
  }
  if (parent.items.length === 1) return undefined; // leaves an empty collection: the Document knows how to write it
  if (inFlow(doc, path) || parent.flow) {
    const items = parent.items as (Ranged | Pair<Ranged, Ranged | null>)[];
    const rangeOf = (x: Ranged | Pair<Ranged, Ranged | null>) => ('key' in x && x.key ? x.key.range[0] : (x as Ranged).range[0]);
    if (index > 0) {
      const prev = items[index - 1];
      const prevEnd = 'key' in prev && prev.key ? (prev.value ?? prev.key).range[1] : (prev as Ranged).range[1];
      return text.slice(0, prevEnd) + text.slice(end); // ", key: value" with the comma before it
    }
    return text.slice(0, start) + text.slice(rangeOf(items[1])); // "key: value, " with the comma after it
  }
  // a block entry: its whole lines (for a list item, from its dash), the newline after them included
  const from = lineStart(text, start);
  if (text.slice(from, start).trim() !== '' && text.slice(from, start).trim() !== '-') return undefined;
  const to = lineEnd(text, end - 1);
  return text.slice(0, from) + text.slice(Math.min(text.length, to + 1));
}
