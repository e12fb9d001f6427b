/**
 * Davies et al. (PAPERS.md §7): the paper's headline results exactly; every row of the authors'
 * SpiNNaker results (output_metrics_1/2/3.csv) bit for bit in SpiNNaker's fixed point, the one
 * row no single search reproduces named with the reason; and why the model is set up the way it
 * is (the STDP window and dendritic timing).
 */
import * as assert from 'assert';
import { trainWord } from '../../../kernel/models/spiking/spatial-network';
import { hammingDistance, paperParams, paperSearch, runSet, spinnakerParams, train } from '../../../kernel/models/spiking/spatial-protocol';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

interface Row {
  words: number[];
  h: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}
const authors = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'davies2023', 'output_metrics.json'), 'utf8'));
const rows: Row[] = [...authors.one, ...authors.two, ...authors.three];
const named = (words: number[]) => words.join('+');
const row = (name: string) => rows.find((r) => named(r.words) === name)!;
const theirs = (r: Row) => ({ h: r.h, tp: r.tp, tn: r.tn, fp: r.fp, fn: r.fn });
const ours = (words: number[], search = paperSearch, p = spinnakerParams) => {
  const r = runSet(words, p, search);
  return { h: r.calibration.h, ...r.confusion };
};

/**
 * The authors' rows the SpiNNaker model does not reproduce: what it gives instead, and why.
 * Their h = 28268.93618 needs a search that tries h = 10^5 (word 511 first fires there, by
 * wrap-around), and that search changes six rows the published one gets right (tested below):
 * no single search gives every row, and the one used for this row is not published.
 */
const expectedDifferences: Record<string, ReturnType<typeof ours>> = {
  '0+0+511': { h: 3.4907000000000004, tp: 1, tn: 1022, fp: 0, fn: 1 },
};

/** Rows whose missed word fires at h = 10^5 in SpiNNaker's arithmetic. */
const firingAt1e5 = ['0+3+1021', '0+3+1020', '0+7+504', '0+7+505', '0+1+254', '0+1+1022'];

/** Exact score of every word in units of the per-pattern weight: Σ over bits of ±(c1 − c0). */
function scores(words: number[], bits = 10): number[] {
  const c1 = new Array(bits).fill(0), c0 = new Array(bits).fill(0);
  for (const w of words) for (let b = 0; b < bits; b++) ((w >> b) & 1 ? c1 : c0)[b]++;
  return Array.from({ length: 2 ** bits }, (_, x) => {
    let s = 0;
    for (let b = 0; b < bits; b++) s += (x >> b) & 1 ? c1[b] - c0[b] : c0[b] - c1[b];
    return s;
  });
}

