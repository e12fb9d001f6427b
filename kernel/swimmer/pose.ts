/**
 * The swimmer's pose as the swimmer view shows it: an ncap.swimmer run's traces/pose.csv (time,
 * then x, y, facing of each link, head first, at every control step) read in full and turned into
 * the body's outline at every step, with the same outline() the run's `swimmer-pose` trace uses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { outline } from '../models/ncap/traces';
import { MAX_POSE_FRAMES, type SwimmerInbound, type SwimmerSourceRef } from '../protocol/swimmer';
import { readNumericCsv } from '../waveforms/csv';

export interface PoseRecord {
  title: string;
  links: number;
  times: Float64Array;
  /** Per frame: x, y, facing of each link (frame-major). */
  pose: Float64Array;
}

export const poseFile = (run: string) => path.join(run, 'traces', 'pose.csv');

/** Whether a run wrote a pose the view can animate. */
export function hasPose(run: string): boolean {
  return fs.existsSync(poseFile(run));
}

/** traces/pose.csv of a run folder, checked column by column. */
export async function readPose(run: string): Promise<PoseRecord> {
  const file = poseFile(run);
  if (!fs.existsSync(file)) throw new Error(`${path.basename(run)} has no swimmer pose (traces/pose.csv): only ncap.swimmer runs with evaluation.trajectorySteps > 0 write one`);
  const t = await readNumericCsv(file);
  const links = (t.header.length - 1) / 3;
  const expected = ['time_s', ...Array.from({ length: links }, (_, b) => [`x${b}_m`, `y${b}_m`, `facing${b}_rad`]).flat()];
  if (!Number.isInteger(links) || links < 1 || t.header.join(',') !== expected.join(',')) {
    throw new Error(`traces/pose.csv: expected the columns time_s, x0_m, y0_m, facing0_rad, … (got ${t.header.slice(0, 5).join(', ')}…)`);
  }
  if (t.rows === 0) throw new Error('traces/pose.csv has no rows');
  if (t.rows > MAX_POSE_FRAMES) throw new Error(`traces/pose.csv has ${t.rows} steps; the swimmer view shows at most ${MAX_POSE_FRAMES}`);
  const pose = new Float64Array(t.rows * 3 * links);
  for (let r = 0; r < t.rows; r++) for (let c = 0; c < 3 * links; c++) pose[r * 3 * links + c] = t.columns[c][r];
  return { title: path.basename(run), links, times: t.time, pose };
}

/** The view's open message: every frame's outline (links + 1 points, nose to tail) and their bounds. */
export function poseMessage(rec: PoseRecord, source: SwimmerSourceRef): SwimmerInbound {
  const per = 3 * rec.links;
  const x: number[] = [];
  const y: number[] = [];
  for (let f = 0; f < rec.times.length; f++) {
    const o = outline(rec.pose.subarray(f * per, (f + 1) * per));
    for (let i = 0; i < o.x.length; i++) (x.push(o.x[i]), y.push(o.y[i]));
  }
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < x.length; i++) {
    bounds[0] = Math.min(bounds[0], x[i]);
    bounds[1] = Math.min(bounds[1], y[i]);
    bounds[2] = Math.max(bounds[2], x[i]);
    bounds[3] = Math.max(bounds[3], y[i]);
  }
  return { type: 'open', source, title: rec.title, links: rec.links, times: Array.from(rec.times), x, y, bounds };
}
