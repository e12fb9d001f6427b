/** Loading the Brian2 golden files (test/golden/brian2/*.json) and comparing spike lists. */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

export function golden<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'brian2', name), 'utf8')) as T;
}

export interface SpikeList {
  steps: ArrayLike<number>;
  ids: ArrayLike<number>;
}

/** Spikes as sorted "step:id" strings, so two lists compare regardless of order within a step. */
export function spikeKeys(s: SpikeList): string[] {
  const keys: string[] = [];
  for (let k = 0; k < s.steps.length; k++) keys.push(`${s.steps[k]}:${s.ids[k]}`);
  return keys.sort((a, b) => {
    const [sa, ia] = a.split(':').map(Number);
    const [sb, ib] = b.split(':').map(Number);
    return sa - sb || ia - ib;
  });
}
