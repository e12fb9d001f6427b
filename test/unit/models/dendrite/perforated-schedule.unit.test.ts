/**
 * The phase schedule of perforated backpropagation on scripted validation curves and scores:
 * each rule of PAPERS.md §1 (and of the authors' library) fires at the epoch it should, and only
 * then.
 */
import * as assert from 'assert';
import { PhaseSchedule, type Learning, type ScheduleSpec, type Step } from '../../../../kernel/models/dendrite/perforated-schedule';

const spec: ScheduleSpec = {
  monitor: 'accuracy',
  switchPatience: 3,
  improvementThresholds: [1e-3, 1e-4],
  improvementThresholdRaw: 1e-5,
  scorePatience: 2,
  scoreImprovement: 0.1,
  maxTries: 2,
  maxCycles: 2,
  maxDendriteEpochs: 5,
};

/** Feed one value per epoch (neuron phase: validation; dendrite phase: score) in the phase the schedule is in; the steps, by epoch. */
function drive(s: PhaseSchedule, values: number[], from = 1): Step[] {
  return values.map((v, i) => (s.phase === 'neuron' ? s.neuronEpoch(from + i, v) : s.dendriteEpoch(from + i, v)));
}
const acts = (st: Step) => st.actions.map((a) => a.do).join(',');
const evs = (st: Step) => st.events.map((e) => `${e.event}:${e.reason}`).join(',');
const make = (o: Partial<ScheduleSpec> = {}, learning: Learning = 'correlation', perforated = true) => new PhaseSchedule({ ...spec, ...o }, learning, perforated);
/** Neuron phase to its first switch: best 0.6 at epoch 2, switch at 5. */
const firstPhase = [0.5, 0.6, 0.59, 0.58, 0.57];

