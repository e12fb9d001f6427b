/** Small helpers shared by CLI commands: argument parsing with usage errors, exit codes. */
import { parseArgs, type ParseArgsConfig } from 'util';
import { InputError } from '../core/errors';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

export interface Command {
  /** e.g. `run <spec> [--set path=value …] [--json]` */
  usage: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** util.parseArgs, but unknown flags and missing values become InputErrors (exit 2). */
export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError([`${(e as Error).message.replace(/\. To specify.*$/s, '')}`, `usage: neurite ${usage}`]);
  }
}

/** `--seed N`: undefined when absent, else an integer in [0, 2³² − 1] (a spec's seed range). */
export function seedFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seed = Number(value);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new InputError([`--seed: expected an integer in [0, 4294967295], got "${value}"`]);
  return seed;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
