/**
 * Every built-in method against Captum's definitions (test/golden/attribution/
 * make_attribution_golden.py: Captum's algorithms in plain torch, Debian python3-torch) on a
 * fixed MLP 12-8-6-4 (ReLU, tanh) and 5 inputs: every item's value of every unit agrees.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { attribute } from '../../../../kernel/dense/attribution/engine';
import { attributionOptions } from '../../../../kernel/protocol/attribution';
import { repoRoot } from '../../helpers';
import { maxAbsDiff } from '../helpers';
import { arrayData, exec, mlp } from './fixtures';

interface GoldenCase {
  name: string;
  method: string;
  layer: string;
  neuron?: number;
  options: Record<string, unknown>;
  values: number[];
}
const golden: { tool: string; sizes: number[]; activations: ('relu' | 'tanh')[]; params: Record<string, number[]>; x: number[]; labels: number[]; cases: GoldenCase[] } = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'attribution', 'attribution-golden.json'), 'utf8'),
);

describe(`attribution methods vs Captum's definitions (${golden.tool})`, () => {
  const { seq, model } = mlp(golden.sizes, golden.activations);
  for (const p of seq.parameters()) p.set(golden.params[p.name]);
  const data = arrayData(Float32Array.from(golden.x), Int32Array.from(golden.labels), golden.sizes[0]);

  for (const c of golden.cases) {
    it(`${c.name}: every item's value of every unit agrees within 1e-5 (relative to the largest)`, async function () {
      const options = attributionOptions.parse({ ...c.options, perItem: true });
      const r = await attribute(model, data, { method: c.method, layer: c.layer, neuron: c.neuron, options }, { exec });
      const scale = Math.max(1, ...c.values.map(Math.abs));
      const d = maxAbsDiff(r.perItem!, c.values);
      this.test!.title += ` (max |Δ| ${d.toExponential(1)})`;
      assert.ok(d <= 1e-5 * scale, `differs by up to ${d} (largest value ${scale})`);
      assert.ok(c.values.some((v) => Math.abs(v) > 1e-3), 'the golden values are not all zero');
    });
  }
});
