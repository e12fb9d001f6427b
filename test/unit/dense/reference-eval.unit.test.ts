/**
 * The float64 TypeScript reference evaluator agrees with onnxruntime on every gradient-check
 * graph (forward and backward): to 1e-9 against onnxruntime's float64 kernels, and for the
 * graphs onnxruntime can only run in float32 (Conv, ConvTranspose, AveragePool) to float32
 * precision. So the finite-difference checks that use the evaluator check onnxruntime's op
 * semantics, not ones of our own.
 */
import * as assert from 'assert';
import { build, cases } from './gradient-cases';
import { maxAbsDiff, runOrt, type Feeds } from './helpers';
import { evaluate } from './reference-eval';

describe('dense reference evaluator (float64 TypeScript)', () => {
  for (const c of cases) {
    const float32 = c.engine === 'ts';
    it(`${c.name}: loss and gradients equal onnxruntime's ${float32 ? 'float32 run to 1e-5 (relative)' : 'float64 run to 1e-9'}`, async () => {
      const ref = build(c, true, 'float64');
      const expected = evaluate(ref.g, ref.feeds as never);
      const ortCase = float32 ? build(c, true, 'float32') : ref;
      const feeds: Feeds = float32 ? Object.fromEntries(Object.entries(ortCase.feeds).map(([k, v]) => [k, v instanceof Float64Array ? Float32Array.from(v) : v])) : ortCase.feeds;
      const got = await runOrt(ortCase.g, feeds);
      assert.deepStrictEqual(Object.keys(got).sort(), Object.keys(expected).sort());
      for (const [name, t] of Object.entries(expected)) {
        const scale = Math.max(1, ...Array.from(t.data, Math.abs));
        const diff = maxAbsDiff(Array.from(got[name] as Float64Array, Number), t.data);
        assert.ok(diff <= (float32 ? 1e-5 : 1e-9) * scale, `${name}: max |Δ| ${diff} (scale ${scale})`);
      }
    });
  }
});
