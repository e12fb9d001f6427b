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
  writeTensors(basePath, tensorsOf(state), { epoch: at.epoch, step: state.t, optimizer: state.optimizer.spec.kind, extra: at.extra });
}

/**
 * Parameters alone, in the same two files and format (no optimizer slots): a trained model
 * that later runs load and build on, e.g. a frozen base. `optimizer` names what trained them.
 */
export function saveParameters(basePath: string, params: readonly Parameter[], at: { epoch: number; step: number; optimizer: string; extra?: Record<string, unknown> }): void {
  writeTensors(basePath, params, at);
}

function writeTensors(basePath: string, tensors: readonly Parameter[], at: Omit<CheckpointIndex, 'format' | 'tensors'>): void {
  const index: CheckpointIndex = { format: 'neurite-checkpoint-1', epoch: at.epoch, step: at.step, optimizer: at.optimizer, tensors: [], extra: at.extra };
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
  const index = readTensors(basePath, tensorsOf(state));
  state.t = index.step;
  return index;
}

/** Set `params` from a checkpoint that holds each of them by name (others in it are ignored). */
export function loadParameters(basePath: string, params: readonly Parameter[]): CheckpointIndex {
  return readTensors(basePath, params);
}

/** A checkpoint's index, read and checked for its format (no tensor is read). */
export function readCheckpointIndex(basePath: string): CheckpointIndex {
  let index: CheckpointIndex;
  try {
    index = JSON.parse(fs.readFileSync(`${basePath}.json`, 'utf8'));
  } catch (e) {
    throw new InputError([`${basePath}: cannot read checkpoint: ${(e as Error).message}`]);
  }
  if (index?.format !== 'neurite-checkpoint-1') throw new InputError([`${basePath}.json: format: expected neurite-checkpoint-1, got ${index?.format}`]);
  return index;
}

function readTensors(basePath: string, tensors: readonly Parameter[]): CheckpointIndex {
  const index = readCheckpointIndex(basePath);
  let bin: Buffer;
  try {
    bin = fs.readFileSync(`${basePath}.bin`);
  } catch (e) {
    throw new InputError([`${basePath}: cannot read checkpoint: ${(e as Error).message}`]);
  }
  const byName = new Map(index.tensors.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const p of tensors) {
    const t = byName.get(p.name);
    if (!t) problems.push(`${basePath}.json: tensors: no entry for ${p.name}`);
    else if (t.length !== p.size || t.shape.join(',') !== p.shape.join(',')) problems.push(`${basePath}.json: ${p.name}: shape [${t.shape}] does not match the model's [${p.shape}]`);
    else if (t.offset + t.length * 4 > bin.length) problems.push(`${basePath}.bin: ${p.name}: truncated (needs bytes ${t.offset}…${t.offset + t.length * 4}, file has ${bin.length})`);
  }
  if (problems.length) throw new InputError(problems);
  for (const p of tensors) {
    const t = byName.get(p.name)!;
    p.set(new Float32Array(bin.buffer.slice(bin.byteOffset + t.offset, bin.byteOffset + t.offset + t.length * 4)));
  }
  return index;
}
