/**
 * `spec/facts`: what a spec's finished run says about each of its layers or populations, placed
 * at the spec's lines. Read from the run folder (summary, traces, stored attribution records);
 * nothing is recomputed. When the spec in the editor no longer resolves to the run's spec (with
 * the run's own `--set` overrides applied), the answer is one stale note, not another model's numbers.
 * Netlists and sfq.circuit specs: junction pulses (./junctions.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveUserPath } from '../core/paths';
import { mean, variance } from '../core/stats';
import { resolveSpec } from '../experiments/registry';
import { applyOverrides, parseSpecText, type ParsedSpec } from '../experiments/spec';
import type { AttributionRecord } from '../protocol/attribution';
import type { InlineFact, SpecFactsParams, SpecFactsResult } from '../protocol/inline';
import { attributionOutput, fmt } from '../notebook/outputs';
import { storedRecords } from '../runs/attribution';
import { listRuns, runInfo, runsRoot } from '../runs/store';
import { junctionFacts, netlistFacts, staleness } from './junctions';

/** Fields that name or describe a run without changing what it computes. */
const IGNORED = new Set(['name', 'description', 'sweep']);

export async function specFacts(p: SpecFactsParams): Promise<SpecFactsResult> {
  if (p.netlistPath) return netlistFacts({ workspace: p.workspace, text: p.text, netlistPath: p.netlistPath });
  const dir = p.runDir ? path.resolve(p.workspace, p.runDir) : p.specPath ? newestRunOf(p.workspace, p.specPath) : undefined;
  if (!dir || !fs.existsSync(path.join(dir, 'spec.json'))) return { stale: false, facts: [] };
  const info = runInfo(dir);
  const run = { id: info.id, dir, status: info.status, createdAt: info.createdAt };
  if (info.status !== 'completed') return { run, stale: false, facts: [] };
  const stored = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')) as { spec: Record<string, unknown>; overrides?: string[] };
  let parsed: ParsedSpec;
  let current: Record<string, unknown>;
  try {
    parsed = parseSpecText(p.text, 'spec');
    current = resolveSpec(applyOverrides(parsed.value, stored.overrides ?? []), parsed).spec;
  } catch (e) {
    return { run, stale: true, reason: `the spec has problems (${(e as Error).message.split('\n')[0]}); run ${info.id} may describe another model`, staleLine: 0, facts: [] };
  }
  const diff = firstDifference(strip(stored.spec), strip(current));
  if (diff !== undefined) {
    return { run, stale: true, reason: `the spec changed since run ${info.id} (${diff || '(spec)'} differs)`, staleLine: lineOf(parsed, ['kind']), facts: [] };
  }
  const kind = String(current.kind);
  if (kind === 'sfq.circuit') return circuitFacts(dir, current, parsed, run, (stored as { baseDir?: string }).baseDir ?? dir);
  const facts = kind.startsWith('spiking.') ? populationFacts(dir, current, parsed) : layerFacts(dir, current, parsed);
  return { run, stale: false, facts };
}

/** The newest completed run made from this spec file. */
function newestRunOf(workspace: string, specPath: string): string | undefined {
  const want = path.resolve(specPath);
  for (const r of listRuns(runsRoot(workspace))) {
    if (r.status !== 'completed') continue;
    try {
      const s = JSON.parse(fs.readFileSync(path.join(r.dir, 'spec.json'), 'utf8')) as { specPath?: string };
      if (s.specPath && path.resolve(s.specPath) === want) return r.dir;
    } catch {
      /* an unreadable run is no run of this spec */
    }
  }
  return undefined;
}

function strip(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !IGNORED.has(k)));
}

/** The dotted path of the first value that differs (`model.hidden.0`), '' for the root, undefined when equal. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return at;
}

function lineOf(parsed: ParsedSpec, p: (string | number)[], atKey = false): number {
  const where = parsed.locate(p, atKey);
  const m = where && /line (\d+)/.exec(where);
  return m ? Number(m[1]) - 1 : 0;
}

/** Ranking methods, most telling first; `activation` gives the active count. */
const RANKING = ['conductance', 'gradxact', 'ablation', 'ig'];

