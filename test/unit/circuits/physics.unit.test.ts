/**
 * Physics the simulator must get right (PAPERS.md §9): flux quantisation of SFQ pulses, the
 * 2π phase slip per pulse, the overdamped junction's I–V, the plasma frequency, and a JTL's
 * steady delay per stage. Netlists are the project's own (samples/circuits and inline).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PHI0 } from '../../../kernel/circuits/netlist/expr';
import { simulate } from '../../../kernel/circuits/simulate';
import { library } from '../../../kernel/models/sfq/cells';
import { repoRoot } from '../helpers';

const TWO_PI = 2 * Math.PI;
const GAMMA = PHI0 / TWO_PI;

/** Time at which y first rises through `level` at or after index `from` (linear interpolation). */
function crossing(t: Float64Array, y: Float64Array, level: number, from = 1): number {
  for (let i = Math.max(1, from); i < y.length; i++) if (y[i - 1] < level && y[i] >= level) return t[i - 1] + ((level - y[i - 1]) / (y[i] - y[i - 1])) * (t[i] - t[i - 1]);
  return NaN;
}

describe('SFQ physics', () => {
  const jtl = simulate(fs.readFileSync(path.join(repoRoot, 'samples', 'circuits', 'jtl.cir'), 'utf8'), { source: 'jtl.cir' });
  const t = jtl.get('time');
  const at = (ps: number) => Math.round(ps / 0.25);
  // Three input pulses at 50, 250 and 450 ps; the line is at rest at 20, 200, 400 and 690 ps.
  const rest = [20, 200, 400, 690].map(at);

  it('every SFQ pulse integrates to one flux quantum (∫V dt = Φ0) within 1%', () => {
    for (const node of ['V(J1)', 'V(J4)', 'V(J8)']) {
      const v = jtl.get(node);
      for (let p = 0; p < 3; p++) {
        let area = 0;
        for (let i = rest[p] + 1; i <= rest[p + 1]; i++) area += 0.5 * (v[i] + v[i - 1]) * (t[i] - t[i - 1]);
        assert.ok(Math.abs(area / PHI0 - 1) < 0.01, `${node} pulse ${p + 1}: ∫V dt = ${(area / PHI0).toFixed(5)} Φ0`);
      }
    }
  });

  it("a junction's phase advances by exactly 2π per pulse", () => {
    for (const j of ['P(B1|X1)', 'P(B1|X4)', 'P(B1|X8)']) {
      const p = jtl.get(j);
      for (let k = 0; k < 3; k++) {
        const step = p[rest[k + 1]] - p[rest[k]];
        assert.ok(Math.abs(step - TWO_PI) < 1e-3, `${j}: pulse ${k + 1} moved the phase by ${step} rad`);
      }
    }
  });

  it('an overdamped junction biased above Ic has mean voltage V = R·√(I² − Ic²) (within 0.1%)', () => {
    // RSJ junction: Ic = 100 µA, R = 2 Ω, no capacitance, linear quasiparticle branch.
    for (const ratio of [1.05, 1.2, 1.5, 2, 3]) {
      const ib = 100e-6 * ratio;
      const r = simulate(`.model rsj jj(rtype=0, cap=0, r0=2, icrit=100u)\nIB 0 1 pwl(0 0 10p ${ib})\nB1 1 0 rsj\n.tran 0.05p 1000p 200p\n.print phase B1`);
      const tt = r.get('time'), p = r.get('P(B1)');
      // Average over a whole number of Josephson periods: from the first sample to the last 2π crossing.
      const periods = Math.floor((p[p.length - 1] - p[0]) / TWO_PI);
      const tEnd = crossing(tt, p, p[0] + periods * TWO_PI);
      const v = (PHI0 * periods) / (tEnd - tt[0]);
      const want = 2 * Math.sqrt(ib * ib - 1e-8);
      assert.ok(periods >= 20, `only ${periods} periods`);
      assert.ok(Math.abs(v / want - 1) < 1e-3, `I = ${ratio} Ic: V = ${v}, R√(I²−Ic²) = ${want}`);
    }
  });

  it('a junction kicked about its bias point rings at the plasma frequency √(Ic·cos φ0 / (γ·C)) (within 0.1%)', () => {
    // Ic = 100 µA, C = 1 pF, R = 1 kΩ (Q ≈ 500), biased at Ic/2 (φ0 = π/6), then a 2 µA, 2 ps kick.
    const r = simulate(`.model und jj(rtype=0, cap=1p, r0=1000, icrit=100u)
IB 0 1 pwl(0 0 200p 50u)
IK 0 1 pwl(0 0 300p 0 301p 2u 302p 0)
B1 1 0 und
.tran 0.02p 500p 310p
.print phase B1`);
    const tt = r.get('time'), p = r.get('P(B1)');
    const phi0 = Math.asin(0.5);
    const ups: number[] = [];
    for (let i = 1; i < p.length; i++) if (p[i - 1] < phi0 && p[i] >= phi0) ups.push(tt[i - 1] + ((phi0 - p[i - 1]) / (p[i] - p[i - 1])) * (tt[i] - tt[i - 1]));
    const f = (ups.length - 1) / (ups[ups.length - 1] - ups[0]);
    const wp = Math.sqrt((100e-6 * Math.cos(phi0)) / (GAMMA * 1e-12));
    const fd = Math.sqrt(wp * wp - (1 / (2 * 1000 * 1e-12)) ** 2) / TWO_PI; // with the (tiny) damping shift
    assert.ok(ups.length >= 10, `${ups.length} oscillations`);
    assert.ok(Math.abs(f / fd - 1) < 1e-3, `measured ${(f / 1e9).toFixed(3)} GHz, plasma ${(fd / 1e9).toFixed(3)} GHz`);
  });

  it('a JTL passes a pulse with a steady delay per stage (stages 6–18 of 24 within 1% of the mean)', () => {
    const n = 24;
    const stages = Array.from({ length: n }, (_, i) => `X${i + 1} JTL j${i} j${i + 1}`).join('\n');
    const r = simulate(`${library()}
VIN v 0 pwl(0 0 40p 0 42.5p 827.13u 45p 0)
LIN v j0 2p
${stages}
XK SINK j${n}
.tran 0.1p 150p
${Array.from({ length: n }, (_, i) => `.print phase B1.X${i + 1}`).join('\n')}`);
    const tt = r.get('time');
    const times = Array.from({ length: n }, (_, i) => {
      const p = r.get(`P(B1|X${i + 1})`);
      return crossing(tt, p, p[300] + Math.PI); // at rest at 30 ps
    });
    const delays = times.slice(6, 18).map((x, i) => x - times[5 + i]);
    const mean = delays.reduce((a, b) => a + b) / delays.length;
    assert.ok(mean > 0.5e-12 && mean < 10e-12, `mean delay ${mean * 1e12} ps`);
    for (const d of delays) assert.ok(Math.abs(d / mean - 1) < 0.01, `delays ${delays.map((x) => (x * 1e12).toFixed(3)).join(', ')} ps`);
  });
});
