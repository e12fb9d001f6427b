/**
 * Cards → netlist definitions (JoSIM-compatible subset): elements R L C B K I V X, and the
 * controls .subckt/.ends, .model, .param, .tran, .print/.plot/.save, .temp, .neb, .end.
 * Parsing goes on after a bad card so that one run lists every problem, each with its line
 * and column. Values stay as tokens; flatten.ts evaluates them per subcircuit instance.
 */
import { lex, type Card, type Problem, type Token } from './lexer';
import { parsePrint } from './print';
import type { ElementDef, ModelDef, NetlistDef, Scope, SourceDef } from './types';

const SOURCE_TYPES = new Set(['PWL', 'PULSE', 'SIN', 'EXP', 'NOISE']);
const ELEMENT_OPTS: Record<string, string[]> = { R: ['TEMP', 'NEB'], L: [], C: [], B: ['AREA', 'IC', 'TEMP', 'NEB'] };
const UNSUPPORTED: Record<string, string> = {
  T: 'transmission lines (T) are not supported',
  P: 'phase sources (P) are not supported',
  E: 'controlled sources (E) are not supported',
  F: 'controlled sources (F) are not supported',
  G: 'controlled sources (G) are not supported',
  H: 'controlled sources (H) are not supported',
};
const IGNORED_CONTROLS = new Set(['.IV', '.FILE', '.SPREAD', '.OPTIONS', '.OPTION']);

export function parseNetlist(text: string): { def: NetlistDef; problems: Problem[] } {
  const { cards, problems } = lex(text);
  const main = newScope('(main)', { line: 1, col: 1 }, []);
  const def: NetlistDef = { main, subckts: new Map(), prints: [], warnings: [] };
  let scope = main;
  let open: Card | undefined;
  const fail = (t: Token | { line: number; col: number }, message: string) => problems.push({ line: t.line, col: t.col, message });

  for (const card of cards) {
    const head = card.tokens[0];
    const word = head.text.toUpperCase();
    if (head.kind !== 'word') {
      fail(head, `a line must start with an element name or a control, found "${head.text}"`);
      continue;
    }
    if (word === '.END') break;
    if (word === '.SUBCKT') {
      if (open) {
        fail(head, `.subckt inside .subckt ${scope.name} (line ${open.line}): nested definitions are not supported; close it with .ends first`);
        continue;
      }
      const [nameTok, ...rest] = card.tokens.slice(1);
      if (!nameTok || nameTok.kind !== 'word') {
        fail(head, '.subckt needs a name');
        continue;
      }
      const name = nameTok.text.toUpperCase();
      const { words, pairs } = splitPairs(rest, fail);
      if (def.subckts.has(name)) fail(nameTok, `subcircuit ${name} is defined twice (first at line ${def.subckts.get(name)!.at.line})`);
      scope = newScope(name, nameTok, words);
      for (const [key, value] of pairs) scope.params.set(key, { name: key, at: value, value: [value] });
      def.subckts.set(name, scope);
      open = card;
      continue;
    }
    if (word === '.ENDS') {
      if (!open) fail(head, '.ends without a matching .subckt');
      else {
        const n = card.tokens[1];
        if (n && n.text.toUpperCase() !== scope.name) fail(n, `.ends ${n.text.toUpperCase()} closes .subckt ${scope.name} (line ${open.line})`);
      }
      open = undefined;
      scope = main;
      continue;
    }
    if (word.startsWith('.')) control(card, word, scope, def, fail);
    else element(card, scope, fail);
  }
  if (open) fail(open.tokens[0], `.subckt ${scope.name} is not terminated: no .ends before the end of the netlist`);
  return { def, problems };
}

function newScope(name: string, at: { line: number; col: number }, ports: Token[]): Scope {
  return { name, at: { line: at.line, col: at.col }, ports, elements: [], byName: new Map(), params: new Map(), models: new Map() };
}

type Fail = (t: Token | { line: number; col: number }, message: string) => void;

/** Split `a b key=value c` into positional words and key=value pairs (keys upper-case). */
export function splitPairs(tokens: Token[], fail: Fail): { words: Token[]; pairs: Map<string, Token>; keys: Map<string, Token> } {
  const words: Token[] = [];
  const pairs = new Map<string, Token>();
  const keys = new Map<string, Token>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === ',' && t.kind === 'punct') continue;
    if (tokens[i + 1]?.text === '=' && tokens[i + 1].kind === 'punct') {
      const v = tokens[i + 2];
      if (!v || v.kind === 'punct') fail(tokens[i + 1], `${t.text}= needs a value`);
      else {
        const key = t.text.toUpperCase();
        if (pairs.has(key)) fail(t, `${key} is given twice`);
        pairs.set(key, v);
        keys.set(key, t);
      }
      i += 2;
      continue;
    }
    if (t.kind === 'punct') fail(t, `unexpected "${t.text}"`);
    else words.push(t);
  }
  return { words, pairs, keys };
}

