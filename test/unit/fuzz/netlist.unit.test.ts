/**
 * Fuzzing the netlist pipeline (lexer, parser, expressions, subcircuit expansion, the checks of
 * build.ts and the first solver steps): whatever the text, it ends quickly with a circuit or an
 * InputError whose every problem is `file:line:col: message` pointing into the text, with no
 * raw control characters; the solver ends its steps or stops with a RunFailure.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, RunFailure } from '../../../kernel/core/errors';
import { Rng } from '../../../kernel/core/rng';
import { buildCircuit } from '../../../kernel/circuits/netlist/build';
import { lex } from '../../../kernel/circuits/netlist/lexer';
import { Transient } from '../../../kernel/circuits/transient';
import type { Waveform } from '../../../kernel/circuits/waveforms';
import { repoRoot, sourceTrace } from '../helpers';
import { found, fuzzSuite } from './harness';
import { mutatedText, randomFileText, randomText } from './inputs';
import { grammarNetlist } from './netlist-grammar';

const samplesDir = path.join(repoRoot, 'samples', 'circuits');
const samples = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.cir')).map((f) => fs.readFileSync(path.join(samplesDir, f), 'utf8'));
/** Solver steps run on each circuit that builds: enough to exercise sources, noise and Newton. */
const STEPS = 20;

/** Every problem names a line and column inside the text, and holds no raw control character. */
export function assertLocated(e: unknown, text: string, source = 'fuzz.cir'): void {
  if (!(e instanceof InputError)) throw e;
  const lines = text.split(/\r?\n|\r/);
  assert.ok(e.problems.length > 0, 'an InputError with no problem');
  for (const p of e.problems) {
    if (/^… and \d+ more$/.test(p)) continue;
    const m = new RegExp(`^${source.replace(/\./g, '\\.')}:(\\d+):(\\d+): \\S`).exec(p);
    assert.ok(m, `not located: ${JSON.stringify(p)}`);
    const [line, col] = [Number(m[1]), Number(m[2])];
    assert.ok(line >= 1 && line <= lines.length, `line ${line} is outside the text (${lines.length} lines): ${JSON.stringify(p)}`);
    assert.ok(col >= 1 && col <= lines[line - 1].length + 1, `column ${col} is outside line ${line} (${lines[line - 1].length} characters): ${JSON.stringify(p)}`);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(p), `a raw control character in ${JSON.stringify(p)}`);
  }
}

/** Build, then take a few solver steps; allowed endings: a result, a located InputError, a RunFailure. */
export function checkNetlist(text: string): void {
  let circuit;
  try {
    circuit = buildCircuit(text, 'fuzz.cir');
  } catch (e) {
    assertLocated(e, text);
    return;
  }
  try {
    const sim = new Transient(circuit, { rng: new Rng(1), record: false });
    sim.advance(STEPS);
  } catch (e) {
    if (!(e instanceof RunFailure)) throw e;
  }
}

/** The lexer alone: every token is the text found at its line and column. */
function checkLexer(text: string): void {
  const lines = text.split(/\r?\n|\r/);
  const { cards, problems } = lex(text);
  for (const card of cards) {
    for (const t of card.tokens) {
      const at = lines[t.line - 1].slice(t.col - 1, t.col - 1 + t.text.length);
      assert.strictEqual(at, t.text, `token at ${t.line}:${t.col}`);
      assert.ok(t.text.length > 0 || t.kind === 'expr', `an empty ${t.kind} token at ${t.line}:${t.col}`);
    }
  }
  for (const p of problems) assert.ok(p.line >= 1 && p.line <= lines.length && p.col >= 1 && p.col <= lines[p.line - 1].length + 1, `problem outside the text: ${JSON.stringify(p)}`);
}

/** The case must end in these located problems. */
const rejects = (expected: RegExp) => (text: string) => {
  let e: unknown;
  try {
    buildCircuit(text, 'fuzz.cir');
  } catch (err) {
    e = err;
  }
  assertLocated(e ?? new Error('the netlist was accepted'), text);
  assert.match((e as InputError).problems.join('\n'), expected);
};

/** The case must build and run its first solver steps. */
const runs = (text: string) => {
  const sim = new Transient(buildCircuit(text, 'fuzz.cir'), { rng: new Rng(1), record: false });
  sim.advance(STEPS);
};

const T = '.tran 0.25p 10p';
const randomBytes = (n: number) => {
  const rng = new Rng(4);
  return Buffer.from(Array.from({ length: n }, () => rng.int(256))).toString('utf8');
};
const fanOut = (levels: number, leaf: string) =>
  Array.from({ length: levels }, (_, l) => `.subckt S${l} a\n${Array.from({ length: 10 }, (_, k) => `X${k} S${l + 1} a`).join('\n')}\n.ends`).join('\n') +
  `\n.subckt S${levels} a\n${leaf}\n.ends\nX0 S0 1\nR1 1 0 1\n${T}`;
const chainDeepestFirst = (n: number) =>
  Array.from({ length: n }, (_, i) => `.subckt S${i} a\nX1 S${i + 1} a\n.ends`).join('\n') +
  `\n.subckt S${n} a\nR1 a 0 1\n.ends\n` +
  Array.from({ length: n }, (_, k) => `X${k + 1} S${n - k - 1} ${k + 1}\nR${k + 1} ${k + 1} 0 1`).join('\n') +
  `\n${T}`;
