/**
 * Form fields drawn from a kind's JSON Schema: objects as groups, enums as selects, numbers with
 * their unit and range, booleans as checkboxes, lists of numbers or names as one line, lists of
 * maps as repeated groups (each with its kind of item, e.g. a population's model), anything else
 * as YAML text. Every field shows its description as help and says when it holds the default.
 * Edits go out by path; the host writes them into the file.
 */
import type { FormOutbound } from '../../kernel/protocol/config-form';
import { defaultValue, discriminator, rangeText, resolve, typeOf, unitOf, type JsonSchema, type Path } from '../../kernel/protocol/spec-schema';

export interface FormContext {
  value: unknown;
  send(m: FormOutbound): void;
}

type Control = HTMLElement & { value: string | string[]; checked?: boolean; invalid?: boolean };

export const valueAt = (v: unknown, path: Path): unknown => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), v);
export const idOf = (path: Path) => `f-${path.join('-').replace(/[^\w-]/g, '_')}`;

export function el<K extends string>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A value as one line of flow YAML (what a text field shows and the host parses back). */
export function flowText(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${flowText(x)}`).join(', ')} }`;
  if (typeof v === 'string') return /^[\w./~-]+$/.test(v) && !/^(true|false|null|\d.*)$/i.test(v) ? v : JSON.stringify(v);
  return String(v);
}

const firstSentence = (d?: string) => (d ? (/^.*?[.!?](\s|$)/.exec(d)?.[0] ?? d).trim() : '');