describe('perforated schedule', () => {
  it('saves the best at the first epoch and at each gain above 1e-3 relative before any dendrite; a smaller gain does not count', () => {
    const steps = drive(make(), [0.5, 0.5004, 0.6, 0.6003]);
    assert.deepStrictEqual(steps.map(acts), ['save-best', '', 'save-best', '']);
  });

  it('after switchPatience epochs without improvement restores the best model, grows a dendrite set and enters the dendrite phase', () => {
    const s = make();
    const steps = drive(s, firstPhase);
    assert.deepStrictEqual(steps.slice(2, 4).map(acts), ['', '']);
    assert.strictEqual(acts(steps[4]), 'restore-best,grow');
    assert.strictEqual(evs(steps[4]), 'restore:validation-plateau,cycle-start:validation-plateau,dendrite-phase:validation-plateau');
    assert.strictEqual(s.phase, 'dendrite');
    assert.deepStrictEqual(s.best, { value: 0.6, epoch: 2, cycles: 0 });
  });

  it('ends the dendrite phase after scorePatience epochs without a 10% score gain, joining the candidates (cycle 1)', () => {
    const s = make();
    drive(s, firstPhase);
    const steps = drive(s, [1, 1.05, 1.09], 6);
    assert.deepStrictEqual(steps.map(acts), ['', '', 'join']);
    assert.strictEqual(evs(steps[2]), 'neuron-phase:score-plateau');
    assert.strictEqual(s.phase, 'neuron');
    assert.strictEqual(s.cycles, 1);
  });

  it('a score that keeps gaining 10% keeps the dendrite phase going until maxDendriteEpochs', () => {
    const s = make();
    drive(s, firstPhase);
    const steps = drive(s, [1, 1.2, 1.5, 2, 3], 6);
    assert.deepStrictEqual(steps.map(acts), ['', '', '', '', 'join']);
    assert.strictEqual(evs(steps[4]), 'neuron-phase:max-dendrite-epochs');
  });

  it('counts a gain of 1e-4 relative once a dendrite set has joined (thresholds by cycle)', () => {
    const s = make();
    drive(s, firstPhase);
    drive(s, [1, 1, 1], 6);
    const steps = drive(s, [0.61, 0.61005, 0.6101], 9);
    assert.deepStrictEqual(steps.map(acts), ['save-best', '', 'save-best']);
  });

  it('a dendrite set whose neuron phase never beats the run\'s best fails: the best model (without it) is restored and another set tried', () => {
    const s = make();
    drive(s, firstPhase);
    drive(s, [1, 1, 1], 6);
    const steps = drive(s, [0.58, 0.6, 0.59, 0.55, 0.55], 9); // 0.6 improves the phase, not the run
    assert.deepStrictEqual(steps.map(acts), ['', '', '', '', 'restore-best,grow']);
    assert.strictEqual(evs(steps[4]), 'restore:retry,cycle-start:retry,dendrite-phase:retry');
    assert.strictEqual(s.cycles, 0, 'the restored best model has no dendrite');
    assert.strictEqual(s.failures, 1);
  });

  it('maxTries failed dendrite sets in a row stop training with the best model restored', () => {
    const s = make();
    drive(s, firstPhase);
    for (let t = 0; t < 2; t++) {
      drive(s, [1, 1, 1]);
      const steps = drive(s, [0.5, 0.5, 0.5, 0.5]);
      if (t === 1) assert.strictEqual(acts(steps[3]), 'restore-best,stop');
      if (t === 1) assert.strictEqual(evs(steps[3]), 'restore:dendrites-failed,stop:dendrites-failed');
    }
    assert.ok(s.done);
    assert.strictEqual(s.cycles, 0);
  });

  it('a set that improves validation resets the failure count, and after maxCycles sets training stops', () => {
    const s = make();
    drive(s, firstPhase);
    drive(s, [1, 1, 1]);
    drive(s, [0.5, 0.5, 0.5, 0.5]); // set 1 fails
    drive(s, [1, 1, 1]);
    const second = drive(s, [0.7, 0.7, 0.7, 0.7]); // set 1 (second try) improves: a second set grows
    assert.strictEqual(acts(second[3]), 'restore-best,grow');
    assert.strictEqual(s.failures, 0);
    drive(s, [1, 1, 1]);
    const third = drive(s, [0.8, 0.8, 0.8, 0.8]);
    assert.strictEqual(evs(third[3]), 'restore:max-cycles,stop:max-cycles');
    assert.strictEqual(s.best?.value, 0.8);
    assert.strictEqual(s.cycles, 2, 'the best model has both sets');
    assert.ok(s.done);
  });

  it('a net with nothing perforated stops at its first switch: plain training with early stopping', () => {
    const s = make({}, 'correlation', false);
    const steps = drive(s, firstPhase);
    assert.strictEqual(acts(steps[4]), 'restore-best,stop');
    assert.strictEqual(evs(steps[4]), 'restore:plain-converged,stop:plain-converged');
  });

  it('watching the loss, lower values are the improvements', () => {
    const steps = drive(make({ monitor: 'loss' }), [1, 0.9995, 0.8, 0.9]);
    assert.deepStrictEqual(steps.map(acts), ['save-best', '', 'save-best', '']);
  });

  it('with gradient learning a new set joins at once: no dendrite phase, the neuron phase goes on with one more cycle', () => {
    const s = make({}, 'gradient');
    const steps = drive(s, firstPhase);
    assert.strictEqual(acts(steps[4]), 'restore-best,grow');
    assert.strictEqual(evs(steps[4]), 'restore:validation-plateau,cycle-start:validation-plateau,neuron-phase:joined');
    assert.strictEqual(s.phase, 'neuron');
    assert.strictEqual(s.cycles, 1);
  });

  it('running out of epochs (finish) restores the best model and stops, in either phase', () => {
    const s = make();
    drive(s, firstPhase);
    const st = s.finish(6);
    assert.strictEqual(acts(st), 'restore-best,stop');
    assert.strictEqual(evs(st), 'restore:max-epochs,stop:max-epochs');
    assert.throws(() => s.neuronEpoch(7, 0.9), /finished/);
  });
});
