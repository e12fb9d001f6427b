/**
 * spiking.spatial-stdp — Davies, Gait, Rowley & Di Nuovo, "Supervised learning of spatial
 * features with STDP and homeostasis using spiking neural networks on SpiNNaker"
 * (arXiv 2312.02659), PAPERS.md §7.
 *
 * Method, per training set: (1) supervised STDP — each word of the set drives the training
 * network while a teacher makes the outputs fire, and the learned weights are summed; (2)
 * homeostasis — one scale h for all weights, the largest of the per-word scales at which a
 * trained word makes the output fire exactly once; (3) test — all 2^bits words, a positive when
 * the output fires; accuracy, precision, sensitivity, specificity and NPV. Then (4) the
 * Hamming-distance table: two words at distance HD should recognise exactly the 2^HD words
 * "between" them, so accuracy = 1 − (2^HD − 2)/2^bits.
 */
import { z } from 'zod';
import { InputError } from '../core/errors';
import { offGridMessage, wholeSteps } from '../spiking/neurons/types';
import type { SpatialParams } from '../models/spiking/spatial-network';
import { hammingDistance, paperParams, paperSearch, runSet } from '../models/spiking/spatial-protocol';
import type { MetricTable } from '../protocol/metrics';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

const ms = (what: string, d: number) => z.number().min(0).default(d).describe(`${what} (ms)`);
const times = (what: string, d: number[]) => z.array(z.number().min(0)).default(d).describe(`${what} (ms)`);
const word = z.int().min(0).describe('A code word, as an integer (its bits, most significant first, drive the inputs).');
const P = paperParams;

