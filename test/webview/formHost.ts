/**
 * The configuration form's host end for browser tests: the same steps as
 * extension/panels/configForm.ts (edit the YAML text by path, then the kernel's validation) on a
 * text kept in memory, with the real editing and validation code.
 */
import * as path from 'path';
import YAML from 'yaml';
import { applyEdit } from '../../extension/spec-language/yamlEdit';
import { experiments, jsonSchemaFor } from '../../kernel/experiments/registry';
import { formOutbound, type FormInbound } from '../../kernel/protocol/config-form';
import { validateSpecText } from '../../kernel/runs/validate';

export class FormHost {
  readonly ran: string[] = [];
  constructor(public text: string, readonly specPath: string) {}

  private value(): unknown {
    const doc = YAML.parseDocument(this.text);
    return doc.errors.length ? null : doc.toJS();
  }

  private init(): FormInbound {
    const value = this.value() as { kind?: string } | null;
    const kind = typeof value?.kind === 'string' ? value.kind : null;
    let schema: Record<string, unknown> | null = null;
    try {
      schema = kind ? jsonSchemaFor(kind) : null;
    } catch {
      schema = null;
    }
    return { type: 'init', file: path.basename(this.specPath), kinds: experiments.map(({ kind: k, title, description }) => ({ kind: k, title, description })), kind, schema, value };
  }

  private problems(): FormInbound {
    return { type: 'problems', problems: validateSpecText({ text: this.text, specPath: this.specPath }).problems };
  }

  /** Answer one message from the form, as the extension would. */
  answer = (raw: unknown): FormInbound[] => {
    const m = formOutbound.parse(raw);
    if (m.type === 'ready') return [this.init(), this.problems()];
    if (m.type === 'run') {
      this.ran.push(this.text);
      return [];
    }
    if (m.type === 'openText') return [];
    const before = (this.value() as { kind?: string } | null)?.kind;
    const value = m.type === 'setYaml' ? YAML.parse(m.text) : m.type === 'set' ? m.value : undefined;
    this.text = applyEdit(this.text, m.type === 'unset' ? { op: 'unset', path: m.path } : { op: 'set', path: m.path, value }).text;
    const after = (this.value() as { kind?: string } | null)?.kind;
    return [after !== before ? this.init() : { type: 'value', value: this.value() }, this.problems()];
  };
}
