/**
 * Bad netlists are rejected before any simulation, each problem as `file:line:col: message`;
 * a solver that cannot go on stops with a RunFailure that says where — never a hang or NaNs.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, RunFailure } from '../../../kernel/core/errors';
import { Rng } from '../../../kernel/core/rng';
import { buildCircuit } from '../../../kernel/circuits/netlist/build';
import { Transient } from '../../../kernel/circuits/transient';
import { cli, inputErrorOf, tempDir } from '../helpers';

const M = '.model m jj(rtype=1, vg=2.8mV, cap=0.07pF, r0=160, rn=16, icrit=0.1mA)';
const T = '.tran 0.25p 10p';

/** [what, netlist, expected problem(s)] — line numbers count from 1 in the text given. */
const cases: [string, string, RegExp[]][] = [
  ['an unknown element', `Q1 1 2 3\nR1 1 0 1\n${T}`, [/^bad\.cir:1:1: unknown element "Q1"/m]],
  ['an unsupported element type', `R1 1 0 1\nT1 1 0 2 0 td=1p z0=5\n${T}`, [/^bad\.cir:2:1: T1: transmission lines \(T\) are not supported/m]],
  ['an undefined model', `B1 1 0 nomodel\nR1 1 0 1\n${T}`, [/^bad\.cir:1:8: B1: undefined model "nomodel"/m]],
  ['an unknown model parameter', `.model m jj(icrit=0.1mA, bogus=3)\nB1 1 0 m\n${T}`, [/^bad\.cir:1:26: \.model M: unknown jj model parameter BOGUS/m]],
  ['an unknown model type', `.model m nmos(vto=1)\nR1 1 0 1\n${T}`, [/^bad\.cir:1:10: \.model M: unknown model type "nmos"/m]],
  ['a negative junction critical current in the model', `.model m jj(icrit=-1u)\nB1 1 0 m\n${T}`, [/^bad\.cir:1:13: \.model M: icrit must be > 0/m]],
  ['an undefined node in .print', `R1 1 0 1\n.print nodev 7\n${T}`, [/^bad\.cir:2:14: undefined node "7"/m]],
  ['an undefined device in .print', `R1 1 0 1\n.print devi R9\n${T}`, [/^bad\.cir:2:13: undefined device "R9"/m]],
  ['a floating node (no path to ground)', `R1 1 0 1\nR2 2 3 1\n${T}`, [/^bad\.cir:2:4: floating nodes 2, 3: no path to ground/m]],
  ['a node reached only through a current source', `R1 1 0 1\nI1 1 2 dc 1u\n${T}`, [/^bad\.cir:2:6: floating node 2: .*current sources I1 do not define a phase/m]],
  ['an inductor-only loop without a ground path', `R1 1 0 1\nL1 5 6 2p\nL2 6 5 3p\n${T}`, [/^bad\.cir:2:4: inductor loop L1, L2 has no path to ground/m]],
  ['a zero resistance', `R1 1 0 0\n${T}`, [/^bad\.cir:1:8: R1: resistance must be > 0, got 0/m]],
  ['a negative inductance', `L1 1 0 -2p\n${T}`, [/^bad\.cir:1:8: L1: inductance must be > 0/m]],
  ['a zero capacitance', `C1 1 0 0\nR1 1 0 1\n${T}`, [/^bad\.cir:1:8: C1: capacitance must be > 0/m]],
  ['a negative junction area', `${M}\nB1 1 0 m area=-2\n${T}`, [/^bad\.cir:2:15: B1: junction area must be > 0/m]],
  ['a coupling factor of 1', `L1 1 0 2p\nL2 2 0 2p\nK1 L1 L2 1\n${T}`, [/^bad\.cir:3:10: K1: the coupling factor must be between -1 and 1/m]],
  ['a coupling to something that is not an inductor', `L1 1 0 2p\nR2 2 0 2\nK1 L1 R2 0.5\n${T}`, [/^bad\.cir:3:7: K1: "R2" is not an inductor/m]],
  ['an unterminated subcircuit', `.subckt S a\nR1 a 0 1\nR9 1 0 1\n${T}`, [/^bad\.cir:1:1: \.subckt S is not terminated/m]],
  ['an .ends without .subckt', `R1 1 0 1\n.ends\n${T}`, [/^bad\.cir:2:1: \.ends without a matching \.subckt/m]],
  ['a directly recursive subcircuit', `.subckt A a\nX1 A a\n.ends\nX1 A 1\nR1 1 0 1\n${T}`, [/^bad\.cir:2:1: X1: recursive subcircuit A → A/m]],
  ['an indirectly recursive subcircuit', `.subckt A a\nX1 B a\n.ends\n.subckt B b\nX2 A b\n.ends\nX0 A 1\nR1 1 0 1\n${T}`, [/^bad\.cir:5:1: X2: recursive subcircuit A → B → A/m]],
  ['an unknown subcircuit', `X1 NOPE 1 2\nR1 1 0 1\n${T}`, [/^bad\.cir:1:4: X1: unknown subcircuit/m]],
  ['a subcircuit with the wrong number of nodes', `.subckt S a b\nR1 a b 1\n.ends\nX1 S 1\nR2 1 0 1\n${T}`, [/^bad\.cir:4:1: X1: \.subckt S has 2 ports \(line 1\), got 1 node/m]],
  ['a nested .subckt definition', `.subckt A a\n.subckt B b\n.ends\n.ends\nR1 1 0 1\n${T}`, [/^bad\.cir:2:1: \.subckt inside \.subckt A/m]],
  ['an undefined parameter (located at its column)', `R1 1 0 {2*wid}\n${T}`, [/^bad\.cir:1:11: undefined parameter "WID"/m]],
  ['a parameter that depends on itself', `.param a=b+1\n.param b=2*a\nR1 1 0 a\n${T}`, [/^bad\.cir:\d:8: parameter [AB] depends on itself/m]],
  ['a division by zero', `.param z=0\nR1 1 0 {1/z}\n${T}`, [/^bad\.cir:2:10: division by zero/m]],
  ['a malformed expression', `R1 1 0 {2*(3+}\n${T}`, [/^bad\.cir:1:\d+: expression ends too early/m]],
  ['an unterminated brace', `R1 1 0 {2*3\n${T}`, [/^bad\.cir:1:8: unterminated expression/m]],
  ['a pwl source with an odd number of values', `R1 1 0 1\nI1 0 1 pwl(0 0 5p)\n${T}`, [/^bad\.cir:2:16: I1: pwl takes time\/value pairs, got 3 values/m]],
  ['a pwl source whose time goes back', `R1 1 0 1\nI1 0 1 pwl(0 0 5p 1u 3p 0)\n${T}`, [/^bad\.cir:2:22: I1: pwl times must not decrease/m]],
  ['a pulse source with a negative delay', `R1 1 0 1\nI1 0 1 pulse(0 1u -5p)\n${T}`, [/^bad\.cir:2:19: I1: pulse td must not be negative/m]],
  ['a source without its closing parenthesis', `R1 1 0 1\nI1 0 1 pwl(0 0 5p 1u\n${T}`, [/^bad\.cir:2:\d+: I1: pwl\( has no closing "\)"/m]],
  ['a missing .tran', `R1 1 0 1\n`, [/^bad\.cir:1:1: no \.tran line/m]],
  ['a .tran stop time shorter than two steps', `R1 1 0 1\n.tran 1p 1p`, [/^bad\.cir:2:10: \.tran stop time 1e-12 is less than two time steps/m]],
  ['a .tran with far too many steps', `R1 1 0 1\n.tran 1f 1u`, [/^bad\.cir:2:7: \.tran asks for 1000000000 time steps/m]],
  ['a negative .temp', `R1 1 0 1\n.temp -4\n${T}`, [/^bad\.cir:2:7: \.temp must not be negative/m]],
  ['voltage sources in a loop', `V1 1 0 dc 1u\nV2 1 0 dc 2u\nR1 1 0 1\n${T}`, [/^bad\.cir:2:1: V2: voltage sources form a loop/m]],
  ['an element defined twice', `R1 1 0 1\nR1 2 0 1\n${T}`, [/^bad\.cir:2:1: element R1 is defined twice \(first at line 1\)/m]],
  ['a continuation line with nothing before it', `+ 5\nR1 1 0 1\n${T}`, [/^bad\.cir:1:1: continuation line/m]],
  ['an unknown control', `R1 1 0 1\n.frobnicate\n${T}`, [/^bad\.cir:2:1: unknown control "\.frobnicate"/m]],
  ['an unknown resistor option', `R1 1 0 1 spread=0.1\n${T}`, [/^bad\.cir:1:10: R1: unknown option SPREAD=/m]],
];

describe('bad netlists', () => {
  for (const [what, text, expect] of cases) {
    it(`rejects ${what} with its line and column`, () => {
      const problems = inputErrorOf(() => buildCircuit(text, 'bad.cir')).problems.join('\n');
      for (const re of expect) assert.match(problems, re);
    });
  }

  it('lists several problems at once, in line order', () => {
    assert.throws(
      () => buildCircuit(`R1 1 0 -1\nQ2 1 0\nL3 1 0 0\n${T}`, 'many.cir'),
      (e: InputError) => e.problems.length === 3 && /many\.cir:1:/.test(e.problems[0]) && /many\.cir:3:/.test(e.problems[2]),
    );
  });

  it('a solver that cannot converge stops with a RunFailure naming the time and the junction, having recorded no NaN', () => {
    // A junction driven far past its critical current with a 5 ps step, and the iterations capped.
    const c = buildCircuit(`${M}\nIB 0 1 pwl(0 0 10p 2m)\nB1 1 0 m\nR1 1 0 50\n.print phase B1\n.tran 5p 500p`, 'hard.cir');
    const sim = new Transient(c, { rng: new Rng(1), maxChord: 2, maxNewton: 2, tol: 1e-12 });
    assert.throws(() => sim.advance(Infinity), (e: Error) => e instanceof RunFailure && /did not converge at t = [\d.]+ ps \(step \d+ of 100\): junction B1 \(line 3\)/.test(e.message) && /smaller \.tran time step/.test(e.message));
    const col = sim.recorder.columns[0].subarray(0, sim.recorder.count);
    assert.ok(col.every(Number.isFinite), 'no NaN or infinity was recorded');
  });

  it('the CLI exits 2 at once for a netlist that is a lone "}", which filled the heap', () => {
    const file = path.join(tempDir('neurite-sim-brace-'), 'brace.cir');
    fs.writeFileSync(file, '}\n');
    const r = cli(['sim', file], { timeoutMs: 20000 });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /brace\.cir:1:1: "}" without an opening "{"/);
  });

  it('the CLI exits 2 for a bad netlist, printing file:line:col problems, and writes no CSV', () => {
    const dir = tempDir('neurite-sim-bad-');
    const file = path.join(dir, 'bad.cir');
    fs.writeFileSync(file, `R1 1 0 1\nX1 NOPE 1\n${T}`);
    const out = path.join(dir, 'out.csv');
    const r = cli(['sim', file, '-o', out]);
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /bad\.cir:2:4: X1: unknown subcircuit/);
    assert.ok(!fs.existsSync(out));
    assert.strictEqual(cli(['sim', path.join(dir, 'missing.cir')]).code, 2);
  });
});
