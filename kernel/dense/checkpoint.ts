/**
 * Checkpoints of a training state in a run's artifacts/: `<name>.json` (what is stored, where,
 * at which epoch and step) and `<name>.bin` (the float32 values, little-endian, back to back).
 * Both are written atomically (core/files.ts), so a crash never leaves half a checkpoint.
 */
import * as fs from 'fs';
import { InputError } from '../core/errors';
import { writeFileAtomic } from '../core/files';
import type { Parameter } from './params';
import type { TrainState } from './step';

export interface CheckpointIndex {
  format: 'neurite-checkpoint-1';
  epoch: number;
  step: number;
  optimizer: string;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  extra?: Record<string, unknown>;
}

/** The tensors a checkpoint holds: parameters, then optimizer slots. */
function tensorsOf(state: TrainState): Parameter[] {
  return [...state.params, ...[...state.slots.values()].flat()];
}

export function saveCheckpoint(basePath: string, state: TrainState, at: { epoch: number; extra?: Record<string, unknown> }): void {
  const tensors = tensorsOf(state);
  const index: CheckpointIndex = { format: 'neurite-checkpoint-1', epoch: at.epoch, step: state.t, optimizer: state.optimizer.spec.kind, tensors: [], extra: at.extra };
  let offset = 0;
  for (const p of tensors) {
    index.tensors.push({ name: p.name, shape: [...p.shape], offset, length: p.size });
    offset += p.size * 4;
  }
  const bin = Buffer.allocUnsafe(offset);
  for (let i = 0; i < tensors.length; i++) {
    const d = tensors[i].data;
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(bin, index.tensors[i].offset);
  }
  writeFileAtomic(`${basePath}.bin`, bin);
  writeFileAtomic(`${basePath}.json`, JSON.stringify(index, null, 1));
}

/** Restore a state from a checkpoint written for the same model and optimizer. */
export function loadCheckpoint(basePath: string, state: TrainState): CheckpointIndex {
  let index: CheckpointIndex;
  let bin: Buffer;
  try {
    index = JSON.parse(fs.readFileSync(`${basePath}.json`, 'utf8'));
    bin = fs.readFileSync(`${basePath}.bin`);
  } catch (e) {
    throw new InputError([`${basePath}: cannot read checkpoint: ${(e as Error).message}`]);
  }
  if (index.format !== 'neurite-checkpoint-1') throw new InputError([`${basePath}.json: format: expected neurite-checkpoint-1, got ${index.format}`]);
  const byName = new Map(index.tensors.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const p of tensorsOf(state)) {
    const t = byName.get(p.name);
    if (!t) problems.push(`${basePath}.json: tensors: no entry for ${p.name}`);
    else if (t.length !== p.size || t.shape.join(',') !== p.shape.join(',')) problems.push(`${basePath}.json: ${p.name}: shape [${t.shape}] does not match the model's [${p.shape}]`);
    else if (t.offset + t.length * 4 > bin.length) problems.push(`${basePath}.bin: ${p.name}: truncated (needs bytes ${t.offset}…${t.offset + t.length * 4}, file has ${bin.length})`);
  }
  if (problems.length) throw new InputError(problems);
  for (const p of tensorsOf(state)) {
    const t = byName.get(p.name)!;
    p.set(new Float32Array(bin.buffer.slice(bin.byteOffset + t.offset, bin.byteOffset + t.offset + t.length * 4)));
  }
  state.t = index.step;
  return index;
}
