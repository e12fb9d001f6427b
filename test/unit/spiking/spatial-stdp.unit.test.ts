/**
 * Davies et al. (PAPERS.md §7): the paper's headline results exactly, the authors' own
 * SpiNNaker results where exact arithmetic must agree with them, and why the model is set up
 * the way it is (the STDP window and dendritic timing).
 */
import * as assert from 'assert';
import { trainWord } from '../../../kernel/models/spiking/spatial-network';
import { hammingDistance, paperParams, runSet, train } from '../../../kernel/models/spiking/spatial-protocol';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

const authors = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'davies2023', 'output_metrics.json'), 'utf8'));

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

/** SpiNNaker stored the learned weight e^(−1) as 0.3671875; h scales inversely with the weight. */
const fixedPoint = Math.exp(-1) / 0.3671875;

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

  it('learns e^(−5/5) per pattern and bit in both banks, as the authors\' saved weights show (0.3671875: e^(−1) truncated to 7 fraction bits)', () => {
    const { w1, w0 } = trainWord(992, paperParams);
    assert.deepStrictEqual(Array.from(w1), [...Array(5).fill(Math.exp(-1)), ...Array(5).fill(0)]);
    assert.deepStrictEqual(Array.from(w0), [...Array(5).fill(0), ...Array(5).fill(Math.exp(-1))]);
    assert.strictEqual(Math.floor(Math.exp(-1) * 128) / 128, 0.3671875);
  });

  it('matches every one- and two-pattern result of the authors\' SpiNNaker runs, and their h up to the fixed-point weight', () => {
    for (const row of [...authors.one, ...authors.two]) {
      const r = runSet(row.words);
      assert.deepStrictEqual(r.confusion, { tp: row.tp, tn: row.tn, fp: row.fp, fn: row.fn }, row.words.join('+'));
      const h = r.calibration.h! * fixedPoint;
      assert.ok(Math.abs(h - row.h) / row.h < 1e-3, `${row.words.join('+')}: h ${h} (ours × fixed-point factor) vs ${row.h}`);
    }
  });

  it('three patterns: same TP and FN as the authors; their positives differ from ours only by words exactly tied with the weakest trained word', () => {
    // Ties in exact arithmetic (which we keep) are broken by SpiNNaker's fixed-point weights, so the
    // authors' count lies between "strictly above the weakest trained word" and ours. Two rows have an
    // h the published search cannot return (it never goes past 100) and are left out: 0+0+1023, 0+0+511.
    let exact = 0;
    const rows = authors.three.filter((row: { h: number }) => row.h <= 100);
    assert.strictEqual(rows.length, authors.three.length - 2);
    for (const row of rows) {
      const r = runSet(row.words);
      const c = r.confusion;
      assert.deepStrictEqual({ tp: c.tp, fn: c.fn }, { tp: row.tp, fn: row.fn }, row.words.join('+'));
      const s = scores(row.words);
      const firing = [...new Set<number>(row.words)].map((w) => s[w]).filter((x) => x > 0);
      const weakest = Math.min(...firing);
      const above = s.filter((x) => x > weakest).length;
      const ties = s.filter((x) => x === weakest).length;
      assert.strictEqual(c.tp + c.fp, above + ties, `${row.words.join('+')}: we count every exact tie`);
      assert.ok(row.tp + row.fp >= above && row.tp + row.fp <= above + ties, `${row.words.join('+')}: theirs ${row.tp + row.fp} outside [${above}, ${above + ties}]`);
      if (row.fp === c.fp) exact++;
    }
    assert.ok(exact >= 40, `${exact} of ${rows.length} rows match exactly`);
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
