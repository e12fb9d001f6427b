/**
 * The swimmer body as a System (kernel/core/system.ts): input the motor commands of its N − 1
 * joints (clamped to [−1, 1] by MuJoCo), state the MuJoCo state, readout what dm_control's
 * `swim` task observes plus the pose for drawing.
 *
 * One update is one control step of dm_control's environment: the command is held for
 * 15 physics steps of 2 ms (control timestep 0.03 s), then the position and velocity stages are
 * recomputed for the new state (mj_step1, as dm_control's Physics.step does), so the sensors
 * describe the state the step ended in.
 *
 * States are values: `update` never changes the state it is given. The MuJoCo data block holds
 * the state made last; when asked to step from any other state, the body first restores it
 * (time, positions, velocities and the constraint solver's warm start: everything mj_step
 * reads here), so a state can be stepped twice, or after another, with the same result.
 */
import type { Rng } from '../core/rng';
import type { System } from '../core/system';
import { compileModel, MjBody, mujoco, type MainModule } from './mujoco';
import { jointLimit, swimmerMjcf } from './swimmer-mjcf';

/** Physics steps per control step (dm_control: control timestep 0.03 s over a 2 ms physics step). */
export const PHYSICS_STEPS_PER_CONTROL = 15;
/** Control steps per episode (dm_control: 30 s at 0.03 s). */
export const EPISODE_STEPS = 1000;
/** Forward head speed at and above which the swim reward is 1, m/s (ncap-swimmer's `_SWIM_SPEED`). */
export const DESIRED_SPEED = 0.1;

export interface SwimmerReadout {
  /** Joint angles (rad), head joint first: N − 1 values (dm_control's `joints`). */
  readonly joints: Float64Array;
  /** vx, vy (m/s) and ωz (rad/s) of each link in its own frame, head first: 3N values (`body_velocities`). */
  readonly bodyVelocities: Float64Array;
  /** The head's forward speed in its own frame, −vy of its velocimeter (m/s). */
  readonly forwardVelocity: number;
  /** x, y (m) of each link's centre and the direction it faces (rad), head first: 3N values. */
  readonly pose: Float64Array;
  /** Simulated time, s. */
  readonly time: number;
}

export interface SwimmerState {
  /** time, qpos, qvel, qacc_warmstart. */
  readonly physics: Float64Array;
  readonly readout: SwimmerReadout;
}

/** dm_control's swim reward: forward speed v as tolerance(v, bounds [0.1, ∞), linear margin 0.1) = clamp(v/0.1, 0, 1). */
export function swimReward(forwardVelocity: number, desired = DESIRED_SPEED): number {
  return Math.min(1, Math.max(0, forwardVelocity / desired));
}

interface Views {
  qpos: Float64Array;
  qvel: Float64Array;
  warm: Float64Array;
  ctrl: Float64Array;
  sensors: Float64Array;
  xpos: Float64Array;
  xmat: Float64Array;
}

export class Swimmer implements System<SwimmerState, ArrayLike<number>, SwimmerReadout> {
  readonly name: string;
  readonly nJoints: number;
  private readonly body: MjBody;
  private readonly nq: number;
  private readonly nv: number;
  private views!: Views;
  /** The state the data block holds now. */
  private current?: SwimmerState;

  /** An N-link swimmer in this process's MuJoCo (loaded on first use). Call dispose() when done. */
  static async create(nLinks: number): Promise<Swimmer> {
    return new Swimmer(await mujoco(), nLinks);
  }

  constructor(mj: MainModule, readonly nLinks: number, readonly physicsStepsPerControl = PHYSICS_STEPS_PER_CONTROL) {
    this.name = `swimmer${nLinks}`;
    this.nJoints = nLinks - 1;
    this.body = new MjBody(mj, compileModel(mj, swimmerMjcf(nLinks)));
    const m = this.body.model;
    if (m.nu !== this.nJoints || m.na !== 0 || m.nq !== nLinks + 2) throw new Error(`swimmer model: unexpected sizes nq=${m.nq} nu=${m.nu} na=${m.na}`);
    this.nq = m.nq;
    this.nv = m.nv;
    this.refreshViews();
  }

