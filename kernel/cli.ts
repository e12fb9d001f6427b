/**
 * The `neurite` command: the kernel, in process, from a shell.
 * Exit codes: 0 ok, 1 run failed, 2 bad input (messages on stderr).
 */
import { CancelledError, InputError, RunFailure } from './core/errors';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, HelpRequest, usageLine, type Command } from './cli/io';
import { attributeCommand } from './cli/attribute';
import { notebookCommand } from './cli/notebook';
import { experimentsCommand, runsCommand, schemaCommand, showCommand } from './cli/inspect';
import { runCommand } from './cli/run';
import { sweepCommand } from './cli/sweep';
import { simCommand } from './cli/sim';
import { versions } from './runs/versions';

/** Every subcommand, explicitly. */
export const commands: Record<string, Command> = {
  run: runCommand,
  experiments: experimentsCommand,
  schema: schemaCommand,
  runs: runsCommand,
  show: showCommand,
  sweep: sweepCommand,
  sim: simCommand,
  attribute: attributeCommand,
  notebook: notebookCommand,
};

function help(): string {
  const lines = Object.values(commands).flatMap((c) => c.synopses.map((s) => `  neurite ${usageLine(s)}\n      ${s.summary}`));
  return `neurite — neuroscience-inspired experiments\n\nusage:\n${lines.join('\n')}\n  neurite --version\n\n\`neurite <command> --help\` (or \`neurite help <command>\`) explains one command.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length && commands[rest[0]]) return main([...rest, '--help']);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return name ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (name === '--version') {
    process.stdout.write(`${versions().neurite}\n`);
    return EXIT_OK;
  }
  const command = commands[name];
  try {
    if (!command) throw new InputError([`unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}`]);
    return await command.run(rest);
  } catch (e) {
    if (e instanceof HelpRequest) {
      process.stdout.write(e.text);
      return EXIT_OK;
    }
    if (e instanceof InputError) {
      process.stderr.write(`neurite ${name}: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof RunFailure || e instanceof CancelledError) {
      process.stderr.write(`neurite ${name}: ${e.message}\n`); // says where and why; a stack trace would only hide it
      return EXIT_RUN_FAILED;
    }
    process.stderr.write(`neurite ${name}: ${(e as Error).stack ?? e}\n`);
    return EXIT_RUN_FAILED;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code; // not exit(): piped stdout must drain first
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(EXIT_RUN_FAILED);
    },
  );
}