/** Dense kinds: one fact per attributed layer, on its line (dense.mlp: each `model.hidden` entry; else the `attribution:` key). */
function layerFacts(dir: string, spec: Record<string, unknown>, parsed: ParsedSpec): InlineFact[] {
  let records: AttributionRecord[];
  try {
    records = storedRecords(dir).map((r) => r.record).filter((r) => !r.neuron);
  } catch {
    return [];
  }
  const layers = [...new Set(records.map((r) => r.layer))];
  const hidden = (spec.model as { hidden?: unknown[] } | undefined)?.hidden;
  return layers.map((layer) => {
    const mine = records.filter((r) => r.layer === layer);
    const activation = mine.find((r) => r.request.method === 'activation');
    const ranked = [...mine].sort((a, b) => rankOf(a) - rankOf(b))[0];
    const a = attributionOutput(ranked, path.basename(dir));
    const k = /^hidden(\d+)$/.exec(layer);
    const line = k && Array.isArray(hidden) && Number(k[1]) < hidden.length ? lineOf(parsed, ['model', 'hidden', Number(k[1])]) : lineOf(parsed, ['attribution'], true);
    const active = activation?.values.fractionActive ? `${activation.values.fractionActive.filter((f) => f > 0).length}/${activation.units} active · ` : '';
    const label = `${layer}: ${active}top ${a.top.slice(0, 3).map((u) => `n${u}`).join(' ')} (${a.method})`;
    const rows: [string, string][] = a.top.slice(0, 5).map((u) => [`n${u}`, `${fmt(a.mean[u])} ${a.unit}`]);
    const methods = mine.map((r) => r.request.method).join(', ');
    return { line, label, subject: layer, attribution: a, rows: [...rows, ['methods stored', methods], ['items', String(a.items)]] };
  });
}

function rankOf(r: AttributionRecord): number {
  const i = RANKING.indexOf(r.request.method);
  return i >= 0 ? i : r.request.method === 'activation' ? RANKING.length + 1 : RANKING.length;
}

/** Spiking kinds: rate (from the summary) and the ISI CV (from every spike, where recorded) per population. */
function populationFacts(dir: string, spec: Record<string, unknown>, parsed: ParsedSpec): InlineFact[] {
  const summary = runInfo(dir).summary;
  const pops = (spec.populations as { name: string; size?: number }[] | undefined) ?? [];
  return pops.flatMap((pop, i) => {
    const rate = summary?.metrics[`rate_${pop.name}`];
    if (rate === undefined) return [];
    const cv = isiCv(path.join(dir, 'traces', `${pop.name}.spikes.csv`));
    const spikes = summary?.metrics[`spikes_${pop.name}`];
    const label = `${pop.name}: ${fmt(rate)} Hz${cv ? ` · CV ${cv.cv.toFixed(2)}` : ''}`;
    const rows: [string, string][] = [['rate', `${fmt(rate)} Hz`], ...(spikes !== undefined ? [['spikes', String(spikes)] as [string, string]] : [])];
    if (cv) rows.push(['ISI CV', `${cv.cv.toFixed(3)} (mean over ${cv.neurons} neurons with ≥ 3 spikes)`]);
    return [{ line: lineOf(parsed, ['populations', i, 'name']), label, subject: pop.name, rows }];
  });
}

/** sfq.circuit: each printed junction's pulses on the `netlist:` (or `netlistText:`) line; stale when the netlist file changed since the run. */
async function circuitFacts(dir: string, spec: Record<string, unknown>, parsed: ParsedSpec, run: SpecFactsResult['run'], baseDir: string): Promise<SpecFactsResult> {
  const key = typeof spec.netlist === 'string' ? 'netlist' : 'netlistText';
  const line = lineOf(parsed, [key], true);
  let text: string;
  try {
    text = key === 'netlist' ? fs.readFileSync(resolveUserPath(spec.netlist as string, baseDir), 'utf8') : String(spec.netlistText);
  } catch {
    return { run, stale: true, reason: `the netlist ${String(spec.netlist)} cannot be read`, staleLine: line, facts: [] };
  }
  const stale = staleness(dir, text);
  if (stale) return { run, stale: true, reason: stale, staleLine: line, facts: [] };
  return { run, stale: false, facts: await junctionFacts(dir, text, key === 'netlist' ? String(spec.netlist) : 'netlistText', line) };
}

/** Coefficient of variation of inter-spike intervals, per neuron, averaged; from a `t_ms,neuron` CSV. */
export function isiCv(file: string): { cv: number; neurons: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const times = new Map<number, number[]>();
  for (const line of text.split('\n').slice(1)) {
    const [t, n] = line.split(',');
    if (n === undefined) continue;
    const id = Number(n);
    if (!times.has(id)) times.set(id, []);
    times.get(id)!.push(Number(t));
  }
  const cvs: number[] = [];
  for (const ts of times.values()) {
    if (ts.length < 3) continue;
    ts.sort((x, y) => x - y);
    const isi = ts.slice(1).map((t, j) => t - ts[j]);
    const m = mean(isi);
    if (m > 0) cvs.push(Math.sqrt(variance(isi)) / m);
  }
  return cvs.length ? { cv: mean(cvs), neurons: cvs.length } : undefined;
}
