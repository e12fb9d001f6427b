/**
 * The N-link swimmer of the DeepMind Control Suite (dm_control `suite/swimmer.py` and
 * `swimmer.xml`), written here from their documented parameters as MJCF text:
 *
 *   - a chain of N rigid links in the horizontal plane, head first. Each link is 0.1 m long and
 *     carries 0.01 kg in an invisible box of half-sizes 0.001 × 0.05 × 0.01 m (its inertia is
 *     what the fluid acts on); a massless capsule of radius 0.01 m marks it for drawing;
 *   - the head moves freely in the plane: slide x, slide y and a hinge about z, all at the
 *     head's rear end (0, −0.05, 0), unlimited, no stiffness, no armature;
 *   - link k+1 hangs 0.1 m behind link k on a hinge about z at its front end, limited to
 *     ±360°/N, with soft limits (solref 0.05 1, solimp 0 0.8 0.1) and armature 1e-6;
 *   - one motor per hinge, gear 5e-4 N·m, control clamped to [−1, 1];
 *   - the medium: MuJoCo's inertia-based fluid model at density 3000 kg/m³ and viscosity 0
 *     (dm_control sets the density only; MuJoCo's default viscosity is 0): quadratic drag on
 *     each link's equivalent inertia box is what makes undulation swim. Gravity acts along −z,
 *     which no joint can move; contacts are disabled; timestep 2 ms, Euler integration;
 *   - sensors at the centre of every link, head first: a velocimeter and a gyro, each in the
 *     link's own frame (dm_control's `body_velocities` take vx, vy and ωz of each).
 *
 * The head faces −y in its own frame (the nose is at −0.06 m), so forward speed is −vy of the
 * head's velocimeter. Target, lights, cameras and materials, which only the renderer uses, are
 * left out.
 */

export const MIN_LINKS = 3;
export const MAX_LINKS = 12;
/** Physics step, s. */
export const PHYSICS_TIMESTEP = 0.002;
/** Link length, m (body spacing along +y). */
export const LINK_LENGTH = 0.1;

/** The joint limit of an N-link swimmer in radians (±360°/N). */
export function jointLimit(nLinks: number): number {
  return (2 * Math.PI) / nLinks;
}

/** MJCF text of the N-link swimmer (N = 3…12 links, N − 1 actuated joints). */
export function swimmerMjcf(nLinks: number): string {
  if (!Number.isInteger(nLinks) || nLinks < MIN_LINKS || nLinks > MAX_LINKS) {
    throw new RangeError(`swimmer: links must be a whole number from ${MIN_LINKS} to ${MAX_LINKS}, got ${nLinks}`);
  }
  const limitDeg = 360 / nLinks;
  const open: string[] = [];
  const actuators: string[] = [];
  const sensors = ['    <velocimeter name="head_vel" site="head"/>', '    <gyro name="head_gyro" site="head"/>'];
  for (let i = 0; i < nLinks - 1; i++) {
    const pad = '  '.repeat(i + 4);
    open.push(
      `${pad}<body name="segment_${i}" pos="0 ${LINK_LENGTH} 0">`,
      `${pad}  <geom name="visual_${i}" class="visual"/>`,
      `${pad}  <geom name="inertial_${i}" class="inertial"/>`,
      `${pad}  <site name="site_${i}"/>`,
      `${pad}  <joint name="joint_${i}" range="${-limitDeg} ${limitDeg}"/>`,
    );
    actuators.push(`    <motor name="motor_${i}" joint="joint_${i}"/>`);
    sensors.push(`    <velocimeter name="velocimeter_${i}" site="site_${i}"/>`, `    <gyro name="gyro_${i}" site="site_${i}"/>`);
  }
  const close = Array.from({ length: nLinks - 1 }, (_, i) => `${'  '.repeat(nLinks + 2 - i)}</body>`);
  return [
    `<mujoco model="swimmer${nLinks}">`,
    `  <compiler angle="degree"/>`,
    `  <option timestep="${PHYSICS_TIMESTEP}" density="3000" viscosity="0" integrator="Euler">`,
    `    <flag contact="disable"/>`,
    `  </option>`,
    `  <default>`,
    `    <default class="swimmer">`,
    `      <joint type="hinge" pos="0 -.05 0" axis="0 0 1" limited="true" solreflimit=".05 1" solimplimit="0 .8 .1" armature="1e-6"/>`,
    `      <default class="inertial"><geom type="box" size=".001 .05 .01" rgba="0 0 0 0" mass=".01"/></default>`,
    `      <default class="visual"><geom type="capsule" size=".01" fromto="0 -.05 0 0 .05 0" mass="0"/></default>`,
    `      <site size=".01" rgba="0 0 0 0"/>`,
    `    </default>`,
    `    <default class="free"><joint limited="false" stiffness="0" armature="0"/></default>`,
    `    <motor gear="5e-4" ctrllimited="true" ctrlrange="-1 1"/>`,
    `  </default>`,
    `  <worldbody>`,
    `    <body name="head" pos="0 0 .05" childclass="swimmer">`,
    `      <joint name="rootx" class="free" type="slide" axis="1 0 0" pos="0 -.05 0"/>`,
    `      <joint name="rooty" class="free" type="slide" axis="0 1 0" pos="0 -.05 0"/>`,
    `      <joint name="rootz" class="free" type="hinge" axis="0 0 1" pos="0 -.05 0"/>`,
    `      <geom name="inertial" class="inertial"/>`,
    `      <geom name="visual" class="visual"/>`,
    `      <geom name="nose" type="sphere" pos="0 -.06 0" size=".004" mass="0"/>`,
    `      <site name="head"/>`,
    ...open,
    ...close,
    `    </body>`,
    `  </worldbody>`,
    `  <actuator>`,
    ...actuators,
    `  </actuator>`,
    `  <sensor>`,
    ...sensors,
    `  </sensor>`,
    `</mujoco>`,
    '',
  ].join('\n');
}
