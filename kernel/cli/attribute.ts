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
import { EXIT_OK, parse, positionalError, printJson, synopsis, type Command } from './io';
import { ProgressDisplay } from './progress';

const attributeSyn = synopsis({
  name: 'attribute',
  args: '<run>',
  summary: "Print the top units per layer of a dense run's model (activation, gradient × activation, integrated gradients, conductance, ablation). With no method, data or option flag: the run's stored records.",
  flags: {
    layer: { type: 'string', value: 'L', help: 'one layer (input, hidden0, hidden1, …; default: every layer the method covers)' },
    method: { type: 'string', value: 'M', help: 'activation, gradxact, ig, conductance or ablation (default: the stored records, else conductance)' },
    neuron: { type: 'string', value: 'N', help: "one unit of --layer: its input-space map" },
    split: { type: 'string', value: 'S', help: 'test, validation or train (default: test)' },
    count: { type: 'string', value: 'N', help: 'the first N items of the split (default: 1000)' },
    indices: { type: 'string', value: 'I,J…', help: 'these items of the split instead of --count' },
    target: { type: 'string', value: 'label|predicted|C', help: 'the output attributed (default: label)' },
    steps: { type: 'string', value: 'N', help: 'path points of integrated gradients and conductance (default: 64)' },
    top: { type: 'string', value: 'N', help: 'units printed per layer (default: 10)' },
    store: { type: 'boolean', help: "keep the result among the run's artifacts/attribution/" },
    recompute: { type: 'boolean', help: 'compute even when a stored record answers the request' },
    out: { type: 'string', value: 'DIR', help: 'folder of run folders (default: .neurite/runs in the current folder)' },
    json: { type: 'boolean', help: 'print the results as one JSON object' },
  },
});

export const attributeCommand: Command = {
  synopses: [attributeSyn],
  async run(argv) {
    const { values: v, positionals } = parse(argv, attributeSyn);
    if (positionals.length !== 1) throw positionalError(attributeSyn, 'expected one run');
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