export const spatialSpec = defineSpec('spiking.spatial-stdp', {
  bits: z.int().min(1).max(14).default(P.bits).describe('Bits per code word; every one of the 2^bits words is tested.'),
  trainingSets: z.array(z.array(word).min(1).max(64)).min(1).max(200).default([[992], [992, 896], [0, 31, 227]]).describe('Sets of words, each trained into a fresh network and tested on its own (a word listed twice is trained twice).'),
  hammingTable: z
    .strictObject({
      base: word.default(992),
      partners: z.array(word).max(64).default([1008, 896, 768, 512, 0, 16, 24, 28, 30]).describe('Trained with the base, one pair at a time (the paper\'s pairs for HD 1…9).'),
    })
    .prefault({})
    .describe('Two trained words at Hamming distance HD: accuracy should be exactly 1 − (2^HD − 2)/2^bits.'),
  dtMs: z.number().gt(0).max(5).default(P.dtMs).describe('Integration step (ms).'),
  neuron: z
    .strictObject({
      tauMemMs: z.number().gt(0).default(P.neuron.tauMemMs).describe('Membrane time constant (ms).'),
      cmNf: z.number().gt(0).default(P.neuron.cmNf).describe('Membrane capacitance (nF); with τm it sets how far a delta current of w nA moves v.'),
      vRestMv: z.number().default(P.neuron.vRestMv),
      vResetMv: z.number().default(P.neuron.vResetMv),
      vThreshMv: z.number().default(P.neuron.vThreshMv),
      tRefMs: z.number().min(0).default(P.neuron.tRefMs).describe('Refractory period (ms); PyNN\'s default 0.1 ms is 0 steps at dt = 1 ms.'),
    })
    .prefault({})
    .describe('IF_curr_delta neurons (all of them).'),
  relayNa: z.number().gt(0).default(P.relayNa).describe('Relay and teacher weight (nA): one spike in, one spike out.'),
  training: z
    .strictObject({
      onesMs: times('Spike times of a "1" input', P.training.onesMs),
      zerosMs: times('Spike times of a "0" input', P.training.zerosMs),
      teacherMs: ms('Teacher spike', P.training.teacherMs),
      teacherDelayMs: ms('Teacher synapse delay', P.training.teacherDelayMs),
      saveMs: ms('Save spike (every injector fires once more)', P.training.saveMs),
      durationMs: z.number().gt(0).default(P.training.durationMs).describe('Training run per word (ms).'),
    })
    .prefault({}),
  stdp: z
    .strictObject({
      pairing: z.enum(['all-to-all', 'nearest', 'nearest-restricted']).default(P.stdp.pairing),
      weightDependence: z.enum(['additive', 'multiplicative']).default(P.stdp.weightDependence),
      tauPlusMs: z.number().gt(0).default(P.stdp.tauPlusMs),
      tauMinusMs: z.number().gt(0).default(P.stdp.tauMinusMs),
      aPlus: z.number().default(P.stdp.aPlus),
      aMinus: z.number().default(P.stdp.aMinus).describe('PyNN sign: > 0 depresses; the paper\'s −1 makes post-then-pre pairs potentiate.'),
      wMin: z.number().default(P.stdp.wMin),
      wMax: z.number().default(P.stdp.wMax),
      timing: z.enum(['axonal', 'dendritic']).default(P.stdp.timing).describe('sPyNNaker treats the delay as dendritic.'),
      windowMs: z.number().gt(0).default(P.stdp.windowMs).describe('Pairs further apart are ignored; the authors\' saved weights show one pairing per pattern (see PAPERS.md §7 notes in the README).'),
    })
    .prefault({}),
  homeostasis: z
    .strictObject({
      start: z.number().gt(0).default(paperSearch.start).describe('First scale tried.'),
      growth: z.number().gt(1).default(paperSearch.growth).describe('Factor while nothing fires.'),
      limit: z.number().gt(0).default(paperSearch.limit).describe('Give up at this scale (the word never fires).'),
      lowest: z.number().min(0).default(paperSearch.lowest).describe('Lower end of the bisection.'),
      resolution: z.number().gt(0).default(paperSearch.resolution).describe('Bisection stops at this bracket width.'),
      scanStep: z.number().gt(0).default(paperSearch.scanStep ?? 1e-5).describe('Step of the final linear search, upwards from the bisection\'s bracket: the first scale with exactly one spike (the authors\' 1e-5).'),
    })
    .prefault({}),
  test: z.strictObject({ inputMs: ms('Input spike of a test word', P.test.inputMs), durationMs: z.number().gt(0).default(P.test.durationMs).describe('Test run per word (ms).') }).prefault({}),
  arithmetic: z.enum(['exact', 'spinnaker']).default(P.arithmetic).describe('exact: floating point. spinnaker: SpiNNaker\'s fixed point as sPyNNaker applies it (16-bit weights per receptor, s1615 neurons that wrap around), which reproduces the authors\' results bit for bit.'),
}).superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const max = 2 ** s.bits;
  s.trainingSets.forEach((set, i) => set.forEach((w, k) => w >= max && issue(['trainingSets', i, k], `word ${w} does not fit in ${s.bits} bits`)));
  if (s.hammingTable.base >= max) issue(['hammingTable', 'base'], `word ${s.hammingTable.base} does not fit in ${s.bits} bits`);
  s.hammingTable.partners.forEach((w, k) => {
    if (w >= max) issue(['hammingTable', 'partners', k], `word ${w} does not fit in ${s.bits} bits`);
    else if (w === s.hammingTable.base) issue(['hammingTable', 'partners', k], 'a partner at Hamming distance 0 from the base is the same word');
  });
  if (s.neuron.tRefMs > 0 && s.neuron.tRefMs < s.dtMs) issue(['neuron', 'tRefMs'], `the refractory period (${s.neuron.tRefMs} ms) is shorter than dt (${s.dtMs} ms), so the step cannot resolve it; use 0 (none) or at least dt`);
  else if (!wholeSteps(s.neuron.tRefMs, s.dtMs)) issue(['neuron', 'tRefMs'], offGridMessage('the refractory period', s.neuron.tRefMs, s.dtMs));
  if (s.neuron.vResetMv >= s.neuron.vThreshMv) issue(['neuron', 'vResetMv'], `the reset (${s.neuron.vResetMv} mV) must be below the threshold vThreshMv (${s.neuron.vThreshMv} mV)`);
  // The relays and learned synapses have sPyNNaker's fixed 1 ms delay, which dt must divide.
  if (!wholeSteps(1, s.dtMs)) issue(['dtMs'], `dt (${s.dtMs} ms) must divide 1 ms, the delay of the relay and learned synapses`);
  for (const [path, what, ms] of [
    [['training', 'teacherDelayMs'], 'the teacher delay', s.training.teacherDelayMs],
    [['training', 'durationMs'], 'the training run', s.training.durationMs],
    [['test', 'durationMs'], 'the test run', s.test.durationMs],
  ] as const) if (!wholeSteps(ms, s.dtMs)) issue([...path], offGridMessage(what, ms, s.dtMs));
  if (s.stdp.windowMs < s.dtMs) issue(['stdp', 'windowMs'], `the window (${s.stdp.windowMs} ms) is shorter than one step (dt = ${s.dtMs} ms): only simultaneous spikes would pair`);
  // Input and save spikes after the end of the training run would never be seen.
  for (const key of ['onesMs', 'zerosMs'] as const) {
    s.training[key].forEach((t, k) => t >= s.training.durationMs && issue(['training', key, k], `spike at ${t} ms is not before the end of the training run (${s.training.durationMs} ms)`));
  }
  if (s.training.saveMs >= s.training.durationMs) issue(['training', 'saveMs'], `the save spike (${s.training.saveMs} ms) must come before the training run ends (${s.training.durationMs} ms)`);
  if (!(s.stdp.wMin < s.stdp.wMax)) issue(['stdp', 'wMax'], `wMax (${s.stdp.wMax}) must be above wMin (${s.stdp.wMin})`);
  if (s.test.inputMs + 2 * s.dtMs >= s.test.durationMs) issue(['test', 'durationMs'], `the test must run past the input (${s.test.inputMs} ms) and two relay steps`);
  if (s.training.teacherMs + s.training.teacherDelayMs >= s.training.durationMs) issue(['training', 'teacherMs'], 'the teacher\'s spike must arrive before the training run ends');
  if (!(s.homeostasis.lowest < s.homeostasis.start && s.homeostasis.start < s.homeostasis.limit)) issue(['homeostasis', 'start'], 'need lowest < start < limit');
});

