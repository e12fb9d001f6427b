/**
 * Neurite: Run Sweep… — many trials of one spec (its `sweep` block) through the kernel, with
 * trial progress in a cancellable notification; the sweep opens in the comparison dashboard
 * (its trials' curves, summary table with mean ± sd, spec diff) as soon as it starts.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { SweepEndParams, SweepProgressParams, SweepStartParams } from '../../kernel/protocol/types';
import { KernelInputError } from '../kernel/errors';
import type { KernelManager } from '../kernel/manager';
import { workspaceRoot } from '../workspace';
import { saveIfDirty, specArg } from './run';

export interface SweepCommandDeps {
  context: vscode.ExtensionContext;
  kernel: KernelManager;
  log: vscode.OutputChannel;
  /** Show a sweep folder in the comparison dashboard. */
  openSweep(dir: string): void;
}

export interface SweepCommandOptions {
  executor?: 'local' | 'slurm';
  jobs?: number;
  /** Open the sweep in the comparison dashboard (default true). */
  openView?: boolean;
}

type SweepEvent = { method: 'sweep/progress'; params: SweepProgressParams } | { method: 'sweep/end'; params: SweepEndParams };

export async function runSweep(deps: SweepCommandDeps, arg?: vscode.Uri | string, options: SweepCommandOptions = {}): Promise<SweepEndParams | undefined> {
  const uri = await specArg(deps.context, arg, 'Neurite: Run Sweep');
  if (!uri) return undefined;
  const executor = options.executor ?? (arg ? 'local' : await pickExecutor());
  if (!executor) return undefined;
  await saveIfDirty(uri); // sweep what the user sees

  // Listen before asking: events for the sweep can arrive right after the reply.
  const events: SweepEvent[] = [];
  let deliver: ((e: SweepEvent) => void) | undefined;
  const sub = deps.kernel.onNotification(({ method, params }) => {
    if (method !== 'sweep/progress' && method !== 'sweep/end') return;
    const e = { method, params } as SweepEvent;
    if (deliver) deliver(e);
    else events.push(e);
  });
  try {
    const params: SweepStartParams = { workspace: workspaceRoot(deps.context), specPath: uri.fsPath, executor, jobs: options.jobs };
    let started;
    try {
      started = await deps.kernel.request('sweep/start', params);
    } catch (e) {
      if (e instanceof KernelInputError) deps.log.appendLine(`[neurite] sweep of ${path.basename(uri.fsPath)} rejected:\n  ${e.problems.join('\n  ')}`);
      throw e;
    }
    const { sweepId } = started;
    deps.log.appendLine(`[neurite] sweep ${sweepId}: ${started.total} trials (${started.skipped} already completed) on ${executor} → ${started.dir}`);
    if (options.openView !== false) deps.openSweep(started.dir); // it fills in as trials finish
    const end = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Neurite sweep ${sweepId}`, cancellable: true },
      (progress, token) =>
        new Promise<SweepEndParams>((resolve) => {
          token.onCancellationRequested(() => void deps.kernel.request('sweep/cancel', { sweepId }).catch(() => undefined));
          const finish = (end: SweepEndParams) => {
            crash.dispose(); // on either path, so no listener outlives its sweep
            resolve(end);
          };
          const crash = deps.kernel.onDidChangeState((s) => {
            if (s === 'crashed' || s === 'idle') finish({ sweepId, dir: started.dir, status: 'failed', counts: {}, error: 'the kernel stopped during the sweep; run it again to resume' });
          });
          let reported = 0;
          deliver = (e) => {
            if (e.params.sweepId !== sweepId) return;
            if (e.method === 'sweep/end') {
              finish(e.params);
              return;
            }
            const { counts, total, fraction } = e.params;
            const pct = Math.round(fraction * 100);
            const failed = counts.failed ? `, ${counts.failed} failed` : '';
            progress.report({ increment: pct - reported, message: `${counts.completed}/${total} trials done, ${counts.running} running${failed}` });
            reported = pct;
          };
          for (const e of events.splice(0)) deliver(e);
        }),
    );
    deps.log.appendLine(`[neurite] sweep ${sweepId} ${end.status}${end.error ? `: ${end.error}` : ''} (${JSON.stringify(end.counts)})`);
    const text = `Neurite: sweep ${sweepId} ${end.status}: ${end.counts.completed ?? 0}/${started.total} trials completed${end.counts.failed ? `, ${end.counts.failed} failed` : ''}.`;
    if (end.status === 'completed') void vscode.window.showInformationMessage(text);
    else void vscode.window.showWarningMessage(end.error ? `${text} ${end.error}` : text);
    return end;
  } finally {
    sub.dispose();
  }
}

async function pickExecutor(): Promise<'local' | 'slurm' | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Local', description: 'trials in parallel on this machine\u2019s cores', value: 'local' as const },
      { label: 'Slurm', description: 'one job array through sbatch (needs a shared filesystem)', value: 'slurm' as const },
    ],
    { title: 'Neurite: Run Sweep — where', placeHolder: 'Where should the trials run?' },
  );
  return pick?.value;
}
