/**
 * spiking.network — a declarative spiking network, like a PyNN or Brian2 script: populations
 * of model neurons, stimuli, projections (connector, weights, delay, optional STDP), monitors,
 * duration and dt. The event engine of kernel/spiking simulates it; rates stream while it runs.
 *
 * Method: (1) validate (zod schema + cross-field checks, every problem located); (2) build the
 * network from seeded streams; (3) simulate in rate bins, streaming population rates (and mean
 * plastic weights) and yielding for cancellation; (4) emit rasters, state traces, rate curves
 * and final weight histograms, with full records as CSV under traces/.
 */
import { performance } from 'perf_hooks';
import { z } from 'zod';
import { mean } from '../core/stats';
import { buildNetwork } from '../spiking/build';
import { emitRaster, emitState, histogram, round } from '../spiking/output';
import { monitorsSpec, populationSpec, projectionSpec, stimulusSpec } from '../spiking/spec';
import { checkNetwork } from '../spiking/spec-checks';
import type { Experiment, ExperimentResult } from './experiment';
import { defineSpec } from './spec';

export const networkSpec = defineSpec('spiking.network', {
  dtMs: z.number().gt(0).max(10).default(0.1).describe('Integration step (ms).'),
  durationMs: z.number().gt(0).describe('Simulated time (ms).'),
  populations: z.array(populationSpec).min(1).describe('Neuron populations.'),
  stimuli: z.array(stimulusSpec).default([]).describe('Spike sources: Poisson trains, spike-time arrays, bit patterns.'),
  projections: z.array(projectionSpec).default([]).describe('Synapses between populations (and from stimuli).'),
  monitors: monitorsSpec,
}).superRefine(checkNetwork);

export type NetworkExperimentSpec = z.infer<typeof networkSpec>;

export const networkExperiment: Experiment<NetworkExperimentSpec> = {
  kind: 'spiking.network',
  title: 'Spiking network',
  description: 'A declarative spiking network (populations, stimuli, projections, STDP, monitors) on the event engine',
  paper: 'PAPERS.md §7 (engine); validated against Brian2',
  engine: 'event',
  schema: networkSpec,
  async run(spec, ctx): Promise<ExperimentResult> {
    // (2) Build; (1), validation, happened before the run started.
    const built = buildNetwork(spec, ctx.rng);
    const { net, projections, rateMonitors } = built;
    const dt = spec.dtMs;
    const total = Math.round(spec.durationMs / dt);
    const bin = rateMonitors[0].binSteps;
    const synapses = projections.reduce((s, p) => s + p.projection.size, 0);
    ctx.log(`${net.populations.length} populations (${net.populations.reduce((s, p) => s + p.n, 0)} neurons), ${net.sources.length} stimuli, ${synapses} synapses; ${total} steps of ${dt} ms`);

    // (3) Simulate bin by bin; stream rates and mean plastic weights.
    const wall0 = performance.now();
    let simWall = 0;
    for (let done = 0; done < total;) {
      const k = Math.min(bin, total - done);
      const t0 = performance.now();
      net.run(k);
      simWall += performance.now() - t0;
      done += k;
      if (k === bin) {
        const values: Record<string, number> = {};
        for (const m of rateMonitors) values[`rate_${m.name}`] = round(m.lastRate());
        for (const p of projections) if (p.plastic) values[`wmean_${p.name}`] = meanWeight(p.projection.weights());
        ctx.metric(done, values, 'network');
      }
      ctx.progress(done / total, `${round(done * dt)} / ${spec.durationMs} ms`);
      await ctx.yieldOrThrowIfCancelled();
    }

    // (4) Traces: rasters, state, rates, weights.
    for (const m of built.spikeMonitors) emitRaster(ctx, m, dt, spec.monitors.maxRasterPoints);
    for (const s of built.stateMonitors) emitState(ctx, s.label, s.monitor, dt, spec.monitors.maxTracePoints);
    const binMs = bin * dt;
    ctx.trace('rates', {
      type: 'xy',
      title: `Population rates (${binMs} ms bins)`,
      xLabel: 'time (ms)',
      yLabel: 'rate (Hz)',
      series: rateMonitors.map((m) => {
        const rates = m.rates();
        return { name: m.name, x: rates.map((_, i) => round((i + 1) * binMs)), y: rates.map(round) };
      }),
    });
    const metrics: Record<string, number> = { steps: total, synapses, simSeconds: round(simWall / 1000), wallSeconds: round((performance.now() - wall0) / 1000) };
    const seconds = spec.durationMs / 1000;
    const populations = rateMonitors.map((m) => {
      metrics[`rate_${m.name}`] = round(m.total / m.source.n / seconds);
      metrics[`spikes_${m.name}`] = m.total;
      return { name: m.name, size: m.source.n, spikes: m.total, rateHz: metrics[`rate_${m.name}`] };
    });
    const plastic = projections.filter((p) => p.plastic).map((p) => {
      const { wMin, wMax } = p.projection.stdp!.p;
      const counts = histogram(p.projection.weights(), wMin, wMax, 20);
      metrics[`wmean_${p.name}`] = meanWeight(p.projection.weights());
      ctx.trace(`${p.name}.weights`, {
        type: 'xy',
        title: `${p.name}: final weights (${p.projection.size} synapses)`,
        xLabel: 'weight',
        yLabel: 'synapses',
        series: [{ name: 'count', x: counts.map((_, i) => round(wMin + ((i + 0.5) * (wMax - wMin)) / 20)), y: counts, points: true }],
      });
      return { name: p.name, synapses: p.projection.size, wMean: metrics[`wmean_${p.name}`], histogram: counts };
    });
    return { metrics, result: { populations, plastic } };
  },
};

/** Mean weight of a projection; 0 when it has no synapses (a random connector may draw none). */
function meanWeight(w: Float64Array): number {
  return w.length ? mean(w) : 0;
}


