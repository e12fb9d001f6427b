/**
 * The phase schedule of perforated backpropagation (PAPERS.md §1; the defaults are the authors'
 * library's, `globals_perforatedai.py` and `tracker_perforatedai.py`). A pure state machine: it
 * sees one number per epoch (the validation value in a neuron phase, the candidates' score in a
 * dendrite phase) and answers with what to do to the network and the events that happened.
 *
 * Neuron phase (W, b, c train):
 *   1. An epoch improves when its validation value v beats the phase's best b by the relative
 *      threshold t (1e-3 before any dendrite, then 1e-4) and the absolute one r (1e-5):
 *      maximising, v·(1 − t) > b and v − r > b (minimising: v·(1 + t) < b and v + r < b).
 *      The first epoch of a phase always improves. An improvement that also beats the best of
 *      the whole run (same test) saves the net as the best model.
 *   2. After `switchPatience` epochs without improvement it is time to switch:
 *      a. a net with nothing perforated stops (plain training with early stopping);
 *      b. if dendrites were added and this phase never beat the run's best, the dendrite set
 *         failed: the best model is restored (dropping the set) and, after `maxTries` failures
 *         in a row, training stops; otherwise a new set is tried from other random weights;
 *      c. else, after `maxCycles` sets training stops; otherwise the best model is restored and a
 *         new dendrite set grown (a cycle starts).
 * Dendrite phase (only the candidates train, correlation learning):
 *   3. The score is the mean over units of each unit's best correlation score so far; an epoch
 *      improves when it beats the last improvement by `scoreImprovement` (10%). After
 *      `scorePatience` epochs without one (or `maxDendriteEpochs` in the phase) the candidates
 *      join their neurons (c = 0) and a neuron phase starts.
 * With gradient learning (the open-source library's default) there is no dendrite phase: a new
 * set joins at once and trains with everything else by backpropagation.
 * Stopping always restores the best model first.
 */

export interface ScheduleSpec {
  /** Validation value watched: accuracy is maximised, loss minimised. */
  monitor: 'accuracy' | 'loss';
  switchPatience: number;
  /** Relative thresholds, by dendrite sets joined (the last one repeats). */
  improvementThresholds: number[];
  improvementThresholdRaw: number;
  scorePatience: number;
  scoreImprovement: number;
  maxTries: number;
  maxCycles: number;
  maxDendriteEpochs: number;
}

export type Learning = 'correlation' | 'gradient';

export type Action =
  | { do: 'save-best' }
  | { do: 'restore-best' }
  /** Grow a new dendrite set; with correlation learning a dendrite phase follows, else it joins at once. */
  | { do: 'grow' }
  /** End the dendrite phase: the candidates (their best-scoring weights) join their neurons. */
  | { do: 'join' }
  | { do: 'stop' };

export const EVENTS = ['cycle-start', 'dendrite-phase', 'neuron-phase', 'restore', 'stop'] as const;
export const REASONS = ['validation-plateau', 'retry', 'score-plateau', 'max-dendrite-epochs', 'dendrites-failed', 'max-cycles', 'plain-converged', 'max-epochs', 'joined'] as const;
export type EventName = (typeof EVENTS)[number];
export type Reason = (typeof REASONS)[number];

export interface ScheduleEvent {
  epoch: number;
  event: EventName;
  reason: Reason;
  /** Dendrite sets joined after the event. */
  cycle: number;
  /** Failed dendrite sets in a row. */
  failures: number;
}

export interface Step {
  actions: Action[];
  events: ScheduleEvent[];
}

export class PhaseSchedule {
  phase: 'neuron' | 'dendrite' = 'neuron';
  /** Dendrite sets joined in the current net. */
  cycles = 0;
  failures = 0;
  done = false;
  best?: { value: number; epoch: number; cycles: number };
  private phaseBest?: number;
  private lastImproved = 0;
  private phaseSetBest = false;
  private phaseStart = 0;
  private scoreRef?: number;
  private scoreImproved = 0;

  constructor(readonly spec: ScheduleSpec, readonly learning: Learning, readonly perforated: boolean) {}

