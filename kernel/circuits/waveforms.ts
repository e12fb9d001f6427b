/**
 * Independent source waveforms (JoSIM semantics) and a bank that evaluates them once per
 * time step. Identical deterministic waveforms are evaluated once and shared (a 1,000-stage
 * JTL has 1,000 copies of one bias ramp). Voltage sources also need the phase they impose,
 * ψ(t) = (2π/Φ0)·∫₀ᵗ V dt, which is exact for dc and pwl and Simpson-integrated otherwise.
 *
 *   pwl(t1 v1 t2 v2 …)                 linear between points, held before the first and after the last
 *   pulse(a1 a2 [td [tr [tf [pw [per]]]]])  tr, tf default to the time step, pw to the stop time; no per: once
 *   sin(vo va [f [td [θ]]])            vo + va·sin(2πf(t−td))·e^(−θ(t−td)) after td; f defaults to 1/tstop
 *   exp(a1 a2 [td1 [τ1 [td2 [τ2]]]])   SPICE exponential rise then fall
 *   noise(a [td [ts]])                 a·N(0,1)/√(2·ts), a new sample every ts after td (one-sided PSD a²)
 *   dc v | v                           constant
 */
import type { Rng } from '../core/rng';
import { PHI0 } from './netlist/expr';

export type Waveform =
  | { kind: 'dc'; value: number }
  | { kind: 'pwl'; t: number[]; v: number[] }
  | { kind: 'pulse'; a1: number; a2: number; td: number; tr: number; tf: number; pw: number; per: number }
  | { kind: 'sin'; vo: number; va: number; freq: number; td: number; theta: number }
  | { kind: 'exp'; a1: number; a2: number; td1: number; tau1: number; td2: number; tau2: number }
  | { kind: 'noise'; amp: number; td: number; ts: number };

/** Build a waveform from evaluated arguments; returns a message (with the argument index) when they are invalid. */
export function makeWaveform(type: string, a: number[], tstep: number, tstop: number): Waveform | { error: string; arg?: number } {
  const count = (min: number, max: number, usage: string) =>
    a.length < min || a.length > max ? { error: `${type} takes ${min === max ? min : `${min} to ${max}`} values: ${usage}`, arg: a.length > max ? max : undefined } : undefined;
  switch (type) {
    case 'dc':
      return { kind: 'dc', value: a[0] };
    case 'pwl': {
      if (a.length < 2 || a.length % 2) return { error: `pwl takes time/value pairs, got ${a.length} value${a.length === 1 ? '' : 's'}`, arg: a.length - 1 };
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < a.length; i += 2) {
        if (a[i] < 0) return { error: `pwl time ${a[i]} is negative`, arg: i };
        if (i > 0 && a[i] < a[i - 2]) return { error: `pwl times must not decrease: ${a[i]} comes after ${a[i - 2]}`, arg: i };
        t.push(a[i]);
        v.push(a[i + 1]);
      }
      return { kind: 'pwl', t, v };
    }
    case 'pulse': {
      const bad = count(2, 7, 'a1 a2 [td [tr [tf [pw [per]]]]]');
      if (bad) return bad;
      // Without a period the pulse happens once (JoSIM's default period is the stop time).
      const [a1, a2, td = 0, tr = tstep, tf = tstep, pw = tstop, per = Infinity] = a;
      for (const [i, x] of [td, tr, tf, pw].entries()) if (x < 0) return { error: `pulse ${['td', 'tr', 'tf', 'pw'][i]} must not be negative`, arg: i + 2 };
      if (!(per > 0)) return { error: 'pulse period must be > 0', arg: 6 };
      if (tr + pw + tf > per * (1 + 1e-12)) return { error: `pulse tr + pw + tf (${tr + pw + tf}) exceeds the period ${per}`, arg: 6 };
      return { kind: 'pulse', a1, a2, td, tr, tf, pw, per };
    }
    case 'sin': {
      const bad = count(2, 5, 'vo va [freq [td [theta]]]');
      if (bad) return bad;
      const [vo, va, freq = 1 / tstop, td = 0, theta = 0] = a;
      if (freq < 0) return { error: 'sin frequency must not be negative', arg: 2 };
      return { kind: 'sin', vo, va, freq, td, theta };
    }
    case 'exp': {
      const bad = count(2, 6, 'a1 a2 [td1 [tau1 [td2 [tau2]]]]');
      if (bad) return bad;
      const [a1, a2, td1 = 0, tau1 = tstep, td2 = td1 + tstep, tau2 = tstep] = a;
      if (!(tau1 > 0)) return { error: 'exp tau1 must be > 0', arg: 3 };
      if (!(tau2 > 0)) return { error: 'exp tau2 must be > 0', arg: 5 };
      return { kind: 'exp', a1, a2, td1, tau1, td2, tau2 };
    }
    case 'noise': {
      const bad = count(1, 3, 'amplitude [td [tstep]]');
      if (bad) return bad;
      const [amp, td = 0, ts = tstep] = a;
      if (amp < 0) return { error: 'noise amplitude must not be negative', arg: 0 };
      if (!(ts > 0)) return { error: 'noise time step must be > 0', arg: 2 };
      return { kind: 'noise', amp, td, ts };
    }
  }
  return { error: `unknown source type ${type}` };
}

