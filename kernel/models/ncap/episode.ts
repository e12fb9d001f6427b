/**
 * One episode of dm_control's swim task with a controller in closed loop: the controller and
 * the swimmer body wired into one System (kernel/core/system.ts `wire`), the body's command
 * being the controller's policy applied to the body's readout. An episode starts from
 * dm_control's random start (heading and joint angles drawn from the episode's seed) and sums
 * the swim reward over its control steps (1000 = 30 s in the task).
 */
import { Rng } from '../../core/rng';
import { wire, type System } from '../../core/system';
import { swimReward, type Swimmer, type SwimmerReadout } from '../../bodies/swimmer';
import { ncapInit, ncapParameterCount, ncapSystem, type Policy } from './circuit';
import { mlpInit, mlpParameterCount, mlpSizes, mlpSystem } from './mlp';

export type ControllerSpec =
  | { kind: 'ncap'; shared: boolean; signed: boolean; period: number }
  | { kind: 'mlp'; hidden: number[] };

export type Controller = System<any, unknown, Policy>;

export function controllerSystem(c: ControllerSpec, nLinks: number, params: ArrayLike<number>): Controller {
  return c.kind === 'ncap' ? ncapSystem({ ...c, joints: nLinks - 1 }, params) : mlpSystem(mlpSizes(nLinks, c.hidden), params);
}

export function parameterCount(c: ControllerSpec, nLinks: number): number {
  return c.kind === 'ncap' ? ncapParameterCount({ joints: nLinks - 1, shared: c.shared }) : mlpParameterCount(mlpSizes(nLinks, c.hidden));
}

export function initialParameters(c: ControllerSpec, init: 'constant' | 'random', nLinks: number, rng: Rng): Float64Array {
  return c.kind === 'ncap' ? ncapInit({ joints: nLinks - 1, shared: c.shared, signed: c.signed }, init, rng) : mlpInit(mlpSizes(nLinks, c.hidden), rng);
}

/** Controller and body in closed loop: the body gets the controller's policy of its own readout. */
export function closedLoop(controller: Controller, body: Swimmer) {
  return wire('swim-loop', { controller, body }, {
    inputs: (_: null, out) => ({ controller: out.body, body: out.controller(out.body) }),
    output: (out): SwimmerReadout => out.body,
  });
}

export interface EpisodeResult {
  /** Sum of the swim reward over the steps (1000 at most over 1000 steps). */
  return: number;
  meanForwardVelocity: number;
  /** The body's pose after each step (3 values per link), when asked for. */
  poses?: Float64Array[];
}

export interface EpisodeTask {
  controller: ControllerSpec;
  links: number;
  params: ArrayLike<number>;
  /** Seeds the episode's random start. */
  seed: number;
  steps: number;
}

/** Run one episode on `body` (a swimmer with task.links links). */
export function runEpisode(task: EpisodeTask, body: Swimmer, record = false): EpisodeResult {
  if (body.nLinks !== task.links) throw new Error(`episode for ${task.links} links on a ${body.nLinks}-link body`);
  const controller = controllerSystem(task.controller, task.links, task.params);
  const loop = closedLoop(controller, body);
  let state = { controller: controller.init(), body: body.randomInit(new Rng(task.seed)) };
  let total = 0, speed = 0;
  const poses: Float64Array[] = [];
  if (record) poses.push(state.body.readout.pose);
  for (let t = 0; t < task.steps; t++) {
    state = loop.update(state, null);
    const r = loop.readout(state);
    total += swimReward(r.forwardVelocity);
    speed += r.forwardVelocity;
    if (record) poses.push(r.pose);
  }
  return { return: total, meanForwardVelocity: speed / task.steps, ...(record ? { poses } : {}) };
}
