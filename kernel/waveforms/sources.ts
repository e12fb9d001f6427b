/**
 * What the waveform viewer shows of a run or of one CSV file: every time-series CSV in the run's
 * traces/ (JoSIM-style waveforms, spiking state traces) and every spike list (`*.spikes.csv`),
 * at full resolution; rasters that exist only as streamed JSON (complete there: the sfq.xor
 * pulses, spatial-stdp's recognised words); and, for runs that wrote no CSV, the streamed
 * preview of their time traces, with a note that it is downsampled.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RasterTrace, XYTrace } from '../protocol/types';
import type { WaveformRasterInfo, WaveformTraceInfo } from '../protocol/waveforms';
import { readCsvHeader, readNumericCsv } from './csv';
import { SpikeRaster } from './raster';
import { SampledTrace } from './series';
import { columnMeaning, isSpikeHeader, timeColumnScale, timeUnits } from './units';

export interface WaveformSet {
  title: string;
  /** 's' when the axis is time (values in seconds), else the axis's own unit. */
  timeUnit: string;
  range: [number, number];
  traces: { info: WaveformTraceInfo; data: SampledTrace }[];
  rasters: { info: WaveformRasterInfo; data: SpikeRaster }[];
  notes: string[];
}

type Progress = (message: string) => void;

class SetBuilder {
  readonly traces: WaveformSet['traces'] = [];
  readonly rasters: WaveformSet['rasters'] = [];
  readonly notes: string[] = [];
  private nextId = 0;

  addTrace(name: string, source: string, unit: string, quantity: string, x: Float64Array, y: Float32Array): void {
    if (y.length === 0) return; // a file with a header only: nothing to show
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < y.length; i++) {
      if (y[i] < min) min = y[i];
      if (y[i] > max) max = y[i];
    }
    const info = { id: this.nextId++, name, unit, quantity, source, samples: y.length, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
    this.traces.push({ info, data: new SampledTrace(x, y) });
  }

  addRaster(name: string, source: string, data: SpikeRaster): void {
    this.rasters.push({ info: { id: this.nextId++, name, source, neurons: data.neurons, spikes: data.length }, data });
  }

  build(title: string, timeUnit: string): WaveformSet {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of this.traces) if (t.data.length) [lo, hi] = [Math.min(lo, t.data.x[0]), Math.max(hi, t.data.x[t.data.length - 1])];
    for (const r of this.rasters) if (r.data.length) [lo, hi] = [Math.min(lo, r.data.times[0]), Math.max(hi, r.data.times[r.data.length - 1])];
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (hi <= lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 1e-6);
    return { title, timeUnit, range: [lo, hi], traces: this.traces, rasters: this.rasters, notes: this.notes };
  }
}

/** One CSV file (as `neurite sim` writes it, or a run's trace), relative names from `relTo`. */
async function addCsv(b: SetBuilder, file: string, rel: string, progress?: Progress): Promise<boolean> {
  const header = readCsvHeader(file);
  const tScale = timeColumnScale(header[0] ?? '');
  if (tScale === undefined || header.length < 2) return false;
  const base = path.basename(file);
  let shown = -1;
  const report = (f: number) => {
    const pct = Math.floor(f * 10) * 10;
    if (pct !== shown) progress?.(`reading ${rel}: ${(shown = pct)}%`);
  };
  if (isSpikeHeader(header)) {
    const t = await readNumericCsv(file, [tScale, 1], report);
    b.addRaster(base.replace(/\.spikes\.csv$|\.csv$/, ''), rel, new SpikeRaster(t.time, t.columns[0]));
    return true;
  }
  const meanings = header.slice(1).map((c) => columnMeaning(c, base));
  const t = await readNumericCsv(file, [tScale, ...meanings.map((m) => m.scale)], report);
  const prefix = /^n\d+$/.test(header[1]) ? `${base.replace(/\.csv$/, '')} ` : ''; // spiking state columns n0, n1… name their file
  header.slice(1).forEach((c, k) => b.addTrace(`${prefix}${c}`, rel, meanings[k].unit, meanings[k].quantity, t.time, t.columns[k]));
  return true;
}

