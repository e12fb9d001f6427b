/**
 * `neurite sweep`: many trials of one spec. `neurite sweep <spec>` plans (validating every trial
 * first), then runs or resumes the sweep on local workers or a Slurm job array; `status`,
 * `collect` and `cancel` look at and steer a sweep while it runs and after; `trial` is what a
 * worker or an array task runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cores } from '../core/cores';
import { InputError } from '../core/errors';
import { logText } from '../runs/store';
import { slurmSchema } from '../sweeps/block';
import { openSweep, slurmResources, type ExecuteOptions } from '../sweeps/execute';
import { workerEntry } from '../sweeps/local';
import { cancelSweep, collectSweep, sweepStatus } from '../sweeps/manage';
import { overridesText, planSweep } from '../sweeps/plan';
import { batchScript } from '../sweeps/slurm';
import { findSweep, sweepsRoot, trialRunsDir, trialStates } from '../sweeps/store';
import { startTrial } from '../sweeps/trial';
import { EXIT_OK, EXIT_RUN_FAILED, parse, positionalError, printJson, synopsis, type Command } from './io';
import { SweepDisplay, printReport, printTable } from './sweep-display';

const json = { type: 'boolean', help: 'print JSON instead of text' } as const;
const out = { type: 'string', value: 'DIR', help: 'folder of sweep folders (default: .neurite/sweeps in the current folder)' } as const;

const start = synopsis({
  name: 'sweep',
  args: '<spec>',
  summary:
    'Run the trials of a spec\'s sweep block (grid × cases × random samples), or resume them, on local cores or a Slurm job array. ' +
    'Every trial is validated first. See also: neurite sweep status|collect|cancel --help.',
  flags: {
    executor: { type: 'string', value: 'local|slurm', default: 'local', help: 'where trials run' },
    jobs: { type: 'string', value: 'N', help: 'trials at once (local: default one per core; slurm: the array throttle)' },
    set: { type: 'string', multiple: true, value: 'path=value', help: 'override a field of the base spec; the value is YAML' },
    partition: { type: 'string', value: 'P', help: 'Slurm partition (slurm only)' },
    time: { type: 'string', value: 'T', help: 'Slurm time limit per trial, e.g. 00:30:00 (slurm only)' },
    cpus: { type: 'string', value: 'N', help: 'CPUs per trial (slurm only)' },
    mem: { type: 'string', value: 'M', help: 'memory per trial, e.g. 4G (slurm only)' },
    detach: { type: 'boolean', help: 'submit and return without waiting (slurm only)' },
    'dry-run': { type: 'boolean', help: 'plan and validate only: list the trials (local) or print the batch script (slurm)' },
    out,
    json,
    quiet: { type: 'boolean', short: 'q', help: 'no progress display' },
  },
});
const manageSummary = {
  status: 'Show where each trial of a sweep stands.',
  collect: 'Gather the finished trials of a sweep into its table (CSV and JSON).',
  cancel: 'Cancel a sweep: running trials stop at their next checkpoint, queued ones never start.',
} as const;
const manageSyn = (sub: keyof typeof manageSummary) => synopsis({ name: `sweep ${sub}`, args: '<sweep-id|dir>', summary: manageSummary[sub], flags: { out, json } });
const manageSyns = { status: manageSyn('status'), collect: manageSyn('collect'), cancel: manageSyn('cancel') };
const trialSyn = synopsis({ name: 'sweep trial', args: '<sweep-dir> <index>', summary: 'Run one trial of a planned sweep (what a local worker or a Slurm array task runs).', flags: {} });

export const sweepCommand: Command = {
  synopses: [start, manageSyns.status, manageSyns.collect, manageSyns.cancel, trialSyn],
  async run(argv) {
    const sub = argv[0];
    if (sub === 'status' || sub === 'collect' || sub === 'cancel') return manage(sub, argv.slice(1));
    if (sub === 'trial') return trial(argv.slice(1));
    return startSweep(argv);
  },
};

async function startSweep(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, start);
  if (positionals.length !== 1) throw positionalError(start, `expected one spec file, got ${positionals.length}`);
  const executor = values.executor;
  if (executor !== 'local' && executor !== 'slurm') throw new InputError([`--executor: expected local or slurm, got "${executor}"`]);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 10_000)) throw new InputError([`--jobs: expected an integer ≥ 1, got "${values.jobs}"`]);
  const slurm = slurmFlags(values);
  if (executor === 'local' && (Object.keys(slurm).length || values.detach)) {
    throw new InputError([`${Object.keys(slurm).map((k) => `--${k === 'memory' ? 'mem' : k}`).concat(values.detach ? ['--detach'] : []).join(', ')}: only used with --executor slurm`]);
  }
  const plan = planSweep({ specPath: positionals[0], overrides: values.set ?? [] });
  const root = values.out ? path.resolve(values.out) : sweepsRoot(process.cwd());
  const opts: ExecuteOptions = { executor, jobs, slurm, detach: values.detach, by: 'cli' };

  if (values['dry-run']) {
    const dir = path.join(root, plan.id);
    const states = fs.existsSync(path.join(dir, 'sweep.json')) ? trialStates(dir, plan) : undefined;
    const pending = plan.trials.filter((t) => states?.[t.index].status !== 'completed').map((t) => t.index);
    if (executor === 'slurm' && pending.length === 0) {
      process.stderr.write(`nothing to submit: all ${plan.trials.length} trials of sweep ${plan.id} completed (${dir})\n`);
    } else if (executor === 'slurm') {
      process.stdout.write(batchScript({ dir, sweepId: plan.id, indices: pending, resources: slurmResources(plan.block.slurm, slurm, jobs), entry: workerEntry(), node: process.execPath }));
    } else if (values.json) {
      printJson({ sweepId: plan.id, dir, trials: plan.trials, configs: plan.configs, pending, jobs: jobs ?? cores() });
    } else {
      process.stdout.write(`sweep ${plan.id}: ${plan.trials.length} trials in ${plan.configs.length} configurations; ${pending.length} to run on ${jobs ?? cores()} local workers\n`);
      const todo = new Set(pending);
      for (const t of plan.trials) process.stdout.write(`  ${path.basename(trialRunsDir(dir, t.index, plan.trials.length))}  ${todo.has(t.index) ? 'run ' : 'done'}  ${overridesText(t.overrides)}\n`);
    }
    return EXIT_OK;
  }

  const opened = await openSweep(plan, root, opts);
  const display = new SweepDisplay(process.stderr, opened, values.quiet ?? false);
  const abort = new AbortController();
  const onSigint = () => {
    display.line('interrupt: cancelling the sweep (running trials stop at their next step; press again to force)');
    process.off('SIGINT', onSigint);
    process.once('SIGINT', () => process.exit(130));
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const outcome = await opened.run(display, abort.signal);
  process.off('SIGINT', onSigint);
  display.end();
  if (values.json) printJson(outcome);
  else {
    process.stdout.write(`${outcome.status}: ${outcome.dir}\n`);
    if (outcome.status === 'submitted') process.stdout.write(`  follow with: neurite sweep status ${outcome.sweepId}; collect with: neurite sweep collect ${outcome.sweepId}\n`);
    else printTable(process.stdout, JSON.parse(fs.readFileSync(outcome.table.json, 'utf8')), outcome.table.csv);
  }
  return outcome.status === 'completed' || outcome.status === 'submitted' ? EXIT_OK : EXIT_RUN_FAILED;
}

/** Resource flags, validated by the same schema as the spec's `sweep.slurm`. */
function slurmFlags(values: { partition?: string; time?: string; cpus?: string; mem?: string }) {
  const flags = { partition: values.partition, time: values.time, cpus: values.cpus === undefined ? undefined : Number(values.cpus), memory: values.mem };
  const parsed = slurmSchema.partial().safeParse(flags);
  if (!parsed.success) {
    const flag = (k: PropertyKey) => `--${k === 'memory' ? 'mem' : String(k)}`;
    throw new InputError(parsed.error.issues.map((i) => `${flag(i.path[0])}: ${i.message}`));
  }
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}

