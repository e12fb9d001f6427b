/**
 * Netlist text → Circuit, or an InputError listing every problem as `file:line:col: message`.
 * Order: parse cards, evaluate .tran, expand subcircuits, evaluate .temp/.neb, resolve
 * .print probes, check topology.
 */
import { InputError } from '../../core/errors';
import type { Circuit, Probe, TranSettings } from '../circuit';
import { recordingProblem } from '../probes';
import { checkTopology } from '../topology';
import { ExprError } from './expr';
import { Env, flatten, type Flat } from './flatten';
import { formatProblem, type Problem, type Token } from './lexer';
import { parseNetlist } from './parse';
import type { NetlistDef, PrintDef } from './types';

/** Without .print lines every node phase is printed (as JoSIM does), up to this many. */
const MAX_DEFAULT_PROBES = 1000;

export function buildCircuit(text: string, source = 'netlist'): Circuit {
  const { def, problems } = parseNetlist(text);
  const warnings = [...def.warnings];
  const globals = new Env(def.main.params);
  const num = (tok: Token | undefined, fallback: number): number => {
    if (!tok) return fallback;
    try {
      return globals.value(tok);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      problems.push(e.problem);
      return NaN;
    }
  };
  const tran = tranSettings(def, num, problems, warnings);
  for (const name of def.main.params.keys()) {
    try {
      globals.lookup(name); // surface errors in parameters nothing uses
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      problems.push(e.problem);
    }
  }
  const flat = flatten(def, globals, { tstep: tran.h, tstop: tran.tstop }, problems);
  const temp = num(def.temp, 0);
  if (def.temp && temp < 0) problems.push({ ...def.temp, message: `.temp must not be negative, got ${temp}` });
  const neb = def.neb ? num(def.neb, NaN) : undefined;
  if (def.neb && !(neb! > 0)) problems.push({ ...def.neb, message: `.neb must be > 0, got ${neb}` });
  const probes = resolvePrints(def.prints, flat, problems, warnings);
  const tooMany = recordingProblem(tran, probes.length);
  if (tooMany) problems.push({ ...(def.tran?.at ?? { line: 1, col: 1 }), message: tooMany });
  // Elements with bad values were dropped, so their nodes could look floating: check the
  // topology only once every element is valid.
  if (problems.length === 0) checkTopology(flat.nodes, flat.nodeAt, flat.elements, problems, warnings);
  if (problems.length) {
    // A parameter's problem is met where it is defined and again where it is used: list it once.
    const lines = [...new Set(problems.sort((a, b) => a.line - b.line || a.col - b.col).map((p) => formatProblem(source, p)))];
    throw new InputError(lines.slice(0, 50).concat(lines.length > 50 ? [`… and ${lines.length - 50} more`] : []));
  }
  return { nodes: flat.nodes, nodeAt: flat.nodeAt, elements: flat.elements, couplings: flat.couplings, tran, temp, neb, probes, warnings };
}

function tranSettings(def: NetlistDef, num: (t: Token | undefined, f: number) => number, problems: Problem[], warnings: string[]): TranSettings {
  const fallback: TranSettings = { h: 0.25e-12, steps: 4000, tstop: 1e-9, printStart: 0, printEvery: 1 };
  if (!def.tran) {
    problems.push({ line: 1, col: 1, message: 'no .tran line: add one, e.g. ".tran 0.25p 1000p"' });
    return fallback;
  }
  const t = def.tran;
  const tstep = num(t.tstep, NaN);
  const tstop = num(t.tstop, NaN);
  const pstart = num(t.pstart, 0);
  const pstep = num(t.pstep, tstep);
  const bad = (tok: Token | undefined, message: string) => {
    problems.push({ ...(tok ?? t.at), message });
    return fallback;
  };
  if (!(tstep > 0)) return bad(t.tstep, `.tran time step must be > 0, got ${tstep}`);
  if (!(tstop > 0)) return bad(t.tstop, `.tran stop time must be > 0, got ${tstop}`);
  if (!(pstep > 0)) return bad(t.pstep, `.tran print step must be > 0, got ${pstep}`);
  if (!(pstart >= 0 && pstart < tstop)) return bad(t.pstart, `.tran print start must be in [0, stop time), got ${pstart}`);
  const h = Math.min(tstep, pstep); // as in JoSIM, a finer print step refines the time step
  const steps = Math.round(tstop / h);
  if (steps < 2) return bad(t.tstop, `.tran stop time ${tstop} is less than two time steps`);
  if (steps > 50_000_000) return bad(t.tstep, `.tran asks for ${steps} time steps; at most 50,000,000`);
  const printEvery = Math.max(1, Math.round(pstep / h));
  if (Math.abs(printEvery * h - pstep) > 1e-6 * pstep) warnings.push(`line ${t.at.line}: the print step ${pstep} is not a multiple of the time step ${h}; printing every ${printEvery * h}`);
  return { h, steps, tstop, printStart: Math.max(0, Math.ceil(pstart / h - 1e-9)), printEvery };
}

function resolvePrints(prints: PrintDef[], flat: Flat, problems: Problem[], warnings: string[]): Probe[] {
  const nodeIdx = new Map(flat.nodes.map((n, i) => [n, i]));
  nodeIdx.set('GND', 0);
  const norm = (t: Token) => t.text.toUpperCase().replace(/\./g, '|');
  const probes: Probe[] = [];
  for (const p of prints) {
    const names = p.names.map(norm);
    if (p.target !== 'node') {
      const dev = flat.byName.get(names[0]);
      if (dev !== undefined) {
        const kind = p.what === 'V' ? 'devV' : p.what === 'I' ? 'devI' : 'devP';
        probes.push({ label: `${p.what}(${names[0]})`, kind, a: dev, b: 0 });
        continue;
      }
      if (p.target === 'device') {
        problems.push({ ...p.names[0], message: `undefined device "${p.names[0].text}"${p.what === 'I' ? '' : ' (for a node use nodev/nodep or v()/p())'}` });
        continue;
      }
    }
    const ids = names.map((n, i) => {
      const id = nodeIdx.get(n);
      if (id === undefined) problems.push({ ...p.names[i], message: `undefined ${p.target === 'either' ? 'node or device' : 'node'} "${p.names[i].text}"` });
      return id;
    });
    if (ids.some((i) => i === undefined)) continue;
    probes.push({ label: `${p.what}(${names.join(',')})`, kind: p.what === 'V' ? 'nodeV' : 'nodeP', a: ids[0]!, b: ids[1] ?? 0 });
  }
  if (prints.length === 0) {
    const n = Math.min(flat.nodes.length - 1, MAX_DEFAULT_PROBES);
    if (flat.nodes.length - 1 > n) warnings.push(`no .print lines: printing the phases of the first ${n} of ${flat.nodes.length - 1} nodes`);
    for (let i = 1; i <= n; i++) probes.push({ label: `P(${flat.nodes[i]})`, kind: 'nodeP', a: i, b: 0 });
  }
  return probes;
}
