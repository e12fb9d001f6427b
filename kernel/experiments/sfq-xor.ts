/**
 * sfq.xor — "Deep neuromorphic networks with superconducting single flux quanta" (Krylov,
 * Edwards, Friedman & Friedman, arXiv 2311.10721), PAPERS.md §9: a rate-coded multi-layer XOR
 * network of SFQ neurons and thermally stochastic synapses, weights and thresholds set by
 * bias currents.
 *
 * Method: (1) calibrate the cells from circuit simulations — the synapse's pass-probability
 * sigmoid at each temperature (its width versus T), the neuron transfer tables, the merger's
 * dead time (shipped, or rerun); (2) simulate the whole network circuit (109 junctions) for
 * the four inputs: output and hidden rates, the classification margin, waveforms of chosen
 * nodes and a raster; (3) the behavioural model at the same point, against the circuit;
 * (4) the margin versus the neuron bias currents and versus temperature from the behavioural
 * model, with circuit runs at the temperature-sweep ends as checks. Circuit level: steps 1, 2
 * and the checks in 4; behavioural: steps 3 and 4.
 */
import { z } from 'zod';
import shipped from '../models/sfq/calibration.json';
import { xorMargin, xorRatesModel, type Calibration, type XorDesign } from '../models/sfq/behavior';
import { calibrate, shippedGrid } from '../models/sfq/calibrate';
import { passProbability } from '../models/sfq/synapse';
import { runXorCircuit, XOR_NODES, type XorCircuitResult } from '../models/sfq/xor-circuit';
import { xorDefaults } from '../models/sfq/xor-netlist';
import type { MetricTable } from '../protocol/metrics';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';
import { xorTraces } from '../models/sfq/xor-traces';

const range = (from: number, to: number, points: number) => z.strictObject({ from: z.number().default(from), to: z.number().default(to), points: z.int().min(2).max(200).default(points) });

