/**
 * The `noise(a td ts)` source: sample-and-hold white noise, a new N(0, a²/(2·ts)) sample every ts
 * after td. Only the last sample before a step is seen, so at most one is drawn per step: a ts far
 * below the step (or a td far before 0) costs one draw, not (t − td)/ts of them (those cases,
 * which hung, are kept in test/unit/fuzz/netlist.unit.test.ts, where a hang is caught).
 */
import * as assert from 'assert';
import { sourceTrace } from '../helpers';

const h = 1e-12;

describe('noise sources', () => {
  it('hold each sample for ts: with ts = 4 steps the value changes every 4th step', () => {
    const v = sourceTrace({ kind: 'noise', amp: 1, td: 0, ts: 4 * h }, 40);
    const changes = v.map((x, i) => (i > 0 && x !== v[i - 1] ? i : -1)).filter((i) => i >= 0);
    assert.deepStrictEqual(changes, [3, 7, 11, 15, 19, 23, 27, 31, 35, 39]); // samples at 0, 4h, 8h, … (v[i] is at step i + 1)
  });

  it('sampled far faster than the step, draw one sample per step with the variance a²/(2·ts)', () => {
    const ts = h / 1000;
    const v = sourceTrace({ kind: 'noise', amp: 1e-9, td: 0, ts }, 20000);
    const variance = v.reduce((s, x) => s + x * x, 0) / v.length;
    const expected = 1e-18 / (2 * ts);
    assert.ok(Math.abs(variance / expected - 1) < 0.05, `variance ${variance} vs ${expected}`);
    assert.ok(v.every((x, i) => i === 0 || x !== v[i - 1]), 'a new value every step');
  });
});
