/**
 * Neuron attribution: the request (`attribution/get`), the options every dense kind's
 * `attribution:` spec block shares, and the stored record `artifacts/attribution/<key>.json`
 * that panels, notebook outputs and inline hints read (docs/attribution-format.md documents it
 * field by field). Readers validate a record with `attributionRecord` before using it.
 * Self-contained (zod only), so the extension and webviews can import it.
 */
import { z } from 'zod';

/** The current version of the stored format; a reader refuses any other. */
export const ATTRIBUTION_FORMAT = 'neurite-attribution-1';

/**
 * The built-in methods (Captum's definitions):
 *   activation   LayerActivation: the unit's value
 *   gradxact     LayerGradientXActivation (InputXGradient on `input`): a · ∂F/∂a
 *   ig           IntegratedGradients of the target output over the input pixels
 *   conductance  LayerConductance per unit of a hidden layer; with `neuron`, NeuronConductance
 *                (that neuron's share of IG, over the input pixels)
 *   ablation     LayerFeatureAblation (FeatureAblation on `input`): objective drop when the unit is zeroed
 * Model-specific methods are dotted names a model offers (e.g. `dopamine.gate`).
 */
export const builtinMethods = ['activation', 'gradxact', 'ig', 'conductance', 'ablation'] as const;
export type BuiltinMethod = (typeof builtinMethods)[number];
export const methodName = z
  .string()
  .regex(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)*$/, 'a built-in method (activation, gradxact, ig, conductance, ablation) or a model-specific one (e.g. dopamine.gate)')
  .describe('Attribution method: activation, gradxact, ig, conductance, ablation, or a model-specific one (e.g. dopamine.gate).');

/** Captum's rules for the path integral (captum/attr/_utils/approximation_methods.py). */
export const integrationRules = ['gausslegendre', 'riemann_trapezoid', 'riemann_left', 'riemann_right', 'riemann_middle'] as const;

export const attributionOptions = z
  .strictObject({
    target: z
      .union([z.enum(['label', 'predicted']), z.int().min(0)])
      .default('label')
      .describe('The output attributed: each item\'s label, the predicted class, or a fixed class index.'),
    steps: z.int().min(1).max(4096).default(64).describe('Points on the path baseline → input (ig, conductance).'),
    integration: z.enum(integrationRules).default('gausslegendre').describe("Captum's rule for the path integral (ig, conductance)."),
    baseline: z.number().default(0).describe('The baseline input, one value for every feature, in model input units (pixels/255).'),
    objective: z.enum(['logit', 'loss']).default('logit').describe('ablation: the target logit, or the cross-entropy loss against the labels.'),
    bins: z.int().min(1).max(1000).default(20).describe('activation: histogram bins (edges shared by the layer\'s units).'),
    activeAbove: z.number().default(0).describe('activation: a unit counts as active on an item when its value is above this.'),
    topK: z.int().min(0).max(100).default(8).describe('Top inputs kept per unit: the data items with the largest values.'),
    perItem: z.boolean().optional().describe('Keep every item\'s values (a binary beside the stored record); default: when the slice has at most 100 items.'),
    batchSize: z.int().min(1).max(65536).optional().describe('Data items per onnxruntime run; default: chosen per method.'),
    stepsPerRun: z.int().min(1).max(4096).optional().describe('Path points per onnxruntime run (ig, conductance); default: all in one run.'),
    unitsPerRun: z.int().min(1).max(4096).default(32).describe('ablation: units zeroed per onnxruntime run (one mask row each).'),
  })
  .describe('How attributions are computed.');
export type AttributionOptionsInput = z.input<typeof attributionOptions>;
export type AttributionOptions = z.infer<typeof attributionOptions>;

/** Options that change only how fast a result comes, never what it is (ignored when a stored record is matched). */
export const speedOptions = ['batchSize', 'stepsPerRun', 'unitsPerRun'] as const;

export const dataSlice = z
  .strictObject({
    split: z.enum(['train', 'validation', 'test']).describe("The run's data split."),
    indices: z.array(z.int().min(0)).min(1).max(100_000).optional().describe('Items by their index in the data set (test image numbers for `test`); each must belong to the split.'),
    count: z.int().min(1).max(1_000_000).optional().describe('The first `count` items of the split, in data set order.'),
  })
  .refine((d) => d.indices === undefined || d.count === undefined, { message: 'give indices or count, not both' })
  .describe('The data items attributions are averaged over (one item: one index).');
export type DataSlice = z.infer<typeof dataSlice>;

