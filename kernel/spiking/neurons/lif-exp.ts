/**
 * Leaky integrate-and-fire neuron with exponentially decaying synaptic currents (PyNN
 * `IF_curr_exp`; the neuron of Brian2's CUBA benchmark). Integrated exactly.
 *
 *   τm dv/dt = (v_rest − v) + Ie − Ii + D   currents as the voltage they drive (mV, R·I)
 *   τe dIe/dt = −Ie                         excitatory current decays
 *   τi dIi/dt = −Ii                         inhibitory current decays
 *   Ie ← Ie + w,  Ii ← Ii + w               at each arriving spike (w ≥ 0, mV)
 *
 * The linear system has the exact one-step solution (Brian2's `method='linear'`):
 *   v(t+dt) = v∞(1 − Pm) + (Ie·Pe − Ii·Pi) + Pm·v   v∞ = v_rest + D, Pm = e^(−dt/τm)
 *                                                  (grouped as Brian2's generated code groups it)
 *   Px = τx/(τx − τm)·(e^(−dt/τx) − e^(−dt/τm))     (dt/τm·e^(−dt/τm) when τx = τm)
 *   Ie ← Ie·e^(−dt/τe),  Ii ← Ii·e^(−dt/τi)
 * While refractory v is held; the currents keep decaying.
 *
 * Storage: every neuron's currents decay by the same factor each step, so we keep them as
 * Ie = Ê·E with one shared factor E (E ← E·e^(−dt/τe) per step; arriving weights add w/E to Ê),
 * renormalising when E gets small. The arithmetic is the same up to rounding; it saves two
 * stores per neuron per step, which halves the cost of this loop. The loop itself runs as
 * WebAssembly SIMD (./lif-exp-kernel.ts, bit-identical to the JavaScript loop kept below).
 */
import { LifGroup } from './lif-base';
import { lifExpKernel, type LifExpKernel } from './lif-exp-kernel';
import type { NeuronModel, Receptor, ThresholdAdaptation } from './types';

export interface LifExpParams {
  tauMemMs: number;
  tauExcMs: number;
  tauInhMs: number;
  vRestMv: number;
  vResetMv: number;
  vThreshMv: number;
  tRefMs: number;
}

/** Response of v after dt to a unit current decaying with τx (exact). */
export function currentPropagator(dtMs: number, tauMemMs: number, tauSynMs: number): number {
  const pm = Math.exp(-dtMs / tauMemMs);
  if (Math.abs(tauSynMs - tauMemMs) < 1e-12 * tauMemMs) return (dtMs / tauMemMs) * pm;
  return (tauSynMs / (tauSynMs - tauMemMs)) * (Math.exp(-dtMs / tauSynMs) - pm);
}

/** Renormalise the shared factor below this (far from underflow, far above rounding trouble). */
const RENORMALISE = 1e-100;

class LifExpGroup extends LifGroup {
  /** Ê and Î: the currents divided by the shared factors E, I (scales[0], scales[1]). */
  private readonly ieHat: Float64Array;
  private readonly iiHat: Float64Array;
  /** The shared factors E and I (a typed array: rewritten every step, see Receptor). */
  private readonly scales = Float64Array.of(1, 1);
  /** v∞(1 − Pm) per neuron, v∞ = v_rest + D. */
  private readonly k0: Float64Array;
  /** k0 when it is the same for every neuron (the same drive), else NaN: the loops then read no array. */
  private k0Uniform = NaN;
  private readonly pm: number;
  private readonly pe: number;
  private readonly pi: number;
  private readonly de: number;
  private readonly di: number;
  protected readonly exc: Receptor;
  protected readonly inh: Receptor;

  constructor(n: number, private readonly p: LifExpParams, dtMs: number, adaptation: ThresholdAdaptation | undefined, private readonly kernel: LifExpKernel | undefined) {
    super(n, p.vThreshMv, p.vResetMv, p.tRefMs, dtMs, adaptation, kernel?.v);
    this.ieHat = kernel?.ie ?? new Float64Array(n);
    this.iiHat = kernel?.ii ?? new Float64Array(n);
    this.k0 = kernel?.k0 ?? new Float64Array(n);
    this.pm = Math.exp(-dtMs / p.tauMemMs);
    this.pe = currentPropagator(dtMs, p.tauMemMs, p.tauExcMs);
    this.pi = currentPropagator(dtMs, p.tauMemMs, p.tauInhMs);
    this.de = Math.exp(-dtMs / p.tauExcMs);
    this.di = Math.exp(-dtMs / p.tauInhMs);
    this.driveChanged();
    this.exc = { array: this.ieHat, sign: 1, scale: Float64Array.of(1) };
    this.inh = { array: this.iiHat, sign: 1, scale: Float64Array.of(1) };
  }

