/**
 * The figures of sfq.xor as traces: output rates for the four inputs (circuit and model),
 * margin versus bias currents and temperature, the synapse sigmoids and their widths, the
 * neuron transfer curves, node waveforms (all samples also in traces/waveforms.csv) and a raster
 * of the network's pulses.
 */
import * as fs from 'fs';
import { minMaxDownsample } from '../../circuits/downsample';
import { sci } from '../../circuits/probes';
import type { EngineContext } from '../../core/engine-context';
import type { Calibration, XorDesign, XorRates } from './behavior';
import { neuronRate, type NeuronTable } from './neuron';
import { passProbability } from './synapse';
import type { XorCircuitResult } from './xor-circuit';

type Sweep = { x: number; margin: number; lowTrue: number; highFalse: number }[];

export interface XorFigures {
  cal: Calibration;
  T: number;
  design: XorDesign;
  nominal: XorCircuitResult[];
  model: XorRates[];
  vsIthHidden: Sweep;
  vsIthOut: Sweep;
  vsT: Sweep;
  vsTWeights: { iwOn: number; points: Sweep }[];
  checks: { temperature: number; circuit: number; model: number }[];
  waveformInput: string;
}

export function xorTraces(ctx: EngineContext, f: XorFigures): void {
  const idx = [0, 1, 2, 3];
  ctx.trace('xor-rates', {
    type: 'xy',
    title: 'Output rate for inputs x1x2 = 00, 01, 10, 11',
    xLabel: 'input pair (0: 00, 1: 01, 2: 10, 3: 11)',
    yLabel: 'rate (GHz)',
    series: [
      { name: 'output (circuit)', x: idx, y: f.nominal.map((r) => r.out), points: true },
      { name: 'output (model)', x: idx, y: f.model.map((r) => r.out), points: true },
      { name: 'h1 (circuit)', x: idx, y: f.nominal.map((r) => r.hidden[0]), points: true },
      { name: 'h2 (circuit)', x: idx, y: f.nominal.map((r) => r.hidden[1]), points: true },
    ],
  });
  const sweep = (name: string, title: string, xLabel: string, s: Sweep, extra: { name: string; x: number[]; y: number[]; points?: boolean }[] = []) =>
    ctx.trace(name, {
      type: 'xy',
      title,
      xLabel,
      yLabel: 'rate (GHz)',
      series: [
        { name: 'margin (model)', x: s.map((v) => v.x), y: s.map((v) => v.margin) },
        { name: 'slowest XOR-true output', x: s.map((v) => v.x), y: s.map((v) => v.lowTrue) },
        { name: 'fastest XOR-false output', x: s.map((v) => v.x), y: s.map((v) => v.highFalse) },
        ...extra,
      ],
    });
  sweep('margin-vs-hidden-bias', 'Classification margin vs hidden-neuron threshold bias', 'hidden threshold bias ITH (µA)', f.vsIthHidden);
  sweep('margin-vs-output-bias', 'Classification margin vs output-neuron threshold bias', 'output threshold bias ITH (µA)', f.vsIthOut);
  sweep('margin-vs-temperature', `Classification margin vs temperature (weights ${f.design.iwOn} µA; and nearer the sigmoid centre)`, 'temperature (K)', f.vsT, [
    ...(f.checks.length ? [{ name: 'margin (circuit)', x: f.checks.map((c) => c.temperature), y: f.checks.map((c) => c.circuit), points: true }] : []),
    ...f.vsTWeights.map((w) => ({ name: `margin (model), weights ${w.iwOn} µA`, x: w.points.map((v) => v.x), y: w.points.map((v) => v.margin) })),
  ]);

  const iws = Array.from({ length: 121 }, (_, i) => 40 + (40 * i) / 120);
  ctx.trace('synapse-sigmoid', {
    type: 'xy',
    title: 'Synapse pass probability vs weight bias (points: circuit; lines: fitted sigmoid)',
    xLabel: 'weight bias IW (µA)',
    yLabel: 'pass probability',
    series: f.cal.synapse.flatMap((s) => [
      { name: `${s.temperature} K circuit`, x: s.points.map((p) => p.iw), y: s.points.map((p) => p.passed / p.total), points: true },
      { name: `${s.temperature} K fit, σ = ${s.width.toFixed(2)} µA`, x: iws, y: iws.map((iw) => passProbability(iw, s)) },
    ]),
  });
  const ts = f.cal.synapse.map((s) => s.temperature);
  const { a, b } = f.cal.widthPowerLaw;
  ctx.trace('synapse-width-vs-temperature', {
    type: 'xy',
    title: Number.isFinite(b) ? `Synapse sigmoid width vs temperature (fit: σ ∝ T^${b.toFixed(2)})` : 'Synapse sigmoid width (one temperature)',
    xLabel: 'temperature (K)',
    yLabel: 'width σ (µA)',
    logX: true,
    logY: true,
    series: [
      { name: 'fitted width ± s.e.', x: ts, y: f.cal.synapse.map((s) => s.width), lo: f.cal.synapse.map((s) => s.width - s.widthSe), hi: f.cal.synapse.map((s) => s.width + s.widthSe), points: true },
      ...(Number.isFinite(b) ? [{ name: `${a.toFixed(2)}·T^${b.toFixed(2)}`, x: ts, y: ts.map((t) => a * t ** b) }] : []),
    ],
  });
  const transfer = (name: string, title: string, t: NeuronTable) =>
    ctx.trace(name, {
      type: 'xy',
      title: `${title} at ${f.T} K (circuit calibration)`,
      xLabel: 'input rate (GHz)',
      yLabel: 'output rate (GHz)',
      series: t.ith.map((ith) => ({ name: `ITH = ${ith} µA`, x: t.rates, y: t.rates.map((r) => neuronRate(t, ith, r, f.T)) })),
    });
  transfer('neuron-transfer-hidden', 'Hidden neuron transfer', f.cal.neuron.hidden);
  transfer('neuron-transfer-output', 'Output neuron transfer', f.cal.neuron.output);

  const shown = f.nominal[Number.parseInt(f.waveformInput, 2)];
  const tps = Float64Array.from(shown.waveforms.time, (t) => t * 1e12);
  ctx.trace('waveforms', {
    type: 'xy',
    title: `Node voltages, inputs x1x2 = ${f.waveformInput} (circuit)`,
    xLabel: 'time (ps)',
    yLabel: 'voltage (mV)',
    series: Object.entries(shown.waveforms.nodes).map(([node, v]) => {
      const d = minMaxDownsample(tps, v, v.length, 4000);
      return { name: `V(${node})`, x: d.x, y: d.y.map((y) => y * 1e3) };
    }),
  });
  // Every sample, as JoSIM writes it, for the waveform viewer (the trace above is min/max-downsampled).
  const nodes = Object.entries(shown.waveforms.nodes);
  const rows = Array.from(shown.waveforms.time, (t, i) => [sci(t), ...nodes.map(([, v]) => sci(v[i]))].join(','));
  fs.writeFileSync(ctx.tracePath('waveforms.csv'), [['time', ...nodes.map(([n]) => `V(${n})`)].join(','), ...rows].join('\n') + '\n');
  const times: number[] = [];
  const ids: number[] = [];
  shown.raster.forEach((line, id) => line.forEach((t) => (times.push(t), ids.push(id))));
  ctx.trace('raster', { type: 'raster', title: `Pulses, inputs ${f.waveformInput}: 0 x1, 1 ¬x1, 2 x2, 3 ¬x2, 4 h1, 5 h2, 6 out`, timeUnit: 'ps', times, ids });
}
