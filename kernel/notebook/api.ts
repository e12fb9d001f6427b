/**
 * The `neurite` object code cells see (docs/notebook-api.md documents it for users): list and
 * load runs, run a spec or a sweep, read metrics and stored attributions, compute attributions,
 * simulate a circuit netlist, and show rich outputs. Every call acts for the cell that is running
 * (its workspace, its outputs, its interrupt).
 */
import * as fs from 'fs';
import { cancellationPoint } from '../core/engine-context';
import { InputError } from '../core/errors';
import { resolveUserPath } from '../core/paths';
import { Rng } from '../core/rng';
import { buildCircuit } from '../circuits/netlist/build';
import { Transient } from '../circuits/transient';
import { attributionGetParams, type AttributionGetParams, type AttributionRecord } from '../protocol/attribution';
import { NeuriteMime, type TableOutput } from '../protocol/notebook';
import type { MetricRecord, RasterTrace, RunInfo, RunSummary, Trace, XYTrace } from '../protocol/types';
import { attributeRun, storedRecords } from '../runs/attribution';
import { findRun, listRuns, readRunDetails, runsRoot } from '../runs/store';
import { attributionOutput, attributionText, chartText, display, runDisplay, tableFromObjects, tableText, thinTrace } from './outputs';
import { parseSpecText } from '../experiments/spec';
import { runSpec, runSweepCell, type CellEnv, type SpecRunOptions } from './spec-cell';

/** A run folder, read once: what a cell usually wants of a run. */
export class NotebookRun {
  readonly id: string;
  readonly kind: string;
  readonly status: RunInfo['status'];
  readonly spec: unknown;
  readonly summary: RunSummary | undefined;
  readonly records: MetricRecord[];
  readonly traces: Record<string, Trace>;

  constructor(readonly dir: string) {
    const d = readRunDetails(dir);
    this.id = d.info.id;
    this.kind = d.info.kind ?? 'unknown';
    this.status = d.info.status;
    this.spec = (d.spec as { spec?: unknown }).spec;
    this.summary = d.info.summary;
    this.records = d.metrics;
    this.traces = d.traces as Record<string, Trace>;
  }

  /** The summary's flat metrics. */
  get metrics(): Record<string, number> {
    return this.summary?.metrics ?? {};
  }

  /** One metric over the run: its steps and values (records of `series` only, when given). */
  metric(name: string, series?: string): { step: number[]; value: number[] } {
    const out = { step: [] as number[], value: [] as number[] };
    for (const r of this.records) {
      if (series !== undefined && r.series !== series) continue;
      const v = r.values[name];
      if (typeof v === 'number') {
        out.step.push(r.step);
        out.value.push(v);
      }
    }
    return out;
  }

  /** The stored attribution records (artifacts/attribution/), as written by the run or `attribute(…, { store: true })`. */
  attributions(): AttributionRecord[] {
    return storedRecords(this.dir).map((r) => r.record);
  }
}

/** A circuit transient's `.print` columns. */
export class SimResult {
  constructor(readonly time: number[], readonly columns: Record<string, number[]>, readonly title: string) {}

  /** The columns (all, or those named) against time in ps, as a chart. */
  waveform(labels: string[] = Object.keys(this.columns)): XYTrace {
    const x = this.time.map((t) => t * 1e12);
    return { type: 'xy', title: this.title, xLabel: 'time (ps)', series: labels.map((l) => ({ name: l, x, y: this.columns[l] ?? [] })) };
  }
}

export interface ChartInput {
  title?: string;
  x: number[];
  /** One named series per key. */
  y: Record<string, number[]>;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
}

