/**
 * Three learners on one stream — constant η, random regulation, the homeostat (PAPERS.md §2) —
 * each a learner System wired to its regulator with the kernel's `wire` (PAPERS.md §8), the
 * three pairs wired side by side into one System, and that System compiled into one Program
 * step (kernel/dense/program.ts): a step is one minibatch, i.e. m ticks of the wired System, so
 * K minibatches of all three learners, simulated steps included, are one onnxruntime run.
 *
 * Each pair (parts read each other's readouts from the tick before, as Moore machines do):
 *
 *   learner   ← the sample tick, and the regulator's η and candidate rates
 *   homeostat ← the learner's probe (made at a minibatch's first sample, read at its second)
 *   random    ← the first sample's label and the coin
 *   constant  ← nothing
 *
 * The learner steps at the minibatch's last sample with the η its regulator reads out then, so
 * a decision made at the first sample already counts for that minibatch, as in the authors'
 * loop. Same data, same swaps and the same initial weights for all three (the caller gives each
 * its own copy of the model).
 */
import { simulate, wire, type System } from '../../core/system';
import type { Value } from '../../dense/graph';
import type { Layer } from '../../dense/layers/layer';
import * as o from '../../dense/ops';
import type { Parameter } from '../../dense/params';
import type { ProgramStep } from '../../dense/program';
import { learner, type LearnerReadout, type LearnerState, type SampleTick } from './learner';
import { constantRate, homeostat, randomRegulator, type Coin, type RateParams, type RateReadout, type RateState } from './regulators';

export const learnerNames = ['constant', 'random', 'homeostatic'] as const;
export type LearnerName = (typeof learnerNames)[number];
export type PerLearner<T> = Record<LearnerName, T>;

export interface ComparisonOptions {
  /** Each learner's model (same architecture and initial values, parameters of its own). */
  models: PerLearner<Layer>;
  /** Each learner's η, a carried scalar. */
  etas: PerLearner<Parameter>;
  rates: RateParams;
  batchSize: number;
  features: number;
  /** Recent samples a probe is scored on (the paper: 20). */
  memory: number;
}

/** A tick of the comparison: the learners' sample tick and the random regulator's coin. */
type Tick = SampleTick & { coin?: Coin };
type PairReadout = { eta: Value; probe?: LearnerReadout['probe']; step?: LearnerReadout['step'] };

/** Every tensor a comparison carries from minibatch to minibatch: the three models' parameters and η's. */
export function carried(c: Pick<ComparisonOptions, 'models' | 'etas'>): Parameter[] {
  return learnerNames.flatMap((n) => [...c.models[n].parameters(), c.etas[n]]);
}

/**
 * One minibatch of the comparison as a Program step. Inputs: `x` [m, features] and `memoryX`
 * [memory, features] pixels (uint8), `y` [m] and `memoryY` [memory] current labels (int32),
 * `decide` and `coin` (float32 0/1). Outputs per learner: `<name>.eta` (the η its step used),
 * `<name>.loss` (mean), `<name>.correct` (before the step); and `homeostatic.keep`,
 * `homeostatic.move` (the probe's scores).
 */
export function comparisonStep(s: ProgramStep, c: ComparisonOptions): void {
  const g = s.graph;
  const m = c.batchSize;
  const floats = (bytes: Value) => g.scope('input', () => o.div(o.cast(bytes, 'float32'), 255));
  const batch = { x: floats(s.input('x', [m, c.features], 'uint8')), y: s.input('y', [m], 'int32') };
  const memory = { x: floats(s.input('memoryX', [c.memory, c.features], 'uint8')), y: s.input('memoryY', [c.memory], 'int32'), decide: s.input('decide', []) };
  const coin = { label: o.reshape(o.slice(batch.y, [0], [1], [0]), []), coin: s.input('coin', []) };

  const learnerOf = (n: LearnerName) => learner(n, c.models[n], m, { params: new Map(c.models[n].parameters().map((p) => [p, s.get(p)])), seen: 0 });
  const start = (n: LearnerName): RateState => ({ eta: s.get(c.etas[n]) });
  const system = wire(
    'concept shift',
    {
      constant: pair('constant', learnerOf('constant'), constantRate(c.rates, start('constant')), () => undefined, false),
      random: pair('random', learnerOf('random'), randomRegulator(c.rates, start('random')), (t) => t.coin, false),
      homeostatic: pair('homeostatic', learnerOf('homeostatic'), homeostat(c.rates, start('homeostatic')), (_, learnt) => learnt.probe, true),
    },
    { inputs: (t: Tick) => ({ constant: t, random: t, homeostatic: t }), output: (out) => out },
  );
  const ticks: Tick[] = Array.from({ length: m }, (_, j) => (j === 0 ? { batch, index: j, memory, coin } : { batch, index: j }));
  const { outputs, state } = simulate(system, ticks);

  for (const n of learnerNames) {
    for (const [p, v] of state[n].learner.params) s.set(p, v);
    s.set(c.etas[n], state[n].regulator.eta);
    const last = outputs[m - 1][n];
    s.output(`${n}.eta`, last.eta);
    s.output(`${n}.loss`, last.step!.loss);
    s.output(`${n}.correct`, last.step!.correct);
  }
  const probe = outputs[0].homeostatic.probe!;
  s.output('homeostatic.keep', probe.keep);
  s.output('homeostatic.move', probe.move);
}

/** A learner wired to its regulator; the pair reads out η and what the learner did. */
function pair<RI>(
  name: string,
  l: System<LearnerState, SampleTick & RateReadout, LearnerReadout>,
  r: System<RateState, RI, RateReadout>,
  regulatorInput: (t: Tick, learnt: LearnerReadout) => RI,
  probes: boolean,
): System<{ learner: LearnerState; regulator: RateState }, Tick, PairReadout> {
  return wire(name, { learner: l, regulator: r }, {
    inputs: (t: Tick, out) => ({
      learner: { batch: t.batch, index: t.index, memory: probes ? t.memory : undefined, ...out.regulator },
      regulator: regulatorInput(t, out.learner),
    }),
    output: (out) => ({ eta: out.regulator.eta, probe: out.learner.probe, step: out.learner.step }),
  });
}
