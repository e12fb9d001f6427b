/**
 * Neurite against JoSIM 2.7 on JoSIM's own example netlists (../shared/reference/josim-netlists;
 * cases in bench/_josim-cases.ts), where the JoSIM binary is present (bench/_josim.ts says where
 * it is looked for): the same pulses and 2π phase slips, at the same times, heights, widths and
 * flux.
 *
 * Tolerances come from the time step both run at, h = 0.25 ps, measured against Neurite at
 * h/10 (`npm run bench -- josim-steps` prints each tool's error for every pulse):
 *   time    h/5, plus 0.5% of the time the pulse took from the input stage: each tool's step
 *           error grows along a path, by +0.64% (JoSIM) and +0.27% (Neurite) of the
 *           propagation time on ex_jtl_string; at the input stages both are within 0.04 ps.
 *   height, width   3%: a 1.3–3 ps pulse sampled every 0.25 ps peaks up to 7% low and its
 *           half-height width reads up to 11% wide, in both tools alike; they differ ≤ 1.5%.
 *   flux    ∫V dt = Φ0 within 0.5% in both (≤ 0.15% measured), and within 0.1% of each other.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { JOSIM_CASES, events, neuriteLabel } from '../../../bench/_josim-cases';
import { findJosim, readCsv, runJosim, sharedDir } from '../../../bench/_josim';
import { PHI0 } from '../../../kernel/circuits/netlist/expr';
import { slipCount } from '../../../kernel/circuits/pulses';
import { simulate } from '../../../kernel/circuits/simulate';
import { tempDir } from '../helpers';

const H = 0.25e-12;

describe('Neurite against JoSIM on its example netlists', () => {
  const josim = findJosim();
  const dir = path.join(sharedDir() ?? '', 'reference', 'josim-netlists');
  if (josim.binary === undefined || !fs.existsSync(dir)) {
    it(`is skipped: no JoSIM binary (looked at ${josim.looked}) or no netlists at ${dir}; set NEURITE_SHARED or NEURITE_JOSIM`, () => {});
    return;
  }
  const out = tempDir('neurite-josim-');

  for (const c of JOSIM_CASES) {
    it(`${c.netlist}: the same pulses and phase slips, at the same times, heights, widths and flux`, () => {
      const text = (c.edit ?? ((t) => t))(fs.readFileSync(path.join(dir, c.netlist), 'utf8'));
      const file = path.join(out, c.netlist);
      fs.writeFileSync(file, text);
      runJosim(josim.binary!, file, `${file}.csv`);
      const j = readCsv(`${file}.csv`);
      const n = simulate(text, { source: c.netlist });
      let input: number[] | undefined; // JoSIM's pulse times at the input stage
      for (const col of c.columns) {
        const at = `${c.netlist} ${col.label}`;
        const jy = j.column(col.label), ny = n.get(neuriteLabel(col.label));
        const je = events(col.kind, j.time, jy), ne = events(col.kind, n.get('time'), ny);
        assert.ok(je.length > 0, `${at}: JoSIM shows no pulse`);
        assert.strictEqual(ne.length, je.length, `${at}: number of ${col.kind === 'phase' ? '2π slips' : 'pulses'}`);
        if (col.kind === 'phase') assert.strictEqual(slipCount(ny), slipCount(jy), `${at}: net 2π slips`);
        input ??= je.map((e) => e.time);
        je.forEach((p, k) => {
          const q = ne[k];
          const tol = H / 5 + 0.005 * Math.max(0, p.time - (input![k] ?? p.time));
          assert.ok(Math.abs(q.time - p.time) <= tol, `${at} #${k + 1}: at ${(q.time * 1e12).toFixed(3)} ps, JoSIM ${(p.time * 1e12).toFixed(3)} ps (±${(tol * 1e12).toFixed(3)})`);
          if (col.kind === 'phase') return;
          assert.ok(Math.abs(q.height / p.height - 1) <= 0.03, `${at} #${k + 1}: height ${q.height} V, JoSIM ${p.height} V`);
          assert.ok(Math.abs(q.width / p.width - 1) <= 0.03, `${at} #${k + 1}: width ${q.width} s, JoSIM ${p.width} s`);
          assert.ok(Math.abs(q.area / p.area - 1) <= 0.001, `${at} #${k + 1}: area ${q.area}, JoSIM ${p.area}`);
          if (col.kind === 'sfq') assert.ok(Math.abs(q.area / PHI0 - 1) <= 0.005 && Math.abs(p.area / PHI0 - 1) <= 0.005, `${at} #${k + 1}: ∫V dt ${q.area / PHI0} Φ0, JoSIM ${p.area / PHI0} Φ0`);
        });
      }
    });
  }
});
