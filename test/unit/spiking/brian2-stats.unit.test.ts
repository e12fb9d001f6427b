/**
 * Statistical agreement with Brian2 where inputs or the network are random (golden files made by
 * test/golden/brian2/stdp_song2000.py and cuba.py over several seeds; Neurite runs the samples
 * over its own seeds). Neurite's streams differ from Brian2's, so the runs cannot match spike for
 * spike; what must match is the distribution of what they produce.
 */
import * as assert from 'assert';
import * as path from 'path';
import { Rng } from '../../../kernel/core/rng';
import { mean, variance, welch } from '../../../kernel/core/stats';
import { loadSpec } from '../../../kernel/runs/runner';
import { buildNetwork } from '../../../kernel/spiking/build';
import { histogram } from '../../../kernel/spiking/output';
import { repoRoot } from '../helpers';
import { golden } from './golden';

const sample = (name: string, overrides: string[] = []) => loadSpec({ specPath: path.join(repoRoot, 'samples', name), overrides }).spec;

/** One run of the STDP sample: output rate per 10 s bin and the final w/w_max histogram (20 bins). */
function stdpRun(spec: any, seed: number): { rateHz: number[]; weightHist: number[] } {
  const b = buildNetwork(spec, new Rng(seed));
  b.net.run(Math.round(spec.durationMs / spec.dtMs));
  const w = b.projections[0].projection.weights();
  const wMax = spec.projections[0].plasticity.wMax;
  return { rateHz: b.rateMonitors.find((m) => m.name === 'out')!.rates(), weightHist: histogram(w.map((x) => x / wMax), 0, 1, 20) };
}

/**
 * The test: Welch's two-sample t-test on each of the 30 statistics (10 rate bins, 20 histogram
 * bins), each run one sample, with a Bonferroni correction so that the whole family wrongly
 * rejects at most 1% of the time: p < 0.01/30 for any statistic means "different".
 */
function compare(ours: { rateHz: number[]; weightHist: number[] }[], theirs: { rateHz: number[]; weightHist: number[] }[]) {
  const stats = [...theirs[0].rateHz.map((_, k) => ({ name: `rate bin ${k}`, get: (r: any) => r.rateHz[k] })), ...theirs[0].weightHist.map((_, k) => ({ name: `weight bin ${k}`, get: (r: any) => r.weightHist[k] }))];
  const alpha = 0.01 / stats.length;
  const rows = stats.map((s) => ({ name: s.name, ...welch(ours.map(s.get), theirs.map(s.get)) }));
  return { alpha, rows, rejected: rows.filter((r) => r.p < alpha) };
}

describe('agreement with Brian2 (statistical)', function () {
  this.timeout(240_000);
  const g = golden('stdp_song2000.json');
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('the STDP example (Song, Miller & Abbott 2000) gives Brian2\'s output-rate trajectory and final weight histogram (Welch, Bonferroni, family α = 0.01)', () => {
    const spec = sample('spiking-stdp.neurite.yaml');
    const ours = seeds.map((s) => stdpRun(spec, s));
    const { alpha, rows, rejected } = compare(ours, g.runs);
    const table = rows.map((r) => `${r.name}: Neurite ${r.meanA.toFixed(2)} vs Brian2 ${r.meanB.toFixed(2)} (p = ${r.p.toPrecision(2)})`).join('\n');
    assert.deepStrictEqual(rejected.map((r) => r.name), [], `differs from Brian2 at p < ${alpha.toPrecision(2)}:\n${table}`);
    // The trajectory is not flat: rates fall from ~60 Hz to ~25 Hz as competition sets in.
    assert.ok(mean(ours.map((r) => r.rateHz[0])) > 1.8 * mean(ours.map((r) => r.rateHz[9])));
  });

  it('the same test tells a small difference apart: inputs at 14 Hz instead of 15 Hz are rejected', () => {
    const spec = sample('spiking-stdp.neurite.yaml', ['stimuli.0.rateHz=14']);
    const ours = seeds.map((s) => stdpRun(spec, s));
    assert.ok(compare(ours, g.runs).rejected.length > 0);
  });

  it('the CUBA example gives Brian2\'s mean rate within 2% (means over 100 seeds each)', () => {
    const c = golden('cuba.json');
    const spec = sample('spiking-cuba.neurite.yaml', ['monitors.spikes=[]', 'monitors.state=[]']);
    const rates: number[] = [];
    for (let s = 1; s <= 100; s++) {
      const b = buildNetwork(spec, new Rng(s));
      b.net.run(Math.round(spec.durationMs / spec.dtMs));
      rates.push(b.rateMonitors.find((m) => m.name === 'P')!.total / 4000 / (spec.durationMs / 1000));
    }
    const theirs = c.runs.map((r: { rateHz: number }) => r.rateHz);
    assert.ok(theirs.length >= 100, 'the golden has 100 Brian2 seeds');
    const ours = mean(rates), ref = mean(theirs);
    const se = Math.sqrt(variance(rates) / rates.length + variance(theirs) / theirs.length);
    assert.ok(Math.abs(ours - ref) / ref < 0.02, `Neurite ${ours.toFixed(3)} Hz vs Brian2 ${ref.toFixed(3)} Hz (difference ${(((ours - ref) / ref) * 100).toFixed(2)}%, ${(Math.abs(ours - ref) / se).toFixed(1)} standard errors)`);
  });
});