export function createApi(env: () => CellEnv) {
  const ws = () => env().workspace;
  const runDir = (run: string | NotebookRun) => (run instanceof NotebookRun ? run.dir : findRun(run, runsRoot(ws())));
  /** A spec argument: a spec object, YAML text, or the path of a spec file. */
  const specArg = (spec: unknown): unknown => {
    if (typeof spec !== 'string' || spec.includes('\n') || !/\.(ya?ml|json)$/.test(spec)) return spec;
    const file = resolveUserPath(spec, env().baseDir);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError([`cannot read spec file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
  };

  const show = (value: unknown, caption?: string): void => {
    const e = env();
    if (value instanceof NotebookRun) return e.emit(runDisplay(value.dir));
    if (value instanceof SimResult) return show(value.waveform(), caption);
    if (isTrace(value)) {
      const t = thinTrace(caption ? { ...value, title: caption } : value);
      return e.emit(display(t.type === 'xy' && /\(ps\)|\(ns\)/.test(t.xLabel ?? '') ? NeuriteMime.waveform : NeuriteMime.chart, t, chartText(t)));
    }
    if (isRecord(value)) {
      const a = attributionOutput(value, value.model.run);
      return e.emit(display(NeuriteMime.attribution, a, attributionText(a)));
    }
    const table = asTable(value, caption);
    if (table) return e.emit(display(NeuriteMime.table, table, tableText(table)));
    throw new InputError([`show: expected a run, a chart ({ type: 'xy' | 'raster', … }), a table (rows of objects, or { columns, rows }), an attribution record or a sim result`]);
  };

  return {
    /** Runs of the workspace, newest first. */
    runs: (): RunInfo[] => listRuns(runsRoot(ws())),
    /** The last run a cell of this notebook made (a spec cell above, or `run()`). */
    lastRun: (): NotebookRun | undefined => {
      const dir = env().lastRun?.();
      return dir ? new NotebookRun(dir) : undefined;
    },
    /** A run by id (or unique prefix/suffix) or folder. */
    load: (ref: string): NotebookRun => new NotebookRun(runDir(ref)),
    /** Run a spec (object, YAML text or spec file path) to the end, with progress in the cell. */
    run: async (spec: unknown, opts: SpecRunOptions = {}): Promise<NotebookRun> => {
      const { dir } = await runSpec(specArg(spec), env(), opts);
      return new NotebookRun(dir);
    },
    /** Run a spec with a `sweep` block; resolves with its aggregate table (also shown). */
    sweep: (spec: unknown, opts: { set?: string[] } = {}): Promise<TableOutput> => {
      const s = specArg(spec);
      return runSweepCell(typeof s === 'string' ? parseSpecText(s).value : s, env(), opts.set);
    },
    /** Attributions of a run's model: read from a stored record that answers the request, else computed (and stored with `store: true`). */
    attribute: async (run: string | NotebookRun, request: Omit<AttributionGetParams, 'run' | 'workspace'>): Promise<AttributionRecord[]> => {
      const p = attributionGetParams.parse({ ...request, run: runDir(run), workspace: ws() });
      const out = await attributeRun(p, { signal: env().signal, progress: (f, m) => env().progress(f, m) });
      return out.results.map((r) => r.record);
    },
    /** A transient simulation of a netlist (text or file path) to its end; yields every 2,000 steps so an interrupt stops it. */
    sim: async (netlist: string, opts: { seed?: number } = {}): Promise<SimResult> => {
      const isFile = !netlist.includes('\n') && /\.(cir|js|inp)$/i.test(netlist);
      const file = isFile ? resolveUserPath(netlist, env().baseDir) : 'netlist';
      const circuit = buildCircuit(isFile ? fs.readFileSync(file, 'utf8') : netlist, file);
      const sim = new Transient(circuit, { rng: new Rng(opts.seed ?? 1) });
      const cancel = cancellationPoint(env().signal);
      while (!sim.done) {
        sim.advance(2000);
        env().progress(sim.time / (circuit.tran.steps * circuit.tran.h), `t = ${(sim.time * 1e12).toFixed(0)} ps`);
        await cancel();
      }
      const columns = Object.fromEntries(sim.recorder.labels.map((l) => [l, Array.from(sim.recorder.column(l))]));
      return new SimResult(Array.from(sim.recorder.column('time')), columns, isFile ? file.split('/').pop()! : 'netlist');
    },
    show,
    /** An xy chart from arrays: `chart({ x, y: { loss: [...] } })`. */
    chart: (c: ChartInput): XYTrace => ({
      type: 'xy',
      title: c.title,
      xLabel: c.xLabel,
      yLabel: c.yLabel,
      logX: c.logX,
      logY: c.logY,
      series: Object.entries(c.y).map(([name, y]) => ({ name, x: c.x, y })),
    }),
    /** A spike raster: one dot per (time, neuron id). */
    raster: (times: number[], ids: number[], title?: string, timeUnit = 'ms'): RasterTrace => ({ type: 'raster', title, timeUnit, times, ids }),
    /** A table from rows of objects (or columns and rows). */
    table: (rows: Record<string, unknown>[] | TableOutput, caption?: string): TableOutput => asTable(rows, caption)!,
  };
}

export type NeuriteApi = ReturnType<typeof createApi>;

/** A chart, a `{ columns, rows }` table or an attribution record: a cell's last value `show` draws. */
export function isShowable(v: unknown): boolean {
  const t = v as TableOutput;
  return isTrace(v) || isRecord(v) || (!!t && typeof t === 'object' && Array.isArray(t.columns) && Array.isArray(t.rows));
}

function isTrace(v: unknown): v is Trace {
  const t = v as Trace;
  return !!t && typeof t === 'object' && ((t.type === 'xy' && Array.isArray(t.series)) || (t.type === 'raster' && Array.isArray(t.times)));
}

function isRecord(v: unknown): v is AttributionRecord {
  return !!v && typeof v === 'object' && (v as AttributionRecord).format === 'neurite-attribution-1';
}

function asTable(v: unknown, caption?: string): TableOutput | undefined {
  if (Array.isArray(v) && v.every((r) => r && typeof r === 'object' && !Array.isArray(r))) return tableFromObjects(v as Record<string, unknown>[], caption);
  const t = v as TableOutput;
  if (t && typeof t === 'object' && Array.isArray(t.columns) && Array.isArray(t.rows)) return caption ? { ...t, caption } : t;
  return undefined;
}
