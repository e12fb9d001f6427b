/** `neurite run <spec>`: one experiment, in process, with a progress bar and a summary. */
import * as path from 'path';
import { InputError } from '../core/errors';
import { deviceRequests, type DeviceRequest } from '../protocol/types';
import { startRun } from '../runs/runner';
import { logText } from '../runs/store';
import { EXIT_OK, EXIT_RUN_FAILED, parse, printJson, seedFlag, type Command } from './io';
import { ProgressDisplay } from './progress';

const usage = 'run <spec> [--set path=value …] [--seed N] [--device D] [--out DIR] [--json]';

export const runCommand: Command = {
  usage,
  summary: 'run an experiment spec and write a run folder',
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        set: { type: 'string', multiple: true },
        seed: { type: 'string' },
        device: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
      },
      usage,
    );
    if (positionals.length !== 1) throw new InputError([`expected one spec file, got ${positionals.length}`, `usage: neurite ${usage}`]);
    const seed = seedFlag(values.seed);
    const device = values.device;
    if (device !== undefined && !(deviceRequests as readonly string[]).includes(device)) {
      throw new InputError([`--device: expected auto, cpu, cuda or webgpu, got "${device}"`]);
    }
    const display = new ProgressDisplay(process.stderr, path.basename(positionals[0]));
    const abort = new AbortController();
    const onSigint = () => {
      display.line('interrupt: cancelling at the next step boundary (press again to force)');
      process.off('SIGINT', onSigint);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
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