export type SpatialSpec = z.infer<typeof spatialSpec>;

export function spatialParams(s: SpatialSpec): SpatialParams {
  return { bits: s.bits, dtMs: s.dtMs, neuron: s.neuron, relayNa: s.relayNa, training: s.training, stdp: s.stdp, test: s.test, arithmetic: s.arithmetic };
}

/** What spiking.spatial-stdp emits: per training set and per Hamming-distance pair, then the table. */
export const spatialMetrics: MetricTable = {
  series: { sets: { label: 'per training set', x: 'training set' }, hamming: { label: 'per Hamming distance', x: 'Hamming distance' } },
  metrics: [
    { name: 'hamming_exact', label: 'pairs at the expected accuracy', group: 'Hamming table', better: 'higher', key: true },
    { name: 'hamming_pairs', label: 'pairs tested', group: 'Hamming table' },
    { name: 'accuracy', label: 'accuracy', group: 'Accuracy', percent: true, better: 'higher' },
    { name: 'expected', label: 'expected: 1 − (2^HD − 2)/2^bits', group: 'Accuracy', percent: true },
    { name: 'precision', label: 'precision', group: 'Precision and recall', percent: true, better: 'higher' },
    { name: 'sensitivity', label: 'sensitivity', group: 'Precision and recall', percent: true, better: 'higher' },
    { name: 'specificity', label: 'specificity', group: 'Precision and recall', percent: true, better: 'higher' },
    { name: 'npv', label: 'negative predictive value', group: 'Precision and recall', percent: true, better: 'higher' },
    { name: 'h', label: 'homeostatic weight scale h', group: 'Homeostasis' },
    { name: 'hd{hd}_{partner}_accuracy', label: 'accuracy, HD {hd} (partner {partner})', group: 'Hamming table', percent: true, better: 'higher' },
    { name: '{set}_accuracy', label: '{set} accuracy', group: 'Accuracy per training set', percent: true, better: 'higher' },
    { name: '{set}_precision', label: '{set} precision', group: 'Precision and recall per training set', percent: true, better: 'higher' },
    { name: '{set}_sensitivity', label: '{set} sensitivity', group: 'Precision and recall per training set', percent: true, better: 'higher' },
    { name: '{set}_specificity', label: '{set} specificity', group: 'Precision and recall per training set', percent: true, better: 'higher' },
    { name: '{set}_npv', label: '{set} negative predictive value', group: 'Precision and recall per training set', percent: true, better: 'higher' },
    { name: '{set}_tp', label: '{set} true positives', group: 'Confusion per training set' },
    { name: '{set}_tn', label: '{set} true negatives', group: 'Confusion per training set' },
    { name: '{set}_fp', label: '{set} false positives', group: 'Confusion per training set', better: 'lower' },
    { name: '{set}_fn', label: '{set} false negatives', group: 'Confusion per training set', better: 'lower' },
    { name: '{set}_h', label: '{set} weight scale h', group: 'Homeostasis' },
  ],
};

