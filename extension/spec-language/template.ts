/**
 * A new spec for a kind, from its JSON Schema: every field with a default, at its default (the
 * sections the kernel fills in expanded, so the file shows what a run will use), each with its
 * description as a comment; required fields without a default left empty for the user (the
 * Problems panel points at them); optional fields without a default listed at the end.
 */
import YAML, { isMap, isPair, isScalar } from 'yaml';
import { defaultValue, typeOf, type JsonSchema } from '../../kernel/protocol/spec-schema';

/** Descriptions wrapped to comment lines of at most `width` characters. */
function wrap(text: string, width = 96): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l) => ` ${l}`).join('\n');
}

export function specTemplate(kind: string, schema: JsonSchema, name: string): string {
  const props = schema.properties ?? {};
  const value: Record<string, unknown> = { kind, name };
  for (const [k, p] of Object.entries(props)) {
    if (k === 'kind' || k === 'name') continue;
    const v = defaultValue(p);
    if (v !== undefined) value[k] = v;
    else if (schema.required?.includes(k)) value[k] = null;
  }
  const doc = new YAML.Document(value);
  // lists of numbers or names on one line, as the samples write them
  YAML.visit(doc, { Seq: (_k, seq) => void (seq.flow = seq.items.every((i) => isScalar(i))) });
  // the descriptions, as comments above their keys, all the way down
  const describe = (node: unknown, s: JsonSchema | undefined) => {
    if (!isMap(node) || !s?.properties) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const ps = s.properties[key];
      const required = pair.value === null || (isScalar(pair.value) && pair.value.value === null);
      const text = [ps?.description, required ? 'Required: fill this in.' : ''].filter(Boolean).join(' ');
      if (text && key !== 'kind') pair.key.commentBefore = wrap(text);
      describe(pair.value, ps);
    }
  };
  describe(doc.contents, schema);
  doc.commentBefore = wrap(`${schema.title ?? kind}${schema.description ? `: ${schema.description}` : ''}. Made by Neurite: New Experiment… with the kind's defaults; edit it here or in the form (Neurite: Open Configuration Form), then run it (Neurite: Run Experiment).`);
  const optional = Object.entries(props).filter(([k]) => !(k in value) && k !== 'sweep');
  if (optional.length) doc.comment = wrap(`Also possible: ${optional.map(([k, p]) => `${k} (${p.description ?? typeOf(p)})`).join('; ')}`);
  return doc.toString({ lineWidth: 0 });
}
