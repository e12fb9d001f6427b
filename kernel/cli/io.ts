/**
 * Small helpers shared by CLI commands: exit codes, and each command's synopsis (its arguments
 * and flags, declared once) from which the usage line, the `--help` text and the argument
 * parser all come.
 */
import { parseArgs } from 'util';
import { InputError } from '../core/errors';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** One flag: how util.parseArgs reads it, and what `--help` says about it. */
export interface Flag {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string;
  /** The value's placeholder in usage lines (string flags), e.g. `N`, `path=value`. */
  value?: string;
  help: string;
}

/** What one command (or subcommand) takes. */
export interface Synopsis<F extends Record<string, Flag> = Record<string, Flag>> {
  /** `run`, or `sweep status` for a subcommand. */
  name: string;
  /** Positional arguments as shown, e.g. `<spec>`; '' for none. */
  args: string;
  summary: string;
  flags: F;
}

export interface Command {
  /** The synopses of the command and of its subcommands, main form first. */
  synopses: Synopsis[];
  run(argv: string[]): Promise<number>;
}

/** Identity, so a synopsis literal keeps its flag types (parse's values are typed from them). */
export function synopsis<F extends Record<string, Flag>>(s: Synopsis<F>): Synopsis<F> {
  return s;
}

/** `run <spec> [--set path=value …] [--seed N] [--json] [-q]` */
export function usageLine(s: Synopsis): string {
  const flags = Object.entries(s.flags).map(([name, f]) => {
    const word = f.short ? `-${f.short}` : `--${name}`;
    return `[${word}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}${f.multiple ? ' …' : ''}]`;
  });
  return [s.name, s.args, ...flags].filter(Boolean).join(' ');
}

/** What `neurite <command> --help` prints: usage, summary, one line per flag. */
export function helpText(s: Synopsis): string {
  const rows = Object.entries(s.flags).map(([name, f]) => {
    const head = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
    return { head, help: `${f.help}${f.multiple ? ' (repeatable)' : ''}${f.default !== undefined ? ` (default: ${f.default})` : ''}` };
  });
  rows.push({ head: '-h, --help', help: 'print this help and exit' });
  const w = Math.max(...rows.map((r) => r.head.length));
  return `usage: neurite ${usageLine(s)}\n\n${s.summary}\n\noptions:\n${rows.map((r) => `  ${r.head.padEnd(w)}  ${r.help}`).join('\n')}\n`;
}

/** Asked for with `--help` or `-h`: main prints the text on stdout and exits 0. */
export class HelpRequest extends Error {
  constructor(readonly text: string) {
    super('help requested');
    this.name = 'HelpRequest';
  }
}

/**
 * util.parseArgs driven by the synopsis. `--help`/`-h` anywhere before `--` throws HelpRequest
 * (even beside other mistakes); unknown flags and missing values become InputErrors (exit 2).
 */
export function parse<F extends Record<string, Flag>>(argv: string[], s: Synopsis<F>) {
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h')) throw new HelpRequest(helpText(s));
  try {
    return parseArgs({ args: argv, options: s.flags, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError([`${(e as Error).message.replace(/\. To specify.*$/s, '')} (neurite ${s.name} --help lists every option)`, `usage: neurite ${usageLine(s)}`]);
  }
}

/** A wrong number of positional arguments, with the usage line. */
export function positionalError(s: Synopsis, what: string): InputError {
  return new InputError([what, `usage: neurite ${usageLine(s)}`]);
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