async function manage(sub: 'status' | 'collect' | 'cancel', argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, manageSyns[sub]);
  if (positionals.length !== 1) throw positionalError(manageSyns[sub], 'expected one sweep');
  const dir = findSweep(positionals[0], values.out ? path.resolve(values.out) : sweepsRoot(process.cwd()));
  if (sub === 'cancel') {
    const done = await cancelSweep(dir);
    if (values.json) printJson({ dir, done });
    else for (const line of done) process.stdout.write(`${line}\n`);
    return EXIT_OK;
  }
  const collected = sub === 'collect' ? await collectSweep(dir) : undefined;
  const report = collected ?? (await sweepStatus(dir));
  if (values.json) {
    printJson({
      sweepId: report.record.id,
      dir,
      status: report.status,
      trials: report.trials.map((t) => ({ index: t.index, status: t.live, overrides: report.record.trials[t.index].overrides, run: t.runDir, attempts: t.attempts, error: t.summary?.error })),
      ...(collected ? { table: collected.table, files: collected.files } : {}),
    });
    return EXIT_OK;
  }
  printReport(process.stdout, report);
  if (collected) printTable(process.stdout, collected.table, collected.files.csv);
  return EXIT_OK;
}

/** A worker: one trial, in process; progress to the controller over IPC when there is one. */
async function trial(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, trialSyn);
  if (positionals.length !== 2 || !/^\d+$/.test(positionals[1])) throw positionalError(trialSyn, 'expected a sweep folder and a trial index');
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop); // scancel, and a Slurm time limit
  process.on('disconnect', stop); // the local controller is gone
  const send = (m: unknown) => process.connected && process.send!(m);
  try {
    const t = startTrial(
      path.resolve(positionals[0]),
      Number(positionals[1]),
      {
        progress: (fraction) => send({ type: 'progress', fraction }),
        metric: () => {},
        trace: () => {},
        log: (level, message) => process.stdout.write(`${logText(level, message)}\n`),
      },
      abort.signal,
    );
    if ('skipped' in t) {
      process.stdout.write(`trial ${positionals[1]} already completed in run ${t.skipped.id}; not run again\n`);
      return EXIT_OK;
    }
    process.stdout.write(`trial ${positionals[1]}: run ${t.started.runId} → ${t.started.dir} (pid ${process.pid}, NEURITE_THREADS=${process.env.NEURITE_THREADS ?? 'unset'})\n`);
    send({ type: 'started', runId: t.started.runId, dir: t.started.dir });
    const summary = await t.started.done;
    process.stdout.write(`trial ${positionals[1]}: ${summary.status}${summary.error ? `: ${summary.error}` : ''}\n`);
    return summary.status === 'completed' ? EXIT_OK : EXIT_RUN_FAILED;
  } finally {
    process.off('disconnect', stop);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (process.connected) process.disconnect(); // an open IPC channel would keep the worker alive
  }
}
