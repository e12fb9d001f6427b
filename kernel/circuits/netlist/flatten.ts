/**
 * Subcircuit expansion and value evaluation. Each X instance gets its own parameter scope
 * (instance overrides → the subcircuit's .param → the enclosing scopes), its internal nodes
 * are renamed `node|X…` and its elements `name|X…` (JoSIM's inside-out naming). Recursive
 * subcircuits, unknown subcircuits and models, and illegal values are located problems. The
 * expansion is sized before it is made (expansionPlan), so a fan-out of 10^20 instances is a
 * problem found from a few cards, not a hang.
 */
import type { FlatCoupling, FlatElement } from '../circuit';
import { junctionInstance, junctionModel, type JunctionModel } from '../junction';
import { makeWaveform } from '../waveforms';
import { evalExpr, exprDepth, ExprError, parseExpr, type Expr } from './expr';
import type { Problem, Token } from './lexer';
import { GROUND, type ElementDef, type Loc, type ModelDef, type NetlistDef, type ParamDef, type Scope } from './types';

/** Elements plus subcircuit instances, counted before expanding. */
const MAX_SIZE = 2_000_000;
const MAX_DEPTH = 64;

const parsed = new WeakMap<Token | ParamDef, Expr>();
function exprOf(key: Token | ParamDef, tokens: Token[]): Expr {
  let e = parsed.get(key);
  if (!e) parsed.set(key, (e = parseExpr(tokens)));
  return e;
}

/**
 * Evaluation recurses once per level of each expression, and again for each parameter that
 * names another: the levels are summed along such a chain (shared by an instance's scope and
 * the scopes around it) and a deeper chain is a located problem, not a stack overflow.
 */
const MAX_NESTING = 1000;

/** Parameters of one scope instance, evaluated lazily with cycle detection. */
export class Env {
  private readonly cache = new Map<string, number>();
  private readonly busy = new Set<string>();
  /** A parameter that failed fails again at once: a long chain is not walked once per link. */
  private readonly failed = new Map<string, ExprError>();
  private readonly nesting: { depth: number };
  constructor(private readonly defs: Map<string, ParamDef>, private readonly parent?: Env, private readonly fixed = new Map<string, number>()) {
    this.nesting = parent ? parent.nesting : { depth: 0 };
  }

  lookup(name: string): number | undefined {
    const f = this.fixed.get(name) ?? this.cache.get(name);
    if (f !== undefined) return f;
    const def = this.defs.get(name);
    if (!def) return this.parent?.lookup(name);
    const failed = this.failed.get(name);
    if (failed) throw failed;
    if (this.busy.has(name)) throw new ExprError({ ...def.at, message: `parameter ${name} depends on itself` });
    this.busy.add(name);
    let depth = 0;
    try {
      const expr = exprOf(def, def.value);
      if (this.nesting.depth + exprDepth(expr) > MAX_NESTING) {
        throw new ExprError({ ...def.at, message: `parameter ${name}: parameters that use parameters nest more than ${MAX_NESTING} levels deep` });
      }
      depth = exprDepth(expr);
      this.nesting.depth += depth;
      const v = evalExpr(expr, (n) => this.lookup(n));
      this.cache.set(name, v);
      return v;
    } catch (e) {
      if (e instanceof ExprError) this.failed.set(name, e);
      throw e;
    } finally {
      this.busy.delete(name);
      this.nesting.depth -= depth;
    }
  }

  value(tok: Token): number {
    return evalExpr(exprOf(tok, [tok]), (n) => this.lookup(n));
  }
}

export interface Flat {
  nodes: string[];
  nodeAt: (Loc & { via: string })[];
  elements: FlatElement[];
  couplings: FlatCoupling[];
  /** Flat element index by full name. */
  byName: Map<string, number>;
}

