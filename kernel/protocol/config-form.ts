/**
 * Messages between the extension and the configuration form of a spec file (postMessage), with
 * a zod schema for each direction, checked on arrival. The form edits by path; the host writes
 * each edit into the YAML text (comments and order kept) and answers with the kernel's problems.
 */
import { z } from 'zod';
import type { SpecProblem } from './types';

const segment = z.union([z.string().min(1).max(200), z.int().min(0).max(100_000)]);
export const specPath = z.array(segment).min(1).max(32);

/** Form → host. */
export const formOutbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('set'), path: specPath, value: z.json() }),
  z.strictObject({ type: z.literal('unset'), path: specPath }),
  /** A field edited as YAML text (values with several shapes: distributions, maps): the host parses it. */
  z.strictObject({ type: z.literal('setYaml'), path: specPath, text: z.string().max(100_000) }),
  z.strictObject({ type: z.literal('run') }),
  z.strictObject({ type: z.literal('openText') }),
]);
export type FormOutbound = z.infer<typeof formOutbound>;

const position = z.strictObject({ line: z.int().min(0), character: z.int().min(0) });
const problem = z.strictObject({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  origin: z.enum(['syntax', 'schema', 'semantic', 'file', 'device']),
  range: z.strictObject({ start: position, end: position }),
}) satisfies z.ZodType<SpecProblem>;

export const formKind = z.strictObject({ kind: z.string(), title: z.string(), description: z.string() });

/** Host → form. */
export const formInbound = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('init'),
    file: z.string(),
    kinds: z.array(formKind),
    kind: z.string().nullable(),
    /** The kind's JSON Schema (input form), from the zod schema the kernel validates with. */
    schema: z.record(z.string(), z.unknown()).nullable(),
    /** The spec as parsed from the file (null when the YAML does not parse). */
    value: z.unknown(),
  }),
  z.strictObject({ type: z.literal('value'), value: z.unknown() }),
  z.strictObject({ type: z.literal('problems'), problems: z.array(problem) }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
]);
export type FormInbound = z.infer<typeof formInbound>;
