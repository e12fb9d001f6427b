/**
 * Numbers and `.param` expressions. Numbers take SPICE engineering suffixes (a f p n u m k meg
 * g t, mil = 25.4 µ, and JoSIM's x = mega); letters after the suffix are units and are
 * ignored, so `2.8mV`, `0.07pF` and `5p` read as expected (and `1F` is one femto-unit, as in
 * every SPICE). An expression has + - * / ^ (or **), parentheses, named constants (PI,
 * PHI_ZERO, BOLTZMANN, EV, HBAR, C, MU0, EPS0, SIGMA) and functions (sqrt exp log ln log10 abs
 * sin cos tan atan sinh cosh tanh floor ceil round min max pow). Every node remembers its line
 * and column.
 */
import type { Problem, Token } from './lexer';

export const PHI0 = 2.067833848e-15; // magnetic flux quantum h/2e, Wb (exact in SI 2019)
export const KB = 1.380649e-23; // Boltzmann constant, J/K (exact)
export const GAMMA = PHI0 / (2 * Math.PI); // Φ0/2π, Wb per radian: v = γ·dφ/dt

const CONSTANTS: Record<string, number> = {
  PI: Math.PI,
  PHI_ZERO: PHI0,
  BOLTZMANN: KB,
  EV: 1.602176634e-19,
  HBAR: 1.054571817e-34,
  C: 299792458,
  MU0: 1.25663706212e-6,
  EPS0: 8.8541878128e-12,
  SIGMA: GAMMA,
};

const FUNCTIONS: Record<string, [number, (...a: number[]) => number]> = {
  SQRT: [1, Math.sqrt], EXP: [1, Math.exp], LOG: [1, Math.log], LN: [1, Math.log], LOG10: [1, Math.log10],
  ABS: [1, Math.abs], SIN: [1, Math.sin], COS: [1, Math.cos], TAN: [1, Math.tan], ATAN: [1, Math.atan],
  SINH: [1, Math.sinh], COSH: [1, Math.cosh], TANH: [1, Math.tanh], FLOOR: [1, Math.floor], CEIL: [1, Math.ceil],
  ROUND: [1, Math.round], MIN: [2, Math.min], MAX: [2, Math.max], POW: [2, Math.pow],
};

/**
 * Parsing and evaluating recurse once per level of nesting; a longer expression is refused, so
 * that no text (a line of 100,000 "(") can run either out of stack.
 */
export const MAX_TERMS = 1000;

const NUMBER_RE = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-zµμ]*)$/i;

/** A plain number with an optional engineering suffix, or undefined if `text` is not one. */
export function parseNumber(text: string): number | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * scale(m[2].toLowerCase());
}

function scale(suffix: string): number {
  if (suffix.startsWith('meg')) return 1e6;
  if (suffix.startsWith('mil')) return 25.4e-6;
  switch (suffix[0]) {
    case 'a': return 1e-18;
    case 'f': return 1e-15;
    case 'p': return 1e-12;
    case 'n': return 1e-9;
    case 'u': case 'µ': case 'μ': return 1e-6;
    case 'm': return 1e-3;
    case 'k': return 1e3;
    case 'x': return 1e6;
    case 'g': return 1e9;
    case 't': return 1e12;
    default: return 1; // no suffix, or a unit such as "ohm" or "V"
  }
}

export type Expr =
  | { op: 'num'; value: number; line: number; col: number }
  | { op: 'id'; name: string; line: number; col: number }
  | { op: 'call'; name: string; args: Expr[]; line: number; col: number }
  | { op: 'neg'; arg: Expr; line: number; col: number }
  | { op: '+' | '-' | '*' | '/' | '^'; a: Expr; b: Expr; line: number; col: number };

interface Lexeme {
  t: 'num' | 'id' | 'op' | '(' | ')' | ',';
  text: string;
  value?: number;
  line: number;
  col: number;
}

/** Thrown with a location; callers turn it into a Problem. */
export class ExprError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

function fail(line: number, col: number, message: string): never {
  throw new ExprError({ line, col, message });
}

/** Split tokens (words, punctuation, braced expressions) into expression lexemes. */
function sublex(tokens: Token[]): Lexeme[] {
  const out: Lexeme[] = [];
  for (const tok of tokens) {
    if (tok.kind === 'punct') {
      if (tok.text === '=') fail(tok.line, tok.col, 'unexpected "=" in an expression');
      out.push({ t: tok.text as '(' | ')' | ',', text: tok.text, line: tok.line, col: tok.col });
      continue;
    }
    const s = tok.text;
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      const col = tok.col + i;
      if (/\s/.test(c)) {
        i++;
      } else if (/[0-9.]/.test(c)) {
        const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[a-zA-Zµμ]*/.exec(s.slice(i));
        const value = m ? parseNumber(m[0]) : undefined;
        if (!m || value === undefined) fail(tok.line, col, `"${s.slice(i)}" is not a number`);
        out.push({ t: 'num', text: m[0], value, line: tok.line, col });
        i += m[0].length;
      } else if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i))!;
        out.push({ t: 'id', text: m[0].toUpperCase(), line: tok.line, col });
        i += m[0].length;
      } else if (c === '*' && s[i + 1] === '*') {
        out.push({ t: 'op', text: '^', line: tok.line, col });
        i += 2;
      } else if ('+-*/^'.includes(c)) {
        out.push({ t: 'op', text: c, line: tok.line, col });
        i++;
      } else if (c === '(' || c === ')' || c === ',') {
        out.push({ t: c, text: c, line: tok.line, col });
        i++;
      } else {
        fail(tok.line, col, `unexpected character "${c}" in an expression`);
      }
    }
  }
  return out;
}

