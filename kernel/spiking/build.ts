/**
 * From a validated `spiking.network` spec to a runnable Network: neuron groups with their
 * initial values and drive, sources, synapse tables from the connectors (seeded streams forked
 * by name, so adding one projection does not change another's draws), weights, delays,
 * plasticity, and monitors.
 */
import type { Rng } from '../core/rng';
import { connect, type Connector } from './connectors';
import { RateMonitor, SpikeMonitor, StateMonitor } from './monitors';
import { Network, type Population } from './network';
import { neuronModels } from './neurons/registry';
import { stepsOf } from './neurons/types';
import { Projection } from './projection';
import { encodeBits, PoissonSource, SpikeTimesSource, type Emitter } from './sources';
import { parseRef, type NetworkShape } from './spec-checks';
import type { StdpSpec, ValueSpec } from './spec';

export interface NetworkSpec extends NetworkShape {
  monitors: NetworkShape['monitors'] & { rateBinMs: number };
}

export interface BuiltNetwork {
  net: Network;
  emitters: Map<string, Emitter>;
  projections: { name: string; projection: Projection; plastic: boolean }[];
  spikeMonitors: SpikeMonitor[];
  stateMonitors: { label: string; population: string; variable: string; monitor: StateMonitor }[];
  rateMonitors: RateMonitor[];
}

/** n values from a value spec (lists are taken as they are). */
export function values(v: ValueSpec, n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  if (typeof v === 'number') return out.fill(v);
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`${v.length} values for ${n} elements`);
    out.set(v);
  } else if ('uniform' in v) {
    const [lo, hi] = v.uniform;
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.float();
  } else if ('normal' in v) {
    for (let i = 0; i < n; i++) out[i] = v.normal.mean + v.normal.sd * rng.normal();
  } else {
    const [a, b] = v.linspace;
    for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  }
  return out;
}

export function buildNetwork(spec: NetworkSpec, rng: Rng): BuiltNetwork {
  const dt = spec.dtMs;
  const net = new Network(dt);
  const emitters = new Map<string, Emitter>();
  const populations = new Map<string, Population>();

  for (const p of spec.populations) {
    const model = neuronModels[p.model];
    const group = model.create(p.size, p.params, dt, p.thresholdAdaptation);
    const pop = net.addPopulation(p.name, group);
    const init = rng.fork(`init:${p.name}`);
    const v = values(p.init.v ?? (p.model === 'izhikevich' ? p.params.c : p.params.vRestMv), p.size, init);
    group.set('v', v);
    if (p.model === 'izhikevich') group.set('u', v.map((x) => p.params.b * x)); // u = b·v unless given
    for (const [name, value] of Object.entries(p.init)) if (name !== 'v') group.set(name, values(value, p.size, init));
    group.set('drive', values(p.drive, p.size, init));
    emitters.set(p.name, pop);
    populations.set(p.name, pop);
  }

  for (const s of spec.stimuli) {
    let source;
    if (s.type === 'poisson') source = new PoissonSource(s.size, s.rateHz, dt, rng.fork(`poisson:${s.name}`), s.startMs, s.stopMs ?? Infinity);
    else if (s.type === 'spike-times') source = new SpikeTimesSource(s.timesMs.length, s.timesMs, dt);
    else {
      const { ones, zeros } = encodeBits(s.word, s.bits, s.onesMs, s.zerosMs);
      source = new SpikeTimesSource(2 * s.bits, [...ones, ...zeros], dt);
    }
    emitters.set(s.name, net.addSource(s.name, source));
  }

  const projections = spec.projections.map((j, k) => {
    const from = parseRef(j.from)!;
    const to = parseRef(j.to)!;
    const pre = emitters.get(from.name)!;
    const post = populations.get(to.name)!;
    const name = j.name ?? `${from.name}-${to.name}${spec.projections.filter((q) => parseRef(q.from)?.name === from.name && parseRef(q.to)?.name === to.name).length > 1 ? `-${k}` : ''}`;
    const connector: Connector = j.connector;
    const csr = connect(connector, pre.n, { start: from.start ?? 0, end: from.end ?? pre.n }, { start: to.start ?? 0, end: to.end ?? post.n }, from.name === to.name, rng.fork(`connect:${k}:${name}`));
    // One number for a fixed projection stays one number (see Projection).
    const weights = typeof j.weight === 'number' && !j.plasticity ? j.weight : values(j.weight, csr.target.length, rng.fork(`weights:${k}:${name}`));
    const projection = new Projection(name, pre, post, j.receptor, csr, weights, Math.round(j.delayMs / dt), j.plasticity && stdpParams(j.plasticity), dt);
    net.addProjection(projection);
    return { name, projection, plastic: j.plasticity !== undefined };
  });

  const spikeMonitors = spec.monitors.spikes.map((n) => net.addMonitor(new SpikeMonitor(n, emitters.get(n)!)));
  const stateMonitors = spec.monitors.state.map((m) => {
    const pop = populations.get(m.population)!;
    const label = `${m.population}.${m.variable}`;
    const every = m.everyMs ? Math.max(1, stepsOf(m.everyMs, dt)) : 1;
    return { label, population: m.population, variable: m.variable, monitor: net.addMonitor(new StateMonitor(label, pop.group, m.variable, m.neurons, every)) };
  });
  const bin = Math.max(1, stepsOf(spec.monitors.rateBinMs, dt));
  const rateMonitors = [...emitters.entries()].map(([name, e]) => net.addMonitor(new RateMonitor(name, e, bin, dt)));
  return { net, emitters, projections, spikeMonitors, stateMonitors, rateMonitors };
}

function stdpParams(p: StdpSpec) {
  return { ...p, windowMs: p.windowMs ?? Infinity };
}
