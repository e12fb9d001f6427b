/**
 * The JoSIM-compatible netlist subset: numbers, expressions, subcircuits, models, sources,
 * .print forms and .tran — and JoSIM's own example netlists when the shared folder has them.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { sharedDir } from '../../../bench/_josim';
import { buildCircuit } from '../../../kernel/circuits/netlist/build';
import { parseNumber, PHI0 } from '../../../kernel/circuits/netlist/expr';
import { simulate } from '../../../kernel/circuits/simulate';
import { repoRoot } from '../helpers';

const MODEL = '.model jj1 jj(rtype=1, vg=2.8mV, cap=0.07pF, r0=160, rn=16, icrit=0.1mA)';
const TRAN = '.tran 0.25p 10p';
const close = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.abs(b);

describe('netlist parsing', () => {
  it('reads engineering suffixes and ignores the units after them', () => {
    const cases: [string, number][] = [
      ['5p', 5e-12], ['2.8mV', 2.8e-3], ['0.07pF', 0.07e-12], ['280u', 280e-6], ['1meg', 1e6], ['1MEG', 1e6],
      ['4K', 4000], ['1F', 1e-15], ['2x', 2e6], ['1e-12', 1e-12], ['-3.5n', -3.5e-9], ['.5u', 0.5e-6], ['5.23', 5.23], ['3Ohm', 3],
    ];
    for (const [text, want] of cases) assert.ok(close(parseNumber(text)!, want), `${text} → ${parseNumber(text)}, want ${want}`);
    assert.strictEqual(parseNumber('abc'), undefined);
    assert.strictEqual(parseNumber('1.2.3'), undefined);
  });

  it('evaluates .param expressions with precedence, functions, constants and forward references', () => {
    const c = buildCircuit(`.param a=2*b+1  c=(a-1)^2/b
.param b=3p*1e12
.param lphi={phi_zero/(2*pi*sqrt(4))}
R1 1 0 {a}
R2 1 0 c
L1 1 0 lphi
${TRAN}`);
    const v = (name: string) => c.elements.find((e) => e.name === name)!.value;
    assert.ok(close(v('R1'), 7));
    assert.ok(close(v('R2'), 12));
    assert.ok(close(v('L1'), PHI0 / (4 * Math.PI)));
  });

  it('expands nested subcircuits written in JSIM and SPICE order, naming elements and nodes inside-out', () => {
    const c = buildCircuit(`.subckt INNER a b
R1 a m 2
R2 m b 3
.ends INNER
.subckt OUTER p q
X1 INNER p n
X2 n q INNER
.ends
XA OUTER 1 0
RL 1 0 100
${TRAN}`);
    const names = c.elements.map((e) => e.name).sort();
    assert.deepStrictEqual(names, ['R1|X1|XA', 'R1|X2|XA', 'R2|X1|XA', 'R2|X2|XA', 'RL'].sort());
    assert.ok(c.nodes.includes('M|X1|XA') && c.nodes.includes('N|XA'), c.nodes.join(' '));
    // The ports connect: R1|X1|XA starts at main node 1.
    const r = c.elements.find((e) => e.name === 'R1|X1|XA')!;
    assert.strictEqual(c.nodes[r.n1], '1');
  });

  it('overrides a subcircuit parameter per instance', () => {
    const c = buildCircuit(`.subckt CELL a R=2
R1 a 0 {R*2}
.ends
X1 CELL 1
X2 CELL 2 R=5
${TRAN}`);
    assert.strictEqual(c.elements.find((e) => e.name === 'R1|X1')!.value, 4);
    assert.strictEqual(c.elements.find((e) => e.name === 'R1|X2')!.value, 10);
  });

  it('lets a model inside a subcircuit shadow a global model of the same name', () => {
    const c = buildCircuit(`.model m jj(icrit=0.1mA, cap=0.07p, r0=160, rn=16)
.subckt S a
.model m jj(icrit=0.3mA, cap=0.07p, r0=160, rn=16)
B1 a 0 m
.ends
B1 1 0 m area=2
X1 S 2
${TRAN}`);
    assert.ok(close(c.elements.find((e) => e.name === 'B1')!.jj!.ic, 0.2e-3));
    assert.ok(close(c.elements.find((e) => e.name === 'B1|X1')!.jj!.ic, 0.3e-3));
  });

  it('scales a junction by area, or by ic= (area = ic / icrit), including C, R0 and RN', () => {
    const c = buildCircuit(`${MODEL}
B1 1 0 jj1 area=2.16
B2 2 0 jj1 ic=250u
B3 3 0 99 jj1
${TRAN}`);
    const j = (n: string) => c.elements.find((e) => e.name === n)!.jj!;
    assert.ok(close(j('B1').ic, 216e-6) && close(j('B1').cap, 0.1512e-12) && close(j('B1').g0, 2.16 / 160) && close(j('B1').gn, 2.16 / 16));
    assert.ok(close(j('B2').ic, 250e-6));
    assert.ok(close(j('B3').ic, 100e-6), 'a third (WRspice phase) node is accepted and unused');
  });

  it('joins continuation lines and skips comment lines (* and #)', () => {
    const c = buildCircuit(`* a comment
# another
R1 1 0
+ 5 ; an inline comment
IB 0 1 pwl(0 0
+ 5p 1u)
${TRAN}`);
    assert.strictEqual(c.elements.find((e) => e.name === 'R1')!.value, 5);
    assert.deepStrictEqual(c.elements.find((e) => e.name === 'IB')!.wave, { kind: 'pwl', t: [0, 5e-12], v: [0, 1e-6] });
  });

  it('reads every .print form into JoSIM-style column labels', () => {
    const c = buildCircuit(`${MODEL}
.subckt S a
B1 a 0 jj1
.ends
X1 S 1
R1 1 2 1
R2 2 0 1
IB 0 1 dc 10u
.print devv R1
.print devi R1
.print phase B1.X1
.print nodev 1 0
.print nodep 1 2
.print v(1) v(1,2) p(B1|X1) i(IB) c(R2) p(2)
${TRAN}`);
    assert.deepStrictEqual(
      c.probes.map((p) => p.label),
      ['V(R1)', 'I(R1)', 'P(B1|X1)', 'V(1)', 'P(1,2)', 'V(1)', 'V(1,2)', 'P(B1|X1)', 'I(IB)', 'I(R2)', 'P(2)'],
    );
  });

  it('takes the .tran time step from the smaller of the step and the print step, as JoSIM does', () => {
    const a = buildCircuit(`R1 1 0 1\n.tran 0.25p 100p`);
    assert.deepStrictEqual([a.tran.h, a.tran.steps, a.tran.printEvery, a.tran.printStart], [0.25e-12, 400, 1, 0]);
    const b = buildCircuit(`R1 1 0 1\n.tran 0.25p 100p 50p 1p`);
    assert.deepStrictEqual([b.tran.steps, b.tran.printEvery, b.tran.printStart], [400, 4, 200]);
    const c = buildCircuit(`R1 1 0 1\n.tran 1p 100p 0 0.5p`);
    assert.strictEqual(c.tran.h, 0.5e-12);
  });

  it('evaluates pulse, sin, exp and dc sources with JoSIM defaults', () => {
    const c = buildCircuit(`R1 1 0 1
I1 0 1 pulse(0 1m 10p)
I2 0 1 sin(0 1m)
I3 0 1 exp(0 1m)
I4 0 1 2m
${TRAN}`);
    const w = (n: string) => c.elements.find((e) => e.name === n)!.wave;
    assert.deepStrictEqual(w('I1'), { kind: 'pulse', a1: 0, a2: 1e-3, td: 10e-12, tr: 0.25e-12, tf: 0.25e-12, pw: 10e-12, per: Infinity });
    assert.strictEqual((w('I2') as { freq: number }).freq, 1e11);
    assert.deepStrictEqual(w('I4'), { kind: 'dc', value: 2e-3 });
  });
});

describe('JoSIM example netlists (optional fixtures from ../shared)', () => {
  const dir = path.join(sharedDir() ?? path.join(repoRoot, '..', 'shared'), 'reference', 'josim-netlists');
  const has = fs.existsSync(dir);
  const it_ = has ? it : it.skip;
  if (!has) it(`are skipped: ${dir} is not present (they live in the shared reference folder, not in this repository)`, () => {});

  it_('ex_jtl_basic.cir: two Φ0 voltage pulses each move both junctions by 2π', () => {
    const r = simulate(fs.readFileSync(path.join(dir, 'ex_jtl_basic.cir'), 'utf8'), { source: 'ex_jtl_basic.cir' });
    assert.deepStrictEqual(r.sim.recorder.labels, ['V(VIN)', 'I(ROUT)', 'P(B01)', 'P(B02)']);
    assert.match(r.circuit.warnings.join('\n'), /\.iv is not supported/);
    for (const label of ['P(B01)', 'P(B02)']) {
      const p = r.get(label);
      const at = (ps: number) => p[Math.round(ps / 0.25)];
      assert.ok(Math.abs(at(450) - at(250) - 2 * Math.PI) < 1e-3, `${label}: first pulse ${at(450) - at(250)}`);
      assert.ok(Math.abs(at(900) - at(450) - 2 * Math.PI) < 1e-3, `${label}: second pulse ${at(900) - at(450)}`);
    }
  });

  it_('ex_dcsfq_jtl_sink.cir: the DC-to-SFQ converter makes four pulses in 1 ns', () => {
    const r = simulate(fs.readFileSync(path.join(dir, 'ex_dcsfq_jtl_sink.cir'), 'utf8'));
    const p = r.get('P(3)');
    assert.strictEqual(Math.round((p[p.length - 1] - p[0]) / (2 * Math.PI)), 4);
  });

  it_('ex_jtl_string.cir: parses into 2,006 junctions (JSIM-order X lines, three levels of nesting)', () => {
    const c = buildCircuit(fs.readFileSync(path.join(dir, 'ex_jtl_string.cir'), 'utf8'));
    assert.strictEqual(c.elements.filter((e) => e.type === 'B').length, 2006);
    assert.deepStrictEqual(c.probes.map((p) => p.label), ['V(1)', 'V(2)', 'V(3)']);
  });
});