/** Parse tokens as one expression; throws ExprError with the location of the first problem. */
export function parseExpr(tokens: Token[]): Expr {
  const lx = sublex(tokens);
  const first = tokens[0];
  if (lx.length === 0) fail(first?.line ?? 0, first?.col ?? 0, 'missing value');
  if (lx.length > MAX_TERMS) fail(lx[MAX_TERMS].line, lx[MAX_TERMS].col, `expression too long: more than ${MAX_TERMS} numbers, names and operators`);
  let i = 0;
  const peek = () => lx[i];
  const expect = (t: Lexeme['t'], what: string) => {
    const l = lx[i];
    if (!l || l.t !== t) {
      const at = l ?? lx[lx.length - 1];
      fail(at.line, l ? at.col : at.col + at.text.length, `expected ${what}${l ? `, found "${l.text}"` : ' at the end'}`);
    }
    i++;
    return l;
  };
  const sum = (): Expr => {
    let a = product();
    for (let l = peek(); l && l.t === 'op' && (l.text === '+' || l.text === '-'); l = peek()) {
      i++;
      a = { op: l.text as '+' | '-', a, b: product(), line: l.line, col: l.col };
    }
    return a;
  };
  const product = (): Expr => {
    let a = unary();
    for (let l = peek(); l && l.t === 'op' && (l.text === '*' || l.text === '/'); l = peek()) {
      i++;
      a = { op: l.text as '*' | '/', a, b: unary(), line: l.line, col: l.col };
    }
    return a;
  };
  const unary = (): Expr => {
    const l = peek();
    if (l && l.t === 'op' && (l.text === '-' || l.text === '+')) {
      i++;
      const arg = unary();
      return l.text === '-' ? { op: 'neg', arg, line: l.line, col: l.col } : arg;
    }
    return power();
  };
  const power = (): Expr => {
    const a = primary();
    const l = peek();
    if (l && l.t === 'op' && l.text === '^') {
      i++;
      return { op: '^', a, b: unary(), line: l.line, col: l.col };
    }
    return a;
  };
  const primary = (): Expr => {
    const l = peek();
    if (!l) {
      const last = lx[lx.length - 1];
      fail(last.line, last.col + last.text.length, 'expression ends too early');
    }
    i++;
    if (l.t === 'num') return { op: 'num', value: l.value!, line: l.line, col: l.col };
    if (l.t === '(') {
      const e = sum();
      expect(')', '")"');
      return e;
    }
    if (l.t === 'id') {
      if (peek()?.t !== '(') return { op: 'id', name: l.text, line: l.line, col: l.col };
      i++;
      const args: Expr[] = [sum()];
      while (peek()?.t === ',') {
        i++;
        args.push(sum());
      }
      expect(')', '")"');
      return { op: 'call', name: l.text, args, line: l.line, col: l.col };
    }
    fail(l.line, l.col, `unexpected "${l.text}"`);
  };
  const e = sum();
  if (i < lx.length) fail(lx[i].line, lx[i].col, `unexpected "${lx[i].text}" after the expression`);
  return e;
}

/** Levels of the expression tree (evaluation recurses this deep). */
export function exprDepth(e: Expr): number {
  switch (e.op) {
    case 'num':
    case 'id':
      return 1;
    case 'call':
      return 1 + Math.max(0, ...e.args.map(exprDepth));
    case 'neg':
      return 1 + exprDepth(e.arg);
    default:
      return 1 + Math.max(exprDepth(e.a), exprDepth(e.b));
  }
}

/**
 * Evaluate with `lookup` for names (parameters); built-in constants come last so a `.param`
 * may shadow them. Unknown names, wrong argument counts and non-finite results are located.
 */
export function evalExpr(e: Expr, lookup: (name: string, e: Expr) => number | undefined): number {
  const v = evalNode(e, lookup);
  if (!Number.isFinite(v)) fail(e.line, e.col, `expression evaluates to ${v}`);
  return v;
}

function evalNode(e: Expr, lookup: (name: string, e: Expr) => number | undefined): number {
  switch (e.op) {
    case 'num':
      return e.value;
    case 'id': {
      const v = lookup(e.name, e) ?? CONSTANTS[e.name];
      if (v === undefined) fail(e.line, e.col, `undefined parameter "${e.name}"`);
      return v;
    }
    case 'call': {
      const f = FUNCTIONS[e.name];
      if (!f) fail(e.line, e.col, `unknown function "${e.name}"`);
      if (f[0] !== e.args.length) fail(e.line, e.col, `${e.name} takes ${f[0]} argument${f[0] > 1 ? 's' : ''}, got ${e.args.length}`);
      return f[1](...e.args.map((a) => evalNode(a, lookup)));
    }
    case 'neg':
      return -evalNode(e.arg, lookup);
    case '+':
      return evalNode(e.a, lookup) + evalNode(e.b, lookup);
    case '-':
      return evalNode(e.a, lookup) - evalNode(e.b, lookup);
    case '*':
      return evalNode(e.a, lookup) * evalNode(e.b, lookup);
    case '/': {
      const d = evalNode(e.b, lookup);
      if (d === 0) fail(e.line, e.col, 'division by zero');
      return evalNode(e.a, lookup) / d;
    }
    case '^':
      return Math.pow(evalNode(e.a, lookup), evalNode(e.b, lookup));
  }
}
