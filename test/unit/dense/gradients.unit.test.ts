/**
 * Every gradient rule against central finite differences in float64, on random shapes with
 * broadcasting. Graphs run in onnxruntime's CPU provider in float64, except Conv and
 * AveragePool, which it has no float64 kernels for: those graphs (forward and backward) run
 * in the float64 TypeScript reference evaluator (reference-eval.ts).
 */
import * as assert from 'assert';
import { gradients as rules } from '../../../kernel/dense/gradients';
import { build, cases, type Case } from './gradient-cases';
import { compileOrt, type Feeds } from './helpers';
import { evaluate } from './reference-eval';

async function evaluator(c: Case, withGrads: boolean) {
  const { g, feeds, params } = build(c, withGrads);
  if (c.engine === 'ts') return { params, feeds, run: async (f: Feeds) => Object.fromEntries(Object.entries(evaluate(g, f as never)).map(([k, v]) => [k, v.data])), release: async () => {} };
  const s = await compileOrt(g);
  return { params, feeds, run: s.run, release: s.release };
}

describe('dense gradient rules vs central finite differences (float64)', function () {
  for (const c of cases) {
    it(`${c.name}: analytic gradient equals (L(x+h) − L(x−h)) / 2h${c.engine === 'ts' ? ' [TypeScript float64 reference]' : ' [onnxruntime float64]'}`, async () => {
      const analytic = await evaluator(c, true);
      const lossOnly = await evaluator(c, false);
      const h = c.h ?? 1e-5;
      const tol = c.tol ?? 1e-6;
      const grads = await analytic.run(analytic.feeds);
      let checked = 0;
      for (const p of analytic.params) {
        const base = analytic.feeds[p.name] as Float64Array;
        const got = grads[`d_${p.name}`] as Float64Array;
        assert.strictEqual(got.length, base.length, `${p.name}: gradient size`);
        for (let i = 0; i < base.length; i++) {
          const at = (delta: number) => {
            const x = Float64Array.from(base);
            x[i] += delta;
            return lossOnly.run({ ...analytic.feeds, [p.name]: x }).then((r) => (r.loss as Float64Array)[0]);
          };
          const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
          assert.ok(Math.abs(got[i] - numeric) <= tol * Math.max(1, Math.abs(numeric)), `${p.name}[${i}]: analytic ${got[i]} vs numeric ${numeric}`);
          checked++;
        }
      }
      assert.ok(checked > 0);
      await analytic.release();
      await lossOnly.release();
    });
  }

  // Coverage from the graphs the cases build: a rule counts when autodiff called it for a node
  // of some case's forward graph, so its output is in the gradient checked above.
  it('every rule in kernel/dense/gradients.ts is used by autodiff in the graph of at least one case above', () => {
    const built = cases.map((c) => ({ name: c.name, ...build(c, true) }));
    for (const b of built) for (const op of b.rulesUsed) assert.ok(b.forwardOps.has(op), `${b.name}: rule ${op} used without a ${op} node`);
    const used = new Set(built.flatMap((b) => [...b.rulesUsed]));
    const missing = Object.keys(rules).filter((op) => !used.has(op));
    assert.deepStrictEqual(missing, [], `no case's graph uses the rules for ${missing.join(', ')}`);
  });
});