  step(n: number, out: Int32Array): number {
    const ce = this.pe * this.scales[0]; // Ie·Pe = Ê·(E·Pe)
    const ci = this.pi * this.scales[1];
    let count: number;
    const kernel = this.kernel;
    const uniform = this.k0Uniform === this.k0Uniform; // (not NaN)
    if (kernel) {
      kernel.constants[0] = ce;
      kernel.constants[1] = ci;
      kernel.constants[2] = this.pm;
      kernel.constants[3] = this.vThreshMv;
      kernel.constants[4] = this.k0Uniform;
      count = kernel.step(out, uniform);
    } else if (uniform) {
      const { v, ieHat, iiHat, k0Uniform, pm, vThreshMv } = this;
      count = 0;
      for (let i = 0, size = this.n; i < size; i++) {
        const x = k0Uniform + (ieHat[i] * ce - iiHat[i] * ci) + pm * v[i]; // exact v(t+dt), the same drive for all
        v[i] = x;
        if (x > vThreshMv) out[count++] = i; // spike when v > v_th
      }
    } else {
      const { v, ieHat, iiHat, k0, pm, vThreshMv } = this;
      count = 0;
      for (let i = 0, size = this.n; i < size; i++) {
        const x = k0[i] + (ieHat[i] * ce - iiHat[i] * ci) + pm * v[i]; // exact v(t+dt)
        v[i] = x;
        if (x > vThreshMv) out[count++] = i; // spike when v > v_th
      }
    }
    this.scales[0] *= this.de; // Ie ← Ie·e^(−dt/τe), for every neuron at once
    this.scales[1] *= this.di; // Ii ← Ii·e^(−dt/τi)
    if (this.scales[0] < RENORMALISE || this.scales[1] < RENORMALISE) this.renormalise();
    this.exc.scale[0] = 1 / this.scales[0]; // an arriving w adds w/E to Ê
    this.inh.scale[0] = 1 / this.scales[1];
    return this.settle(n, out, count); // refractory neurons held at v_reset
  }

  /** v∞(1 − Pm) with v∞ = v_rest + D, kept per neuron since D only changes when set. */
  protected override driveChanged(): void {
    for (let i = 0; i < this.n; i++) this.k0[i] = (this.p.vRestMv + this.drive[i]) * (1 - this.pm);
    this.k0Uniform = this.n > 0 && this.k0.every((x) => x === this.k0[0]) ? this.k0[0] : NaN;
  }

  private renormalise(): void {
    for (let i = 0; i < this.n; i++) {
      this.ieHat[i] *= this.scales[0];
      this.iiHat[i] *= this.scales[1];
    }
    this.scales[0] = 1;
    this.scales[1] = 1;
  }

  override get(name: string, i: number): number {
    if (name === 'ie') return this.ieHat[i] * this.scales[0];
    if (name === 'ii') return this.iiHat[i] * this.scales[1];
    return super.get(name, i);
  }

  override set(name: string, values: ArrayLike<number> | number): void {
    this.renormalise();
    super.set(name, values);
  }

  override clear(): void {
    super.clear();
    this.scales[0] = 1;
    this.scales[1] = 1;
    this.exc.scale[0] = this.inh.scale[0] = 1;
  }

  protected variables(): Record<string, Float64Array> {
    return { v: this.v, ie: this.ieHat, ii: this.iiHat };
  }
}

export const lifExp: NeuronModel<LifExpParams> = {
  name: 'lif-exp',
  title: 'LIF, exponential current synapses',
  defaults: { tauMemMs: 20, tauExcMs: 5, tauInhMs: 10, vRestMv: -65, vResetMv: -65, vThreshMv: -50, tRefMs: 2 },
  receptors: ['exc', 'inh'],
  variables: ['v', 'ie', 'ii', 'theta'],
  driveUnit: 'mV (R·I)',
  refractoryMs: (p) => p.tRefMs,
  create: (n, p, dtMs, adaptation) => createLifExp(n, p, dtMs, adaptation),
};

/** A lif-exp group; `simd: false` forces the JavaScript loop (tests compare the two). */
export function createLifExp(n: number, p: LifExpParams, dtMs: number, adaptation?: ThresholdAdaptation, simd = true) {
  return new LifExpGroup(n, p, dtMs, adaptation, simd ? lifExpKernel(n) : undefined);
}
