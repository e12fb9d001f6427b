/** `neurite run <spec>`: one experiment, in process, with a progress bar and a summary. */
import * as path from 'path';
import { InputError } from '../core/errors';
import { deviceRequests, type DeviceRequest } from '../protocol/types';
import { startRun } from '../runs/runner';
import { logText } from '../runs/store';
import { EXIT_OK, EXIT_RUN_FAILED, parse, positionalError, printJson, seedFlag, synopsis, type Command } from './io';
import { ProgressDisplay } from './progress';

export const runSyn = synopsis({
  name: 'run',
  args: '<spec>',
  summary: 'Run an experiment spec (YAML or JSON) and write a run folder. Exit 0 ok, 1 run failed or cancelled, 2 bad input.',
  flags: {
    set: { type: 'string', multiple: true, value: 'path=value', help: 'override a spec field; the value is YAML, e.g. --set simulation.trials=1e6' },
    seed: { type: 'string', value: 'N', help: "the run's seed, an integer in [0, 4294967295] (overrides the spec's)" },
    device: { type: 'string', value: 'auto|cpu|cuda|webgpu', help: 'where dense models execute (overrides the spec\'s)' },
    out: { type: 'string', value: 'DIR', help: 'folder of run folders (default: .neurite/runs in the current folder)' },
    json: { type: 'boolean', help: 'print the summary as one JSON object, the last line of stdout' },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bar and no log lines' },
  },
});

export const runCommand: Command = {
  synopses: [runSyn],
  async run(argv) {
    const { values, positionals } = parse(argv, runSyn);
    if (positionals.length !== 1) throw positionalError(runSyn, `expected one spec file, got ${positionals.length}`);
    const seed = seedFlag(values.seed);
    const device = values.device;
    if (device !== undefined && !(deviceRequests as readonly string[]).includes(device)) {
      throw new InputError([`--device: expected auto, cpu, cuda or webgpu, got "${device}"`]);
    }
    const display = new ProgressDisplay(process.stderr, path.basename(positionals[0]));
    const abort = new AbortController();
    const started = startRun(
      {
        workspace: process.cwd(),
        specPath: positionals[0],
        overrides: values.set ?? [],
        seed,
        device: device as DeviceRequest | undefined,
        outDir: values.out,
      },
      {
        progress: (f, m) => !values.quiet && display.update(f, m),
        metric: () => {},
        trace: () => {},
        log: (level, message) => !values.quiet && display.line(logText(level, message)),
      },
      abort.signal,
    );
    // Only once the spec is valid and the run exists (bad input throws above, leaving no handler).
    const onSigint = () => {
      display.line('interrupt: cancelling at the next step boundary (press again to force)');
      process.off('SIGINT', onSigint);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    if (!values.quiet) display.line(`run ${started.runId} → ${path.relative(process.cwd(), started.dir) || started.dir}`);
    const summary = await started.done;
    process.off('SIGINT', onSigint);
    display.end();
    if (values.json) printJson(summary);
    else {
      process.stdout.write(`${summary.status}: ${started.dir}\n`);
      for (const [k, v] of Object.entries(summary.metrics)) process.stdout.write(`  ${k} = ${v}\n`);
      if (summary.error) process.stdout.write(`  error: ${summary.error}\n`);
    }
    return summary.status === 'completed' ? EXIT_OK : EXIT_RUN_FAILED;
  },
};
