/**
 * Completion and hover in `*.neurite.yaml` from the spec's JSON Schema (the same zod schemas,
 * written to dist/schemas/spec.schema.json by the build): keys with their type, unit, default
 * and description, enum values, booleans, kinds. Registered only when the Red Hat YAML
 * extension is absent: with it, our yamlValidation contribution gives it the same schema.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import YAML from 'yaml';
import { kindSchema, rangeText, schemaAt, typeOf, unitOf, type JsonSchema, type Path } from '../../kernel/protocol/spec-schema';
import { contextAt, keyAt } from './yamlContext';

export const yamlSpecs: vscode.DocumentSelector = [{ pattern: '**/*.neurite.{yaml,yml}' }];

/** The all-kinds schema, read once. */
export function loadSchema(file: string): JsonSchema {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
}

const kindOf = (text: string) => /^kind:\s*["']?([\w.-]+)/m.exec(text)?.[1];

function valueOf(text: string): unknown {
  try {
    return YAML.parse(text, { logLevel: 'silent' });
  } catch {
    return undefined;
  }
}

/** Markdown describing a field: type, unit, range, default, description. */
export function fieldDoc(name: string | number, s: JsonSchema): vscode.MarkdownString {
  const unit = unitOf(name, s);
  const type = typeOf(s);
  const facts = [type === 'enum' ? `one of ${(s.enum ?? [s.const]).map((v) => `\`${String(v)}\``).join(', ')}` : type, unit && `in ${unit}`, rangeText(s), s.default !== undefined && `default \`${JSON.stringify(s.default)}\``].filter(Boolean);
  const md = new vscode.MarkdownString(`**${name}** — ${facts.join(' · ')}`);
  if (s.description) md.appendMarkdown(`\n\n${s.description}`);
  return md;
}

export function specCompletion(all: JsonSchema): vscode.CompletionItemProvider {
  return {
    provideCompletionItems(doc, position) {
      const text = doc.getText();
      const ctx = contextAt(text, doc.offsetAt(position));
      if (!ctx) return undefined;
      const kind = kindOf(text);
      const root = kind ? kindSchema(all, kind) : undefined;
      const value = valueOf(text);
      if (ctx.kind === 'value' && ctx.path.length === 1 && ctx.path[0] === 'kind') {
        return (all.allOf ?? []).map((b) => {
          const k = b.if?.properties?.kind?.const as string;
          const item = new vscode.CompletionItem(k, vscode.CompletionItemKind.EnumMember);
          item.detail = b.then?.title;
          item.documentation = b.then?.description;
          return item;
        });
      }
      if (!root) return ctx.kind === 'key' && ctx.parent.length === 0 ? [keyItem('kind', { description: 'Experiment kind: what to run.', type: 'string' }, '')] : undefined;
      if (ctx.kind === 'key') {
        const s = schemaAt(root, ctx.parent, value);
        return Object.entries(s?.properties ?? {})
          .filter(([k]) => !ctx.present.includes(k))
          .map(([k, p]) => keyItem(k, p, ctx.partial));
      }
      const s = schemaAt(root, ctx.path as Path, value);
      if (!s) return undefined;
      const values = s.enum ?? (s.const !== undefined ? [s.const] : typeOf(s) === 'boolean' ? [true, false] : s.default !== undefined && typeOf(s) !== 'object' ? [s.default] : []);
      return values.map((v) => {
        const item = new vscode.CompletionItem(typeof v === 'string' ? v : JSON.stringify(v), vscode.CompletionItemKind.Value);
        if (v === s.default) item.detail = 'default';
        return item;
      });
    },
  };
}

function keyItem(key: string, s: JsonSchema, partial: string): vscode.CompletionItem {
  const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
  const type = typeOf(s);
  const unit = unitOf(key, s);
  item.detail = [type, unit && `(${unit})`, s.default !== undefined && typeof s.default !== 'object' ? `= ${JSON.stringify(s.default)}` : ''].filter(Boolean).join(' ');
  item.documentation = fieldDoc(key, s);
  item.filterText = key;
  if (partial && !key.startsWith(partial)) item.sortText = `~${key}`;
  const scalarDefault = s.default !== undefined && typeof s.default !== 'object' ? String(s.default) : '';
  item.insertText =
    type === 'object' ? new vscode.SnippetString(`${key}:\n\t$0`)
    : type === 'array' ? new vscode.SnippetString(`${key}: [$0]`)
    : new vscode.SnippetString(`${key}: \${1:${scalarDefault.replace(/[$}\\]/g, '\\$&')}}`);
  return item;
}

export function specHover(all: JsonSchema): vscode.HoverProvider {
  return {
    provideHover(doc, position) {
      const text = doc.getText();
      const path = keyAt(text, doc.offsetAt(position));
      const kind = kindOf(text);
      if (!path || !kind) return undefined;
      const s = schemaAt(kindSchema(all, kind), path, valueOf(text));
      return s ? new vscode.Hover(fieldDoc(path[path.length - 1], s)) : undefined;
    },
  };
}
