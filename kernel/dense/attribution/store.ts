/**
 * The stored form of an attribution (docs/attribution-format.md): `<key>.json`, validated by
 * kernel/protocol/attribution.ts's `attributionRecord`, and, when every item's values are
 * kept, `<key>.bin` beside it (float32, little-endian, [items, units] row-major). The key is
 * `<layer>.<method>`, or `<layer>-<neuron>.<method>` for one neuron's map. The binary is
 * written first and both atomically, so a record never points at a missing or torn binary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../../core/errors';
import { writeFileAtomic } from '../../core/files';
import { ATTRIBUTION_FORMAT, attributionRecord, type AttributionRecord, type AttributionRequest } from '../../protocol/attribution';
import type { AttributionResult } from './engine';

/** Where the model came from (the record's `model`). */
export interface ModelSource {
  kind: string;
  run?: string;
  checkpoint?: string;
  epoch?: number;
}

/** The file name (without extension) of a request's record. */
export function recordKey(layer: string, method: string, neuron?: number): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._=-]+/g, '_').replace(/^\./, '_');
  return `${clean(layer)}${neuron === undefined ? '' : `-${neuron}`}.${method.replace(/[^a-z0-9.-]+/g, '_')}`;
}

/** A result as a record; with `perItem`, every item's values inline (`perItem.data`). */
export function toRecord(r: AttributionResult, request: AttributionRequest, model: ModelSource, perItem: boolean): AttributionRecord {
  const s = r.summary;
  const rec: AttributionRecord = {
    format: ATTRIBUTION_FORMAT,
    request,
    definition: r.definition,
    layer: r.layer,
    ...(r.neuron ? { neuron: r.neuron } : {}),
    units: r.units,
    shape: r.shape,
    unit: r.unit,
    ...(r.target !== undefined ? { target: r.target } : {}),
    items: r.items,
    values: { mean: Array.from(s.mean), meanAbs: Array.from(s.meanAbs), ...(s.fractionActive ? { fractionActive: Array.from(s.fractionActive) } : {}) },
    rank: Array.from(s.rank),
    model: { ...model },
    createdAt: new Date().toISOString(),
    seconds: r.seconds,
  };
  if (s.histogram) rec.histogram = { edges: s.histogram.edges, counts: s.histogram.counts.map((c) => Array.from(c)) };
  if (s.topInputs) rec.topInputs = { k: s.topInputs.k, items: s.topInputs.items.map((i) => Array.from(i)), values: s.topInputs.values.map((v) => Array.from(v)) };
  if (r.completeness) rec.completeness = r.completeness;
  if (r.quantities) rec.quantities = r.quantities;
  if (perItem && r.perItem) rec.perItem = { shape: [r.items, r.units], dtype: 'float32', ids: Array.from(r.ids), data: Array.from(r.perItem) };
  return rec;
}

/** Write `<dir>/<key>.json` (and `<key>.bin` when the record holds every item's values); returns the JSON path. */
export function writeRecord(dir: string, rec: AttributionRecord): string {
  fs.mkdirSync(dir, { recursive: true });
  const key = recordKey(rec.neuron?.layer ?? rec.layer, rec.request.method, rec.neuron?.index);
  let stored = rec;
  if (rec.perItem?.data) {
    const { data, ...rest } = rec.perItem;
    const bin = Buffer.from(Float32Array.from(data).buffer);
    writeFileAtomic(path.join(dir, `${key}.bin`), bin);
    stored = { ...rec, perItem: { ...rest, file: `${key}.bin`, offset: 0 } };
  }
  const file = path.join(dir, `${key}.json`);
  writeFileAtomic(file, JSON.stringify(stored) + '\n');
  return file;
}

/** Read and validate a stored record; with `items`, every item's values from its binary (else undefined). */
export function readRecord(file: string, opts: { items?: boolean } = {}): { record: AttributionRecord; items?: Float32Array } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError([`${file}: cannot read an attribution record: ${(e as Error).message}`]);
  }
  const parsed = attributionRecord.safeParse(raw);
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(record)'}: ${i.message}`));
  const record = parsed.data;
  if (!opts.items || !record.perItem) return { record };
  const [n, u] = record.perItem.shape;
  if (record.perItem.data) return { record, items: Float32Array.from(record.perItem.data) };
  const bin = fs.readFileSync(path.join(path.dirname(file), record.perItem.file!));
  const offset = record.perItem.offset ?? 0;
  if (offset + n * u * 4 > bin.length) throw new InputError([`${file}: ${record.perItem.file} holds ${bin.length} bytes, the record needs ${offset + n * u * 4}`]);
  const items = new Float32Array(n * u);
  for (let k = 0; k < n * u; k++) items[k] = bin.readFloatLE(offset + 4 * k);
  return { record, items };
}
