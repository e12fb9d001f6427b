/**
 * Reading a kind's JSON Schema (made from its zod schema, sent as `experiments/schema`): the
 * schema at a path of a spec (choosing among alternatives by the spec's own values, e.g. a
 * population's `model`), and the unit of a number, from its name (`tauMemMs`) or its
 * description (", µA."). Pure, so the form (a webview) and completion and hover (the extension)
 * share it.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

export type Path = (string | number)[];

/** The schema of one kind from the all-kinds schema (dist/schemas/spec.schema.json). */
export function kindSchema(all: JsonSchema, kind: string): JsonSchema | undefined {
  return all.allOf?.find((b) => b.if?.properties?.kind?.const === kind)?.then;
}

/** The alternative of a oneOf/anyOf that `value` picks: by a property every alternative fixes (a const), else the first whose keys fit. */
export function pickAlternative(alternatives: JsonSchema[], value: unknown): JsonSchema | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const byConst = alternatives.find((a) => Object.entries(a.properties ?? {}).some(([k, p]) => p.const !== undefined && p.const === v[k]));
  if (byConst) return byConst;
  return alternatives.find((a) => a.properties && Object.keys(v).every((k) => k in a.properties!));
}

/** The key that tells alternatives apart (`model`, `type`), when each alternative fixes it to a const. */
export function discriminator(alternatives: JsonSchema[]): string | undefined {
  const first = alternatives[0]?.properties ?? {};
  return Object.keys(first).find((k) => first[k].const !== undefined && alternatives.every((a) => a.properties?.[k]?.const !== undefined));
}

/** A schema with its oneOf/anyOf resolved for `value` where it can be, else merged (every alternative's properties). */
export function resolve(schema: JsonSchema | undefined, value?: unknown): JsonSchema | undefined {
  if (!schema) return undefined;
  const alts = schema.oneOf ?? schema.anyOf;
  if (!alts) return schema;
  const picked = pickAlternative(alts, value);
  if (picked) return resolve(picked, value);
  const objects = alts.filter((a) => a.properties);
  if (!objects.length) return schema;
  const properties: Record<string, JsonSchema> = {};
  for (const a of objects) for (const [k, p] of Object.entries(a.properties!)) properties[k] ??= p;
  return { ...schema, type: 'object', properties };
}

/** The schema at `path` inside a spec whose (partial) value is `root`. */
export function schemaAt(schema: JsonSchema | undefined, path: Path, root?: unknown): JsonSchema | undefined {
  let s = resolve(schema, root);
  let v: unknown = root;
  for (const seg of path) {
    if (!s) return undefined;
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
    if (typeof seg === 'number') s = s.prefixItems?.[seg] ?? (s.items === false ? undefined : s.items);
    else s = s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    s = resolve(s, v);
  }
  return s;
}

/** The main type of a schema: 'object', 'array', 'number', 'integer', 'string', 'boolean', 'enum', or 'any'. */
export function typeOf(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  if (s.enum || s.const !== undefined) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  if (s.properties) return 'object';
  return 'any';
}

const nameUnits: [RegExp, string][] = [
  [/Ms$/, 'ms'],
  [/Ps$/, 'ps'],
  [/Ns$/, 'ns'],
  [/Us$/, 'µs'],
  [/GHz$/, 'GHz'],
  [/MHz$/, 'MHz'],
  [/Hz$/, 'Hz'],
  [/Mv$|MV$/, 'mV'],
  [/Ua$|UA$/, 'µA'],
];
const descriptionUnits = ['µA', 'mA', 'nA', 'mV', 'µV', 'ms', 'ps', 'ns', 'µs', 'GHz', 'MHz', 'Hz', 'K', 'rad', 'pF', 'pH', 'Ω', 's'];

/** The unit of a number field, from its name's suffix or from its description (", µA." or "(ms)"); '' when neither says. */
export function unitOf(name: string | number, s: JsonSchema | undefined): string {
  if (typeof name === 'string') for (const [re, u] of nameUnits) if (re.test(name)) return u;
  const d = s?.description ?? '';
  for (const u of descriptionUnits) {
    const e = u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?:, |\\()${e}(?:\\)|[.,;:]|$| \\()`).test(d)) return u;
  }
  return '';
}

/** "0 ≤ x ≤ 150", "x > 0" — a number's range in words, or ''. */
export function rangeText(s: JsonSchema | undefined): string {
  if (!s) return '';
  const lo = s.minimum !== undefined ? `${s.minimum} ≤ ` : s.exclusiveMinimum !== undefined ? `${s.exclusiveMinimum} < ` : '';
  const hi = s.maximum !== undefined && Math.abs(s.maximum) < 9e15 ? ` ≤ ${s.maximum}` : s.exclusiveMaximum !== undefined ? ` < ${s.exclusiveMaximum}` : '';
  const loShown = s.minimum !== undefined && Math.abs(s.minimum) >= 9e15 ? '' : lo;
  return loShown || hi ? `${loShown}x${hi}` : '';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The default value of a field, with an object's default (a section the kernel fills in, or a
 * required object) expanded from its properties' defaults; required fields without a default
 * are null (for the user to fill in); undefined when the field has no default.
 */
export function defaultValue(s: JsonSchema, required = false): unknown {
  const r = resolve(s.oneOf?.[0] ?? s); // a new item of alternatives (populations by model): the first one
  if (r && typeOf(r) === 'object' && r.properties && (required || (isPlainObject(r.default) && Object.keys(r.default).length === 0))) {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(r.properties)) {
      const v = p.const !== undefined ? p.const : defaultValue(p, r.required?.includes(k));
      if (v !== undefined) out[k] = v;
      else if (r.required?.includes(k)) out[k] = null;
    }
    return out;
  }
  return r?.default;
}
