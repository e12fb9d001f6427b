/**
 * The declarative network of `spiking.network` — populations, stimuli, projections,
 * plasticity, monitors, duration and dt — like a PyNN or Brian2 script, as a zod schema: it
 * validates specs, documents every field for the editor, and its cross-field checks (in
 * ./spec-checks.ts) point at the field that is wrong.
 */
import { z } from 'zod';
import { izhikevich } from './neurons/izhikevich';
import { lifCond } from './neurons/lif-cond';
import { lifDelta } from './neurons/lif-delta';
import { lifExp } from './neurons/lif-exp';

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'letters, digits, "_" and "-", starting with a letter').max(64);
const num = (what: string) => z.number().describe(what);
const ms = (what: string, min = 0) => z.number().min(min).describe(`${what} (ms)`);

/** A value per element: one number, a list (one per element), or a random draw per element. */
export const valueSpec = z
  .union([
    z.number(),
    z.array(z.number()).min(1),
    z.strictObject({ uniform: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, 'expected [low, high] with low < high').describe('[low, high): uniform per element') }),
    z.strictObject({ normal: z.strictObject({ mean: z.number(), sd: z.number().min(0) }).describe('normal per element') }),
    z.strictObject({ linspace: z.tuple([z.number(), z.number()]).describe('[first, last]: evenly spaced over the elements') }),
  ])
  .describe('A number, a list with one value per element, {uniform: [lo, hi]}, {normal: {mean, sd}} or {linspace: [first, last]}.');
export type ValueSpec = z.infer<typeof valueSpec>;

/** The LIF fields, with a model's defaults. */
const lif = (d: { tauMemMs: number; vRestMv: number; vResetMv: number; vThreshMv: number; tRefMs: number }) => ({
  tauMemMs: ms('Membrane time constant τm', 1e-3).default(d.tauMemMs),
  vRestMv: num('Resting potential (mV).').default(d.vRestMv),
  vResetMv: num('Reset potential after a spike (mV).').default(d.vResetMv),
  vThreshMv: num('Spike threshold (mV): a spike when v > threshold.').default(d.vThreshMv),
  tRefMs: ms('Absolute refractory period; v is held at reset. 0: none').default(d.tRefMs),
});
const syn = (d: { tauExcMs: number; tauInhMs: number }, what: string) => ({
  tauExcMs: ms(`Excitatory ${what} decay τe`, 1e-3).default(d.tauExcMs),
  tauInhMs: ms(`Inhibitory ${what} decay τi`, 1e-3).default(d.tauInhMs),
});

export const modelParams = {
  'lif-delta': z.strictObject(lif(lifDelta.defaults)).prefault({}).describe('τm dv/dt = v_rest − v + D; each spike adds its weight to v (mV).'),
  'lif-exp': z
    .strictObject({ ...lif(lifExp.defaults), ...syn(lifExp.defaults, 'current') })
    .prefault({})
    .describe('τm dv/dt = v_rest − v + Ie − Ii + D; currents (mV, R·I) jump by the weight and decay with τe, τi.'),
  'lif-cond': z
    .strictObject({
      ...lif(lifCond.defaults),
      ...syn(lifCond.defaults, 'conductance'),
      cmNf: z.number().gt(0).default(lifCond.defaults.cmNf).describe('Membrane capacitance (nF).'),
      eExcMv: num('Excitatory reversal potential (mV).').default(lifCond.defaults.eExcMv),
      eInhMv: num('Inhibitory reversal potential (mV).').default(lifCond.defaults.eInhMv),
    })
    .prefault({})
    .describe('cm dv/dt = gL(v_rest − v) + ge(Ee − v) + gi(Ei − v) + I; conductances (µS) jump by the weight and decay.'),
  izhikevich: z
    .strictObject({
      a: num('Recovery time scale.').default(izhikevich.defaults.a),
      b: num('Recovery sensitivity to v.').default(izhikevich.defaults.b),
      c: num('Reset potential (mV).').default(izhikevich.defaults.c),
      d: num('Recovery jump at a spike.').default(izhikevich.defaults.d),
      vPeakMv: num('Spike cut-off (mV).').default(izhikevich.defaults.vPeakMv),
      method: z.enum(['euler', 'rk4']).default('euler').describe('Integrator: forward Euler (as Brian2 and the paper) or Runge–Kutta 4.'),
    })
    .prefault({})
    .describe('dv/dt = 0.04v² + 5v + 140 − u + I, du/dt = a(bv − u); at v ≥ v_peak: v ← c, u ← u + d.'),
} as const;

const populationFields = {
  name: name.describe('Population name, used by projections and monitors.'),
  size: z.int().min(1, 'a population needs at least one neuron (empty population)').max(2_000_000).describe('Number of neurons.'),
  init: z.record(z.string(), valueSpec).default({}).describe('Initial values of state variables, e.g. {v: {uniform: [-60, -50]}}; default v = v_rest.'),
  drive: valueSpec.default(0).describe('Constant drive per neuron: mV (R·I) for lif-delta/lif-exp, nA for lif-cond, mV/ms for izhikevich.'),
  thresholdAdaptation: z
    .strictObject({ incrementMv: z.number().min(0).describe('θ jump at each spike (mV).'), tauMs: ms('θ relaxation time', 1e-3) })
    .optional()
    .describe('Intrinsic homeostasis: each spike raises the neuron\'s threshold by Δθ, which relaxes back with τθ (LIF models).'),
};
export const populationSpec = z.discriminatedUnion('model', [
  z.strictObject({ ...populationFields, model: z.literal('lif-delta').describe('Neuron model.'), params: modelParams['lif-delta'] }),
  z.strictObject({ ...populationFields, model: z.literal('lif-exp'), params: modelParams['lif-exp'] }),
  z.strictObject({ ...populationFields, model: z.literal('lif-cond'), params: modelParams['lif-cond'] }),
  z.strictObject({ ...populationFields, model: z.literal('izhikevich'), params: modelParams.izhikevich }),
]);
export type PopulationSpec = z.infer<typeof populationSpec>;

