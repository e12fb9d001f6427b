/**
 * The configuration form of a spec file: its kind, then one section per part of the spec, drawn
 * from the kind's JSON Schema; problems from the kernel at their fields after every change; Run.
 * It talks to the host only by postMessage, and checks what arrives.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formInbound, type FormInbound, type FormOutbound } from '../../kernel/protocol/config-form';
import type { SpecProblem } from '../../kernel/protocol/types';
import { typeOf, type JsonSchema, type Path } from '../../kernel/protocol/spec-schema';
import { el, fieldFor, firstSentence, idOf, valueAt, type FormContext } from './fields';
import './style.css';

type Init = Extract<FormInbound, { type: 'init' }>;

const vscode = acquireVsCodeApi<{ scroll?: number }>();
const send = (m: FormOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;

let init: Init | undefined;
let ctx: FormContext = { value: undefined, send };
/** Sections the user closed (or opened, for sweep), kept across redraws. */
const toggled = new Map<string, boolean>();

/** The sections of the spec: the fields every kind has (General), then the kind's own parts in schema order. */
function render(i: Init): void {
  const focused = document.activeElement?.id;
  const scroll = window.scrollY;
  init = i;
  ctx = { value: i.value, send };
  const header = el('header');
  const title = el('h1', { id: 'form-title' }, i.file);
  const kind = el('vscode-single-select', { id: 'kind' }) as HTMLElement & { value: string; label: string };
  kind.label = 'Experiment kind';
  for (const k of i.kinds) kind.append(el('vscode-option', { value: k.kind, description: k.description }, `${k.kind} — ${k.title}`));
  if (i.kind) kind.value = i.kind;
  kind.addEventListener('change', () => kind.value !== i.kind && send({ type: 'set', path: ['kind'], value: kind.value }));
  const run = el('vscode-button', { id: 'run', title: 'Save the file and run it' }, 'Run');
  run.addEventListener('click', () => send({ type: 'run' }));
  const text = el('vscode-button', { id: 'open-text', secondary: '', title: 'Show the YAML beside the form' }, 'Edit as YAML');
  text.addEventListener('click', () => send({ type: 'openText' }));
  header.append(title, kind, run, text);
  const summary = el('section', { id: 'problems', 'aria-live': 'polite' });
  const body = el('form', { id: 'fields', 'aria-label': `Configuration of ${i.file}` });
  body.addEventListener('submit', (e) => e.preventDefault());
  const schema = i.schema as JsonSchema | null;
  if (!schema) {
    body.append(el('p', { class: 'empty' }, i.value === null ? 'The YAML does not parse: fix it in the text editor (Edit as YAML).' : 'Pick the experiment kind above: the form shows its settings.'));
  } else {
    const props = Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'kind');
    const scalar = (s: JsonSchema) => !['object', 'array', 'any'].includes(typeOf(s)) || !!s.enum;
    const general = el('vscode-collapsible', { heading: 'General', description: 'name, seed, device', open: '' });
    for (const [k, s] of props.filter(([, s]) => scalar(s))) general.append(fieldFor([k], k, s, ctx, 1));
    body.append(general);
    for (const [k, s] of props.filter(([, s]) => !scalar(s))) {
      const section = el('vscode-collapsible', { heading: k, description: firstSentence(s.description), id: `section-${k}` });
      if (toggled.get(section.id) ?? (k !== 'sweep' || valueAt(i.value, [k]) !== undefined)) section.setAttribute('open', '');
      section.addEventListener('vsc-collapsible-toggle', (e) => toggled.set(section.id, (e as CustomEvent<{ open: boolean }>).detail.open));
      section.append(fieldFor([k], k, s, ctx, 1));
      body.append(section);
    }
  }
  app.replaceChildren(header, summary, body, el('p', { id: 'status', role: 'status' }));
  if (focused) document.getElementById(focused)?.focus();
  window.scrollTo(0, scroll || (vscode.getState()?.scroll ?? 0));
}

/** The spec changed (a form edit written back, or the text edited): draw it again, where the user was. */
function update(value: unknown): void {
  if (init) render({ ...init, value });
}

function showProblems(problems: SpecProblem[]): void {
  document.querySelectorAll('.problem').forEach((p) => (p.textContent = ''));
  document.querySelectorAll('[invalid]').forEach((c) => c.removeAttribute('invalid'));
  const summary = document.getElementById('problems');
  if (!summary) return;
  summary.replaceChildren();
  const status = document.getElementById('status');
  if (status) status.textContent = problems.length ? '' : 'Checked by the kernel: no problems.';
  if (!problems.length) return;
  summary.append(el('h2', {}, `${problems.length} problem${problems.length > 1 ? 's' : ''}`));
  const list = el('ul');
  for (const p of problems) {
    const target = nearestField(p.path);
    const where = p.path.length ? p.path.join('.') : 'spec';
    const item = el('li');
    if (target) {
      const link = el('a', { href: `#${target.id}` }, where);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        target.closest('vscode-collapsible')?.setAttribute('open', '');
        target.scrollIntoView({ block: 'center' });
        target.focus();
      });
      item.append(link, document.createTextNode(`: ${p.message}`));
      const holder = document.getElementById(`${target.id}-problem`);
      if (holder) holder.textContent = `${holder.textContent ? `${holder.textContent} ` : ''}${p.path.slice(pathOf(target).length).join('.')}${p.path.length > pathOf(target).length ? ': ' : ''}${p.message}`;
      target.setAttribute('invalid', '');
    } else item.textContent = `${where}: ${p.message}`;
    list.append(item);
  }
  summary.append(list);
}

const pathOf = (e: HTMLElement): Path => JSON.parse(e.closest('[data-path]')?.getAttribute('data-path') ?? '[]');

/** The field of `path`, or of the nearest ancestor the form shows. */
function nearestField(path: (string | number)[]): HTMLElement | undefined {
  for (let n = path.length; n > 0; n--) {
    const e = document.getElementById(idOf(path.slice(0, n)));
    if (e) return e;
  }
  return undefined;
}

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = formInbound.safeParse(ev.data);
  if (!parsed.success) {
    console.warn(`[neurite] configuration form got an invalid message: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  const m = parsed.data;
  if (m.type === 'init') render(m);
  else if (m.type === 'value') update(m.value);
  else if (m.type === 'problems') showProblems(m.problems);
  else {
    const status = document.getElementById('status');
    if (status) {
      status.textContent = m.message;
      status.classList.add('error');
    }
  }
});
window.addEventListener('scroll', () => vscode.setState({ scroll: window.scrollY }), { passive: true });
send({ type: 'ready' });
