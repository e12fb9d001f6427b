/**
 * The stochastic synapse (PAPERS.md §9): a decision pair that passes or blocks each arriving
 * SFQ pulse. Thermal noise makes the choice random near balance, so the pass probability
 * versus the weight bias IW is a sigmoid — here the Gaussian one, as thermal escape in the
 * fast-ramp limit gives:
 *
 *   p(IW) = Φ((IW − I50) / σ)        // Φ: standard normal CDF; I50: the balance bias; σ: the width
 *
 * The width σ grows with temperature. `measureSynapse` counts passes in a circuit
 * simulation; `fitSigmoid` finds I50 and σ by maximum likelihood (binomial counts), with
 * standard errors from the curvature of the log-likelihood.
 */
import { mean } from '../../core/stats';
import { library, pulseTrain } from './cells';
import { pulseCount, runNetlist } from './measure';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function passProbability(iw: number, fit: { i50: number; width: number }): number {
  return normalCdf((iw - fit.i50) / fit.width);
}

/**
 * The synapse in its network surroundings: a 20 GHz pulse train through a JTL and a SPLIT
 * (as every input line fans out) into the synapse, whose output enters a MERGE (as every
 * synapse feeds a fan-in tree) and a sink. The load a cell sees shifts its balance point,
 * so the bench reproduces the network's.
 */
export function synapseBench(iw: number, temperature: number, pulses: number, periodPs = 50): string {
  return `* stochastic synapse test bench: IW = ${iw} µA, T = ${temperature} K
${library()}
${pulseTrain('IN', 'a0', periodPs, 20)}
X1 JTL a0 a1
XS SPLIT a1 s1 t1
XT JTL t1 t2
XKT SINK t2
XW SYN s1 w1 IW=${iw}
RIDLE b0 0 5
XB JTL b0 b1
XM MERGE w1 b1 m1
X2 JTL m1 m2
XK SINK m2
.temp ${temperature}
.tran 0.25p ${(20 + pulses * periodPs).toFixed(2)}p
.print phase B1.X1
.print phase B1.X2
`;
}

export interface SynapsePoint {
  iw: number;
  passed: number;
  total: number;
}

export async function measureSynapse(iw: number, temperature: number, pulses: number, seed: number, tick?: () => Promise<void>): Promise<SynapsePoint> {
  const run = await runNetlist(synapseBench(iw, temperature, pulses), seed, tick);
  return { iw, passed: pulseCount(run.column('P(B1|X2)')), total: pulseCount(run.column('P(B1|X1)')) };
}

export interface SigmoidFit {
  i50: number;
  width: number;
  /** Standard errors from the inverse Hessian of the log-likelihood. */
  i50Se: number;
  widthSe: number;
}

function logLikelihood(points: SynapsePoint[], i50: number, width: number): number {
  let ll = 0;
  for (const p of points) {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, passProbability(p.iw, { i50, width })));
    ll += p.passed * Math.log(q) + (p.total - p.passed) * Math.log(1 - q);
  }
  return ll;
}

/** Maximum-likelihood (I50, σ) by Nelder–Mead on (I50, log σ). */
export function fitSigmoid(points: SynapsePoint[]): SigmoidFit {
  const frac = points.map((p) => p.passed / Math.max(1, p.total));
  const mid = points.find((_, i) => frac[i] >= 0.5) ?? points[points.length - 1];
  const span = points[points.length - 1].iw - points[0].iw;
  const f = (v: number[]) => -logLikelihood(points, v[0], Math.exp(v[1]));
  let simplex = [[mid.iw, Math.log(span / 10)], [mid.iw + span / 20, Math.log(span / 10)], [mid.iw, Math.log(span / 5)]];
  let values = simplex.map(f);
  for (let it = 0; it < 400; it++) {
    const order = [0, 1, 2].sort((a, b) => values[a] - values[b]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    if (Math.abs(values[2] - values[0]) < 1e-10 && it > 20) break;
    const c = [(simplex[0][0] + simplex[1][0]) / 2, (simplex[0][1] + simplex[1][1]) / 2];
    const at = (k: number) => [c[0] + k * (simplex[2][0] - c[0]), c[1] + k * (simplex[2][1] - c[1])];
    const r = at(-1), fr = f(r);
    if (fr < values[0]) {
      const e = at(-2), fe = f(e);
      [simplex[2], values[2]] = fe < fr ? [e, fe] : [r, fr];
    } else if (fr < values[1]) {
      [simplex[2], values[2]] = [r, fr];
    } else {
      const k = at(0.5), fk = f(k);
      if (fk < values[2]) [simplex[2], values[2]] = [k, fk];
      else {
        for (const i of [1, 2]) {
          simplex[i] = [(simplex[i][0] + simplex[0][0]) / 2, (simplex[i][1] + simplex[0][1]) / 2];
          values[i] = f(simplex[i]);
        }
      }
    }
  }
  const best = simplex[values.indexOf(Math.min(...values))];
  const i50 = best[0], width = Math.exp(best[1]);
  // Standard errors: numerical Hessian of −log L in (I50, σ).
  const g = (a: number, w: number) => -logLikelihood(points, a, w);
  const ha = Math.max(1e-6, width * 1e-3), hw = Math.max(1e-6, width * 1e-3);
  const faa = (g(i50 + ha, width) - 2 * g(i50, width) + g(i50 - ha, width)) / (ha * ha);
  const fww = (g(i50, width + hw) - 2 * g(i50, width) + g(i50, width - hw)) / (hw * hw);
  const faw = (g(i50 + ha, width + hw) - g(i50 + ha, width - hw) - g(i50 - ha, width + hw) + g(i50 - ha, width - hw)) / (4 * ha * hw);
  const det = faa * fww - faw * faw;
  return { i50, width, i50Se: det > 0 ? Math.sqrt(fww / det) : NaN, widthSe: det > 0 ? Math.sqrt(faa / det) : NaN };
}

/** Least-squares power law width = a·T^b (on logs); NaNs with fewer than two distinct temperatures. */
export function powerLaw(ts: number[], ys: number[]): { a: number; b: number } {
  if (new Set(ts).size < 2) return { a: NaN, b: NaN };
  const x = ts.map(Math.log), y = ys.map(Math.log);
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0;
  x.forEach((xi, i) => ((sxy += (xi - mx) * (y[i] - my)), (sxx += (xi - mx) ** 2)));
  const b = sxy / sxx;
  return { a: Math.exp(my - b * mx), b };
}