export const spatialExperiment: Experiment<SpatialSpec> = {
  kind: 'spiking.spatial-stdp',
  title: 'Supervised STDP + homeostasis: spatial features (Davies et al.)',
  description: 'Supervised STDP and a homeostatic weight scale learn 10-bit words; accuracy over all words and the Hamming-distance table',
  paper: 'PAPERS.md §7 — arXiv 2312.02659',
  engine: 'event',
  schema: spatialSpec,
  metrics: spatialMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    const p = spatialParams(spec);
    const search = { target: 1, ...spec.homeostasis };
    const { base, partners } = spec.hammingTable;
    const jobs = [...spec.trainingSets.map((words, i) => ({ id: `set${i}`, words })), ...partners.map((w) => ({ id: `hd${hammingDistance(base, w)}_${w}`, words: [base, w] }))];
    if (new Set(jobs.map((j) => j.id)).size !== jobs.length) throw new InputError(['hammingTable.partners: two partners give the same id (same word twice?)']);
    const metrics: Record<string, number> = {};
    const sets: unknown[] = [];
    const table: { hd: number; partner: number; accuracy: number; expected: number; exact: boolean }[] = [];
    const recognised: { set: number; words: number[] }[] = [];
    for (const [k, job] of jobs.entries()) {
      const r = runSet(job.words, p, search);
      const m = r.metrics;
      const c = r.confusion;
      ctx.log(`${job.id} [${job.words.join(', ')}]: h = ${r.calibration.h?.toFixed(5) ?? 'none (no trained word fires)'}; TP ${c.tp} TN ${c.tn} FP ${c.fp} FN ${c.fn}; accuracy ${m.accuracy.toFixed(6)}`);
      if (k < spec.trainingSets.length) {
        for (const [name, v] of Object.entries({ ...c, ...m, h: r.calibration.h ?? NaN })) metrics[`${job.id}_${name}`] = v;
        ctx.metric(k, { ...m, h: r.calibration.h ?? NaN }, 'sets');
        sets.push({ id: job.id, words: job.words, h: r.calibration.h ?? null, perWord: r.calibration.perWord.map((x) => ({ word: x.word, h: x.h ?? null })), confusion: c, metrics: m, weights: { w1: Array.from(r.weights.w1), w0: Array.from(r.weights.w0) } });
        recognised.push({ set: k, words: [...r.fired.keys()].filter((w) => r.fired[w]) });
      } else {
        const hd = hammingDistance(base, job.words[1]);
        const expected = 1 - (2 ** hd - 2) / 2 ** spec.bits;
        table.push({ hd, partner: job.words[1], accuracy: m.accuracy, expected, exact: m.accuracy === expected });
        metrics[`${job.id}_accuracy`] = m.accuracy;
        ctx.metric(hd, { accuracy: m.accuracy, expected }, 'hamming');
      }
      ctx.progress((k + 1) / jobs.length, `${job.id}: accuracy ${m.accuracy.toFixed(4)}`);
      await ctx.yieldOrThrowIfCancelled();
    }
    if (table.length) {
      metrics.hamming_exact = table.filter((t) => t.exact).length;
      metrics.hamming_pairs = table.length;
      const sorted = [...table].sort((a, b) => a.hd - b.hd);
      ctx.trace('hamming', {
        type: 'xy',
        title: `Two trained words (${base} and a partner): accuracy against Hamming distance`,
        xLabel: 'Hamming distance',
        yLabel: 'accuracy',
        series: [
          { name: 'Neurite', x: sorted.map((t) => t.hd), y: sorted.map((t) => t.accuracy), points: true },
          { name: '1 − (2^HD − 2)/2^bits', x: sorted.map((t) => t.hd), y: sorted.map((t) => t.expected) },
        ],
      });
    }
    ctx.trace('recognised', { type: 'raster', title: 'Words that make the output fire (x: word, y: training set)', timeUnit: 'word', times: recognised.flatMap((r) => r.words), ids: recognised.flatMap((r) => r.words.map(() => r.set)) });
    return { metrics, result: { sets, hamming: table } };
  },
};
