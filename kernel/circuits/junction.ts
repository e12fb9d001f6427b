/**
 * The RCSJ Josephson junction (PAPERS.md §9; JoSIM's `jj` model):
 *
 *   I  = Ic·sin(cpr·φ − phi) + Iqp(V) + C·dV/dt     // supercurrent + quasiparticle + displacement
 *   V  = (Φ0/2π)·dφ/dt                              // the Josephson voltage–phase relation
 *   Iqp(V) = V/R0                    for |V| ≤ vg − delv/2   // subgap (rtype=1)
 *          = linear from (vg−delv/2)/R0 to (vg+delv/2)/RN   // across the gap, width delv
 *          = V/RN                    for |V| ≥ vg + delv/2   // normal state
 *   Iqp(V) = V/R0                    everywhere when rtype=0 // linear (RSJ) junction
 *
 * Instance scaling: area multiplies Ic and C and divides R0 and RN; `ic=` sets area = ic/icrit.
 * The quasiparticle branch here is continuous (SPICE/JSIM style); JoSIM instead jumps by
 * Ic/icfct across the gap, so the two differ only above ≈ vg, far from SFQ pulse voltages.
 */
export interface JunctionModel {
  rtype: 0 | 1;
  /** Gap voltage, V. */
  vg: number;
  /** Width of the gap transition, V. */
  delv: number;
  /** Critical current at area 1, A. */
  icrit: number;
  /** Capacitance at area 1, F. */
  cap: number;
  /** Subgap resistance at area 1, Ω. */
  r0: number;
  /** Normal-state resistance at area 1, Ω. */
  rn: number;
  /** Phase offset subtracted inside the sine (π-junctions), rad. */
  phi: number;
  /** Harmonic of the current–phase relation. */
  cpr: number;
}

/** JoSIM's defaults. */
export const defaultModel: JunctionModel = { rtype: 1, vg: 2.8e-3, delv: 0.1e-3, icrit: 1e-3, cap: 2.5e-12, r0: 30, rn: 5, phi: 0, cpr: 1 };

const ALIASES: Record<string, keyof JunctionModel> = {
  RTYPE: 'rtype', VG: 'vg', VGAP: 'vg', DELV: 'delv', IC: 'icrit', ICRIT: 'icrit', C: 'cap', CAP: 'cap',
  R0: 'r0', RSUB: 'r0', RN: 'rn', RNORM: 'rn', PHI: 'phi', CPR: 'cpr',
};
/** Accepted for compatibility; they only matter for JoSIM's transparency model, which needs D > 0. */
const ACCEPTED = new Set(['ICFCT', 'ICFACT', 'T', 'TC', 'D']);

/**
 * Build a model from `.model` values; `problems` receives `key: message` for bad ones.
 * Rules: icrit, r0, rn > 0; cap ≥ 0 (0: an overdamped RSJ junction); delv > 0 when rtype=1.
 */
export function junctionModel(values: Map<string, number>, problem: (key: string, message: string) => void): JunctionModel {
  const m: JunctionModel = { ...defaultModel };
  for (const [key, v] of values) {
    if (ACCEPTED.has(key)) {
      if (key === 'D' && v !== 0) problem(key, 'D (transparency) > 0 is not supported; only the sinusoidal junction is');
      continue;
    }
    const field = ALIASES[key];
    if (!field) {
      problem(key, `unknown jj model parameter ${key} (known: rtype, vg, delv, icrit, cap, r0, rn, phi, cpr)`);
      continue;
    }
    (m as any)[field] = v;
  }
  // Point at the key the user wrote for a field (any of its aliases), or the model if defaulted.
  const keyOf = (field: keyof JunctionModel) => [...values.keys()].find((k) => ALIASES[k] === field) ?? '';
  if (m.rtype !== 0 && m.rtype !== 1) problem(keyOf('rtype'), `rtype must be 0 or 1, got ${m.rtype}`);
  for (const k of ['icrit', 'r0', 'rn'] as const) if (!(m[k] > 0)) problem(keyOf(k), `${k} must be > 0, got ${m[k]}`);
  if (m.cap < 0) problem(keyOf('cap'), `cap must not be negative, got ${m.cap}`);
  if (m.rtype === 1 && !(m.delv > 0)) problem(keyOf('delv'), `delv must be > 0 with rtype=1, got ${m.delv}`);
  if (m.rtype === 1 && m.vg - m.delv / 2 < 0) problem(keyOf('vg'), `vg (${m.vg}) must be at least delv/2`);
  return m;
}

/** One junction instance: the model scaled by its area. */
export interface JunctionInstance {
  ic: number;
  cap: number;
  /** Subgap conductance 1/R0, S. */
  g0: number;
  /** Normal conductance 1/RN, S. */
  gn: number;
  /** Transition from subgap to normal: |V| in [v1, v2]. */
  v1: number;
  v2: number;
  linear: boolean;
  phi: number;
  cpr: number;
}

export function junctionInstance(m: JunctionModel, area: number): JunctionInstance {
  return {
    ic: m.icrit * area,
    cap: m.cap * area,
    g0: area / m.r0,
    gn: area / m.rn,
    v1: m.vg - m.delv / 2,
    v2: m.vg + m.delv / 2,
    linear: m.rtype === 0,
    phi: m.phi,
    cpr: m.cpr,
  };
}

/**
 * The quasiparticle current beyond the linear subgap part, Iqp(V) − V/R0, and its slope:
 * the solver keeps V/R0 in its matrix and treats this excess as a nonlinear current.
 */
export function qpExcess(j: JunctionInstance, v: number, out: { i: number; g: number }): void {
  const a = Math.abs(v);
  if (j.linear || a <= j.v1) {
    out.i = 0;
    out.g = 0;
    return;
  }
  const s = v < 0 ? -1 : 1;
  if (a >= j.v2) {
    out.i = s * a * (j.gn - j.g0);
    out.g = j.gn - j.g0;
    return;
  }
  const slope = (j.v2 * j.gn - j.v1 * j.g0) / (j.v2 - j.v1); // dIqp/dV across the gap
  out.i = s * (j.v1 * j.g0 + slope * (a - j.v1) - a * j.g0);
  out.g = slope - j.g0;
}