/** The waveforms of one CSV file. */
export async function loadCsvWaveforms(file: string, progress?: Progress): Promise<WaveformSet> {
  const b = new SetBuilder();
  if (!(await addCsv(b, file, path.basename(file), progress))) throw new Error(`${path.basename(file)}: the first column is not time (expected time, t_ms, time_ps…)`);
  return b.build(path.basename(file), 's');
}

/** Units of an axis label such as "time (ps)" or "voltage (mV)": the SI unit and the scale to it. */
export function labelUnit(label: string | undefined): { unit: string; scale: number } {
  const u = /\(([^()]+)\)\s*$/.exec(label ?? '')?.[1].trim() ?? '';
  if (timeUnits[u] !== undefined) return { unit: 's', scale: timeUnits[u] };
  const m = /^(µ|u|m|n|p|k)?(V|A|Hz|rad)$/.exec(u);
  if (!m) return { unit: u, scale: 1 };
  return { unit: m[2], scale: m[1] ? { µ: 1e-6, u: 1e-6, m: 1e-3, n: 1e-9, p: 1e-12, k: 1e3 }[m[1] as 'm'] : 1 };
}

/** Every waveform and raster of a run folder. */
export async function loadRunWaveforms(dir: string, progress?: Progress): Promise<WaveformSet> {
  const b = new SetBuilder();
  const traceDir = path.join(dir, 'traces');
  const files = fs.existsSync(traceDir) ? fs.readdirSync(traceDir).sort() : [];
  const csvs = files.filter((f) => f.endsWith('.csv'));
  for (const f of csvs) await addCsv(b, path.join(traceDir, f), `traces/${f}`, progress);
  const sampled = b.traces.length > 0;
  const covered = new Set(csvs.map((f) => f.replace(/\.spikes\.csv$/, '.raster')));
  const otherAxis: string[] = [];
  for (const f of files.filter((n) => n.endsWith('.json'))) {
    const name = f.slice(0, -5);
    let trace: XYTrace | RasterTrace;
    try {
      trace = JSON.parse(fs.readFileSync(path.join(traceDir, f), 'utf8'));
    } catch {
      continue; // a trace being written; the run panel shows it once complete
    }
    if (trace.type === 'raster' && !covered.has(name)) {
      const scale = timeUnits[trace.timeUnit ?? ''];
      if (scale === undefined) otherAxis.push(name);
      else b.addRaster(name, `traces/${f}`, new SpikeRaster(trace.times.map((t) => t * scale), trace.ids));
    } else if (trace.type === 'xy' && !sampled && labelUnit(trace.xLabel).unit === 's') {
      const x = labelUnit(trace.xLabel).scale;
      const y = labelUnit(trace.yLabel);
      for (const s of trace.series) b.addTrace(s.name, `traces/${f}`, y.unit, trace.yLabel?.replace(/\s*\(.*$/, '') ?? name, Float64Array.from(s.x, (v) => v * x), Float32Array.from(s.y, (v) => v * y.scale));
      b.notes.push(`${name}: the run wrote no CSV of it; shown from its streamed preview (downsampled)`);
    }
  }
  // A raster over something other than time (spatial-stdp's words) is shown on its own axis when nothing else is there.
  if (b.traces.length === 0 && b.rasters.length === 0 && otherAxis.length) {
    const f = otherAxis[0];
    const trace = JSON.parse(fs.readFileSync(path.join(traceDir, `${f}.json`), 'utf8')) as RasterTrace;
    b.addRaster(f, `traces/${f}.json`, new SpikeRaster(trace.times, trace.ids));
    return b.build(path.basename(dir), trace.timeUnit ?? '');
  }
  for (const f of otherAxis) b.notes.push(`${f}: not on a time axis (${f}.json); open the run panel for it`);
  if (b.traces.length === 0 && b.rasters.length === 0) throw new Error(`${path.basename(dir)} has no waveforms or rasters (no time-series CSV or raster in traces/)`);
  return b.build(path.basename(dir), 's');
}
