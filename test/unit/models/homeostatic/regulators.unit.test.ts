/**
 * The regulators' decisions (PAPERS.md §2; the authors' lrh.py and lrr.py) for scripted inputs,
 * against tables worked by hand: which way η moves, when, by how much, and the clip. η₀ = 1e-3,
 * Δ = 1e-4, classes 5–9 excitatory. The regulators are compiled into a program (as in the
 * experiment) and η is float32, so values are compared within 2e-10 (float32 rounding at 1e-3
 * is ~1e-10; the clip's 1e-8 and 0 are 50 tolerances apart).
 */
import * as assert from 'assert';
import { Parameter } from '../../../../kernel/dense/params';
import { Program, type ProgramStep } from '../../../../kernel/dense/program';
import { execOptions } from '../../../../kernel/dense/session';
import { constantRate, homeostat, paperRates, randomRegulator } from '../../../../kernel/models/homeostatic/regulators';

const exec = execOptions('cpu', { threads: 1 });
const tolerance = 2e-10;

interface Row {
  name: string;
  predicted?: number;
  label: number;
  keep?: number;
  move?: number;
  decide?: number;
  coin?: number;
  /** The row is applied this many times in a row. */
  repeat?: number;
  /** η after the row. */
  eta: number;
}

// prettier-ignore
const homeostatTable: Row[] = [
  { name: 'a strictly better move follows the true label (2: down), not the predicted one (7)', predicted: 7, label: 2, keep: 10, move: 12, decide: 1, eta: 9e-4 },
  { name: 'a tie is not better: η stays', predicted: 7, label: 8, keep: 12, move: 12, decide: 1, eta: 9e-4 },
  { name: 'a worse move: η stays', predicted: 1, label: 8, keep: 12, move: 11, decide: 1, eta: 9e-4 },
  { name: 'a better move with an excitatory true label (8) raises η by Δ', predicted: 1, label: 8, keep: 11, move: 12, decide: 1, eta: 1e-3 },
  { name: 'a decision that does not count (i ≤ 20) changes nothing', predicted: 1, label: 8, keep: 0, move: 20, decide: 0, eta: 1e-3 },
  { name: 'ten better moves down take η to 0 (float32 leaves 1.5e-11: not below zero, not clipped)', predicted: 0, label: 3, keep: 5, move: 6, decide: 1, repeat: 10, eta: 0 },
  { name: 'one more goes below zero and lands at 1e-8', predicted: 0, label: 3, keep: 5, move: 6, decide: 1, eta: 1e-8 },
  { name: 'a move down from 1e-8 lands at 1e-8 again', predicted: 9, label: 0, keep: 5, move: 6, decide: 1, eta: 1e-8 },
  { name: 'a move up from 1e-8 adds Δ', predicted: 9, label: 5, keep: 5, move: 6, decide: 1, eta: 1e-8 + 1e-4 },
];

// prettier-ignore
const randomTable: Row[] = [
  { name: 'heads with an excitatory label (6): up by Δ', label: 6, coin: 1, eta: 1.1e-3 },
  { name: 'tails: η stays', label: 6, coin: 0, eta: 1.1e-3 },
  { name: 'heads with an inhibitory label (4): down by Δ', label: 4, coin: 1, eta: 1e-3 },
  { name: 'twelve heads down: below zero at the eleventh, then 1e-8 again', label: 0, coin: 1, repeat: 12, eta: 1e-8 },
];

const rates = paperRates(1e-3);
const expand = (rows: Row[]) => rows.flatMap((r) => Array.from({ length: r.repeat ?? 1 }, () => r));

/** η after each row, with the regulator that `step` builds compiled into one program over the table. */
async function etas(rows: Row[], step: (s: ProgramStep, eta: Parameter) => void): Promise<number[]> {
  const eta = new Parameter('eta', [], Float32Array.of(rates.eta0));
  const all = expand(rows);
  const p = await Program.compile({ state: [eta], steps: all.length, exec, step: (s) => step(s, eta) });
  const outs = await p.run(
    all.map((r) => ({
      predicted: Int32Array.of(r.predicted ?? 0),
      label: Int32Array.of(r.label),
      keep: Float32Array.of(r.keep ?? 0),
      move: Float32Array.of(r.move ?? 0),
      decide: Float32Array.of(r.decide ?? 0),
      coin: Float32Array.of(r.coin ?? 0),
    })),
  );
  return outs.map((r) => r.eta[0]);
}

function check(rows: Row[], got: number[]): void {
  let i = 0;
  for (const r of rows) {
    i += r.repeat ?? 1;
    assert.ok(Math.abs(got[i - 1] - r.eta) <= tolerance, `${r.name}: η ${got[i - 1]}, expected ${r.eta}`);
  }
}

const scalarInputs = (s: ProgramStep) => ({
  predicted: s.input('predicted', [], 'int32'),
  label: s.input('label', [], 'int32'),
  keep: s.input('keep', []),
  move: s.input('move', []),
  decide: s.input('decide', []),
  coin: s.input('coin', []),
});

describe('learning-rate regulators (hand-worked tables)', () => {
  it('the homeostat moves η by the true label when the simulated move scores strictly better, and clips below zero to 1e-8', async () => {
    const got = await etas(homeostatTable, (s, eta) => {
      const inp = scalarInputs(s);
      const next = homeostat(rates, { eta: s.get(eta) }).update({ eta: s.get(eta) }, { ...inp });
      s.set(eta, next.eta);
      s.output('eta', next.eta);
    });
    check(homeostatTable, got);
  });

  it('random regulation moves η by the label on heads only', async () => {
    const got = await etas(randomTable, (s, eta) => {
      const inp = scalarInputs(s);
      const next = randomRegulator(rates, { eta: s.get(eta) }).update({ eta: s.get(eta) }, { label: inp.label, coin: inp.coin });
      s.set(eta, next.eta);
      s.output('eta', next.eta);
    });
    check(randomTable, got);
  });

  it('every regulator reads out where a move would take η for each class; the constant one never moves', async () => {
    const eta = new Parameter('eta', [], Float32Array.of(5e-5)); // below Δ: a move down is clipped
    const p = await Program.compile({
      state: [eta],
      steps: 1,
      exec,
      step: (s) => {
        const sys = constantRate(rates, { eta: s.get(eta) });
        const next = sys.update(sys.init(), undefined);
        s.set(eta, next.eta);
        s.output('candidates', sys.readout(next).candidates);
      },
    });
    const [out] = await p.run([{}]);
    const expected = [1e-8, 1e-8, 1e-8, 1e-8, 1e-8, 1.5e-4, 1.5e-4, 1.5e-4, 1.5e-4, 1.5e-4];
    [...out.candidates].forEach((c, k) => assert.ok(Math.abs(c - expected[k]) <= tolerance, `class ${k}: ${c}, expected ${expected[k]}`));
    assert.strictEqual(eta.data[0], Math.fround(5e-5));
  });
});