  /** The heap the model lives in, in bytes (grows when models and data are not freed). */
  heapBytes(): number {
    return this.body.heapBytes();
  }

  /** At rest: straight, at the origin, facing −y. */
  init(): SwimmerState {
    return this.start(() => {});
  }

  /** dm_control's episode start: heading uniform in [−π, π), each joint uniform within its limits, at rest. */
  randomInit(rng: Rng): SwimmerState {
    const limit = jointLimit(this.nLinks);
    return this.start((qpos) => {
      qpos[2] = -Math.PI + 2 * Math.PI * rng.float();
      for (let j = 0; j < this.nJoints; j++) qpos[3 + j] = -limit + 2 * limit * rng.float();
    });
  }

  readout(state: SwimmerState): SwimmerReadout {
    return state.readout;
  }

  update(state: SwimmerState, torque: ArrayLike<number>): SwimmerState {
    const { mj } = this.body;
    const { model, data } = this.body;
    if (state !== this.current) this.restore(state);
    const v = this.live();
    for (let j = 0; j < this.nJoints; j++) v.ctrl[j] = torque[j];
    for (let k = 0; k < this.physicsStepsPerControl; k++) mj.mj_step(model, data);
    mj.mj_step1(model, data);
    return this.capture();
  }

  dispose(): void {
    this.current = undefined;
    this.body.dispose();
  }

  private start(set: (qpos: Float64Array) => void): SwimmerState {
    const { mj, model, data } = this.body;
    mj.mj_resetData(model, data);
    set(this.live().qpos);
    mj.mj_forward(model, data);
    return this.capture();
  }

  private restore(s: SwimmerState): void {
    const v = this.live();
    const p = s.physics;
    this.body.data.time = p[0];
    v.qpos.set(p.subarray(1, 1 + this.nq));
    v.qvel.set(p.subarray(1 + this.nq, 1 + this.nq + this.nv));
    v.warm.set(p.subarray(1 + this.nq + this.nv));
  }

  private capture(): SwimmerState {
    const v = this.live();
    const n = this.nLinks;
    const physics = new Float64Array(1 + this.nq + 2 * this.nv);
    physics[0] = this.body.data.time;
    physics.set(v.qpos, 1);
    physics.set(v.qvel, 1 + this.nq);
    physics.set(v.warm, 1 + this.nq + this.nv);
    const bodyVelocities = new Float64Array(3 * n);
    const pose = new Float64Array(3 * n);
    for (let b = 0; b < n; b++) {
      // sensors per link: velocimeter (vx vy vz), gyro (ωx ωy ωz); bodies: world is 0
      bodyVelocities[3 * b] = v.sensors[6 * b];
      bodyVelocities[3 * b + 1] = v.sensors[6 * b + 1];
      bodyVelocities[3 * b + 2] = v.sensors[6 * b + 5];
      pose[3 * b] = v.xpos[3 * (b + 1)];
      pose[3 * b + 1] = v.xpos[3 * (b + 1) + 1];
      // facing = −(local y axis) in the world; xmat is row-major, column 1 is the local y axis
      pose[3 * b + 2] = Math.atan2(-v.xmat[9 * (b + 1) + 4], -v.xmat[9 * (b + 1) + 1]);
    }
    const readout: SwimmerReadout = {
      joints: v.qpos.slice(3),
      bodyVelocities,
      forwardVelocity: -v.sensors[1],
      pose,
      time: physics[0],
    };
    this.current = { physics, readout };
    return this.current;
  }

  /** The typed-array views on the data block, made again when the heap has grown (old views are then detached). */
  private live(): Views {
    if (this.views.qpos.length === 0) this.refreshViews();
    return this.views;
  }

  private refreshViews(): void {
    const d = this.body.data;
    this.views = { qpos: d.qpos, qvel: d.qvel, warm: d.qacc_warmstart, ctrl: d.ctrl, sensors: d.sensordata, xpos: d.xpos, xmat: d.xmat };
  }
}