export const sfqXorSpec = defineSpec('sfq.xor', {
  network: z
    .strictObject({
      rateGHz: z.number().min(5).max(40).default(xorDefaults.rateGHz).describe('Pulse rate of a true input line, GHz (the neuron tables reach 80 GHz = two lines).'),
      iwOn: z.number().min(0).max(150).default(xorDefaults.iwOn).describe('Synapse weight bias where the network has a connection, µA.'),
      iwOff: z.number().min(0).max(150).default(xorDefaults.iwOff).describe('Synapse weight bias where it has none, µA.'),
      ithHidden: z.number().min(0).max(99).default(xorDefaults.ithHidden).describe('Hidden-neuron threshold bias, µA.'),
      ithOut: z.number().min(0).max(99).default(xorDefaults.ithOut).describe('Output-neuron threshold bias, µA.'),
    })
    .prefault({})
    .describe('The network design: weights and thresholds are bias currents.'),
  temperature: z.number().min(0.5).max(9).default(4.2).describe('Operating temperature, K (sets the Johnson noise).'),
  circuit: z
    .strictObject({
      durationPs: z.number().min(500).max(100_000).default(4000).describe('Simulated time per input pair, ps.'),
      waveformInput: z.enum(['00', '01', '10', '11']).default('10').describe('Input pair (x1x2) whose waveforms and raster are shown.'),
      nodes: z.array(z.enum(XOR_NODES)).min(1).max(12).default(['X10', 'H1IN', 'H1OUT', 'OUT']).describe('Network nodes whose voltages are shown.'),
    })
    .prefault({}),
  sweeps: z
    .strictObject({
      ithHidden: range(45, 85, 21).prefault({}).describe('Margin versus the hidden-neuron threshold bias (µA), behavioural model.'),
      ithOut: range(70, 95, 11).prefault({}).describe('Margin versus the output-neuron threshold bias (µA), behavioural model.'),
      temperature: z.array(z.number().min(0.5).max(9)).min(2).max(50).default([1, 1.5, 2, 3, 4.2, 5, 6, 7, 8]).describe('Temperatures (K) for margin versus temperature, behavioural model.'),
      weights: z.array(z.number().min(0).max(150)).max(10).default([82, 80, 78]).describe('More "on" weight biases (µA) for the margin-versus-temperature plot: weights nearer the synapse sigmoid centre make the margin depend on temperature.'),
      circuitChecks: z.boolean().default(true).describe('Also simulate the circuit at the lowest and highest sweep temperature.'),
    })
    .prefault({}),
  calibration: z
    .strictObject({
      rerun: z.boolean().default(false).describe('Recalibrate from circuit simulations (about two minutes) instead of using the shipped calibration.'),
      temperatures: z.array(z.number().min(0.5).max(9)).min(1).max(10).default(shippedGrid.temperatures).describe('Calibration temperatures, K (rerun only).'),
      synapsePulses: z.int().min(20).max(5000).default(shippedGrid.synapsePulses).describe('Pulses per synapse bias point (rerun only).'),
    })
    .prefault({}),
}).superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  // The behavioural sweeps read the calibrated tables; outside them the model holds the edge value.
  const tables = { ithHidden: (shipped as unknown as Calibration).neuron.hidden.ith, ithOut: (shipped as unknown as Calibration).neuron.output.ith };
  for (const key of ['ithHidden', 'ithOut'] as const) {
    const { from, to } = s.sweeps[key];
    const [lo, hi] = [Math.min(...tables[key]), Math.max(...tables[key])];
    if (from >= to) issue(['sweeps', key, 'to'], `must be above from (${from})`);
    if (from < lo) issue(['sweeps', key, 'from'], `${from} µA is below the calibrated ${lo}–${hi} µA of the neuron table`);
    if (to > hi) issue(['sweeps', key, 'to'], `${to} µA is above the calibrated ${lo}–${hi} µA of the neuron table`);
  }
  if (s.network.iwOff >= s.network.iwOn) issue(['network', 'iwOff'], `must be below iwOn (${s.network.iwOn}): "off" weights pass fewer pulses`);
  s.sweeps.weights.forEach((w, i) => w <= s.network.iwOff && issue(['sweeps', 'weights', i], `an "on" weight (${w} µA) must be above iwOff (${s.network.iwOff} µA)`));
  const calibrated = s.calibration.rerun ? s.calibration.temperatures : (shipped as unknown as Calibration).synapse.map((x) => x.temperature);
  const [tLo, tHi] = [Math.min(...calibrated), Math.max(...calibrated)];
  s.sweeps.temperature.forEach((t, i) => (t < tLo || t > tHi) && issue(['sweeps', 'temperature', i], `${t} K lies outside the calibrated ${tLo}–${tHi} K${s.calibration.rerun ? ' (calibration.temperatures)' : ''}`));
});

export type SfqXorSpec = z.infer<typeof sfqXorSpec>;

const PAIRS = [[0, 0], [0, 1], [1, 0], [1, 1]] as const;

/** What sfq.xor reports: the margin, the rates per input pair, the calibration and the checks. */
export const sfqXorMetrics: MetricTable = {
  metrics: [
    { name: 'margin_GHz', label: 'classification margin (circuit)', unit: 'GHz', group: 'Margin', better: 'higher', key: true },
    { name: 'model_margin_GHz', label: 'classification margin (model)', unit: 'GHz', group: 'Margin', better: 'higher' },
    { name: 'margin_min_over_T_GHz', label: 'smallest margin over the temperature sweep', unit: 'GHz', group: 'Margin', better: 'higher' },
    { name: 'check_margin_{T}K_GHz', label: 'circuit margin at {T} K', unit: 'GHz', group: 'Margin', better: 'higher' },
    { name: 'margin_iwOn{w}_{T}K_GHz', label: 'margin at {T} K, weights {w} µA', unit: 'GHz', group: 'Margin vs weights', better: 'higher' },
    { name: 'margin_relative', label: 'margin relative to the input rate', group: 'Margin (relative)', percent: true, better: 'higher' },
    { name: 'model_out_{input}_GHz', label: 'output rate, inputs {input} (model)', unit: 'GHz', group: 'Output rate' },
    { name: 'out_{input}_GHz', label: 'output rate, inputs {input}', unit: 'GHz', group: 'Output rate' },
    { name: 'h1_{input}_GHz', label: 'hidden h1 rate, inputs {input}', unit: 'GHz', group: 'Hidden rates' },
    { name: 'h2_{input}_GHz', label: 'hidden h2 rate, inputs {input}', unit: 'GHz', group: 'Hidden rates' },
    { name: 'p_on', label: 'pass probability of an "on" synapse', group: 'Synapses', percent: true },
    { name: 'synapse_width_{T}K_uA', label: 'synapse sigmoid width at {T} K', unit: 'µA', group: 'Synapse width' },
    { name: 'synapse_width_exponent', label: 'width exponent b (σ ∝ T^b)', group: 'Synapses' },
    { name: 'best_ithHidden', label: 'best hidden threshold bias', unit: 'µA', group: 'Best biases' },
    { name: 'best_ithOut', label: 'best output threshold bias', unit: 'µA', group: 'Best biases' },
  ],
};

