/**
 * `neurite notebook run <file.neuronb>`: execute a notebook headless and save its outputs (in
 * place, or to `-o`), as `jupyter nbconvert --execute` does. `--quick` applies the overrides the
 * notebook lists in `metadata.neurite.quick` (what CI runs); `--set kind:path=value` adds more.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/files';
import { parseNotebook, serializeNotebook } from '../notebook/nbformat';
import { quickOverrides, runNotebook } from '../notebook/run-notebook';
import { NotebookSessions } from '../notebook/sessions';
import { EXIT_OK, EXIT_RUN_FAILED, parse, positionalError, synopsis, type Command } from './io';
import { InputError } from '../core/errors';

const runSyn = synopsis({
  name: 'notebook run',
  args: '<file.neuronb>',
  summary: 'Run every cell of a notebook headless and save the outputs. Exit 0 all cells ran, 1 a cell failed or was interrupted, 2 bad input.',
  flags: {
    output: { type: 'string', short: 'o', value: 'FILE', help: 'write the notebook with its outputs here (default: in place)' },
    set: { type: 'string', multiple: true, value: '[kind:]path=value', help: 'override every spec the notebook runs (of that kind only, with a kind)' },
    quick: { type: 'boolean', help: "apply the notebook's own quick overrides (metadata.neurite.quick): the short version CI runs" },
    'allow-errors': { type: 'boolean', help: 'go on after a cell fails (its error is saved as its output)' },
    quiet: { type: 'boolean', short: 'q', help: 'no line per cell' },
  },
});

export const notebookCommand: Command = {
  synopses: [runSyn],
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'run') {
      if (sub === '--help' || sub === '-h') parse(['--help'], runSyn);
      throw new InputError([`notebook: unknown subcommand "${sub ?? ''}"; try: neurite notebook run <file.neuronb>`]);
    }
    const { values, positionals } = parse(rest, runSyn);
    if (positionals.length !== 1) throw positionalError(runSyn, `expected one notebook file, got ${positionals.length}`);
    const file = positionals[0];
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError([`cannot read notebook: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], file);
    }
    const doc = parseNotebook(text, file);
    const overrides = [...(values.quick ? quickOverrides(doc) : []), ...(values.set ?? [])];
    const say = (s: string) => !values.quiet && process.stderr.write(`${s}\n`);
    const sessions = new NotebookSessions();
    const onSigint = () => {
      say('interrupt: stopping the running cell (press again to force)');
      process.off('SIGINT', onSigint);
      void sessions.interrupt(path.resolve(file));
    };
    process.on('SIGINT', onSigint);
    const t0 = Date.now();
    const code = doc.cells.filter((c) => c.kind === 'code').length;
    let done = 0;
    const outcome = await runNotebook(doc, {
      file,
      workspace: process.cwd(),
      overrides,
      allowErrors: values['allow-errors'],
      sessions,
      onCell: (i, language, r) => {
        say(`[${++done}/${code}] cell ${i + 1} (${language}) ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s${r.runs.length ? ` → ${r.runs.map((x) => path.relative(process.cwd(), x.dir)).join(', ')}` : ''}`);
        for (const o of r.outputs) if (o.type === 'error') say(o.traceback.map((l) => `    ${l}`).join('\n'));
      },
    }).finally(() => {
      process.off('SIGINT', onSigint);
      return sessions.disposeAll();
    });
    const out = values.output ?? file;
    writeFileAtomic(out, serializeNotebook(doc));
    say(`${outcome.failed || outcome.interrupted ? 'stopped' : 'ran'} ${outcome.ran} cell(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), out) || out}`);
    return outcome.failed || outcome.interrupted ? EXIT_RUN_FAILED : EXIT_OK;
  },
};
