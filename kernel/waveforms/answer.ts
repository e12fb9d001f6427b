/** The host's side of the waveform viewer's messages, apart from VS Code so tests and benches answer exactly as the extension does. */
import type { WaveformInbound, WaveformOutbound, WaveformSourceRef } from '../protocol/waveforms';
import type { WaveformSet } from './sources';

export function openMessage(set: WaveformSet, source: WaveformSourceRef): WaveformInbound {
  return { type: 'open', source, title: set.title, timeUnit: set.timeUnit, range: set.range, traces: set.traces.map((t) => t.info), rasters: set.rasters.map((r) => r.info), notes: set.notes };
}

/** The answer to a window or reading request (validated before: see waveformOutbound). */
export function answer(set: WaveformSet, m: Exclude<WaveformOutbound, { type: 'ready' }>): WaveformInbound {
  if (m.type === 'window') {
    return {
      type: 'window',
      request: m.request,
      t0: m.t0,
      t1: m.t1,
      bins: m.bins,
      traces: set.traces.map((t) => t.data.window(t.info.id, m.t0, m.t1, m.bins)),
      rasters: set.rasters.map((r) => r.data.window(r.info.id, m.t0, m.t1, m.bins, m.rows, m.neurons)),
    };
  }
  return { type: 'reading', request: m.request, a: m.a, b: m.b, traces: set.traces.map((t) => t.data.reading(t.info.id, m.a, m.b)), rasters: set.rasters.map((r) => r.data.reading(r.info.id, m.a, m.b)) };
}