export const sfqXorExperiment: Experiment<SfqXorSpec> = {
  kind: 'sfq.xor',
  title: 'Rate-coded XOR network of SFQ neurons and stochastic synapses',
  description: 'Superconducting rate-coded XOR: output rates, classification margin vs bias current and temperature',
  paper: 'PAPERS.md §9 — arXiv 2311.10721',
  engine: 'event',
  schema: sfqXorSpec,
  metrics: sfqXorMetrics,
  async run(spec, ctx): Promise<ExperimentResult> {
    const design: XorDesign = spec.network;
    const T = spec.temperature;
    // (1) Calibration from circuit simulations of single cells.
    const cal = spec.calibration.rerun
      ? await calibrate({ ...shippedGrid, temperatures: [...spec.calibration.temperatures].sort((a, b) => a - b), synapsePulses: spec.calibration.synapsePulses, seed: spec.seed }, async (f, m) => {
          ctx.progress(0.6 * f, `calibrating: ${m}`);
          await ctx.yieldOrThrowIfCancelled();
        })
      : (shipped as unknown as Calibration);
    const temps = cal.synapse.map((s) => s.temperature);
    for (const s of cal.synapse) ctx.log(`synapse at ${s.temperature} K: I50 = ${s.i50.toFixed(2)} ± ${s.i50Se.toFixed(2)} µA, width σ = ${s.width.toFixed(2)} ± ${s.widthSe.toFixed(2)} µA`);
    ctx.log(`synapse width ∝ T^${Number.isFinite(cal.widthPowerLaw.b) ? cal.widthPowerLaw.b.toFixed(3) : '? (one temperature)'}; merger dead time ${(cal.mergerDeadTime * 1e12).toFixed(1)} ps; calibration ${spec.calibration.rerun ? 'rerun' : 'shipped'}`);
    const outside = [T, ...spec.sweeps.temperature].filter((t) => t < temps[0] || t > temps[temps.length - 1]);
    if (outside.length) ctx.log(`temperatures ${outside.join(', ')} K lie outside the calibrated ${temps[0]}–${temps[temps.length - 1]} K: the model holds the nearest calibration there`, 'warn');
    const base = spec.calibration.rerun ? 0.6 : 0;
    // (2) The network circuit for the four inputs.
    const batches = spec.sweeps.circuitChecks ? 3 : 1;
    const circuit = async (temperature: number, batch: number): Promise<XorCircuitResult[]> => {
      const out: XorCircuitResult[] = [];
      for (const [x1, x2] of PAIRS) {
        const k = 4 * batch + 2 * x1 + x2;
        out.push(
          await runXorCircuit({ ...xorDefaults, ...design, temperature, durationPs: spec.circuit.durationPs, x1, x2 }, spec.circuit.nodes, spec.seed + k, async () => {
            ctx.progress(base + ((1 - base) * k) / (4 * batches), `circuit at ${temperature} K: inputs ${x1}${x2}`);
            await ctx.yieldOrThrowIfCancelled();
          }),
        );
      }
      return out;
    };
    const nominal = await circuit(T, 0);
    const circuitMargin = xorMargin(nominal, design.rateGHz);
    for (const r of nominal) ctx.log(`circuit, inputs ${r.x1}${r.x2}: hidden ${r.hidden.map((h) => h.toFixed(2)).join(', ')} GHz → output ${r.out.toFixed(2)} GHz (${r.outCount} pulses)`);
    ctx.log(`circuit margin: ${circuitMargin.margin.toFixed(2)} GHz (${(100 * circuitMargin.relative).toFixed(1)}% of the input rate)`);
    // (3) The behavioural model at the same point.
    const model = xorRatesModel(cal, design, T);
    const modelMargin = xorMargin(model, design.rateGHz);
    // (4) Sweeps with the behavioural model, and circuit checks at the temperature ends.
    const grid = (r: { from: number; to: number; points: number }) => Array.from({ length: r.points }, (_, i) => r.from + ((r.to - r.from) * i) / (r.points - 1));
    const vsIthHidden = grid(spec.sweeps.ithHidden).map((ith) => ({ x: ith, ...xorMargin(xorRatesModel(cal, { ...design, ithHidden: ith }, T), design.rateGHz) }));
    const vsIthOut = grid(spec.sweeps.ithOut).map((ith) => ({ x: ith, ...xorMargin(xorRatesModel(cal, { ...design, ithOut: ith }, T), design.rateGHz) }));
    const temperatures = [...spec.sweeps.temperature].sort((a, b) => a - b);
    const vsT = temperatures.map((t) => ({ x: t, ...xorMargin(xorRatesModel(cal, design, t), design.rateGHz) }));
    const vsTWeights = spec.sweeps.weights.map((iwOn) => ({ iwOn, points: temperatures.map((t) => ({ x: t, ...xorMargin(xorRatesModel(cal, { ...design, iwOn }, t), design.rateGHz) })) }));
    const checks: { temperature: number; circuit: number; model: number }[] = [];
    if (spec.sweeps.circuitChecks) {
      for (const [i, t] of [temperatures[0], temperatures[temperatures.length - 1]].entries()) {
        const rates = await circuit(t, i + 1);
        checks.push({ temperature: t, circuit: xorMargin(rates, design.rateGHz).margin, model: vsT.find((v) => v.x === t)!.margin });
        ctx.log(`check at ${t} K: circuit margin ${checks[i].circuit.toFixed(2)} GHz, model ${checks[i].model.toFixed(2)} GHz`);
      }
    }
    xorTraces(ctx, { cal, T, design, nominal, model, vsIthHidden, vsIthOut, vsT, vsTWeights, checks, waveformInput: spec.circuit.waveformInput });
    const metrics: Record<string, number> = {
      margin_GHz: circuitMargin.margin,
      margin_relative: circuitMargin.relative,
      model_margin_GHz: modelMargin.margin,
      p_on: passProbability(design.iwOn, cal.synapse.reduce((a, b) => (Math.abs(b.temperature - T) < Math.abs(a.temperature - T) ? b : a))),
      margin_min_over_T_GHz: Math.min(...vsT.map((v) => v.margin)),
      best_ithHidden: vsIthHidden.reduce((a, b) => (b.margin > a.margin ? b : a)).x,
      best_ithOut: vsIthOut.reduce((a, b) => (b.margin > a.margin ? b : a)).x,
    };
    nominal.forEach((r, i) => {
      const key = `${r.x1}${r.x2}`;
      metrics[`out_${key}_GHz`] = r.out;
      metrics[`h1_${key}_GHz`] = r.hidden[0];
      metrics[`h2_${key}_GHz`] = r.hidden[1];
      metrics[`model_out_${key}_GHz`] = model[i].out;
    });
    for (const s of cal.synapse) metrics[`synapse_width_${s.temperature}K_uA`] = s.width;
    if (Number.isFinite(cal.widthPowerLaw.b)) metrics.synapse_width_exponent = cal.widthPowerLaw.b; // needs two temperatures or more
    for (const c of checks) metrics[`check_margin_${c.temperature}K_GHz`] = c.circuit;
    for (const w of vsTWeights) {
      metrics[`margin_iwOn${w.iwOn}_${temperatures[0]}K_GHz`] = w.points[0].margin;
      metrics[`margin_iwOn${w.iwOn}_${temperatures[temperatures.length - 1]}K_GHz`] = w.points[w.points.length - 1].margin;
    }
    // The sweeps are in the traces; the result keeps the rates, the checks and the calibration summary.
    return { metrics, result: { circuit: nominal.map(({ waveforms: _w, raster: _r, ...rest }) => rest), model, checks, calibration: { widthPowerLaw: cal.widthPowerLaw, synapse: cal.synapse.map(({ points: _p, ...s }) => s), mergerDeadTime: cal.mergerDeadTime } } };
  },
};