  /** After a neuron-phase epoch (1-based, counted over the whole run) with validation value `value`. */
  neuronEpoch(epoch: number, value: number): Step {
    if (this.phase !== 'neuron' || this.done) throw new Error(`neuronEpoch in the ${this.done ? 'finished' : this.phase} schedule`);
    const s = this.spec;
    const t = s.improvementThresholds[Math.min(this.cycles, s.improvementThresholds.length - 1)];
    const actions: Action[] = [];
    if (this.phaseBest === undefined || this.beats(value, this.phaseBest, t)) {
      this.phaseBest = value;
      this.lastImproved = epoch;
      if (!this.best || this.beats(value, this.best.value, t)) {
        this.best = { value, epoch, cycles: this.cycles };
        this.phaseSetBest = true;
        actions.push({ do: 'save-best' });
      }
    }
    if (epoch - this.lastImproved < s.switchPatience) return { actions, events: [] };
    if (!this.perforated) return this.stop(epoch, 'plain-converged', actions);
    if (this.cycles > 0 && !this.phaseSetBest) {
      this.failures++;
      if (this.failures >= s.maxTries) return this.stop(epoch, 'dendrites-failed', actions);
      return this.grow(epoch, 'retry', actions);
    }
    if (this.cycles >= s.maxCycles) return this.stop(epoch, 'max-cycles', actions);
    this.failures = 0;
    return this.grow(epoch, 'validation-plateau', actions);
  }

  /** After a dendrite-phase epoch with `score`, the mean of the units' best correlation scores. */
  dendriteEpoch(epoch: number, score: number): Step {
    if (this.phase !== 'dendrite' || this.done) throw new Error(`dendriteEpoch in the ${this.done ? 'finished' : this.phase} schedule`);
    const s = this.spec;
    if (this.scoreRef === undefined || score >= this.scoreRef * (1 + s.scoreImprovement)) {
      this.scoreRef = score;
      this.scoreImproved = epoch;
    }
    const plateau = epoch - this.scoreImproved >= s.scorePatience;
    if (!plateau && epoch - this.phaseStart < s.maxDendriteEpochs) return { actions: [], events: [] };
    this.cycles++;
    this.startNeuronPhase(epoch);
    return { actions: [{ do: 'join' }], events: [this.event(epoch, 'neuron-phase', plateau ? 'score-plateau' : 'max-dendrite-epochs')] };
  }

  /** Training ran out of epochs: restore the best model and stop. */
  finish(epoch: number): Step {
    return this.stop(epoch, 'max-epochs', []);
  }

  private grow(epoch: number, reason: Reason, actions: Action[]): Step {
    const events: ScheduleEvent[] = [];
    actions.push({ do: 'restore-best' }, { do: 'grow' });
    this.cycles = this.best!.cycles;
    events.push(this.event(epoch, 'restore', reason), this.event(epoch, 'cycle-start', reason));
    if (this.learning === 'correlation') {
      this.phase = 'dendrite';
      this.phaseStart = epoch;
      this.scoreRef = undefined;
      this.scoreImproved = epoch;
      events.push(this.event(epoch, 'dendrite-phase', reason));
    } else {
      this.cycles++;
      this.startNeuronPhase(epoch);
      events.push(this.event(epoch, 'neuron-phase', 'joined'));
    }
    return { actions, events };
  }

  private startNeuronPhase(epoch: number): void {
    this.phase = 'neuron';
    this.phaseBest = undefined;
    this.phaseSetBest = false;
    this.lastImproved = epoch;
  }

  private stop(epoch: number, reason: Reason, actions: Action[]): Step {
    this.done = true;
    actions.push({ do: 'restore-best' }, { do: 'stop' });
    if (this.best) this.cycles = this.best.cycles;
    return { actions, events: [this.event(epoch, 'restore', reason), this.event(epoch, 'stop', reason)] };
  }

  private beats(v: number, b: number, t: number): boolean {
    const r = this.spec.improvementThresholdRaw;
    return this.spec.monitor === 'accuracy' ? v * (1 - t) > b && v - r > b : v * (1 + t) < b && v + r < b;
  }

  private event(epoch: number, event: EventName, reason: Reason): ScheduleEvent {
    return { epoch, event, reason, cycle: this.cycles, failures: this.failures };
  }
}
