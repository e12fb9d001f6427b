/**
 * Sweeps in the kernel: the same planning and executors as `neurite sweep`, with progress as
 * `sweep/progress` notifications (throttled: trial changes at once, running progress ≤ 10/s)
 * and the outcome as `sweep/end`. Local workers are forked `cli.js` processes.
 */
import { InputError } from '../core/errors';
import type { Requests, SweepEndParams } from '../protocol/types';
import { slurmSchema } from '../sweeps/block';
import { openSweep, type SweepProgress } from '../sweeps/execute';
import { planSweep } from '../sweeps/plan';
import type { Notify } from './service';

export async function startSweep(p: Requests['sweep/start'][0], root: string, active: Map<string, AbortController>, notify: Notify): Promise<Requests['sweep/start'][1]> {
  const slurm = slurmSchema.partial().safeParse(p.slurm ?? {});
  if (!slurm.success) throw new InputError(slurm.error.issues.map((i) => `slurm.${i.path.join('.')}: ${i.message}`));
  const plan = planSweep({ specPath: p.specPath, spec: p.spec, overrides: p.overrides });
  const opened = await openSweep(plan, root, { executor: p.executor ?? 'local', jobs: p.jobs, slurm: slurm.data, by: 'kernel' });
  const abort = new AbortController();
  active.set(opened.sweepId, abort);
  let last = 0;
  const progress = (s: SweepProgress) => {
    const now = Date.now();
    const running = s.trial?.status === 'running' && s.trial.fraction !== undefined; // a worker's own progress
    if (running && now - last < 100) return;
    last = now;
    notify('sweep/progress', {
      sweepId: s.sweepId,
      total: s.total,
      fraction: Math.min(1, Math.max(0, s.fraction)),
      counts: s.counts,
      trial: s.trial && { index: s.trial.index, status: s.trial.status, fraction: s.trial.fraction, runDir: s.trial.runDir, error: s.trial.error },
    });
  };
  const end = (params: SweepEndParams) => {
    active.delete(opened.sweepId);
    notify('sweep/end', params);
  };
  setImmediate(() => {
    // after the reply, so the caller knows the sweep id before its first notification
    opened
      .run({ progress, log: (message) => notify('run/log', { level: 'info', message: `sweep ${opened.sweepId}: ${message}` }) }, abort.signal)
      .then(
        (o) => end({ sweepId: o.sweepId, dir: o.dir, status: o.status, counts: o.counts, table: o.table }),
        (e) => end({ sweepId: opened.sweepId, dir: opened.dir, status: 'failed', counts: {}, error: (e as Error).message }),
      );
  });
  return { sweepId: opened.sweepId, dir: opened.dir, total: opened.total, skipped: opened.skipped, pending: opened.pending.length };
}
