/**
 * `neurite attribute <run>`: the top units of each layer of a dense run's model, as tables.
 * With no method and no data or option flags it prints the run's stored records
 * (artifacts/attribution/); otherwise it asks for one method (default conductance), reading a
 * stored record that answers the same request, computing it otherwise (`--store` keeps it).
 */
import * as path from 'path';
import { InputError } from '../core/errors';
import { attributionGetParams, type AttributionRecord } from '../protocol/attribution';
import { attributeRun, storedRecords } from '../runs/attribution';
import { findRun, runsRoot } from '../runs/store';
import { EXIT_OK, parse, printJson, type Command } from './io';
import { ProgressDisplay } from './progress';

const usage =
  'attribute <run> [--layer L] [--method M] [--neuron N] [--split S] [--count N | --indices I,J…] [--target label|predicted|C] [--steps N] [--top N] [--store] [--recompute] [--out DIR] [--json]';

export const attributeCommand: Command = {
  usage,
  summary: "print the top units per layer of a dense run's model (activation, gradient × activation, integrated gradients, conductance, ablation)",
  async run(argv) {
    const { values: v, positionals } = parse(
      argv,
      {
        layer: { type: 'string' },
        method: { type: 'string' },
        neuron: { type: 'string' },
        split: { type: 'string' },
        count: { type: 'string' },
        indices: { type: 'string' },
        target: { type: 'string' },
        steps: { type: 'string' },
        top: { type: 'string' },
        store: { type: 'boolean' },
        recompute: { type: 'boolean' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    if (positionals.length !== 1) throw new InputError([`expected one run`, `usage: neurite ${usage}`]);
    const top = v.top === undefined ? 10 : whole('--top', v.top);
    const root = v.out ? path.resolve(v.out) : runsRoot(process.cwd());
    const dir = findRun(positionals[0], root);
    const asks = v.method ?? v.neuron ?? v.split ?? v.count ?? v.indices ?? v.target ?? v.steps ?? v.recompute ?? v.store;
    const stored = asks === undefined ? storedRecords(dir).filter((s) => !v.layer || s.record.layer === v.layer || s.record.neuron?.layer === v.layer) : [];
    if (stored.length) {
      if (v.json) printJson({ run: dir, results: stored.map((s) => ({ record: s.record, cached: true, file: s.file })) });
      else for (const s of stored) printRecord(s.record, 'stored', top);
      return EXIT_OK;
    }
    const raw = {
      run: dir,
      method: v.method ?? 'conductance',
      layer: v.layer,
      neuron: v.neuron === undefined ? undefined : whole('--neuron', v.neuron),
      data: {
        split: v.split ?? 'test',
        ...(v.indices !== undefined ? { indices: v.indices.split(',').map((s) => whole('--indices', s)) } : { count: v.count === undefined ? 1000 : whole('--count', v.count) }),
      },
      options: {
        ...(v.target !== undefined ? { target: /^\d+$/.test(v.target) ? Number(v.target) : v.target } : {}),
        ...(v.steps !== undefined ? { steps: whole('--steps', v.steps) } : {}),
      },
      store: Boolean(v.store),
      recompute: Boolean(v.recompute),
    };
    const parsed = attributionGetParams.safeParse(raw);
    if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`));
    const display = new ProgressDisplay(process.stderr, `attribute ${parsed.data.method}`);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const r = await attributeRun(parsed.data, { signal: abort.signal, progress: (f, m) => !v.json && display.update(f, m) });
      display.end();
      if (v.json) printJson(r);
      else for (const res of r.results) printRecord(res.record, res.cached ? 'stored' : `computed in ${res.record.seconds.toFixed(2)} s${res.file ? ', stored' : ''}`, top);
    } finally {
      process.off('SIGINT', onSigint);
    }
    return EXIT_OK;
  },
};

function whole(flag: string, s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new InputError([`${flag}: expected a whole number, got "${s}"`]);
  return n;
}

/** One record as a heading and a table of its top units. */
function printRecord(r: AttributionRecord, how: string, top: number): void {
  const what = r.neuron ? `${r.neuron.layer} neuron ${r.neuron.index} over ${r.layer}` : r.layer;
  const target = r.target === undefined ? '' : `, target ${r.target}`;
  const slice = r.request.data.indices ? `${r.request.data.split} items ${r.request.data.indices.join(',')}` : `${r.request.data.split}, ${r.items} items`;
  process.stdout.write(`\n${what} · ${r.request.method} (${r.definition}${target}) · ${slice} · ${r.unit} · ${how}\n`);
  const rows = r.rank.slice(0, top).map((u, i) => ({
    rank: String(i + 1),
    unit: r.shape.length === 2 ? `${u} (${Math.floor(u / r.shape[1])},${u % r.shape[1]})` : String(u),
    'mean |v|': fmt(r.values.meanAbs[u]),
    mean: fmt(r.values.mean[u]),
    ...(r.values.fractionActive ? { active: `${(100 * r.values.fractionActive[u]).toFixed(1)}%` } : {}),
    ...(r.topInputs ? { 'top inputs': r.topInputs.items[u].slice(0, 3).join(' ') } : {}),
  }));
  const cols = Object.keys(rows[0] ?? {});
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((row) => (row as Record<string, string>)[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(cols.map((c) => (row as Record<string, string>)[c]))}\n`);
  if (r.completeness) process.stdout.write(`completeness: Σ attributions − (F(x) − F(baseline)) is ${fmt(r.completeness.meanAbsDelta)} on average (max ${(100 * r.completeness.maxRelative).toFixed(2)}% of the difference)\n`);
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));
