/**
 * `npm run bench -- sfq-seeds [--margins N] [--calibrations M]`: how much the sfq.xor figures in
 * the README move from seed to seed, which sets the tolerances of their tests
 * (test/unit/models/sfq/behavior.unit.test.ts).
 *
 *   margin   the circuit-level classification margin at 4.2 K of samples/sfq-xor.neurite.yaml
 *            (4 ns per input pair, seeds s…s+3 for the four pairs, as sfq.xor runs them), for
 *            seeds 1…N;
 *   exponent the power law σ ∝ T^b fitted to the synapse widths of a calibration on the shipped
 *            grid (its synapse part: 5 temperatures × 19 biases × 200 pulses), for calibration
 *            seeds 1 (the shipped one), 1001, 2001, … (M of them).
 * Writes bench/results/sfq-seeds.json.
 */
import { mean, variance } from '../kernel/core/stats';
import { xorMargin } from '../kernel/models/sfq/behavior';
import { calibrationPoints, shippedGrid } from '../kernel/models/sfq/calibrate';
import { fitSigmoid, powerLaw, type SynapsePoint } from '../kernel/models/sfq/synapse';
import { runXorCircuit } from '../kernel/models/sfq/xor-circuit';
import { xorDefaults } from '../kernel/models/sfq/xor-netlist';
import { printTable, writeResults } from './_table';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

/** sfq.xor's circuit margin for the sample's design at 4.2 K, 4 ns per input pair. */
export async function sampleMargin(seed: number): Promise<number> {
  const rates = [];
  for (const [x1, x2] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) rates.push(await runXorCircuit({ ...xorDefaults, temperature: 4.2, durationPs: 4000, x1, x2 }, [], seed + 2 * x1 + x2));
  return xorMargin(rates, xorDefaults.rateGHz).margin;
}

async function widthExponent(seed: number): Promise<number> {
  const points = calibrationPoints({ ...shippedGrid, seed }).filter((p) => p.table === 'synapse');
  const perT = shippedGrid.temperatures.map(() => [] as SynapsePoint[]);
  for (const p of points) perT[p.t][p.i] = (await p.measure()) as SynapsePoint;
  return powerLaw(shippedGrid.temperatures, perT.map((pts) => fitSigmoid(pts).width)).b;
}

const summary = (xs: number[]) => ({ mean: mean(xs), sd: Math.sqrt(variance(xs)), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

async function main(): Promise<void> {
  const margins: { seed: number; marginGHz: number }[] = [];
  for (let s = 1; s <= arg('margins', 20); s++) {
    margins.push({ seed: s, marginGHz: await sampleMargin(s) });
    console.log(`margin, seed ${s}: ${margins[margins.length - 1].marginGHz.toFixed(2)} GHz`);
  }
  const exponents: { seed: number; b: number }[] = [];
  for (let k = 0; k < arg('calibrations', 8); k++) {
    const seed = 1 + 1000 * k;
    exponents.push({ seed, b: await widthExponent(seed) });
    console.log(`σ ∝ T^b, calibration seed ${seed}: b = ${exponents[exponents.length - 1].b.toFixed(4)}`);
  }
  const m = summary(margins.map((x) => x.marginGHz)), b = summary(exponents.map((x) => x.b));
  printTable('Seed-to-seed spread of the sfq.xor figures', [
    { figure: 'circuit margin at 4.2 K, GHz', seeds: m.n, mean: m.mean, sd: m.sd, min: m.min, max: m.max, 'seed 1': margins[0]?.marginGHz ?? '' },
    { figure: 'synapse width exponent b', seeds: b.n, mean: b.mean, sd: b.sd, min: b.min, max: b.max, 'seed 1': exponents[0]?.b ?? '' },
  ]);
  writeResults('sfq-seeds', { margins, exponents, marginSummary: m, exponentSummary: b });
}

void main();