function element(card: Card, scope: Scope, fail: Fail): void {
  const [head, ...rest] = card.tokens;
  const name = head.text.toUpperCase();
  const type = name[0];
  const at = { line: head.line, col: head.col };
  const first = scope.byName.get(name);
  if (first) {
    return fail(head, `element ${name} is defined twice${scope.name === '(main)' ? '' : ` in .subckt ${scope.name}`} (first at line ${first.at.line})`);
  }
  if (UNSUPPORTED[type]) return fail(head, `${name}: ${UNSUPPORTED[type]}`);
  const add = (el: ElementDef) => {
    scope.elements.push(el);
    scope.byName.set(name, el);
  };
  const need = (n: number, what: string) => {
    if (rest.length < n) fail(rest[rest.length - 1] ?? head, `${name}: expected ${what}`);
    return rest.length >= n;
  };
  switch (type) {
    case 'R':
    case 'L':
    case 'C': {
      const { words, pairs } = splitPairs(rest, fail);
      if (words.length < 3) return fail(words[words.length - 1] ?? head, `${name}: expected two nodes and a value ("${type}name n+ n- value")`);
      for (const w of words.slice(3)) fail(w, `${name}: unexpected "${w.text}" after the value`);
      checkOpts(name, pairs, ELEMENT_OPTS[type], fail, rest);
      add({ type, name, at, nodes: [words[0], words[1]], value: words[2], opts: pairs });
      return;
    }
    case 'B': {
      const { words, pairs } = splitPairs(rest, fail);
      if (words.length < 3) return fail(words[words.length - 1] ?? head, `${name}: expected two nodes and a model name ("Bname n+ n- model [area=…]")`);
      // n+ n- model [area]  |  n+ n- phase-node model (WRspice's third node, unused)
      let model = words[2];
      let extra = words.slice(3);
      if (words.length >= 4) {
        const areaLike = /^[+-]?[\d.]/.test(words[3].text);
        if (areaLike && !pairs.has('AREA')) pairs.set('AREA', words[3]);
        else model = words[3];
        extra = words.slice(4);
      }
      for (const w of extra) fail(w, `${name}: unexpected "${w.text}"`);
      checkOpts(name, pairs, ELEMENT_OPTS.B, fail, rest);
      add({ type: 'B', name, at, nodes: [words[0], words[1]], model, opts: pairs });
      return;
    }
    case 'K':
      if (!need(3, 'two inductor names and a coupling factor ("Kname L1 L2 k")')) return;
      for (const w of rest.slice(3)) fail(w, `${name}: unexpected "${w.text}"`);
      add({ type: 'K', name, at, inductors: [rest[0], rest[1]], value: rest[2] });
      return;
    case 'I':
    case 'V': {
      if (!need(3, 'two nodes and a source (pwl(…), pulse(…), sin(…), dc …, noise(…) or a value)')) return;
      const source = sourceDef(name, rest.slice(2), fail);
      if (source) add({ type, name, at, nodes: [rest[0], rest[1]], source });
      return;
    }
    case 'X': {
      const { words, pairs } = splitPairs(rest, fail);
      if (words.length < 1) return fail(head, `${name}: expected a subcircuit name and its nodes`);
      add({ type: 'X', name, at, words, overrides: pairs });
      return;
    }
    default:
      fail(head, `unknown element "${name}": names start with R, L, C, B (junction), K (coupling), I, V or X (subcircuit)`);
  }
}

function checkOpts(name: string, pairs: Map<string, Token>, allowed: string[], fail: Fail, tokens: Token[]): void {
  for (const key of pairs.keys()) {
    if (!allowed.includes(key)) {
      const at = tokens.find((t) => t.text.toUpperCase() === key) ?? tokens[0];
      fail(at, `${name}: unknown option ${key}=${allowed.length ? ` (known: ${allowed.join(', ').toLowerCase()})` : ''}`);
    }
  }
}

function sourceDef(name: string, toks: Token[], fail: Fail): SourceDef | undefined {
  let t = toks[0];
  let word = t.text.toUpperCase();
  if (word === 'DC' && toks.length > 2 && SOURCE_TYPES.has(toks[2].text.toUpperCase())) {
    toks = toks.slice(2); // "DC 0 PWL(…)": the transient waveform wins, as in SPICE
    t = toks[0];
    word = t.text.toUpperCase();
  }
  const at = { line: t.line, col: t.col };
  if (SOURCE_TYPES.has(word)) {
    if (toks[1]?.text !== '(') return void fail(toks[1] ?? t, `${name}: expected "(" after ${word.toLowerCase()}`);
    const close = toks.findIndex((x, i) => i > 1 && x.text === ')' && x.kind === 'punct');
    if (close < 0) return void fail(toks[toks.length - 1], `${name}: ${word.toLowerCase()}( has no closing ")"`);
    for (const x of toks.slice(close + 1)) fail(x, `${name}: unexpected "${x.text}" after the source`);
    const args = toks.slice(2, close).filter((x) => !(x.kind === 'punct' && x.text === ','));
    const bad = args.find((x) => x.kind === 'punct');
    if (bad) return void fail(bad, `${name}: unexpected "${bad.text}" in ${word.toLowerCase()}(…)`);
    return { type: word.toLowerCase() as SourceDef['type'], args, at };
  }
  if (word === 'CUS') return void fail(t, `${name}: custom waveforms (cus) are not supported`);
  const valueToks = word === 'DC' ? toks.slice(1) : toks;
  if (valueToks.length !== 1 || valueToks[0].kind === 'punct') {
    return void fail(valueToks[1] ?? t, `${name}: expected one value, or pwl(…), pulse(…), sin(…), exp(…), noise(…)`);
  }
  return { type: 'dc', args: valueToks, at };
}

