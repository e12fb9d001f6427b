/**
 * Cross-field checks of a `spiking.network` spec, each reported at the field that is wrong:
 * unknown or duplicate names, bad slices, negative delays, a refractory period dt cannot
 * resolve, unbounded or out-of-bound plastic weights, wrong list lengths, unknown monitor
 * targets; and the numeric relations the step needs: durations, delays and intervals that are
 * whole numbers of steps (≥ one step where zero means nothing), Poisson rates of at most one
 * spike per step, start before stop, resets below thresholds.
 */
import type { z } from 'zod';
import { neuronModels } from './neurons/registry';
import { offGridMessage, wholeSteps } from './neurons/types';
import type { PopulationSpec, ProjectionSpec, StimulusSpec, ValueSpec } from './spec';

export interface NetworkShape {
  dtMs: number;
  durationMs: number;
  populations: PopulationSpec[];
  stimuli: StimulusSpec[];
  projections: ProjectionSpec[];
  monitors: { spikes: string[]; state: { population: string; variable: string; neurons: number[]; everyMs?: number }[]; rateBinMs: number };
}

/** "P" or "P[a:b]" (either bound may be omitted). */
export function parseRef(ref: string): { name: string; start?: number; end?: number } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d*):(\d*)\])?$/.exec(ref.trim());
  if (!m) return undefined;
  return { name: m[1], start: m[2] ? Number(m[2]) : undefined, end: m[3] ? Number(m[3]) : undefined };
}

export function stimulusSize(s: StimulusSpec): number {
  return s.type === 'poisson' ? s.size : s.type === 'spike-times' ? s.timesMs.length : 2 * s.bits;
}

