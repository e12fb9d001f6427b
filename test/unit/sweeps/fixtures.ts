/** Specs and helpers shared by the sweep tests. */
import * as fs from 'fs';
import * as path from 'path';
import { cli, lastJsonLine } from '../helpers';

/** A fast dendrite.sdr base (~30 ms of simulation): one false-positive and one false-negative check. */
export const baseSpec = `kind: dendrite.sdr
name: sweep-test
seed: 7
checks:
  falsePositive: [{ n: 300, a: 64, s: 24, theta: 12 }]
  falseNegative: [{ n: 70, a: 40, s: 24, theta: 12, v: 20 }]
  union: []
simulation: { trials: 20000, chunk: 5000 }
sweeps: []
`;

/** 2 parameters × 2 values × 3 seeds = 12 trials in 4 configurations. */
export const gridSpec = `${baseSpec}sweep:
  grid:
    checks.falsePositive[0].theta: [10, 12]
    simulation.confidence: [0.95, 0.99]
    seed: [1, 2, 3]
`;

export function writeSpec(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** `neurite sweep … --json`: exit code, the outcome object, stderr. */
export function sweep(args: string[], cwd: string, timeoutMs = 120_000) {
  const r = cli(['sweep', ...args], { cwd, timeoutMs });
  let outcome: any;
  try {
    outcome = lastJsonLine(r.stdout);
  } catch {
    outcome = undefined;
  }
  return { ...r, outcome };
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The summary.json of every run folder under `root`, by folder. */
export function summaries(root: string): Map<string, any> {
  const out = new Map<string, any>();
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d)) {
      const p = path.join(d, n);
      if (n === 'summary.json') out.set(d, readJson(p));
      else if (fs.statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

/** Sample mean and sd, written out plainly (the check on the table's arithmetic). */
export function meanSd(xs: number[]): { mean: number; sd: number | null } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: null };
  return { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) * (x - mean), 0) / (xs.length - 1)) };
}

/**
 * Equal to rounding: |a − b| ≤ rel · max(|a|, |b|, scale). For an sd, pass the mean as `scale`:
 * the sd of equal values is 0 exactly one way and ~1e-18 another, both roundoff of the mean.
 */
export const close = (a: number | null, b: number | null, scale = 0, rel = 1e-12) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), Math.abs(scale));
