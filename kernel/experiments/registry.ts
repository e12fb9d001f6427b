/**
 * The explicit list of experiment kinds. Nothing registers itself: a new kind is one import
 * and one line here.
 */
import { z } from 'zod';
import { InputError } from '../core/errors';
import type { Experiment } from './experiment';
import { formatIssues, type Override, type ParsedSpec } from './spec';
import { perforatedExperiment } from './dendrite-perforated';
import { sdrExperiment } from './dendrite-sdr';
import { mlpExperiment } from './dense-mlp';
import { dopamineExperiment } from './gating-dopamine';
import { foundationExperiment } from './gating-foundation';
import { conceptShiftExperiment } from './homeostatic-concept-shift';
import { ncapExperiment } from './ncap-swimmer';
import { nestedExperiment } from './nested-mlp';
import { richLazyExperiment } from './richlazy-rnn';
import { sfqCircuitExperiment } from './sfq-circuit';
import { sfqXorExperiment } from './sfq-xor';
import { networkExperiment } from './spiking-network';
import { spatialExperiment } from './spiking-spatial-stdp';

export const experiments: readonly Experiment[] = [
  sdrExperiment,
  perforatedExperiment,
  mlpExperiment,
  conceptShiftExperiment,
  networkExperiment,
  spatialExperiment,
  sfqCircuitExperiment,
  sfqXorExperiment,
  ncapExperiment,
  nestedExperiment,
  foundationExperiment,
  dopamineExperiment,
  richLazyExperiment,
];

export function findExperiment(kind: string): Experiment | undefined {
  return experiments.find((e) => e.kind === kind);
}

export function experimentKinds(): string[] {
  return experiments.map((e) => e.kind);
}

/** JSON Schema of one kind's spec (input form: fields with defaults are optional). */
export function jsonSchemaFor(kind: string): Record<string, unknown> {
  const exp = findExperiment(kind);
  if (!exp) throw new InputError([`kind: unknown experiment kind "${kind}"; known kinds: ${experimentKinds().join(', ')}`]);
  const schema = z.toJSONSchema(exp.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: `${exp.kind} — ${exp.title}`, description: exp.description };
}

/** One schema for every spec file: the kinds side by side, chosen by `kind`. */
export function jsonSchemaForAll(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Neurite experiment spec',
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: experimentKinds(), description: 'Experiment kind.' } },
    allOf: experiments.map((e) => {
      const { $schema: _drop, ...one } = jsonSchemaFor(e.kind);
      return { if: { properties: { kind: { const: e.kind } } }, then: one };
    }),
  };
}

/**
 * Validate a raw spec object: every problem as `path: message`, before any work (located in the
 * parsed file, or at the override that set the value). Returns the resolved spec (defaults
 * filled in) and its experiment.
 */
export function resolveSpec(raw: unknown, parsed?: ParsedSpec, source?: string, overrides: Override[] = []): { experiment: Experiment; spec: any } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError([`(spec): expected a mapping with at least "kind", got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`], source);
  }
  const kind = (raw as Record<string, unknown>).kind;
  if (kind === undefined) throw new InputError([`kind: missing; known kinds: ${experimentKinds().join(', ')}`], source);
  if (typeof kind !== 'string') throw new InputError([`kind: expected a string, got ${typeof kind}`], source);
  const experiment = findExperiment(kind);
  if (!experiment) throw new InputError([`kind: unknown experiment kind "${kind}"; known kinds: ${experimentKinds().join(', ')}`], source);
  const result = experiment.schema.safeParse(raw);
  if (!result.success) throw new InputError(formatIssues(result.error.issues, parsed?.locate, overrides), source);
  return { experiment, spec: result.data };
}
