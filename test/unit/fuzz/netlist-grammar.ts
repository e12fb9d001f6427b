/**
 * Random netlists that mostly parse: cards built from the JoSIM subset's grammar (elements,
 * sources, models, parameters, subcircuits that call each other, controls), with values that
 * range from ordinary to extreme (0, negative, 1e308, NaN, division by zero, huge noise rates).
 * These reach what random text cannot: parameter cycles, subcircuit fan-out and recursion,
 * waveform arguments and the first solver steps.
 */
import fc from 'fast-check';

const node = fc.constantFrom('0', 'GND', '1', '2', '3', 'a', 'b', 'in', 'out', 'p1');
const name = fc.constantFrom('1', '2', '3', '4', 'A', 'X');
const param = fc.constantFrom('P1', 'P2', 'P3', 'P4');
const sub = fc.constantFrom('S1', 'S2', 'S3', 'S4');

const ordinary = fc.constantFrom('1', '2p', '0.1m', '100u', '11.3', '0.07pF', '2.8mV', '5meg', '1x', '.5', '1e3');
const number = fc.oneof(
  { weight: 6, arbitrary: ordinary },
  { weight: 2, arbitrary: fc.constantFrom('0', '-1', '-0', '-1p', '1f', '1e-20', '1e308', '1e-308', '1e999', '1e-320', 'nan', 'inf', '1e', '1..2', '+', '') },
  { weight: 1, arbitrary: fc.double().map(String) },
);
const expr = fc.oneof(
  number,
  param.map((p) => `{${p}}`),
  fc.tuple(param, number).map(([p, n]) => `{${p}*${n}}`),
  fc.constantFrom('{1/0}', '{sqrt(-1)}', '{log(0)}', '{pow(10,400)}', '{min(1)}', '{nope(1)}', '{((1)}', '{1+}', "'2*PI'", '{PHI_ZERO/2}', '{-(-(-1))}'),
);
/** The cards of the grammar, with values drawn from `value`. */
function grammar(value: fc.Arbitrary<string>) {
  const values = (min: number, max: number) => fc.array(value, { minLength: min, maxLength: max }).map((v) => v.join(' '));
  const source = fc.oneof(
    values(0, 10).map((v) => `pwl(${v})`),
    values(0, 8).map((v) => `pulse(${v})`),
    values(0, 6).map((v) => `sin(${v})`),
    values(0, 7).map((v) => `exp(${v})`),
    values(0, 4).map((v) => `noise(${v})`),
    value.map((v) => `dc ${v}`),
    value,
  );
  const plain = fc.oneof(
    fc.tuple(fc.constantFrom('R', 'L', 'C'), name, node, node, value).map(([t, n, a, b, v]) => `${t}${n} ${a} ${b} ${v}`),
    fc.tuple(name, node, node, fc.option(value)).map(([n, a, b, area]) => `B${n} ${a} ${b} JJ${area === null ? '' : ` area=${area}`}`),
    fc.tuple(fc.constantFrom('I', 'V'), name, node, node, source).map(([t, n, a, b, s]) => `${t}${n} ${a} ${b} ${s}`),
  );
  const element = fc.oneof(
    plain,
    fc.tuple(name, name, name, value).map(([n, a, b, k]) => `K${n} L${a} L${b} ${k}`),
    fc.tuple(name, sub, fc.array(node, { maxLength: 3 }), fc.option(fc.tuple(param, value))).map(([n, s, ns, o]) => `X${n} ${s} ${ns.join(' ')}${o ? ` ${o[0]}=${o[1]}` : ''}`),
  );
  const control = fc.oneof(
    fc.array(fc.tuple(modelKey, value), { maxLength: 5 }).map((kv) => `.model JJ jj(${kv.map(([k, v]) => `${k}=${v}`).join(', ')})`),
    fc.array(fc.tuple(param, value), { minLength: 1, maxLength: 3 }).map((kv) => `.param ${kv.map(([k, v]) => `${k}=${v}`).join(' ')}`),
    fc
      .tuple(fc.constantFrom('.print', '.plot'), printKind, fc.array(fc.oneof(node, name.map((n) => `R${n}`)), { maxLength: 2 }))
      .map(([c, k, t]) => `${c} ${k} ${t.join(' ')}`),
    fc.tuple(fc.constantFrom('.temp', '.neb'), value).map(([c, v]) => `${c} ${v}`),
    values(0, 5).map((v) => `.tran ${v}`),
  );
  const card = fc.oneof({ weight: 6, arbitrary: element }, { weight: 1, arbitrary: control });
  const subckt = fc
    .tuple(sub, fc.array(node, { maxLength: 3 }), fc.array(card, { maxLength: 8 }))
    .map(([s, ports, body]) => [`.subckt ${s} ${ports.join(' ')}`, ...body, '.ends'].join('\n'));
  const sourceOn1 = fc.tuple(fc.constantFrom('I', 'V'), name, source).map(([t, n, s]) => `${t}${n} 0 1 ${s}`);
  return { plain, card, subckt, sourceOn1 };
}

const printKind = fc.constantFrom('v', 'p', 'i', 'phase', 'nodev', 'nodep', 'devi', 'devv');
const modelKey = fc.constantFrom('icrit', 'cap', 'rn', 'r0', 'vg', 'rtype', 'delv', 'icfct', 'bogus');
const start = [
  '.model JJ jj(rtype=1, vg=2.8mV, cap=0.07pF, r0=160, rn=16, icrit=0.1mA)',
  '.param P1=1 P2=2p P3=0.5',
  'R9 1 0 5',
  '.tran 0.25p 10p',
].join('\n');

const wild = grammar(fc.oneof({ weight: 4, arbitrary: number }, { weight: 1, arbitrary: expr }));
/** Mostly ordinary values, one card in a few with an extreme one: most of these circuits build and reach the solver. */
const tame = grammar(fc.oneof({ weight: 12, arbitrary: ordinary }, { weight: 1, arbitrary: number }, { weight: 1, arbitrary: expr }));

/**
 * A netlist: an ordinary start (a model, parameters, a load, a short .tran), then random cards
 * and subcircuits; or mostly ordinary elements; or sources with any arguments on a loaded node.
 */
export const grammarNetlist: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.oneof({ weight: 4, arbitrary: wild.card }, { weight: 1, arbitrary: wild.subckt }), { maxLength: 12 }).map((cards) => [start, ...cards].join('\n')),
  fc.array(tame.plain, { maxLength: 8 }).map((cards) => [start, ...cards].join('\n')),
  fc.array(wild.sourceOn1, { minLength: 1, maxLength: 3 }).map((cards) => [start, ...cards].join('\n')),
);