const allCallAll = (n: number) =>
  Array.from({ length: n }, (_, i) => `.subckt S${i} a\n${Array.from({ length: n }, (_, j) => (j === i ? '' : `X${j} S${j} a\n`)).join('')}R1 a 0 1\n.ends`).join('\n') +
  `\nX0 S0 1\nR1 1 0 1\n${T}`;

fuzzSuite(__filename, 'fuzz: netlists, inputs found and kept', {
  'a netlist that is a lone "}" is a located problem (it filled the heap)': found('}', rejects(/^fuzz\.cir:1:1: "}" without an opening "{"/m)),
  'a no-break space separates tokens like a space (it filled the heap)': found(`R1\u00a01 0 1\n${T}`, runs),
  '4 KiB of random bytes are located problems (they filled the heap)': found(randomBytes(4096), rejects(/^fuzz\.cir:1:1: /m)),
  'NUL and escape characters in a name are shown escaped': found(`Q\u0000\u001b[31m 1 0\n${T}`, rejects(/unknown element "Q\\u0000\\u001b\[31M"/)),
  'a noise source sampled far faster than the time step runs (it looped for ever)': found(`R9 1 0 5\n${T}\nIX 0 1 noise(1x 2p 1.8532753220188455e-170)`, runs),
  'a noise source that starts long before time 0 runs (it looped 10^12 times)': found(`R9 1 0 5\n${T}\nIX 0 1 noise(1u -1 1p)`, runs),
  'a noise sample time so small that t/ts overflows runs': found(`R9 1 0 5\n${T}\nIX 0 1 noise(1u 0 1e-320)`, runs),
  'noise sources whose (t − td)/ts overflows, or whose td is long before 0, draw a new sample every step': found(
    [{ kind: 'noise', amp: 1, td: 0, ts: 1e-320 }, { kind: 'noise', amp: 1, td: -1, ts: 1e-12 }] as Waveform[],
    (waves) => {
      for (const w of waves) {
        const v = sourceTrace(w, 10);
        assert.ok(v.every((x, i) => Number.isFinite(x) && (i === 0 || x !== v[i - 1])), `${JSON.stringify(w)}: ${v}`);
      }
    },
  ),
  'an expression 100,000 parentheses deep is a located problem (it overflowed the stack)': found(
    `.param a={${'('.repeat(1e5)}1${')'.repeat(1e5)}}\nR1 1 0 {a}\n${T}`,
    rejects(/^fuzz\.cir:1:1011: expression too long/m),
  ),
  'a sum of 100,000 terms is a located problem (it overflowed the stack)': found(`R1 1 0 {${Array(1e5).fill('1').join('+')}}\n${T}`, rejects(/^fuzz\.cir:1:\d+: expression too long/m)),
  'a chain of 20,000 parameters is a located problem (it overflowed the stack)': found(
    `${Array.from({ length: 2e4 }, (_, i) => `.param a${i}={a${i + 1}}`).join('\n')}\n.param a20000=1\nR1 1 0 {a0}\n${T}`,
    rejects(/^fuzz\.cir:1001:8: parameter A1000: parameters that use parameters nest more than 1000 levels deep/m),
  ),
  'twenty levels of ten empty instances each are counted, not expanded (it ran for ever)': found(
    fanOut(20, ''),
    rejects(/^fuzz\.cir:1:1: the circuit expands to 1\.1e\+20 elements and subcircuit instances/m),
  ),
  'seven levels of ten instances of a resistor are counted, not expanded (it took 27 s and 800 MB)': found(fanOut(7, 'R1 a 0 1'), rejects(/the circuit expands to 21,111,112 elements/)),
  'a chain of 5,000 subcircuits named deepest first is too deep': found(chainDeepestFirst(5000), rejects(/X1: subcircuits nested more than 64 deep/)),
  'twenty subcircuits that each call all the others are recursive': found(allCallAll(20), rejects(/^fuzz\.cir:\d+:1: X\d+: recursive subcircuit S0 → /m)),
  '20,000 resistors build in linear time (the duplicate check was quadratic)': found(
    `${Array.from({ length: 2e4 }, (_, i) => `R${i + 1} ${i + 1} 0 1`).join('\n')}\n${T}`,
    (t) => buildCircuit(t, 'fuzz.cir'),
  ),
  'a .tran that would record 80 million values is a located problem': found(
    `R1 1 0 1\n.print nodev 1\n.print nodev 1\n.tran 1f 40n`,
    rejects(/^fuzz\.cir:4:1: the \.print requests ask for 40000001 rows × 2 columns/m),
  ),
});

fuzzSuite(__filename, 'fuzz: netlists', {
  'the lexer puts every token where its text is, on random text': { runs: 3000, input: () => randomText(400), check: checkLexer },
  'random text ends in a circuit or located problems': { runs: 2000, input: () => randomText(400), check: checkNetlist },
  'random bytes (4 KiB) end in located problems': { runs: 300, input: () => randomFileText(4096), check: checkNetlist },
  'damaged sample netlists end in a circuit or located problems': { runs: 1000, input: () => mutatedText(samples), check: checkNetlist },
  'netlists from the grammar, extreme values included, end in a circuit, located problems or a RunFailure': { runs: 2000, input: () => grammarNetlist, check: checkNetlist },
});