/** `attribution/get` params. */
export const attributionGetParams = z.strictObject({
  run: z.string().min(1).describe('A run folder, or a run id under `workspace`.'),
  workspace: z.string().min(1).optional(),
  layer: z.string().min(1).optional().describe('A layer id (`input`, `hidden0`, …); default: every hidden layer (`input` for ig).'),
  neuron: z.int().min(0).optional().describe('conductance: the neuron of `layer` whose input-space map is wanted (NeuronConductance).'),
  method: methodName,
  data: dataSlice,
  options: attributionOptions.prefault({}),
  /** Write the result to the run's artifacts/attribution/ (replacing the stored record of the same key). */
  store: z.boolean().default(false),
  /** Compute even when a stored record matches the request. */
  recompute: z.boolean().default(false),
  /** With a token, the kernel sends `attribution/progress` notifications carrying it. */
  progressToken: z.string().min(1).optional(),
});
export type AttributionGetParams = z.input<typeof attributionGetParams>;

const numbers = z.array(z.number());
const ints = z.array(z.int());

/** What a stored record says about the request it answers (options resolved, defaults filled). */
export const attributionRequest = z.strictObject({
  method: methodName,
  layer: z.string(),
  neuron: z.int().min(0).optional(),
  data: dataSlice,
  options: attributionOptions,
});
export type AttributionRequest = z.infer<typeof attributionRequest>;

export const attributionRecord = z.strictObject({
  format: z.literal(ATTRIBUTION_FORMAT),
  request: attributionRequest,
  /** Captum class whose definition was followed, or `model-specific`. */
  definition: z.string(),
  /** The layer whose units the values describe (`input` for input-space maps). */
  layer: z.string(),
  /** NeuronConductance: the neuron whose map this is. */
  neuron: z.strictObject({ layer: z.string(), index: z.int().min(0) }).optional(),
  units: z.int().min(1),
  /** How the units are laid out: [units], or [rows, cols] for image pixels (row-major). */
  shape: ints,
  /** What a value measures: `activation`, `logit` (the target logit), `loss` (cross-entropy, nats), or a model-specific unit. */
  unit: z.string(),
  /** The target output: per item label, predicted class, or a fixed class (absent where no output is attributed). */
  target: z.union([z.enum(['label', 'predicted']), z.int().min(0)]).optional(),
  /** Data items averaged over. */
  items: z.int().min(1),
  values: z.strictObject({
    /** Per unit, the mean over items. */
    mean: numbers,
    /** Per unit, the mean of |value| over items: the score units are ranked by. */
    meanAbs: numbers,
    /** activation: per unit, the fraction of items on which it is above `activeAbove`. */
    fractionActive: numbers.optional(),
  }),
  /** Units by meanAbs, largest first. */
  rank: ints,
  /** activation: counts per unit in `bins` bins whose edges (bins + 1) the layer's units share. */
  histogram: z.strictObject({ edges: numbers, counts: z.array(ints) }).optional(),
  /** Per unit, the `k` data items with the largest values (data set indices) and those values, largest first. */
  topInputs: z.strictObject({ k: z.int().min(1), items: z.array(ints), values: z.array(numbers) }).optional(),
  /** ig, conductance: Σ over units of the attribution − (F(input) − F(baseline)), per item summarised. */
  completeness: z.strictObject({ meanAbsDelta: z.number(), maxAbsDelta: z.number(), maxRelative: z.number(), meanAbsGain: z.number() }).optional(),
  /** Model-specific per-unit quantities (means over items, or constants of the model). */
  quantities: z.record(z.string(), numbers).optional(),
  /**
   * Every item's values, [items, units] row-major float32: inline as `data` in a response, or in
   * a binary file `file` (beside the record) at byte `offset` in a stored record. `ids`: each
   * row's data set index.
   */
  perItem: z
    .strictObject({
      shape: z.tuple([z.int().min(1), z.int().min(1)]),
      dtype: z.literal('float32'),
      ids: ints,
      data: numbers.optional(),
      file: z.string().optional(),
      offset: z.int().min(0).optional(),
    })
    .refine((p) => (p.data === undefined) !== (p.file === undefined), { message: 'give data or file' })
    .optional(),
  /** Where the model came from. */
  model: z.looseObject({ kind: z.string(), run: z.string().optional(), checkpoint: z.string().optional(), epoch: z.int().optional() }),
  createdAt: z.string(),
  seconds: z.number(),
});
export type AttributionRecord = z.infer<typeof attributionRecord>;

export interface AttributionGetResult {
  run: string;
  results: { record: AttributionRecord; cached: boolean; file?: string }[];
}

export interface AttributionProgressParams {
  progressToken: string;
  fraction: number;
  message?: string;
}
