/**
 * Messages between the extension and the waveform viewer (postMessage). The viewer asks for
 * what it shows: a window [t0, t1] at its pixel width, and readings between two cursors; the
 * host answers from the full-resolution CSVs. Both directions have a zod schema, checked on
 * arrival (the webview checks what the host sends, the host what the webview sends).
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be finite');
const num = z.number(); // NaN and ±Infinity do not survive postMessage as JSON; nulls stand for gaps
const id = z.int().min(0).max(100_000);

export const waveformTraceInfo = z.strictObject({
  id,
  name: z.string(),
  /** SI unit of the values ('' when unknown). */
  unit: z.string(),
  /** Traces of one quantity (voltage, current, phase…) and source share a lane when overlaid. */
  quantity: z.string(),
  /** The file it comes from, relative to the run folder. */
  source: z.string(),
  samples: z.int().min(0),
  /** The full value range, for a lane's initial axis. */
  min: num,
  max: num,
});

export const waveformRasterInfo = z.strictObject({
  id,
  name: z.string(),
  source: z.string(),
  neurons: z.int().min(0),
  spikes: z.int().min(0),
});

export const traceWindow = z.discriminatedUnion('mode', [
  z.strictObject({ id, mode: z.literal('samples'), x: z.array(num), y: z.array(num) }),
  /** `bins` equal columns over [t0, t1]; null where a column holds no sample. */
  z.strictObject({ id, mode: z.literal('minmax'), min: z.array(num.nullable()), max: z.array(num.nullable()) }),
]);

export const rasterWindow = z.discriminatedUnion('mode', [
  z.strictObject({ id, mode: z.literal('spikes'), t: z.array(num), n: z.array(z.int()), rate: z.array(num) }),
  /** Spike counts of `bins` time columns × `rows` neuron rows (row-major by row), when spikes are too many to draw one by one. */
  z.strictObject({ id, mode: z.literal('density'), rows: z.int().min(1), counts: z.array(z.int().min(0)), rate: z.array(num) }),
]);

export const traceReading = z.strictObject({ id, atA: num, atB: num, integral: num, min: num, max: num, mean: num });
export const rasterReading = z.strictObject({ id, spikes: z.int().min(0), rate: num });

/** What the viewer was opened on (a run folder or a CSV file); kept in its state so it reopens after a reload. */
export const waveformSourceRef = z.union([z.strictObject({ run: z.string().min(1) }), z.strictObject({ csv: z.string().min(1) })]);

/** Host → waveform viewer. */
export const waveformInbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('loading'), source: waveformSourceRef, title: z.string(), message: z.string() }),
  z.strictObject({
    type: z.literal('open'),
    source: waveformSourceRef,
    title: z.string(),
    /** The time axis: 's' (values in seconds, shown with SI prefixes) or another unit (a raster over words). */
    timeUnit: z.string(),
    range: z.tuple([finite, finite]),
    traces: z.array(waveformTraceInfo).max(1000),
    rasters: z.array(waveformRasterInfo).max(100),
    /** What the viewer should tell the user (preview data, skipped files). */
    notes: z.array(z.string()).max(50),
  }),
  z.strictObject({
    type: z.literal('window'),
    request: z.int().min(0),
    t0: finite,
    t1: finite,
    bins: z.int().min(1),
    traces: z.array(traceWindow),
    rasters: z.array(rasterWindow),
  }),
  z.strictObject({ type: z.literal('reading'), request: z.int().min(0), a: finite, b: finite, traces: z.array(traceReading), rasters: z.array(rasterReading) }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
]);

/** Waveform viewer → host. */
export const waveformOutbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z
    .strictObject({
      type: z.literal('window'),
      request: z.int().min(0),
      t0: finite,
      t1: finite,
      bins: z.int().min(1).max(8192),
      /** Raster rows wanted (the lane's height in pixels) and the neuron range shown. */
      rows: z.int().min(1).max(4096),
      neurons: z.tuple([z.int().min(0), z.int().min(1)]).optional(),
    })
    .refine((m) => m.t1 > m.t0, { message: 't1 must be after t0' }),
  z.strictObject({ type: z.literal('reading'), request: z.int().min(0), a: finite, b: finite }),
]);

export type WaveformInbound = z.infer<typeof waveformInbound>;
export type WaveformOutbound = z.infer<typeof waveformOutbound>;
export type WaveformTraceInfo = z.infer<typeof waveformTraceInfo>;
export type WaveformRasterInfo = z.infer<typeof waveformRasterInfo>;
export type TraceWindow = z.infer<typeof traceWindow>;
export type RasterWindow = z.infer<typeof rasterWindow>;
export type TraceReading = z.infer<typeof traceReading>;
export type RasterReading = z.infer<typeof rasterReading>;
export type WaveformSourceRef = z.infer<typeof waveformSourceRef>;
