/**
 * The three tasks of Liu et al. 2024 (PAPERS.md §5), as NeuroGym defines them
 * (PerceptualDecisionMaking-v0, DelayMatchSample-v0, ContextDecisionMaking-v0) with the
 * authors' timings: dt = 100 ms, 8 steps per trial, every trial exactly one sequence.
 * Targets on every step: 0 (fixate) before the decision step, the choice (1 or 2) on it.
 * Noise N(0, σ²) is added to every input channel during the stimulus periods, σ = √(2·100·k)/√dt
 * (NeuroGym's σ_dt): k = 0.01 for the first two tasks, 0.02 for the context task.
 *
 *   perceptual  inputs [fixation, stim1, stim2]; steps 0–6 stimulus (700 ms), 7 decision.
 *               coherence c ∈ {0, 6.4, 12.8, 25.6, 51.2}, signed + for choice 1;
 *               stim1 = (1 + c/100)/2, stim2 = (1 − c/100)/2, fixation 1 until the decision.
 *   dms         inputs [fixation, cos θ, sin θ]; step 0 sample (100 ms), 1–5 delay (500 ms),
 *               6 test, 7 decision. Sample θ ∈ {0, π/2}; the test is the sample (match, choice
 *               1) or the other one (non-match, 2). The fixation input is 1 on every step.
 *   context     inputs [fixation, m1 stim1, m1 stim2, m2 stim1, m2 stim2, context1, context2];
 *               steps 0–1 stimulus (200 ms), 2–6 delay, 7 decision. Two modalities, each with
 *               its own direction and coherence ∈ {5, 15, 50}; the context cue (on every step)
 *               says which one decides. Fixation 1 until the decision step, where it and the
 *               stimuli are 0.
 */
import type { Rng } from '../../core/rng';

export const taskNames = ['perceptual', 'dms', 'context'] as const;
export type TaskName = (typeof taskNames)[number];

export const STEPS = 8;
export const DECISION_STEP = 7;
export const OUTPUTS = 3; // fixate, choice 1, choice 2

export interface Task {
  readonly name: TaskName;
  readonly inputs: number;
  /** Write one trial's inputs (time-major: x[t][i] at t·stride + i) and return its choice (1 or 2). */
  trial(rng: Rng, x: Float32Array, at: (t: number, i: number) => number): number;
}

const sigma = (k: number) => Math.sqrt(2 * 100 * k) / Math.sqrt(100);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

export const tasks: Record<TaskName, Task> = {
  perceptual: {
    name: 'perceptual',
    inputs: 3,
    trial(rng, x, at) {
      const choice = 1 + rng.int(2);
      const c = (choice === 1 ? 1 : -1) * pick(rng, [0, 6.4, 12.8, 25.6, 51.2]);
      for (let t = 0; t < DECISION_STEP; t++) {
        const v = [1, (1 + c / 100) / 2, (1 - c / 100) / 2];
        for (let i = 0; i < 3; i++) x[at(t, i)] = v[i] + sigma(0.01) * rng.normal();
      }
      return choice;
    },
  },
  dms: {
    name: 'dms',
    inputs: 3,
    trial(rng, x, at) {
      const choice = 1 + rng.int(2);
      const sample = pick(rng, [0, 0.5]);
      const test = choice === 1 ? sample : 0.5 - sample;
      for (let t = 0; t < STEPS; t++) x[at(t, 0)] = 1;
      for (const [t, s] of [[0, sample], [6, test]]) {
        const v = [1, Math.cos(s * Math.PI), Math.sin(s * Math.PI)];
        for (let i = 0; i < 3; i++) x[at(t, i)] = v[i] + sigma(0.01) * rng.normal();
      }
      return choice;
    },
  },
  context: {
    name: 'context',
    inputs: 7,
    trial(rng, x, at) {
      const choice = 1 + rng.int(2);
      const other = 1 + rng.int(2);
      const context = rng.int(2);
      const cohs = [5, 15, 50];
      const [c0, c1] = [pick(rng, cohs), pick(rng, cohs)];
      // Context 0: modality 1 points to the choice; context 1: modality 2 does.
      const [dir0, dir1] = context === 0 ? [choice, other] : [other, choice];
      const s0 = (dir0 === 1 ? 1 : -1) * c0;
      const s1 = (dir1 === 1 ? 1 : -1) * c1;
      for (let t = 0; t < STEPS; t++) {
        x[at(t, 5 + context)] = 1;
        if (t < DECISION_STEP) x[at(t, 0)] = 1;
      }
      for (let t = 0; t < 2; t++) {
        const stim = [0, (1 + s0 / 100) / 2, (1 - s0 / 100) / 2, (1 + s1 / 100) / 2, (1 - s1 / 100) / 2, 0, 0];
        for (let i = 0; i < 7; i++) x[at(t, i)] += stim[i] + sigma(0.02) * rng.normal();
      }
      return choice;
    },
  },
};

/** A batch of trials: inputs [T, B, inputs] (time-major) and targets [T·B] (t·B + b). */
export interface TrialBatch {
  x: Float32Array;
  y: Int32Array;
  /** Each trial's choice. */
  choices: Int32Array;
}

/** `size` fresh trials of a task from the stream `rng` (a seeded data stream: same seed, same trials). */
export function trialBatch(task: Task, size: number, rng: Rng, into?: TrialBatch): TrialBatch {
  const b: TrialBatch = into ?? { x: new Float32Array(STEPS * size * task.inputs), y: new Int32Array(STEPS * size), choices: new Int32Array(size) };
  b.x.fill(0);
  b.y.fill(0);
  for (let n = 0; n < size; n++) {
    const choice = task.trial(rng, b.x, (t, i) => (t * size + n) * task.inputs + i);
    b.choices[n] = choice;
    b.y[DECISION_STEP * size + n] = choice;
  }
  return b;
}
