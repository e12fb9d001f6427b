/**
 * `.print` requests, in both JoSIM forms:
 *   .print DEVV|DEVI|PHASE <device>     .print NODEV|NODEP <node> [<node>]
 *   .print v(a) v(a,b) i(dev) c(dev) p(x) …   (several per line; v/p of a device or a node)
 * Names inside subcircuits are written inside-out with `.` or `|`: `B01.X02` is B01 in X02.
 */
import type { Token } from './lexer';
import type { PrintDef } from './types';

type Fail = (t: Token | { line: number; col: number }, message: string) => void;

const KEYWORDS: Record<string, { what: PrintDef['what']; target: PrintDef['target']; max: number }> = {
  DEVV: { what: 'V', target: 'device', max: 1 },
  DEVI: { what: 'I', target: 'device', max: 1 },
  PHASE: { what: 'P', target: 'device', max: 1 },
  NODEV: { what: 'V', target: 'node', max: 2 },
  NODEP: { what: 'P', target: 'node', max: 2 },
};

const FUNCS: Record<string, PrintDef['what']> = { V: 'V', I: 'I', C: 'I', P: 'P' };

export function parsePrint(head: Token, tokens: Token[], fail: Fail): PrintDef[] {
  const out: PrintDef[] = [];
  if (tokens.length === 0) {
    fail(head, `${head.text.toLowerCase()} expects what to print, e.g. "devv B01", "nodev 3 0" or "v(3) p(B01)"`);
    return out;
  }
  const kw = KEYWORDS[tokens[0].text.toUpperCase()];
  if (kw && tokens[1]?.text !== '(') {
    const names = tokens.slice(1).filter((t) => t.kind === 'word');
    const stray = tokens.slice(1).find((t) => t.kind !== 'word');
    if (stray) fail(stray, `unexpected "${stray.text}"`);
    if (names.length === 0) fail(tokens[0], `${tokens[0].text.toUpperCase()} needs a ${kw.target === 'node' ? 'node' : 'device'} name`);
    else if (names.length > kw.max) fail(names[kw.max], `${tokens[0].text.toUpperCase()} takes ${kw.max === 1 ? 'one device' : 'one node, or two for a difference'}`);
    else out.push({ at: tokens[0], what: kw.what, target: kw.target, names: dropGround(names, kw.target) });
    return out;
  }
  for (let i = 0; i < tokens.length;) {
    const t = tokens[i];
    if (t.text.startsWith('@')) {
      fail(t, 'the @device[type] form is not supported; use devv/devi/phase or v()/i()/p()');
      return out;
    }
    const what = FUNCS[t.text.toUpperCase()];
    if (!what || tokens[i + 1]?.text !== '(') {
      fail(t, `expected v(…), i(…) or p(…), or one of devv, devi, phase, nodev, nodep; found "${t.text}"`);
      return out;
    }
    const close = tokens.findIndex((x, j) => j > i + 1 && x.kind === 'punct' && x.text === ')');
    if (close < 0) {
      fail(tokens[i + 1], `"(" has no closing ")"`);
      return out;
    }
    const names = tokens.slice(i + 2, close).filter((x) => !(x.kind === 'punct' && x.text === ','));
    const bad = names.find((x) => x.kind !== 'word');
    if (bad) fail(bad, `unexpected "${bad.text}"`);
    else if (names.length === 0 || names.length > 2) fail(t, `${t.text}(…) takes one name, or two for a difference`);
    else if (what === 'I' && names.length > 1) fail(names[1], 'i(…) takes one device');
    else out.push({ at: t, what, target: what === 'I' ? 'device' : names.length === 2 ? 'node' : 'either', names: dropGround(names, names.length === 2 ? 'node' : 'either') });
    i = close + 1;
  }
  return out;
}

/** `nodev 3 0` is the same as `nodev 3`: keep the ground in the label but not as a second node. */
function dropGround(names: Token[], target: PrintDef['target']): Token[] {
  if (target !== 'device' && names.length === 2 && /^(0|gnd)$/i.test(names[1].text)) return [names[0]];
  return names;
}