describe('spiking.spatial-stdp (Davies et al.)', () => {
  it('one trained pattern is recognised alone: TP 1, TN 1023, FP 0, FN 0', () => {
    for (const word of [992, 0, 1023, 341]) {
      const r = runSet([word]);
      assert.deepStrictEqual(r.confusion, { tp: 1, tn: 1023, fp: 0, fn: 0 }, `word ${word}`);
      assert.deepStrictEqual(r.metrics, { accuracy: 1, precision: 1, sensitivity: 1, specificity: 1, npv: 1 });
    }
  });

  it('two patterns at Hamming distance 1…9 give exactly 1 − (2^HD − 2)/1024 (the 2^HD words between them fire)', () => {
    const expected = [1.0, 0.998, 0.994, 0.986, 0.971, 0.939, 0.877, 0.752, 0.502];
    for (const [i, partner] of [1008, 896, 768, 512, 0, 16, 24, 28, 30].entries()) {
      const hd = hammingDistance(992, partner);
      assert.strictEqual(hd, i + 1);
      const r = runSet([992, partner]);
      assert.strictEqual(r.metrics.accuracy, 1 - (2 ** hd - 2) / 1024, `HD ${hd}`);
      assert.strictEqual(Number(r.metrics.accuracy.toFixed(3)), expected[i]);
      assert.deepStrictEqual({ tp: r.confusion.tp, fn: r.confusion.fn, positives: r.confusion.tp + r.confusion.fp }, { tp: 2, fn: 0, positives: 2 ** hd });
      for (let w = 0; w < 1024; w++) {
        const between = hammingDistance(w, 992) + hammingDistance(w, partner) === hd;
        assert.strictEqual(r.fired[w] === 1, between, `word ${w} with HD ${hd}`);
      }
    }
  });

  it('learns e^(−5/5) per pattern and bit in both banks; on SpiNNaker\'s 16-bit grid (1/128 nA) that is 0.3671875, the authors\' saved weight', () => {
    const exact = trainWord(992, paperParams);
    assert.deepStrictEqual(Array.from(exact.w1), [...Array(5).fill(Math.exp(-1)), ...Array(5).fill(0)]);
    assert.deepStrictEqual(Array.from(exact.w0), [...Array(5).fill(0), ...Array(5).fill(Math.exp(-1))]);
    const fixed = trainWord(992, spinnakerParams);
    assert.deepStrictEqual(Array.from(fixed.w1), [...Array(5).fill(0.3671875), ...Array(5).fill(0)]);
    assert.deepStrictEqual(Array.from(fixed.w0), [...Array(5).fill(0), ...Array(5).fill(0.3671875)]);
  });

  it('in SpiNNaker\'s fixed point, 81 of the authors\' 82 rows come out bit for bit (TP, TN, FP, FN and h); the other is a named expected difference', () => {
    assert.deepStrictEqual([authors.one.length, authors.two.length, authors.three.length], [1, 14, 67]);
    let exact = 0;
    for (const r of rows) {
      const got = ours(r.words);
      const expected = expectedDifferences[named(r.words)];
      if (expected) {
        assert.deepStrictEqual(got, expected, `${named(r.words)}: the expected difference changed`);
        assert.notDeepStrictEqual(got, theirs(r));
      } else {
        assert.deepStrictEqual(got, theirs(r), named(r.words));
        exact++;
      }
    }
    assert.strictEqual(exact, rows.length - Object.keys(expectedDifferences).length);
  });

  it('0+0+511 comes out bit for bit only with a search that tries h = 10^5, which turns the missed word of six other rows into a firing one', () => {
    const wide = { ...paperSearch, limit: 1e6 };
    assert.deepStrictEqual(ours([0, 0, 511], wide), theirs(row('0+0+511')));
    for (const name of firingAt1e5) {
      const r = row(name);
      assert.deepStrictEqual(ours(r.words), theirs(r), `${name} with the published search`);
      const got = ours(r.words, wide);
      assert.ok(got.h! > 1000 && got.tp + got.fp > r.tp + r.fp + 300, `${name} with h up to 10^5: h ${got.h}, ${got.tp + got.fp} positives`);
    }
  });

  it('0+0+1023 needs h = 1000 tried, as homeostasis.py\'s comment says; its code gives up before (>= 1000) and would miss their 385 false positives', () => {
    const r = row('0+0+1023');
    assert.deepStrictEqual(ours(r.words, { ...paperSearch, limit: 1000 }), { h: 4.19016, tp: 1, tn: 1022, fp: 0, fn: 1 });
    assert.deepStrictEqual(ours(r.words), theirs(r));
  });

  it('in exact arithmetic 41 of the 67 three-pattern rows match; 24 differ only by words tied exactly with the weakest trained word, and two by SpiNNaker\'s wrap-around', () => {
    // SpiNNaker's 16-bit weights break the ties, so the authors' count lies between "strictly above
    // the weakest trained word" and ours; the wrap-around rows have h far above anything exact
    // arithmetic can fire at.
    const wrapped = ['0+0+1023', '0+0+511'];
    let exact = 0;
    for (const r of authors.three as Row[]) {
      const c = runSet(r.words, paperParams).confusion;
      if (wrapped.includes(named(r.words))) {
        assert.ok(r.h > 100 && c.fp === 0 && r.fp > 300, named(r.words));
        continue;
      }
      assert.deepStrictEqual({ tp: c.tp, fn: c.fn }, { tp: r.tp, fn: r.fn }, named(r.words));
      const s = scores(r.words);
      const weakest = Math.min(...[...new Set<number>(r.words)].map((w) => s[w]).filter((x) => x > 0));
      const above = s.filter((x) => x > weakest).length;
      const ties = s.filter((x) => x === weakest).length;
      assert.strictEqual(c.tp + c.fp, above + ties, `${named(r.words)}: we count every exact tie`);
      assert.ok(r.tp + r.fp >= above && r.tp + r.fp <= above + ties, `${named(r.words)}: theirs ${r.tp + r.fp} outside [${above}, ${above + ties}]`);
      if (r.fp === c.fp) exact++;
    }
    assert.strictEqual(exact, 41);
  });

  it('needs the 20 ms window and dendritic timing: without them the two banks learn unequal weights and HD 6…9 go wrong', () => {
    const positives = (stdp: Partial<typeof paperParams.stdp>) => [16, 24, 28, 30].map((w) => {
      const c = runSet([992, w], { ...paperParams, stdp: { ...paperParams.stdp, ...stdp } }).confusion;
      return c.tp + c.fp;
    });
    assert.deepStrictEqual(positives({}), [64, 128, 256, 512]);
    assert.deepStrictEqual(positives({ windowMs: Infinity }), [63, 120, 219, 382]); // pairs 25–34 ms apart: the "0" bank gains e^(−28/5) more
    assert.deepStrictEqual(positives({ timing: 'axonal' }), [277, 337, 414, 512]); // pairs 3 and 7 ms apart instead of 5 and 5
  });

  it('training through the wired teacher + learner systems equals summing one network per word', () => {
    const words = [0, 31, 227, 31];
    const wired = train(words, paperParams);
    const direct = words.map((w) => trainWord(w, paperParams));
    assert.deepStrictEqual(Array.from(wired.w1), direct.reduce((s, d) => s.map((x, k) => x + d.w1[k]), new Array(10).fill(0)));
    assert.deepStrictEqual(Array.from(wired.w0), direct.reduce((s, d) => s.map((x, k) => x + d.w0[k]), new Array(10).fill(0)));
  });

  it('a word that can never fire gets no scale and counts as a false negative', () => {
    // 1023 trained with 0 twice: its "1" inputs inhibit twice as much as they excite.
    const r = runSet([0, 0, 1023]);
    assert.strictEqual(r.calibration.perWord.find((x) => x.word === 1023)!.h, undefined);
    assert.deepStrictEqual(r.confusion, { tp: 1, tn: 1022, fp: 0, fn: 1 });
  });
});