function control(card: Card, word: string, scope: Scope, def: NetlistDef, fail: Fail): void {
  const [head, ...rest] = card.tokens;
  const inSub = scope.name !== '(main)';
  switch (word) {
    case '.PARAM': {
      for (let i = 0; i < rest.length;) {
        const key = rest[i];
        if (key.kind !== 'word' || rest[i + 1]?.text !== '=') return fail(key, '.param expects name=value');
        let j = i + 2;
        while (j < rest.length && !(rest[j + 1]?.text === '=' && rest[j + 1].kind === 'punct')) j++;
        const name = key.text.toUpperCase();
        if (j === i + 2) return fail(rest[i + 1], `.param ${name}= needs a value`);
        if (scope.params.has(name)) fail(key, `parameter ${name} is defined twice (first at line ${scope.params.get(name)!.at.line})`);
        scope.params.set(name, { name, at: key, value: rest.slice(i + 2, j) });
        i = j;
      }
      return;
    }
    case '.MODEL': {
      const [nameTok, typeTok, ...params] = rest;
      if (!nameTok || !typeTok) return fail(head, '.model expects a name and a type, e.g. ".model jj1 jj(icrit=0.1mA …)"');
      const name = nameTok.text.toUpperCase();
      if (typeTok.text.toUpperCase() !== 'JJ') return fail(typeTok, `.model ${name}: unknown model type "${typeTok.text}" (only jj is supported)`);
      const inner = params[0]?.text === '(' ? params.slice(1, params[params.length - 1]?.text === ')' ? -1 : undefined) : params;
      if (params[0]?.text === '(' && params[params.length - 1]?.text !== ')') fail(params[params.length - 1], `.model ${name}: jj( has no closing ")"`);
      const { words, pairs, keys } = splitPairs(inner, fail);
      for (const w of words) fail(w, `.model ${name}: expected key=value, found "${w.text}"`);
      if (scope.models.has(name)) fail(nameTok, `model ${name} is defined twice (first at line ${scope.models.get(name)!.at.line})`);
      const model: ModelDef = { name, at: nameTok, params: pairs, keys };
      scope.models.set(name, model);
      return;
    }
    case '.TRAN':
      if (inSub) return fail(head, '.tran must be outside .subckt');
      if (def.tran) return fail(head, `.tran is given twice (first at line ${def.tran.at.line})`);
      if (rest.length < 2) return fail(head, '.tran expects a time step and a stop time, e.g. ".tran 0.25p 1000p"');
      {
        const words = rest.filter((t) => t.text.toUpperCase() !== 'DST');
        for (const w of words.slice(4)) fail(w, `.tran: unexpected "${w.text}"`);
        def.tran = { at: head, tstep: words[0], tstop: words[1], pstart: words[2], pstep: words[3] };
      }
      return;
    case '.PRINT':
    case '.PLOT':
    case '.SAVE':
      if (inSub) return fail(head, `${word.toLowerCase()} must be outside .subckt`);
      def.prints.push(...parsePrint(head, rest, fail));
      return;
    case '.TEMP':
    case '.NEB': {
      if (inSub) {
        def.warnings.push(`line ${head.line}: ${word.toLowerCase()} inside .subckt ${scope.name} is ignored (it is global)`);
        return;
      }
      if (rest.length !== 1) return fail(rest[1] ?? head, `${word.toLowerCase()} expects one value`);
      if (word === '.TEMP') def.temp = rest[0];
      else def.neb = rest[0];
      return;
    }
    case '.INCLUDE':
    case '.INC':
      return fail(head, '.include is not supported: put the included cells in this file');
    case '.CONTROL':
    case '.ENDC':
      return fail(head, `${word.toLowerCase()} blocks are not supported`);
    default:
      if (IGNORED_CONTROLS.has(word)) {
        def.warnings.push(`line ${head.line}: ${word.toLowerCase()} is not supported by Neurite and is ignored`);
        return;
      }
      fail(head, `unknown control "${head.text}"`);
  }
}
