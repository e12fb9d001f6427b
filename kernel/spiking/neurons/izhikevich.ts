/**
 * Izhikevich (2003) simple model: quadratic membrane with a recovery variable. Nonlinear, so it
 * is integrated numerically: forward Euler (Brian2's `euler`, the paper's own scheme) or
 * classical Runge–Kutta 4; the drive is constant over a step.
 *
 *   dv/dt = 0.04v² + 5v + 140 − u + I     v in mV, t in ms, I: drive (mV/ms)
 *   du/dt = a(b·v − u)                    recovery
 *   spike when v ≥ v_peak:  v ← c,  u ← u + d
 *   v ← v + Σ w                           arriving spikes jump v (mV), added after the step
 */
import type { NeuronGroup, NeuronModel, Receptor } from './types';

export interface IzhikevichParams {
  a: number;
  b: number;
  c: number;
  d: number;
  vPeakMv: number;
  method: 'euler' | 'rk4';
}

const dv = (v: number, u: number, i: number) => 0.04 * v * v + 5 * v + 140 - u + i; // dv/dt
const du = (v: number, u: number, a: number, b: number) => a * (b * v - u); // du/dt

class IzhikevichGroup implements NeuronGroup {
  readonly v: Float64Array;
  readonly u: Float64Array;
  readonly drive: Float64Array;
  readonly jump: Float64Array;
  private readonly exc: Receptor;
  private readonly inh: Receptor;

  constructor(readonly n: number, private readonly p: IzhikevichParams, private readonly dtMs: number) {
    this.v = new Float64Array(n);
    this.u = new Float64Array(n);
    this.drive = new Float64Array(n);
    this.jump = new Float64Array(n);
    this.exc = { array: this.jump, sign: 1, scale: Float64Array.of(1) };
    this.inh = { array: this.jump, sign: -1, scale: Float64Array.of(1) };
  }

  step(_n: number, out: Int32Array): number {
    const { v, u, drive, jump, dtMs: h } = this;
    const { a, b, vPeakMv } = this.p;
    const rk4 = this.p.method === 'rk4';
    let count = 0;
    for (let i = 0, size = this.n; i < size; i++) {
      const v0 = v[i], u0 = u[i], I = drive[i];
      if (!rk4) {
        v[i] = v0 + h * dv(v0, u0, I) + jump[i]; // Euler: v ← v + dt·dv/dt (both from old v, u)
        u[i] = u0 + h * du(v0, u0, a, b); // u ← u + dt·du/dt
      } else {
        const k1v = dv(v0, u0, I), k1u = du(v0, u0, a, b);
        const k2v = dv(v0 + 0.5 * h * k1v, u0 + 0.5 * h * k1u, I), k2u = du(v0 + 0.5 * h * k1v, u0 + 0.5 * h * k1u, a, b);
        const k3v = dv(v0 + 0.5 * h * k2v, u0 + 0.5 * h * k2u, I), k3u = du(v0 + 0.5 * h * k2v, u0 + 0.5 * h * k2u, a, b);
        const k4v = dv(v0 + h * k3v, u0 + h * k3u, I), k4u = du(v0 + h * k3v, u0 + h * k3u, a, b);
        v[i] = v0 + (h / 6) * (k1v + 2 * k2v + 2 * k3v + k4v) + jump[i];
        u[i] = u0 + (h / 6) * (k1u + 2 * k2u + 2 * k3u + k4u);
      }
      jump[i] = 0;
      if (v[i] >= vPeakMv) out[count++] = i; // spike when v ≥ v_peak
    }
    return count;
  }

  reset(spikes: Int32Array, count: number): void {
    for (let k = 0; k < count; k++) {
      const i = spikes[k];
      this.v[i] = this.p.c; // v ← c
      this.u[i] += this.p.d; // u ← u + d
    }
  }

  receptor(name: string): Receptor {
    if (name === 'exc') return this.exc;
    if (name === 'inh') return this.inh;
    throw new Error(`no receptor "${name}"`);
  }

  get(name: string, i: number): number {
    return this.storage(name)[i];
  }

  set(name: string, values: ArrayLike<number> | number): void {
    const a = this.storage(name);
    if (typeof values === 'number') a.fill(values);
    else a.set(values);
  }

  private storage(name: string): Float64Array {
    if (name === 'v') return this.v;
    if (name === 'u') return this.u;
    if (name === 'drive') return this.drive;
    throw new Error(`no variable "${name}"`);
  }

  clear(): void {
    this.v.fill(0);
    this.u.fill(0);
    this.jump.fill(0);
  }
}

export const izhikevich: NeuronModel<IzhikevichParams> = {
  name: 'izhikevich',
  title: 'Izhikevich (2003) simple model',
  // Regular spiking (a, b, c, d) = (0.02, 0.2, −65, 8).
  defaults: { a: 0.02, b: 0.2, c: -65, d: 8, vPeakMv: 30, method: 'euler' },
  receptors: ['exc', 'inh'],
  variables: ['v', 'u'],
  driveUnit: 'mV/ms',
  refractoryMs: () => 0,
  create: (n, p, dtMs) => new IzhikevichGroup(n, p, dtMs),
};