export const stimulusSpec = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('poisson').describe('Independent Poisson spike trains (each neuron spikes in a step with probability rate·dt).'),
    name,
    size: z.int().min(1, 'a stimulus needs at least one neuron (empty population)').max(2_000_000),
    rateHz: z.number().min(0).describe('Rate of each train (Hz).'),
    startMs: ms('Start').default(0),
    stopMs: ms('Stop').optional(),
  }),
  z.strictObject({
    type: z.literal('spike-times').describe('Given spike times, one list per neuron.'),
    name,
    timesMs: z.array(z.array(z.number().min(0))).min(1, 'a stimulus needs at least one neuron (empty population)').describe('timesMs[i]: spike times of neuron i (ms).'),
  }),
  z.strictObject({
    type: z.literal('bit-pattern').describe('A binary word on two banks: neuron k (0…bits−1) spikes at onesMs if bit bits−1−k is 1, neuron bits+k at zerosMs if it is 0.'),
    name,
    bits: z.int().min(1).max(30),
    word: z.int().min(0),
    onesMs: z.array(z.number().min(0)).describe('Spike times of the "1" bank.'),
    zerosMs: z.array(z.number().min(0)).describe('Spike times of the "0" bank.'),
  }),
]);
export type StimulusSpec = z.infer<typeof stimulusSpec>;

const wBound = (which: string) =>
  z.number({ error: (i) => (i.input === undefined || i.input === Infinity || i.input === -Infinity ? `unbounded weights: plastic weights need a finite ${which} bound` : undefined) });

export const stdpSpec = z
  .strictObject({
    rule: z.literal('stdp').default('stdp'),
    pairing: z.enum(['all-to-all', 'nearest', 'nearest-restricted']).default('all-to-all').describe('Which spike pairs count (see kernel/spiking/stdp.ts).'),
    weightDependence: z.enum(['additive', 'multiplicative']).default('additive'),
    tauPlusMs: ms('Potentiation window τ+', 1e-3).default(20),
    tauMinusMs: ms('Depression window τ−', 1e-3).default(20),
    aPlus: z.number().describe('Potentiation amplitude A+ (weight units).'),
    aMinus: z.number().describe('Depression amplitude A− (weight units; PyNN sign: > 0 depresses).'),
    wMin: wBound('lower').describe('Lower weight bound.'),
    wMax: wBound('upper').describe('Upper weight bound.'),
    timing: z.enum(['axonal', 'dendritic']).default('axonal').describe('axonal (Brian2): pre timed at arrival; dendritic (NEST, sPyNNaker): post timed when it reaches the synapse.'),
    windowMs: z.number().gt(0).optional().describe('Ignore pairs further apart (nearest pairings only).'),
  })
  .describe('Pair-based STDP: Δw = A+·e^(−Δt/τ+) for pre→post, −A−·e^(Δt/τ−) for post→pre, clipped to [wMin, wMax].');
export type StdpSpec = z.infer<typeof stdpSpec>;

export const connectorSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('one-to-one') }),
  z.strictObject({ type: z.literal('all-to-all'), allowSelf: z.boolean().default(true).describe('Within one population: connect i → i too.') }),
  z.strictObject({ type: z.literal('random'), p: z.number().min(0).max(1).describe('Connection probability per pair.'), allowSelf: z.boolean().default(true) }),
  z.strictObject({ type: z.literal('list'), pairs: z.array(z.tuple([z.int().min(0), z.int().min(0)])).describe('[source, target] index pairs within the slices.') }),
]);

export const projectionSpec = z.strictObject({
  name: name.optional().describe('Name in metrics and traces (default from→to).'),
  from: z.string().describe('Source population or stimulus, optionally a slice: "P" or "P[0:3200]".'),
  to: z.string().describe('Target population, optionally a slice.'),
  connector: connectorSpec,
  receptor: z.enum(['exc', 'inh']).default('exc').describe('Excitatory or inhibitory input of the target model.'),
  weight: valueSpec.describe('Synaptic weight per synapse (model units: mV, or µS for lif-cond).'),
  delayMs: z.number().default(0).describe('Synaptic delay (ms), rounded to whole steps.'),
  plasticity: stdpSpec.optional(),
});
export type ProjectionSpec = z.infer<typeof projectionSpec>;

export const monitorsSpec = z
  .strictObject({
    spikes: z.array(z.string()).default([]).describe('Populations and stimuli whose spikes are recorded (raster).'),
    state: z
      .array(
        z.strictObject({
          population: z.string(),
          variable: z.string().default('v').describe('State variable, e.g. v, ie, ge, u, theta.'),
          neurons: z.array(z.int().min(0)).min(1).max(100).default([0]),
          everyMs: z.number().gt(0).optional().describe('Sampling interval (default: every step).'),
        }),
      )
      .default([]),
    rateBinMs: z.number().gt(0).default(100).describe('Bin of the population-rate metrics streamed while running.'),
    maxRasterPoints: z.int().min(100).max(1_000_000).default(20_000).describe('At most this many spikes are streamed per raster; the full list goes to traces/*.spikes.csv.'),
    maxTracePoints: z.int().min(100).max(100_000).default(2_000).describe('Points per streamed curve; full traces go to traces/*.csv.'),
  })
  .prefault({});