export function flatten(def: NetlistDef, globals: Env, time: { tstep: number; tstop: number }, problems: Problem[]): Flat {
  const flat: Flat = { nodes: ['0'], nodeAt: [{ line: 0, col: 0, via: '' }], elements: [], couplings: [], byName: new Map() };
  const nodeIndex = new Map<string, number>([['0', 0]]);
  const seen = new Set<string>();
  const fail = (at: Loc, message: string, via = '') => {
    const key = `${at.line}:${at.col}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ line: at.line, col: at.col, message: via ? `${message} (in ${via})` : message });
  };

  const node = (tok: Token, ports: Map<string, number>, suffix: string, via: string): number => {
    const n = tok.text.toUpperCase();
    if (GROUND.has(n)) return 0;
    const p = ports.get(n);
    if (p !== undefined) return p;
    if (n.includes('|') || n.includes('.')) fail(tok, `node name "${tok.text}" may not contain "|" or "." (they separate subcircuit names)`, via);
    const full = n + suffix;
    let i = nodeIndex.get(full);
    if (i === undefined) {
      nodeIndex.set(full, (i = flat.nodes.length));
      flat.nodes.push(full);
      flat.nodeAt.push({ line: tok.line, col: tok.col, via });
    }
    return i;
  };

  const expand = (scope: Scope, env: Env, suffix: string, via: string, ports: Map<string, number>, valueOverrides: Map<string, number>) => {
    const local = new Map<string, number>(); // element name in this instance → flat index
    const kcards: Extract<ElementDef, { type: 'K' }>[] = [];
    const num = (tok: Token): number | undefined => {
      try {
        return env.value(tok);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        fail(e.problem, e.problem.message, via);
        return undefined;
      }
    };
    for (const el of scope.elements) {
      if (el.type === 'K') {
        kcards.push(el);
        continue;
      }
      if (el.type === 'X') {
        if (!skip.has(el)) instance(el, env, suffix, via, ports, num);
        continue;
      }
      const base = { name: el.name + suffix, at: el.at, via, n1: node(el.nodes[0], ports, suffix, via), n2: node(el.nodes[1], ports, suffix, via) };
      let out: FlatElement | undefined;
      if (el.type === 'R' || el.type === 'L' || el.type === 'C') {
        const value = valueOverrides.get(el.name) ?? num(el.value);
        if (value === undefined) continue;
        if (!(value > 0)) {
          fail(el.value, `${el.name}: ${{ R: 'resistance', L: 'inductance', C: 'capacitance' }[el.type]} must be > 0, got ${value}`, via);
          continue;
        }
        out = { type: el.type, ...base, value, ...noiseOpts(el.opts, num, el.name, fail, via) };
      } else if (el.type === 'B') {
        const model = findModel(el.model, scope, def);
        if (!model) {
          fail(el.model, `${el.name}: undefined model "${el.model.text}"`, via);
          continue;
        }
        const m = evalModel(model, num, fail, via);
        if (!m) continue;
        let area = el.opts.has('AREA') ? num(el.opts.get('AREA')!) : 1;
        if (el.opts.has('IC')) {
          const ic = num(el.opts.get('IC')!);
          area = ic === undefined ? undefined : ic / m.icrit;
        }
        if (area === undefined) continue;
        if (!(area > 0)) {
          fail(el.opts.get('AREA') ?? el.opts.get('IC') ?? el.model, `${el.name}: junction area must be > 0, got ${area}`, via);
          continue;
        }
        out = { type: 'B', ...base, value: area, jj: junctionInstance(m, area), ...noiseOpts(el.opts, num, el.name, fail, via) };
      } else {
        const src = el as Extract<ElementDef, { type: 'I' | 'V' }>; // TS cannot narrow a union-typed discriminant
        const args = src.source.args.map(num);
        if (args.some((a) => a === undefined)) continue;
        const w = makeWaveform(src.source.type, args as number[], time.tstep, time.tstop);
        if ('error' in w) {
          fail(w.arg !== undefined && src.source.args[w.arg] ? src.source.args[w.arg] : src.source.at, `${el.name}: ${w.error}`, via);
          continue;
        }
        out = { type: src.type, ...base, value: 0, wave: w };
      }
      local.set(el.name, flat.elements.length);
      flat.byName.set(out.name, flat.elements.length);
      flat.elements.push(out);
    }
    for (const k of kcards) {
      const ids = k.inductors.map((t) => {
        const i = local.get(t.text.toUpperCase());
        if (i === undefined || flat.elements[i].type !== 'L') fail(t, `${k.name}: "${t.text}" is not an inductor${scope.name === '(main)' ? '' : ` of .subckt ${scope.name}`}`, via);
        return i;
      });
      const kv = num(k.value);
      if (ids[0] === undefined || ids[1] === undefined || kv === undefined) continue;
      if (ids[0] === ids[1]) fail(k.inductors[1], `${k.name}: an inductor cannot be coupled to itself`, via);
      else if (!(Math.abs(kv) < 1)) fail(k.value, `${k.name}: the coupling factor must be between -1 and 1 (exclusive), got ${kv}`, via);
      else flat.couplings.push({ name: k.name + suffix, at: k.at, a: ids[0], b: ids[1], k: kv });
    }
  };

  const instance = (el: Extract<ElementDef, { type: 'X' }>, env: Env, suffix: string, via: string, ports: Map<string, number>, num: (t: Token) => number | undefined) => {
    const target = subcircuitOf(el, def);
    if (!target) {
      const w = el.words;
      fail(w[0], `${el.name}: unknown subcircuit: neither "${w[0].text}" nor "${w[w.length - 1].text}" is a .subckt`, via);
      return;
    }
    const { name: subName, sub, nodeToks } = target;
    if (nodeToks.length !== sub.ports.length) {
      fail(el.at, `${el.name}: .subckt ${subName} has ${sub.ports.length} port${sub.ports.length === 1 ? '' : 's'} (line ${sub.at.line}), got ${nodeToks.length} node${nodeToks.length === 1 ? '' : 's'}`, via);
      return;
    }
    const childPorts = new Map<string, number>();
    sub.ports.forEach((p, i) => childPorts.set(p.text.toUpperCase(), node(nodeToks[i], ports, suffix, via)));
    const fixed = new Map<string, number>();
    const valueOverrides = new Map<string, number>();
    for (const [key, tok] of el.overrides) {
      const v = num(tok);
      if (v === undefined) continue;
      if (sub.params.has(key)) fixed.set(key, v);
      else if (['R', 'L', 'C'].includes(sub.byName.get(key)?.type ?? '')) valueOverrides.set(key, v);
      else fail(tok, `${el.name}: ${key} is neither a parameter nor an R, L or C of .subckt ${subName}`, via);
    }
    expand(sub, new Env(sub.params, env, fixed), `|${el.name}${suffix}`, childVia(el, via), childPorts, valueOverrides);
  };

  const { size, skip, tooDeep } = expansionPlan(def, fail);
  if (tooDeep) return flat;
  if (size > MAX_SIZE) {
    const count = size < 1e15 ? size.toLocaleString('en-US') : size.toExponential(1);
    fail(def.main.at, `the circuit expands to ${count} elements and subcircuit instances; at most ${MAX_SIZE.toLocaleString('en-US')}`);
    return flat;
  }
  expand(def.main, globals, '', '', new Map(), new Map());
  return flat;
}

type Instance = Extract<ElementDef, { type: 'X' }>;
type Fail = (at: Loc, message: string, via?: string) => void;

/** The .subckt an X card names (first word, else last) and the nodes it connects. */
function subcircuitOf(el: Instance, def: NetlistDef): { name: string; sub: Scope; nodeToks: Token[] } | undefined {
  const w = el.words;
  const first = w[0].text.toUpperCase();
  const last = w[w.length - 1].text.toUpperCase();
  const name = def.subckts.has(first) ? first : def.subckts.has(last) ? last : undefined;
  if (!name) return undefined;
  return { name, sub: def.subckts.get(name)!, nodeToks: name === first ? w.slice(1) : w.slice(0, -1) };
}

/** How an instance is named in messages about what it contains. */
function childVia(el: Instance, via: string): string {
  return via ? `${el.name} (line ${el.at.line}) → ${via}` : `${el.name} (line ${el.at.line})`;
}

/**
 * The size and depth of the expansion, before expanding. Each .subckt reached from the main
 * circuit is visited once, depth first, and its size (elements plus instances, its instances'
 * included) and height are kept, so ten levels of ten instances each is known to be 10^10 from
 * twenty cards instead of being expanded until memory runs out. An instance that closes a loop
 * (A → B → A) is reported and skipped (the expansion skips it too, so it expands a finite tree
 * of at most this size); one that would nest deeper than MAX_DEPTH is reported and nothing is
 * expanded.
 */
function expansionPlan(def: NetlistDef, fail: Fail): { size: number; skip: Set<Instance>; tooDeep: boolean } {
  const known = new Map<Scope, { size: number; height: number }>();
  const open = new Set<Scope>();
  const skip = new Set<Instance>();
  let tooDeep = false;
  /** `stack`: the .subckt names of the instances that led here (their number is the depth). */
  const visit = (scope: Scope, stack: string[], via: string): { size: number; height: number } => {
    const seen = known.get(scope);
    if (seen) return seen;
    open.add(scope);
    let size = 0;
    let height = 0;
    for (const el of scope.elements) {
      size++;
      if (el.type !== 'X' || tooDeep) continue;
      const target = subcircuitOf(el, def);
      if (!target) continue;
      if (open.has(target.sub)) {
        fail(el.at, `${el.name}: recursive subcircuit ${[...stack, target.name].join(' → ')}`, via);
        skip.add(el);
        continue;
      }
      const child = stack.length >= MAX_DEPTH ? { size: 0, height: Infinity } : visit(target.sub, [...stack, target.name], childVia(el, via));
      if (!tooDeep && stack.length + 1 + child.height > MAX_DEPTH + 1) {
        fail(el.at, `${el.name}: subcircuits nested more than ${MAX_DEPTH} deep`, via);
        tooDeep = true;
      }
      size += child.size;
      height = Math.max(height, child.height);
    }
    open.delete(scope);
    const result = { size, height: height + 1 };
    known.set(scope, result);
    return result;
  };
  return { size: visit(def.main, [], '').size, skip, tooDeep };
}

function findModel(tok: Token, scope: Scope, def: NetlistDef): ModelDef | undefined {
  const name = tok.text.toUpperCase();
  return scope.models.get(name) ?? def.main.models.get(name);
}

function evalModel(model: ModelDef, num: (t: Token) => number | undefined, fail: (at: Loc, m: string, via?: string) => void, via: string): JunctionModel | undefined {
  const values = new Map<string, number>();
  let ok = true;
  for (const [key, tok] of model.params) {
    const v = num(tok);
    if (v === undefined) ok = false;
    else values.set(key, v);
  }
  const m = junctionModel(values, (key, message) => {
    ok = false;
    fail(model.keys.get(key) ?? model.params.get(key) ?? model.at, `.model ${model.name}: ${message}`, via);
  });
  return ok ? m : undefined;
}

function noiseOpts(opts: Map<string, Token>, num: (t: Token) => number | undefined, name: string, fail: (at: Loc, m: string, via?: string) => void, via: string): { temp?: number; neb?: number } {
  const out: { temp?: number; neb?: number } = {};
  const t = opts.get('TEMP');
  if (t) {
    const v = num(t);
    if (v !== undefined && v < 0) fail(t, `${name}: temp must not be negative, got ${v}`, via);
    else if (v !== undefined) out.temp = v;
  }
  const b = opts.get('NEB');
  if (b) {
    const v = num(b);
    if (v !== undefined && !(v > 0)) fail(b, `${name}: neb must be > 0, got ${v}`, via);
    else if (v !== undefined) out.neb = v;
  }
  return out;
}