/** The value of a deterministic waveform at time t. */
export function waveValue(w: Waveform, t: number): number {
  switch (w.kind) {
    case 'dc':
      return w.value;
    case 'pwl': {
      const { t: ts, v } = w;
      if (t <= ts[0]) return v[0];
      const n = ts.length;
      if (t >= ts[n - 1]) return v[n - 1];
      let lo = 0, hi = n - 1; // binary search: ts[lo] <= t < ts[hi]
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ts[mid] <= t) lo = mid;
        else hi = mid;
      }
      const span = ts[hi] - ts[lo];
      return span > 0 ? v[lo] + ((v[hi] - v[lo]) * (t - ts[lo])) / span : v[hi];
    }
    case 'pulse': {
      if (t < w.td) return w.a1;
      const tp = (t - w.td) % w.per;
      if (tp < w.tr) return w.a1 + ((w.a2 - w.a1) * tp) / w.tr;
      if (tp < w.tr + w.pw) return w.a2;
      if (tp < w.tr + w.pw + w.tf) return w.a2 + ((w.a1 - w.a2) * (tp - w.tr - w.pw)) / w.tf;
      return w.a1;
    }
    case 'sin':
      return t < w.td ? w.vo : w.vo + w.va * Math.sin(2 * Math.PI * w.freq * (t - w.td)) * Math.exp(-w.theta * (t - w.td));
    case 'exp': {
      if (t < w.td1) return w.a1;
      let y = w.a1 + (w.a2 - w.a1) * (1 - Math.exp(-(t - w.td1) / w.tau1));
      if (t >= w.td2) y += (w.a1 - w.a2) * (1 - Math.exp(-(t - w.td2) / w.tau2));
      return y;
    }
    case 'noise':
      throw new Error('noise waveforms are evaluated by SourceBank');
  }
}

/** ∫₀ᵗ of a pwl waveform, exactly. */
function pwlIntegral(w: { t: number[]; v: number[] }, t: number): number {
  const { t: ts, v } = w;
  let sum = v[0] * Math.min(t, ts[0]);
  for (let i = 1; i < ts.length && ts[i - 1] < t; i++) {
    const t1 = Math.min(t, ts[i]);
    const span = ts[i] - ts[i - 1];
    const v1 = span > 0 ? v[i - 1] + ((v[i] - v[i - 1]) * (t1 - ts[i - 1])) / span : v[i];
    sum += 0.5 * (v[i - 1] + v1) * (t1 - ts[i - 1]);
  }
  if (t > ts[ts.length - 1]) sum += v[v.length - 1] * (t - ts[ts.length - 1]);
  return sum;
}

/**
 * Evaluates every waveform at each step time. `values[k]` is waveform k at the last `advance`;
 * `phases[k]` its phase integral (2π/Φ0)∫V dt for the waveforms that `needsPhase`.
 */
export class SourceBank {
  readonly values: Float64Array;
  readonly phases: Float64Array;
  private readonly noiseNext: Float64Array; // time of the next noise sample
  private readonly integral: Float64Array;
  private tLast = 0;

  constructor(readonly waves: Waveform[], private readonly needsPhase: boolean[], private readonly rng: Rng) {
    const n = waves.length;
    this.values = new Float64Array(n);
    this.phases = new Float64Array(n);
    this.integral = new Float64Array(n);
    this.noiseNext = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const w = waves[k];
      if (w.kind === 'noise') this.noiseNext[k] = w.td;
      else this.values[k] = waveValue(w, 0);
    }
  }

  /** Move to time t (t increases from call to call). */
  advance(t: number): void {
    const { waves, values } = this;
    const t0 = this.tLast;
    for (let k = 0; k < waves.length; k++) {
      const w = waves[k];
      if (w.kind === 'noise') {
        const before = values[k];
        // A new sample at each multiple of ts after td; held in between (sample-and-hold noise).
        // Only the last sample before t is ever seen, so one is drawn per step at most: a ts far
        // below the step (or a td far before 0) must not loop through samples nobody sees.
        if (t >= this.noiseNext[k] - 1e-24) {
          values[k] = (w.amp * this.rng.normal()) / Math.sqrt(2 * w.ts);
          this.noiseNext[k] += w.ts;
          if (t >= this.noiseNext[k] - 1e-24) {
            const next = w.td + (Math.floor((t - w.td) / w.ts) + 1) * w.ts;
            this.noiseNext[k] = Number.isFinite(next) ? next : t; // (t − td)/ts can overflow
          }
        }
        if (this.needsPhase[k]) this.integral[k] += before * (t - t0);
      } else {
        values[k] = waveValue(w, t);
        if (this.needsPhase[k]) {
          if (w.kind === 'pwl') this.integral[k] = pwlIntegral(w, t);
          else if (w.kind === 'dc') this.integral[k] = w.value * t;
          else this.integral[k] += simpson(w, t0, t);
        }
      }
      if (this.needsPhase[k]) this.phases[k] = ((2 * Math.PI) / PHI0) * this.integral[k];
    }
    this.tLast = t;
  }
}

function simpson(w: Waveform, a: number, b: number): number {
  const n = 8;
  const h = (b - a) / n;
  let s = waveValue(w, a) + waveValue(w, b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * waveValue(w, a + i * h);
  return (s * h) / 3;
}
