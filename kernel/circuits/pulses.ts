/**
 * SFQ pulses read off sampled waveforms, to compare simulators (and time steps) by what a
 * designer looks at: when each pulse arrives, how high and wide it is, the flux it carries,
 * and the 2π phase slips of a junction.
 *
 *   pulse     a stretch where y rises above `level` (a fraction of the largest |y|, default ½)
 *   time      the peak, refined by a parabola through the highest sample and its neighbours
 *   height    y at that peak
 *   width     full width at half the height (linear interpolation between samples)
 *   area      ∫y dt (trapezoids) from halfway to the previous peak to halfway to the next,
 *             at most `window` × width either side; Φ0 = 2.067834 mV·ps for an SFQ pulse
 *   slips     times at which a phase passes its start + π + 2πk (each is one SFQ pulse)
 *
 * Samples need not be evenly spaced (JoSIM's CSV skips some rows).
 */
export interface Pulse {
  time: number;
  height: number;
  width: number;
  area: number;
}

export function findPulses(t: ArrayLike<number>, y: ArrayLike<number>, opts: { level?: number; window?: number } = {}): Pulse[] {
  const n = Math.min(t.length, y.length);
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(y[i]));
  if (!(top > 0)) return [];
  const level = (opts.level ?? 0.5) * top;
  const window = opts.window ?? 10;
  // Peaks: the highest sample of each stretch above the level.
  const peaks: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(y[i] > level)) continue;
    let k = i;
    for (; i < n && y[i] > level; i++) if (y[i] > y[k]) k = i;
    peaks.push(k);
  }
  return peaks.map((k, m) => {
    const [time, height] = vertex(t, y, k, n);
    const half = height / 2;
    let a = k, b = k;
    while (a > 0 && y[a - 1] > half) a--;
    while (b < n - 1 && y[b + 1] > half) b++;
    const rise = a > 0 ? cross(t, y, a - 1, half) : t[0];
    const fall = b < n - 1 ? cross(t, y, b, half) : t[n - 1];
    const width = fall - rise;
    const from = Math.max(m > 0 ? (t[peaks[m - 1]] + t[k]) / 2 : t[0], time - window * width);
    const to = Math.min(m < peaks.length - 1 ? (t[k] + t[peaks[m + 1]]) / 2 : t[n - 1], time + window * width);
    return { time, height, width, area: integral(t, y, from, to, n) };
  });
}

/** Times at which `phase` passes its first value + π + 2πk, k = 0, 1, … (one per SFQ pulse). */
export function phaseSlips(t: ArrayLike<number>, phase: ArrayLike<number>): number[] {
  const out: number[] = [];
  let next = phase[0] + Math.PI;
  for (let i = 1; i < phase.length; i++) {
    while (phase[i] >= next) {
      out.push(t[i - 1] + ((next - phase[i - 1]) / (phase[i] - phase[i - 1])) * (t[i] - t[i - 1]));
      next += 2 * Math.PI;
    }
  }
  return out;
}

/** Net number of 2π slips from the first sample to the last. */
export function slipCount(phase: ArrayLike<number>): number {
  return Math.round((phase[phase.length - 1] - phase[0]) / (2 * Math.PI));
}

/** Linear interpolation of y at time x (held at the ends). */
export function sampleAt(t: ArrayLike<number>, y: ArrayLike<number>, x: number): number {
  let lo = 0, hi = t.length - 1;
  if (x <= t[lo]) return y[lo];
  if (x >= t[hi]) return y[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (x - t[lo])) / (t[hi] - t[lo]);
}

function vertex(t: ArrayLike<number>, y: ArrayLike<number>, k: number, n: number): [number, number] {
  if (k === 0 || k === n - 1) return [t[k], y[k]];
  const [t0, t1, t2] = [t[k - 1], t[k], t[k + 1]];
  const [y0, y1, y2] = [y[k - 1], y[k], y[k + 1]];
  // Parabola through the three points (divided differences), then its vertex.
  const d1 = (y1 - y0) / (t1 - t0), d2 = (y2 - y1) / (t2 - t1);
  const c = (d2 - d1) / (t2 - t0);
  if (!(c < 0)) return [t1, y1];
  const tv = (t0 + t1) / 2 - d1 / (2 * c);
  return [tv, y0 + d1 * (tv - t0) + c * (tv - t0) * (tv - t1)];
}

function cross(t: ArrayLike<number>, y: ArrayLike<number>, i: number, level: number): number {
  return t[i] + ((level - y[i]) / (y[i + 1] - y[i])) * (t[i + 1] - t[i]);
}

function integral(t: ArrayLike<number>, y: ArrayLike<number>, from: number, to: number, n: number): number {
  let s = 0;
  let tp = from, yp = sampleAt(t, y, from);
  for (let i = 0; i < n && t[i] < to; i++) {
    if (t[i] <= from) continue;
    s += 0.5 * (yp + y[i]) * (t[i] - tp);
    tp = t[i];
    yp = y[i];
  }
  const yt = sampleAt(t, y, to);
  return s + 0.5 * (yp + yt) * (to - tp);
}
