/**
 * Inline facts of SFQ netlist junctions: for each Josephson junction whose phase or voltage a
 * netlist `.print`s, the pulses a finished sfq.circuit run (`neurite sim` as a run) recorded —
 * how many, when the junction first switched, how wide they were — placed on the junction's
 * card line. Read from the run's traces/waveforms.csv; nothing is simulated again. The netlist
 * is only parsed, to map `.print` columns to their junction cards (a card inside a subcircuit
 * gets one fact per printed instance). Stale when the netlist's text no longer hashes to the
 * one the run simulated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mean } from '../core/stats';
import { resolveUserPath } from '../core/paths';
import type { Circuit } from '../circuits/circuit';
import { buildCircuit } from '../circuits/netlist/build';
import { GAMMA } from '../circuits/netlist/expr';
import { netlistHash } from '../experiments/sfq-circuit';
import { findPulses, phaseSlips, type Pulse } from '../circuits/pulses';
import type { InlineFact, SpecFactsResult } from '../protocol/inline';
import { listRuns, runInfo, runsRoot } from '../runs/store';
import { readNumericCsv, type NumericTable } from '../waveforms/csv';

/** `spec/facts` for a netlist file: its junctions from the newest completed sfq.circuit run of that file. */
export async function netlistFacts(p: { workspace: string; text: string; netlistPath: string }): Promise<SpecFactsResult> {
  const dir = newestRunOfNetlist(p.workspace, p.netlistPath);
  if (!dir) return { stale: false, facts: [] };
  const info = runInfo(dir);
  const run = { id: info.id, dir, status: info.status, createdAt: info.createdAt };
  const stale = staleness(dir, p.text);
  if (stale) return { run, stale: true, reason: stale, staleLine: 0, facts: [] };
  return { run, stale: false, facts: await junctionFacts(dir, p.text, path.basename(p.netlistPath)) };
}

/** Why the run did not simulate this text, or undefined when it did. */
export function staleness(dir: string, text: string): string | undefined {
  const recorded = (runInfo(dir).summary?.result as { netlistSha256?: unknown } | undefined)?.netlistSha256;
  if (typeof recorded !== 'string') return `run ${path.basename(dir)} recorded no fingerprint of its netlist; run it again`;
  return recorded === netlistHash(text) ? undefined : `the netlist changed since run ${path.basename(dir)}`;
}

/** The newest completed sfq.circuit run whose `netlist:` names this file. */
function newestRunOfNetlist(workspace: string, netlistPath: string): string | undefined {
  const want = path.resolve(netlistPath);
  for (const r of listRuns(runsRoot(workspace))) {
    if (r.status !== 'completed' || r.kind !== 'sfq.circuit') continue;
    try {
      const s = JSON.parse(fs.readFileSync(path.join(r.dir, 'spec.json'), 'utf8')) as { spec?: { netlist?: unknown }; baseDir?: string };
      if (typeof s.spec?.netlist === 'string' && resolveUserPath(s.spec.netlist, s.baseDir ?? r.dir) === want) return r.dir;
    } catch {
      /* an unreadable run is no run of this netlist */
    }
  }
  return undefined;
}

/**
 * One fact per printed junction, on its card's line (0-based), from the run's waveforms. A
 * netlist that no longer builds, or a run without readable waveforms, gives none.
 */
export async function junctionFacts(dir: string, text: string, source: string, line?: number): Promise<InlineFact[]> {
  let circuit: Circuit;
  let table: NumericTable;
  try {
    circuit = buildCircuit(text, source);
    table = await readNumericCsv(path.join(dir, 'traces', 'waveforms.csv'));
  } catch {
    return [];
  }
  const column = (label: string) => {
    const k = table.header.indexOf(label) - 1;
    return k >= 0 ? table.columns[k].subarray(0, table.rows) : undefined;
  };
  const t = table.time.subarray(0, table.rows);
  const byJunction = new Map<number, { phase?: Float32Array; phaseLabel?: string; voltage?: Float32Array; voltageLabel?: string }>();
  for (const probe of circuit.probes) {
    if ((probe.kind !== 'devP' && probe.kind !== 'devV') || circuit.elements[probe.a].type !== 'B') continue;
    const y = column(probe.label);
    if (!y) continue;
    const j = byJunction.get(probe.a) ?? {};
    if (probe.kind === 'devP') Object.assign(j, { phase: y, phaseLabel: probe.label });
    else Object.assign(j, { voltage: y, voltageLabel: probe.label });
    byJunction.set(probe.a, j);
  }
  return [...byJunction.entries()].map(([e, j]) => {
    const el = circuit.elements[e];
    // A pulse is a 2π phase slip where the phase is printed; widths need a voltage: printed, or Φ0/2π·dφ/dt.
    const v = j.voltage ?? derivative(t, j.phase!, GAMMA);
    const shapes = findPulses(t, v);
    const switches = j.phase ? phaseSlips(t, j.phase) : shapes.map((s) => s.time);
    const label = `${el.name}: ${switches.length} pulse${switches.length === 1 ? '' : 's'}${
      switches.length ? ` · first switch ${ps(switches[0])} ps` : ''
    }${shapes.length ? ` · mean width ${ps(mean(shapes.map((s) => s.width)))} ps` : ''}`;
    return { line: line ?? el.at.line - 1, label, subject: el.name, rows: rows(switches, shapes, j) };
  });
}

function rows(switches: number[], shapes: Pulse[], j: { phaseLabel?: string; voltageLabel?: string }): [string, string][] {
  const out: [string, string][] = [['pulses', `${switches.length}${j.phaseLabel ? ' (2π phase slips)' : ' (voltage peaks above half the highest)'}`]];
  if (switches.length) {
    const shown = switches.slice(0, 8).map(ps).join(', ');
    out.push(['switching times', `${shown}${switches.length > 8 ? `, … (${switches.length - 8} more)` : ''} ps`]);
  }
  if (shapes.length) {
    out.push(['mean width (FWHM)', `${ps(mean(shapes.map((s) => s.width)))} ps`]);
    out.push(['mean height', `${(mean(shapes.map((s) => s.height)) * 1e3).toPrecision(3)} mV`]);
    out.push(['mean flux', `${(mean(shapes.map((s) => s.area)) / (2 * Math.PI * GAMMA)).toFixed(3)} Φ0`]);
  }
  out.push(['from', [j.phaseLabel, j.voltageLabel ?? (j.phaseLabel ? `${j.phaseLabel} differentiated` : undefined)].filter(Boolean).join(', ')]);
  return out;
}

const ps = (s: number) => (s * 1e12).toFixed(1);

/** scale·dy/dt by central differences (one-sided at the ends); samples need not be evenly spaced. */
function derivative(t: ArrayLike<number>, y: ArrayLike<number>, scale: number): Float64Array {
  const n = Math.min(t.length, y.length);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1), b = Math.min(n - 1, i + 1);
    d[i] = b > a ? (scale * (y[b] - y[a])) / (t[b] - t[a]) : 0;
  }
  return d;
}
