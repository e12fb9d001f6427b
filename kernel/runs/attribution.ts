/**
 * Attributions of a stored run, for the kernel's `attribution/get` and `neurite attribute`: the
 * run's model rebuilt by its experiment kind (from spec.json and its checkpoint), a stored
 * record that answers the same request read instead of recomputed, new results stored in
 * artifacts/attribution/ on request.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import { cancellationPoint } from '../core/engine-context';
import { InputError } from '../core/errors';
import { readRecord, recordKey, writeRecord } from '../dense/attribution/store';
import { computeRecord, layersFor, type AttributionSubject } from '../experiments/attribution';
import { findExperiment } from '../experiments/registry';
import { speedOptions, type attributionGetParams, type AttributionGetResult, type AttributionRecord, type AttributionRequest } from '../protocol/attribution';
import { findRun, runsRoot } from './store';

/** A validated `attribution/get` request (defaults filled). */
export type AttributionGet = z.infer<typeof attributionGetParams>;

export interface AttributionRunEnv {
  signal?: AbortSignal;
  progress?(fraction: number, message?: string): void;
}

export async function attributeRun(p: AttributionGet, env: AttributionRunEnv = {}): Promise<AttributionGetResult> {
  const dir = findRun(p.run, runsRoot(p.workspace ?? process.cwd()));
  let stored: { spec?: { kind?: string }; baseDir?: string };
  try {
    stored = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8'));
  } catch (e) {
    throw new InputError([`${dir}: cannot read spec.json: ${(e as Error).message}`]);
  }
  const kind = stored.spec?.kind ?? '(none)';
  const experiment = findExperiment(kind);
  if (!experiment?.attribution) throw new InputError([`${path.basename(dir)}: ${kind} runs have no attribution (it explains dense models whose kind can rebuild them: dense.mlp, …)`]);
  const subject = await subjects.get(dir, () => experiment.attribution!.load(stored.spec, { id: path.basename(dir), dir, baseDir: stored.baseDir ?? dir }));
  const layers = p.layer ? [p.layer] : layersFor(subject.model, p.method);
  if (layers.length === 0) throw new InputError([`layer: ${p.method} describes no layer of this model`]);
  const folder = path.join(dir, 'artifacts', 'attribution');
  const cancel = env.signal ? cancellationPoint(env.signal) : undefined;
  const results: AttributionGetResult['results'] = [];
  for (const [i, layer] of layers.entries()) {
    const request: AttributionRequest = { method: p.method, layer, ...(p.neuron !== undefined ? { neuron: p.neuron } : {}), data: p.data, options: p.options };
    const file = path.join(folder, `${recordKey(layer, p.method, p.neuron)}.json`);
    if (!p.recompute && fs.existsSync(file)) {
      const { record, items } = readRecord(file, { items: true });
      if (sameRequest(record.request, request)) {
        results.push({ record: inlined(record, items), cached: true, file });
        continue;
      }
    }
    const record = await computeRecord(subject, request, {
      progress: env.progress && ((f, m) => env.progress!((i + f) / layers.length, m)),
      yieldOrThrowIfCancelled: cancel,
    });
    results.push({ record, cached: false, ...(p.store ? { file: writeRecord(folder, record) } : {}) });
  }
  return { run: dir, results };
}

/**
 * The last few runs' models and data, so that requests about one run (a panel, hover hints)
 * load them once. A run's entry is renewed when its checkpoints change (a run still training).
 */
class SubjectCache {
  private readonly entries = new Map<string, { stamp: string; subject: Promise<AttributionSubject> }>();
  constructor(private readonly capacity = 4) {}

  get(dir: string, load: () => Promise<AttributionSubject>): Promise<AttributionSubject> {
    const artifacts = path.join(dir, 'artifacts');
    const stamp = fs.existsSync(artifacts)
      ? fs.readdirSync(artifacts).filter((f) => f.startsWith('checkpoint-')).sort().map((f) => `${f}:${fs.statSync(path.join(artifacts, f)).mtimeMs}`).join(',')
      : '';
    const hit = this.entries.get(dir);
    this.entries.delete(dir);
    const entry = hit && hit.stamp === stamp ? hit : { stamp, subject: load() };
    entry.subject.catch(() => this.entries.delete(dir));
    this.entries.set(dir, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry.subject;
  }
}

const subjects = new SubjectCache();

/** Every stored record of a run (artifacts/attribution/*.json), validated. */
export function storedRecords(dir: string): { record: AttributionRecord; file: string }[] {
  const folder = path.join(dir, 'artifacts', 'attribution');
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ record: readRecord(path.join(folder, f)).record, file: path.join(folder, f) }));
}

/** Whether a stored record answers a request: the same method, layer, neuron, data and options (speed options aside). */
export function sameRequest(a: AttributionRequest, b: AttributionRequest): boolean {
  const key = (r: AttributionRequest) => canonical({ ...r, options: Object.fromEntries(Object.entries(r.options).filter(([k]) => !(speedOptions as readonly string[]).includes(k))) });
  return key(a) === key(b);
}

/** JSON with keys sorted at every level (undefined fields dropped). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A stored record with its binary's values inline, as responses carry them. */
function inlined(record: AttributionRecord, items?: Float32Array): AttributionRecord {
  if (!record.perItem || !items) return record;
  const { file: _f, offset: _o, ...rest } = record.perItem;
  return { ...record, perItem: { ...rest, data: Array.from(items) } };
}
