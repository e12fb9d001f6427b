/**
 * The protocol of Davies et al. (PAPERS.md §7) as wired systems (PAPERS.md §8):
 *
 *   train       wire(teacher, learner): per trial the teacher supplies the supervision (a spike
 *               at 29 ms) and the learner — a system whose state is its weights — runs the
 *               training network on the trial's word and adds what STDP learned (weights
 *               accumulate over the patterns, as the authors sum them)
 *   calibrate   the homeostat, a system whose state is h: per distinct trained word it searches
 *               the smallest scale at which that word makes the output fire exactly once and
 *               keeps the largest (a word that never fires gives no scale)
 *   evaluate    every word of `bits` bits through the test network scaled by h; a word is a
 *               positive when the output fires, a true one when it was trained
 */
import { simulate, system, wire } from '../../core/system';
import { searchScale, type ScaleSearch } from '../../spiking/homeostasis';
import { Recogniser, trainWord, type SpatialParams } from './spatial-network';

export const paperParams: SpatialParams = {
  bits: 10,
  dtMs: 1,
  neuron: { tauMemMs: 20, cmNf: 1, vRestMv: -65, vResetMv: -65, vThreshMv: -50, tRefMs: 0 },
  relayNa: 20,
  training: { onesMs: [1, 26, 56], zerosMs: [6, 36, 59], teacherMs: 29, teacherDelayMs: 2, saveMs: 65, durationMs: 75 },
  stdp: { pairing: 'nearest', weightDependence: 'additive', tauPlusMs: 5, tauMinusMs: 5, aPlus: 1, aMinus: -1, wMin: 0, wMax: 20, timing: 'dendritic', windowMs: 20 },
  test: { inputMs: 10, durationMs: 20 },
  arithmetic: 'exact',
};

/** The authors' machine: PAPERS.md §7 as sPyNNaker ran it, fixed point and all. */
export const spinnakerParams: SpatialParams = { ...paperParams, arithmetic: 'spinnaker' };

/**
 * The authors' search (homeostasis.py): 100, then ×10 while silent; bisection on [1e-4, h] to a
 * bracket of 1e-4; then a linear search in steps of 1e-5. Their code gives up before trying
 * 1000 (`if factor >= 1000`), but its comment says the search extends to 1000, and their words
 * 0, 0, 1023 got h = 892.25532, which only a bracket [1e-4, 1000] gives: so 1000 is tried here
 * (limit 10^4). In exact arithmetic a word silent at h = 100 is silent at every larger h, so
 * the limit matters only in SpiNNaker's, where a wrap-around can make such a word fire.
 */
export const paperSearch: ScaleSearch = { target: 1, start: 100, growth: 10, limit: 1e4, lowest: 1e-4, resolution: 1e-4, scanStep: 1e-5 };

export interface Weights {
  w1: Float64Array;
  w0: Float64Array;
}

/** Supervised STDP over the words in order; the final (summed) weights. */
export function train(words: readonly number[], p: SpatialParams): Weights {
  const teacher = system<null, number, number>('teacher', { init: () => null, readout: () => p.training.teacherMs, update: () => null });
  const learner = system<Weights, { word: number; teacherMs: number }, Weights>('learner', {
    init: () => ({ w1: new Float64Array(p.bits), w0: new Float64Array(p.bits) }),
    readout: (s) => s,
    update: (s, { word, teacherMs }) => {
      const learned = trainWord(word, p, teacherMs);
      return { w1: s.w1.map((w, k) => w + learned.w1[k]), w0: s.w0.map((w, k) => w + learned.w0[k]) };
    },
  });
  const supervised = wire('supervised-stdp', { teacher, learner }, {
    inputs: (word: number, out) => ({ teacher: word, learner: { word, teacherMs: out.teacher } }),
    output: (out) => out.learner,
  });
  const { state } = simulate(supervised, words);
  return state.learner;
}

export interface Calibration {
  /** The network's scale: the largest of the words' scales (undefined if none fired). */
  h?: number;
  perWord: { word: number; h?: number }[];
}

/** Homeostasis: a scale per distinct word, then the largest. */
export function calibrate(rec: Recogniser, words: readonly number[], search: ScaleSearch = paperSearch): Calibration {
  const homeostat = system<Calibration, number, Calibration>('homeostat', {
    init: () => ({ perWord: [] }),
    readout: (s) => s,
    update: (s, word) => {
      const { h } = searchScale((x) => rec.count(word, x), search);
      const best = h === undefined ? s.h : s.h === undefined ? h : Math.max(s.h, h);
      return { h: best, perWord: [...s.perWord, { word, h }] };
    },
  });
  return simulate(homeostat, [...new Set(words)]).state;
}

export interface Confusion {
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

/** Every word through the recogniser; `fired[word]` says whether the output spiked. */
export function evaluate(rec: Recogniser, h: number | undefined, trained: readonly number[], bits: number): { confusion: Confusion; fired: Uint8Array } {
  const set = new Set(trained);
  const fired = new Uint8Array(2 ** bits);
  const c: Confusion = { tp: 0, tn: 0, fp: 0, fn: 0 };
  for (let word = 0; word < fired.length; word++) {
    fired[word] = h !== undefined && rec.count(word, h) > 0 ? 1 : 0;
    if (fired[word]) set.has(word) ? c.tp++ : c.fp++;
    else set.has(word) ? c.fn++ : c.tn++;
  }
  return { confusion: c, fired };
}

/** The authors' metrics (metric_extractions_*.py): a ratio with an empty denominator is 0. */
export function metrics(c: Confusion) {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    accuracy: ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn),
    precision: ratio(c.tp, c.tp + c.fp),
    sensitivity: ratio(c.tp, c.tp + c.fn),
    specificity: ratio(c.tn, c.tn + c.fp),
    npv: ratio(c.tn, c.tn + c.fn),
  };
}

export function hammingDistance(a: number, b: number): number {
  let x = a ^ b, d = 0;
  for (; x; x &= x - 1) d++;
  return d;
}

/** Train, calibrate and test one set of words. */
export function runSet(words: readonly number[], p: SpatialParams = paperParams, search: ScaleSearch = paperSearch) {
  const weights = train(words, p);
  const rec = new Recogniser(weights.w1, weights.w0, p);
  const calibration = calibrate(rec, words, search);
  const { confusion, fired } = evaluate(rec, calibration.h, words, p.bits);
  return { words: [...words], weights, calibration, confusion, metrics: metrics(confusion), fired };
}