export function checkNetwork(spec: NetworkShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const sizes = new Map<string, { size: number; population?: PopulationSpec; where: string }>();
  spec.populations.forEach((p, i) => {
    if (sizes.has(p.name)) issue(['populations', i, 'name'], `"${p.name}" is already used by ${sizes.get(p.name)!.where}`);
    else sizes.set(p.name, { size: p.size, population: p, where: `populations[${i}]` });
  });
  spec.stimuli.forEach((s, i) => {
    if (sizes.has(s.name)) issue(['stimuli', i, 'name'], `"${s.name}" is already used by ${sizes.get(s.name)!.where}`);
    else sizes.set(s.name, { size: stimulusSize(s), where: `stimuli[${i}]` });
    if (s.type === 'bit-pattern' && s.word >= 2 ** s.bits) issue(['stimuli', i, 'word'], `word ${s.word} does not fit in ${s.bits} bits`);
  });
  const known = () => [...sizes.keys()].join(', ');
  const dt = spec.dtMs;
  /** A duration the engine turns into steps: at least `min` ms, and a whole number of steps. */
  const steps = (path: (string | number)[], what: string, ms: number, min: number) => {
    if (ms < min) issue(path, `${what} (${ms} ms) is shorter than ${min === dt ? `one step (dt = ${dt} ms)` : `${min} ms`}`);
    else if (!wholeSteps(ms, dt)) issue(path, offGridMessage(what, ms, dt));
  };
  steps(['durationMs'], 'the duration', spec.durationMs, dt);
  spec.stimuli.forEach((s, i) => {
    if (s.type !== 'poisson') return;
    // Each step a neuron spikes with probability rate·dt; above one spike per step it would be clipped to 1.
    if ((s.rateHz * dt) / 1000 > 1) issue(['stimuli', i, 'rateHz'], `${s.rateHz} Hz is more than one spike per step (at most ${1000 / dt} Hz with dt = ${dt} ms)`);
    steps(['stimuli', i, 'startMs'], 'the start', s.startMs, 0);
    if (s.stopMs !== undefined) {
      if (s.stopMs <= s.startMs) issue(['stimuli', i, 'stopMs'], `stop (${s.stopMs} ms) must be after start (${s.startMs} ms)`);
      else steps(['stimuli', i, 'stopMs'], 'the stop', s.stopMs, 0);
    }
  });

  spec.populations.forEach((p, i) => {
    const model = neuronModels[p.model];
    const tRef = model.refractoryMs(p.params);
    if (tRef > 0 && tRef < spec.dtMs) {
      issue(['populations', i, 'params', 'tRefMs'], `the refractory period (${tRef} ms) is shorter than dt (${spec.dtMs} ms), so the step cannot resolve it; use 0 (none) or at least dt`);
    } else if (!wholeSteps(tRef, dt)) issue(['populations', i, 'params', 'tRefMs'], offGridMessage('the refractory period', tRef, dt));
    // A reset at or above the threshold would fire the neuron again on every step it is free.
    const [reset, threshold, resetKey] = p.model === 'izhikevich' ? [p.params.c, p.params.vPeakMv, 'c'] : [p.params.vResetMv, p.params.vThreshMv, 'vResetMv'];
    if (reset >= threshold) issue(['populations', i, 'params', resetKey], `the reset (${reset} mV) must be below the ${p.model === 'izhikevich' ? 'spike cut-off vPeakMv' : 'threshold vThreshMv'} (${threshold} mV)`);
    if (p.thresholdAdaptation && p.model === 'izhikevich') issue(['populations', i, 'thresholdAdaptation'], 'threshold adaptation applies to the LIF models (izhikevich has a fixed spike cut-off)');
    for (const [v, value] of Object.entries(p.init)) {
      if (!model.variables.includes(v)) issue(['populations', i, 'init', v], `${p.model} has no variable "${v}" (it has ${model.variables.join(', ')})`);
      else checkLength(value, p.size, ['populations', i, 'init', v], issue);
    }
    checkLength(p.drive, p.size, ['populations', i, 'drive'], issue);
  });

  spec.projections.forEach((j, k) => {
    const at = (...rest: (string | number)[]) => ['projections', k, ...rest];
    const ends = (['from', 'to'] as const).map((side) => {
      const ref = parseRef(j[side]);
      if (!ref) return void issue(at(side), `"${j[side]}" is not a name or a slice like P[0:3200]`);
      const target = sizes.get(ref.name);
      if (!target) return void issue(at(side), `projection ${k} names unknown population "${ref.name}" (known: ${known()})`);
      if (side === 'to' && !target.population) return void issue(at(side), `"${ref.name}" is a stimulus; a projection must end on a neuron population`);
      const start = ref.start ?? 0;
      const end = ref.end ?? target.size;
      if (end > target.size || start >= end) return void issue(at(side), `slice [${start}:${end}] is ${start >= end ? 'empty' : `outside ${ref.name} (${target.size} neurons)`}`);
      return { name: ref.name, n: end - start, population: target.population };
    });
    if (j.delayMs < 0) issue(at('delayMs'), `negative delay (${j.delayMs} ms) in projection ${k}; delays must be ≥ 0`);
    else if (!wholeSteps(j.delayMs, dt)) issue(at('delayMs'), offGridMessage('the delay', j.delayMs, dt)); // 0: same step, else ≥ one step
    const [pre, post] = ends;
    if (pre && post) {
      const same = pre.name === post.name;
      const c = j.connector;
      if (c.type === 'one-to-one' && pre.n !== post.n) issue(at('connector'), `one-to-one needs equal sizes, got ${pre.n} → ${post.n}`);
      if (c.type === 'list') {
        c.pairs.forEach(([a, b], q) => {
          if (a >= pre.n || b >= post.n) issue(at('connector', 'pairs', q), `pair [${a}, ${b}] is outside ${pre.n} × ${post.n}`);
        });
      }
      const count = c.type === 'one-to-one' ? pre.n : c.type === 'all-to-all' ? pre.n * post.n - (same && !c.allowSelf ? Math.min(pre.n, post.n) : 0) : c.type === 'list' ? c.pairs.length : undefined;
      if (Array.isArray(j.weight)) {
        if (count === undefined) issue(at('weight'), 'a weight list needs a known number of synapses; a random connector draws its own');
        else if (j.weight.length !== count) issue(at('weight'), `${j.weight.length} weights for ${count} synapses`);
      }
      if (post.population?.model === 'lif-cond' && lowest(j.weight) < 0) issue(at('weight'), 'conductance weights must be ≥ 0 (use receptor: inh for inhibition)');
    }
    const p = j.plasticity;
    if (p) {
      if (!(p.wMin < p.wMax)) issue(at('plasticity', 'wMax'), `wMax (${p.wMax}) must be above wMin (${p.wMin})`);
      if (p.windowMs !== undefined && p.pairing === 'all-to-all') issue(at('plasticity', 'windowMs'), 'a window applies to nearest pairings; all-to-all traces have none');
      else if (p.windowMs !== undefined && p.windowMs < dt) issue(at('plasticity', 'windowMs'), `the window (${p.windowMs} ms) is shorter than one step (dt = ${dt} ms): only simultaneous spikes would pair`);
      if (typeof j.weight === 'object' && !Array.isArray(j.weight) && 'normal' in j.weight) issue(at('weight'), `unbounded weights: a normal draw can leave [${p.wMin}, ${p.wMax}]; use a uniform range`);
      else if (lowest(j.weight) < p.wMin || highest(j.weight) > p.wMax) issue(at('weight'), `initial weights must lie within [wMin, wMax] = [${p.wMin}, ${p.wMax}]`);
    }
  });

  spec.monitors.spikes.forEach((n, i) => {
    if (!sizes.has(n)) issue(['monitors', 'spikes', i], `unknown population "${n}" (known: ${known()})`);
  });
  steps(['monitors', 'rateBinMs'], 'the rate bin', spec.monitors.rateBinMs, dt);
  spec.monitors.state.forEach((m, i) => {
    if (m.everyMs !== undefined) steps(['monitors', 'state', i, 'everyMs'], 'the sampling interval', m.everyMs, dt);
    const target = sizes.get(m.population);
    if (!target?.population) return void issue(['monitors', 'state', i, 'population'], `unknown population "${m.population}" (known: ${spec.populations.map((p) => p.name).join(', ')})`);
    const model = neuronModels[target.population.model];
    if (!model.variables.includes(m.variable)) issue(['monitors', 'state', i, 'variable'], `${model.name} has no variable "${m.variable}" (it has ${model.variables.join(', ')})`);
    m.neurons.forEach((n, q) => {
      if (n >= target.size) issue(['monitors', 'state', i, 'neurons', q], `neuron ${n} is outside ${m.population} (${target.size} neurons)`);
    });
  });
  if (spec.durationMs / spec.dtMs > 1e9) issue(['durationMs'], `${spec.durationMs / spec.dtMs} steps is too many (at most 1e9)`);
}

function checkLength(v: ValueSpec, n: number, path: (string | number)[], issue: (p: (string | number)[], m: string) => void): void {
  if (Array.isArray(v) && v.length !== n) issue(path, `${v.length} values for ${n} neurons`);
}

function lowest(v: ValueSpec): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return Math.min(...v);
  if ('uniform' in v) return Math.min(...v.uniform);
  if ('linspace' in v) return Math.min(...v.linspace);
  return -Infinity;
}

function highest(v: ValueSpec): number {
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return Math.max(...v);
  if ('uniform' in v) return Math.max(...v.uniform);
  if ('linspace' in v) return Math.max(...v.linspace);
  return Infinity;
}
