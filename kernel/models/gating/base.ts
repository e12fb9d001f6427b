/**
 * The foundation model of Dopamine tuning (PAPERS.md §4): an MLP input → hidden… → classes,
 * hᵢ = f(Wᵢ hᵢ₋₁ + bᵢ), pretrained once (gating.foundation) and saved as a run artifact,
 * `artifacts/base.json` + `base.bin` (a parameters-only checkpoint, kernel/dense/checkpoint.ts,
 * whose `extra` says what the base is), which every tuning run loads by path and freezes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../../core/errors';
import type { Rng } from '../../core/rng';
import { loadParameters, readCheckpointIndex, saveParameters, type CheckpointIndex } from '../../dense/checkpoint';
import { Activation, type ActivationKind, type Layer } from '../../dense/layers/layer';
import { Linear } from '../../dense/layers/linear';
import type { Parameter } from '../../dense/params';

export interface BaseArchitecture {
  features: number;
  hidden: number[];
  classes: number;
  activation: ActivationKind;
}

/** What base.json's `extra` holds beside the tensors. */
export interface BaseInfo {
  kind: 'gating.foundation';
  architecture: BaseArchitecture;
  /** The data it was pretrained on: the data set, and the share of its training images rotated by `degrees`. */
  data: { name: string; degrees: number; fraction: number };
  run?: string;
  /** Test accuracy upright and rotated when it was saved. */
  accuracy?: { upright: number; rotated: number };
}

/** The base's layers: `base.hidden[i]` (Linear) and its activation, then `base.output`. */
export interface BaseLayers {
  hidden: { linear: Linear; activation: Activation }[];
  output: Linear;
}

export function buildBase(a: BaseArchitecture, rng: Rng, init: 'he' | 'xavier' | 'torch' = 'he'): BaseLayers {
  let width = a.features;
  const hidden = a.hidden.map((h, i) => {
    const layer = { linear: new Linear(`base.hidden[${i}]`, width, h, rng, { init: { kind: init } }), activation: new Activation(`base.hidden[${i}].activation`, a.activation) };
    width = h;
    return layer;
  });
  return { hidden, output: new Linear('base.output', width, a.classes, rng, { init: { kind: init } }) };
}

export function baseParameters(b: BaseLayers): Parameter[] {
  return [...b.hidden.flatMap((h) => h.linear.parameters()), ...b.output.parameters()];
}

/** The plain MLP of the base's layers (what pretraining trains). */
export function baseLayerList(b: BaseLayers): Layer[] {
  return [...b.hidden.flatMap((h) => [h.linear, h.activation]), b.output];
}

/** The artifact name in a foundation run: artifacts/base(.json, .bin). */
export const BASE_ARTIFACT = 'base';

export function saveBase(basePath: string, b: BaseLayers, info: BaseInfo, at: { epoch: number; step: number; optimizer: string }): void {
  saveParameters(basePath, baseParameters(b), { ...at, extra: { ...info } });
}

/**
 * Where a spec's `base` leads (absolute path `p`): the base file (`…/base.json`, or its path
 * without `.json`), a gating.foundation run folder, or a folder of runs, of which the newest
 * completed one with a base is taken. Returns the path without `.json`, and the run it belongs to.
 */
export function locateBase(p: string): { basePath: string; run?: string } {
  const stripped = p.endsWith('.json') ? p.slice(0, -5) : p;
  if (fs.existsSync(`${stripped}.json`) && !isDir(stripped)) return { basePath: stripped, run: runOf(stripped) };
  if (!isDir(p)) throw new InputError([`base: ${p}: no such file or folder (a gating.foundation run folder, a folder of such runs, or its artifacts/base.json)`]);
  const inRun = path.join(p, 'artifacts', BASE_ARTIFACT);
  if (fs.existsSync(`${inRun}.json`)) return { basePath: inRun, run: path.basename(p) };
  const runs = fs
    .readdirSync(p)
    .filter((n) => /^\d{8}-\d{6}-/.test(n) && fs.existsSync(path.join(p, n, 'artifacts', `${BASE_ARTIFACT}.json`)) && completed(path.join(p, n)))
    .sort();
  if (!runs.length) throw new InputError([`base: ${p} holds no artifacts/${BASE_ARTIFACT}.json, nor a completed run folder that does; run a gating.foundation spec first (samples/dopamine-pretrain.neurite.yaml)`]);
  const newest = runs[runs.length - 1];
  return { basePath: path.join(p, newest, 'artifacts', BASE_ARTIFACT), run: newest };
}

/**
 * Read and check a base for a tuning run on `data` (the data set's name): the index must say it
 * is a gating.foundation base, and the data must be the data it was pretrained on. Every problem
 * names `base`. Returns the index and what it describes.
 */
export function readBaseInfo(basePath: string, data: { name: string; features?: number; classes?: number }): { index: CheckpointIndex; info: BaseInfo } {
  const index = located(() => readCheckpointIndex(basePath));
  const info = index.extra as BaseInfo | undefined;
  const a = info?.architecture;
  if (info?.kind !== 'gating.foundation' || !a || !Array.isArray(a.hidden) || !(a.features > 0) || !(a.classes > 0)) {
    throw new InputError([`base: ${basePath}.json is not a gating.foundation base (its extra.kind is ${JSON.stringify(info?.kind)}; a base names its architecture)`]);
  }
  const problems: string[] = [];
  if (info.data?.name !== data.name) problems.push(`base: ${basePath}.json was pretrained on ${info.data?.name}, but data.name is ${data.name}`);
  if (data.features !== undefined && a.features !== data.features) problems.push(`base: its input has ${a.features} features, the data's images ${data.features} pixels`);
  if (data.classes !== undefined && a.classes !== data.classes) problems.push(`base: it has ${a.classes} classes, the data ${data.classes}`);
  if (problems.length) throw new InputError(problems);
  return { index, info };
}

/** Build the base a file describes and load its parameters (shapes checked, every problem naming `base`). */
export function loadBase(basePath: string, info: BaseInfo, rng: Rng): BaseLayers {
  const b = buildBase(info.architecture, rng);
  located(() => loadParameters(basePath, baseParameters(b)));
  return b;
}

function located<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((m) => `base: ${m}`));
    throw e;
  }
}

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const completed = (dir: string) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).status === 'completed';
  } catch {
    return false;
  }
};
/** The run folder a base file sits in (…/<run>/artifacts/base), if it does. */
const runOf = (basePath: string) => (path.basename(path.dirname(basePath)) === 'artifacts' ? path.basename(path.dirname(path.dirname(basePath))) : undefined);
