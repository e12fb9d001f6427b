/**
 * The figures of ncap.swimmer as traces, and the trajectory artifact: the learning curve, the
 * transfer table, and the swimmer's pose — a view animates the body from `swimmer-pose` (one
 * series per frame: the body's outline, nose to tail), or from the full record written as
 * traces/pose.csv and artifacts/trajectory.json (every control step, every link).
 */
import * as fs from 'fs';
import type { EngineContext } from '../../core/engine-context';
import { PHYSICS_STEPS_PER_CONTROL } from '../../bodies/swimmer';
import { LINK_LENGTH, PHYSICS_TIMESTEP } from '../../bodies/swimmer-mjcf';

export const CONTROL_TIMESTEP = PHYSICS_TIMESTEP * PHYSICS_STEPS_PER_CONTROL;

/** The body's outline from a pose (x, y, facing per link): the head's front end, then each link's rear end. */
export function outline(pose: ArrayLike<number>): { x: number[]; y: number[] } {
  const half = LINK_LENGTH / 2;
  const x: number[] = [], y: number[] = [];
  for (let b = 0; b < pose.length / 3; b++) {
    const [cx, cy, th] = [pose[3 * b], pose[3 * b + 1], pose[3 * b + 2]];
    if (b === 0) (x.push(cx + half * Math.cos(th)), y.push(cy + half * Math.sin(th)));
    x.push(cx - half * Math.cos(th));
    y.push(cy - half * Math.sin(th));
  }
  return { x, y };
}

export interface CurvePoint {
  episodes: number;
  current: number;
  populationMean: number;
  populationMax: number;
}

export function learningCurveTrace(ctx: EngineContext, controller: string, curve: CurvePoint[]): void {
  const x = curve.map((p) => p.episodes);
  ctx.trace('learning-curve', {
    type: 'xy',
    title: `ES learning curve (${controller})`,
    xLabel: 'training episodes',
    yLabel: 'episode return (max 1000)',
    series: [
      { name: `${controller}: current θ`, x, y: curve.map((p) => p.current) },
      { name: 'population mean', x, y: curve.map((p) => p.populationMean) },
      { name: 'population best', x, y: curve.map((p) => p.populationMax) },
    ],
  });
}

export function transferTrace(ctx: EngineContext, rows: { links: number; mean: number; sd: number }[]): void {
  ctx.trace('transfer', {
    type: 'xy',
    title: 'Zero-shot transfer to other body lengths',
    xLabel: 'links',
    yLabel: 'episode return',
    series: [{ name: 'NCAP trained on the base body', x: rows.map((r) => r.links), y: rows.map((r) => r.mean), lo: rows.map((r) => r.mean - r.sd), hi: rows.map((r) => r.mean + r.sd), points: true }],
  });
}

/**
 * The pose of an episode: a trace with one outline per `every` control steps, the CSV of every
 * step (time, then x, y, facing of each link) and the artifact with what replays it.
 */
export function trajectoryOutputs(ctx: EngineContext, poses: Float64Array[], every: number, about: Record<string, unknown>): void {
  const nLinks = poses[0].length / 3;
  const frames = poses.map((p, t) => ({ t, p })).filter(({ t }) => t % every === 0);
  ctx.trace('swimmer-pose', {
    type: 'xy',
    title: `Swimmer pose every ${(every * CONTROL_TIMESTEP).toFixed(2)} s (nose to tail)`,
    xLabel: 'x (m)',
    yLabel: 'y (m)',
    series: frames.map(({ t, p }) => ({ name: `t = ${(t * CONTROL_TIMESTEP).toFixed(2)} s`, ...outline(p) })),
  });
  const header = ['time_s', ...Array.from({ length: nLinks }, (_, b) => [`x${b}_m`, `y${b}_m`, `facing${b}_rad`]).flat()].join(',');
  const rows = poses.map((p, t) => [(t * CONTROL_TIMESTEP).toFixed(4), ...Array.from(p, (v) => v.toPrecision(7))].join(','));
  fs.writeFileSync(ctx.tracePath('pose.csv'), `${header}\n${rows.join('\n')}\n`);
  fs.writeFileSync(
    ctx.artifactPath('trajectory.json'),
    JSON.stringify({ ...about, links: nLinks, linkLengthM: LINK_LENGTH, controlTimestepS: CONTROL_TIMESTEP, pose: 'x, y (m), facing (rad) per link, head first', frames: poses.map((p) => Array.from(p, (v) => Number(v.toPrecision(7)))) }) + '\n',
  );
}