/** The row of one field: label (with unit), control, help, and a place for its problems. */
function row(path: Path, key: string, s: JsonSchema, control: HTMLElement, ctx: FormContext): HTMLElement {
  const id = idOf(path);
  const unit = unitOf(key, s);
  const current = valueAt(ctx.value, path);
  const wrap = el('div', { class: 'field', 'data-path': JSON.stringify(path) });
  const label = el('label', { for: id, class: 'label' }, key);
  if (unit) label.append(el('span', { class: 'unit' }, ` (${unit})`));
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-help ${id}-problem`);
  // the controls keep their input in a shadow root: `label` is what names it there
  (control as HTMLElement & { label: string }).label = `${key}${unit ? ` in ${unit}` : ''}`;
  const help = [s.description, rangeText(s) && `Range: ${rangeText(s).replace('x', key)}.`, s.default !== undefined ? `Default: ${flowText(s.default)}.` : ''].filter(Boolean).join(' ');
  const line = el('div', { class: 'control-line' });
  line.append(control);
  if (current !== undefined && s.default !== undefined && JSON.stringify(current) !== JSON.stringify(s.default)) {
    const reset = el('vscode-button', { secondary: '', class: 'reset', title: `Remove ${key} from the file: back to its default, ${flowText(s.default)}`, 'aria-label': `Reset ${key} to its default` }, 'Reset');
    reset.addEventListener('click', () => ctx.send({ type: 'unset', path }));
    line.append(reset);
  } else if (s.default !== undefined) line.append(el('span', { class: 'is-default' }, current === undefined ? 'default (not in the file)' : 'default'));
  wrap.append(label, line, el('div', { id: `${id}-help`, class: 'help' }, help), el('div', { id: `${id}-problem`, class: 'problem', role: 'alert' }));
  return wrap;
}

function numberField(path: Path, key: string, s: JsonSchema, ctx: FormContext): HTMLElement {
  // integers get a number input; other numbers a text input (a number input's step would mark 0.1 invalid)
  const integer = typeOf(s) === 'integer';
  const c = el('vscode-textfield', integer ? { type: 'number', step: '1' } : { inputmode: 'decimal' }) as Control;
  const v = valueAt(ctx.value, path);
  c.value = v === undefined ? '' : String(v);
  if (s.default !== undefined) c.setAttribute('placeholder', String(s.default));
  if (integer && s.minimum !== undefined && Math.abs(s.minimum) < 9e15) c.setAttribute('min', String(s.minimum));
  if (integer && s.maximum !== undefined && Math.abs(s.maximum) < 9e15) c.setAttribute('max', String(s.maximum));
  c.addEventListener('change', () => {
    const raw = String(c.value).trim();
    if (raw === '') ctx.send({ type: 'unset', path });
    else if (Number.isFinite(Number(raw))) ctx.send({ type: 'set', path, value: Number(raw) });
    else ctx.send({ type: 'setYaml', path, text: raw }); // not a number: written as typed, and the kernel says what is wrong
  });
  return row(path, key, s, c, ctx);
}

function textField(path: Path, key: string, s: JsonSchema, ctx: FormContext): HTMLElement {
  const long = (s.maxLength ?? 0) > 200;
  const c = el(long ? 'vscode-textarea' : 'vscode-textfield', long ? { rows: '2' } : {}) as Control;
  const v = valueAt(ctx.value, path);
  c.value = v === undefined ? '' : String(v);
  if (s.default !== undefined) c.setAttribute('placeholder', String(s.default));
  c.addEventListener('change', () => {
    const raw = String(c.value);
    ctx.send(raw === '' ? { type: 'unset', path } : { type: 'set', path, value: raw });
  });
  return row(path, key, s, c, ctx);
}

function selectField(path: Path, key: string, s: JsonSchema, ctx: FormContext, options: unknown[]): HTMLElement {
  const c = el('vscode-single-select') as Control;
  for (const o of options) c.append(el('vscode-option', { value: String(o) }, String(o)));
  const v = valueAt(ctx.value, path) ?? s.default;
  if (v !== undefined) c.value = String(v);
  c.addEventListener('change', () => {
    const picked = options.find((o) => String(o) === c.value);
    if (picked !== undefined && picked !== valueAt(ctx.value, path)) ctx.send({ type: 'set', path, value: picked as never });
  });
  return row(path, key, s, c, ctx);
}

function checkboxField(path: Path, key: string, s: JsonSchema, ctx: FormContext): HTMLElement {
  const c = el('vscode-checkbox') as Control;
  c.checked = Boolean(valueAt(ctx.value, path) ?? s.default);
  c.addEventListener('change', () => ctx.send({ type: 'set', path, value: Boolean(c.checked) }));
  return row(path, key, s, c, ctx);
}

/** Lists of numbers or names on one line: "1, 1.5, 2". */
function listField(path: Path, key: string, s: JsonSchema, ctx: FormContext, item: JsonSchema): HTMLElement {
  const c = el('vscode-textfield') as Control;
  const v = valueAt(ctx.value, path);
  c.value = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? flowText(x) : String(x))).join(', ') : '';
  if (Array.isArray(s.default)) c.setAttribute('placeholder', s.default.join(', '));
  const numeric = ['number', 'integer'].includes(typeOf(item));
  c.addEventListener('change', () => {
    const raw = String(c.value).trim();
    if (raw === '' && s.default !== undefined) return ctx.send({ type: 'unset', path });
    const parts = raw === '' ? [] : raw.split(',').map((p) => p.trim());
    ctx.send({ type: 'set', path, value: numeric ? parts.map(Number) : parts });
  });
  const r = row(path, key, s, c, ctx);
  r.querySelector('.help')?.prepend(document.createTextNode('A list: values separated by commas. '));
  return r;
}

function multiSelectField(path: Path, key: string, s: JsonSchema, ctx: FormContext, options: unknown[]): HTMLElement {
  const c = el('vscode-multi-select') as Control;
  for (const o of options) c.append(el('vscode-option', { value: String(o) }, String(o)));
  const v = valueAt(ctx.value, path) ?? s.default;
  if (Array.isArray(v)) c.value = v.map(String);
  c.addEventListener('change', () => ctx.send({ type: 'set', path, value: (c.value as string[]).map((x) => options.find((o) => String(o) === x) as never) }));
  return row(path, key, s, c, ctx);
}

/** Values of several shapes (a number or a distribution, maps of names): edited as YAML. */
function yamlField(path: Path, key: string, s: JsonSchema, ctx: FormContext): HTMLElement {
  const c = el('vscode-textfield', { class: 'yaml' }) as Control;
  c.value = flowText(valueAt(ctx.value, path));
  if (s.default !== undefined) c.setAttribute('placeholder', flowText(s.default));
  c.addEventListener('change', () => ctx.send(String(c.value).trim() === '' ? { type: 'unset', path } : { type: 'setYaml', path, text: String(c.value) }));
  const r = row(path, key, s, c, ctx);
  r.querySelector('.help')?.prepend(document.createTextNode('YAML, e.g. 5 or { uniform: [0, 1] }. '));
  return r;
}

/** A list of maps: one group per item, each removable, and a button that adds one with its defaults. */
function itemsField(path: Path, key: string, s: JsonSchema, item: JsonSchema, ctx: FormContext, depth: number): HTMLElement {
  const box = el('fieldset', { class: `group items depth-${depth}`, 'data-path': JSON.stringify(path), id: idOf(path) });
  box.append(el('legend', {}, key));
  if (depth > 1 && s.description) box.append(el('div', { class: 'help' }, s.description)); // a section's own description is in its heading
  box.append(el('div', { id: `${idOf(path)}-problem`, class: 'problem', role: 'alert' }));
  const items = valueAt(ctx.value, path);
  const list = Array.isArray(items) ? items : [];
  const alts = item.oneOf ?? item.anyOf;
  const disc = alts ? discriminator(alts) : undefined;
  list.forEach((x, i) => {
    const p = [...path, i];
    const name = x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string' ? ` · ${(x as { name: string }).name}` : '';
    const g = el('fieldset', { class: 'group item', id: idOf(p), 'data-path': JSON.stringify(p) });
    const remove = el('vscode-button', { secondary: '', class: 'remove', 'aria-label': `Remove ${key} ${i + 1}` }, 'Remove');
    remove.addEventListener('click', () => ctx.send({ type: 'unset', path: p }));
    g.append(el('legend', {}, `${key} ${i + 1}${name}`), remove);
    if (alts && disc) {
      g.append(selectField([...p, disc], disc, { description: `Which kind of ${key} item this is.` }, ctx, alts.map((a) => a.properties![disc].const)));
    }
    const r = resolve(item, x);
    for (const [k, ps] of Object.entries(r?.properties ?? {})) if (k !== disc) g.append(fieldFor([...p, k], k, ps, ctx, depth + 1));
    box.append(g);
  });
  const add = el('vscode-button', { secondary: '', class: 'add' }, `Add ${key} item`);
  add.addEventListener('click', () => ctx.send({ type: 'set', path: [...path, list.length], value: (defaultValue(item, true) ?? {}) as never }));
  box.append(add);
  return box;
}

/** The field (or group) for the value at `path`, by what its schema says it holds. */
export function fieldFor(path: Path, key: string, raw: JsonSchema, ctx: FormContext, depth: number): HTMLElement {
  const s = resolve(raw, valueAt(ctx.value, path)) ?? raw;
  const t = typeOf(s);
  if (t === 'enum') return selectField(path, key, s, ctx, s.enum ?? [s.const]);
  if (t === 'boolean') return checkboxField(path, key, s, ctx);
  if (t === 'number' || t === 'integer') return numberField(path, key, s, ctx);
  if (t === 'string') return textField(path, key, s, ctx);
  if (t === 'object' && s.properties && !(raw.anyOf && !raw.oneOf)) {
    const g = el('fieldset', { class: `group depth-${depth}`, id: idOf(path), 'data-path': JSON.stringify(path) });
    g.append(el('legend', {}, key));
    if (s.description && depth > 1) g.append(el('div', { class: 'help' }, s.description)); // a section's own description is in its heading
    g.append(el('div', { id: `${idOf(path)}-problem`, class: 'problem', role: 'alert' }));
    for (const [k, ps] of Object.entries(s.properties)) g.append(fieldFor([...path, k], k, ps, ctx, depth + 1));
    return g;
  }
  if (t === 'array' && s.items && !s.prefixItems) {
    const item = resolve(s.items) ?? s.items;
    const it = typeOf(item);
    if (it === 'enum' && item.enum) return multiSelectField(path, key, s, ctx, item.enum);
    if (['number', 'integer', 'string'].includes(it)) return listField(path, key, s, ctx, item);
    if (it === 'object' && (item.properties || s.items.oneOf)) return itemsField(path, key, s, s.items, ctx, depth);
  }
  return yamlField(path, key, s, ctx);
}

export { firstSentence };
