/**
 * The Slurm executor: one job array per submission (`sbatch`), each array task running one
 * trial through the same CLI on the shared filesystem (`neurite sweep trial <dir> <index>`).
 * Progress is read from the trial run folders and `squeue`; cancel is `scancel`. There is no
 * accounting database on small clusters, so nothing here needs `sacct`.
 */
import { execFile } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { InputError } from '../core/errors';
import type { SlurmBlock } from './block';

const run = promisify(execFile);

export interface BatchOptions {
  dir: string;
  sweepId: string;
  indices: number[];
  resources: SlurmBlock;
  /** The CLI script each task runs, and the Node that runs it (both on the shared filesystem). */
  entry: string;
  node: string;
}

/** `0-3,5,7-9`, with `%N` when throttled. */
function arraySpec(indices: number[], maxParallel?: number): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',') + (maxParallel ? `%${maxParallel}` : '');
}

/** Single-quote for bash. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The batch script: resources as #SBATCH lines, then the setup lines, then the trial. */
export function batchScript(o: BatchOptions): string {
  const r = o.resources;
  const sbatch = [
    `--job-name=neurite-${o.sweepId}`,
    `--array=${arraySpec(o.indices, r.maxParallel)}`,
    `--output="${path.join(o.dir, 'slurm', '%A_%a.out')}"`,
    `--cpus-per-task=${r.cpus}`,
    ...(r.partition ? [`--partition=${r.partition}`] : []),
    ...(r.time ? [`--time=${r.time}`] : []),
    ...(r.memory ? [`--mem=${r.memory}`] : []),
    ...r.options,
  ];
  return [
    '#!/bin/bash',
    ...sbatch.map((o) => `#SBATCH ${o}`),
    `# Neurite sweep ${o.sweepId}: array task N runs trial N; its run folder goes under runs/ of the sweep.`,
    'set -e',
    ...r.setup,
    `export NEURITE_THREADS="\${SLURM_CPUS_PER_TASK:-${r.cpus}}"`,
    `exec "\${NEURITE_NODE:-${o.node}}" ${q(o.entry)} sweep trial ${q(o.dir)} "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}

/** Submit a batch script; returns the job id. */
export async function sbatch(scriptFile: string): Promise<string> {
  const { stdout } = await slurm('sbatch', ['--parsable', scriptFile]);
  const id = stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed "${stdout.trim()}", not a job id`);
  return id;
}

/** States Slurm keeps a task in until it is gone for good. */
const ENDED = new Set(['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT']);

/** Array task index → state, for the tasks of these jobs that are still queued or running. */
export async function activeTasks(jobIds: string[]): Promise<Map<number, string>> {
  const tasks = new Map<number, string>();
  if (jobIds.length === 0) return tasks;
  // All of this user's jobs, filtered here: `squeue -j` fails outright once one id is purged.
  const { stdout } = await slurm('squeue', ['-h', '-r', '-u', os.userInfo().username, '-o', '%F|%K|%T']);
  for (const line of stdout.split('\n')) {
    const [job, task, state] = line.trim().split('|');
    if (!jobIds.includes(job) || ENDED.has(state)) continue;
    if (/^\d+$/.test(task)) tasks.set(Number(task), state);
  }
  return tasks;
}

export async function scancel(jobIds: string[]): Promise<void> {
  if (jobIds.length) await slurm('scancel', jobIds);
}

/** Run a Slurm command; a missing command or a Slurm error becomes a readable message. */
async function slurm(cmd: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await run(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new InputError([`slurm: \`${cmd}\` is not on PATH; the Slurm executor, and sweeps submitted to Slurm, need Slurm's commands (run on a login node)`]);
    const why = (err.stderr || err.message).trim();
    // sbatch refusing a job is nearly always the request (partition, account, limits): say so as input
    if (cmd === 'sbatch') throw new InputError([`slurm: sbatch refused the job array: ${why}`]);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${why}`);
  }
}
