/**
 * `neurite sim <netlist.cir> [-o out.csv] [--seed N] [--record]`: a transient simulation of a
 * JoSIM-compatible netlist. Writes CSV like JoSIM's (`time`, then one column per `.print`)
 * to the file, or to stdout without -o. `--record` makes it an sfq.circuit run instead (in
 * .neurite/runs, the CSV in its traces/ and to -o if given): the run inline junction facts read. Bad netlists exit 2 with `file:line:col: message`
 * lines; a solver that cannot go on exits 1 with where and why.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { Rng } from '../core/rng';
import { buildCircuit } from '../circuits/netlist/build';
import { Transient } from '../circuits/transient';
import { startRun } from '../runs/runner';
import { logText } from '../runs/store';
import { EXIT_OK, EXIT_RUN_FAILED, parse, positionalError, seedFlag, synopsis, type Command } from './io';

const simSyn = synopsis({
  name: 'sim',
  args: '<netlist.cir>',
  summary: 'Simulate a superconducting circuit netlist (JoSIM-compatible) and write its .print columns as CSV.',
  flags: {
    output: { type: 'string', short: 'o', value: 'out.csv', help: 'write the CSV to this file (default: stdout)' },
    seed: { type: 'string', value: 'N', help: 'seed of the thermal noise sources (default: 1)' },
    quiet: { type: 'boolean', short: 'q', help: 'no statistics line on stderr' },
    record: { type: 'boolean', help: 'record the simulation as an sfq.circuit run in .neurite/runs (inline junction facts in VS Code read it)' },
  },
});

export const simCommand: Command = {
  synopses: [simSyn],
  async run(argv) {
    const { values, positionals } = parse(argv, simSyn);
    if (positionals.length !== 1) throw positionalError(simSyn, `expected one netlist file, got ${positionals.length}`);
    const file = positionals[0];
    const seed = seedFlag(values.seed) ?? 1;
    if (values.record) return record(file, seed, values.output, values.quiet);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError([`cannot read netlist: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], file);
    }
    const circuit = buildCircuit(text, file);
    for (const w of circuit.warnings) process.stderr.write(`${file}: warning: ${w}\n`);
    const t0 = Date.now();
    const sim = new Transient(circuit, { rng: new Rng(seed) });
    sim.advance(Infinity);
    const csv = sim.recorder.csv();
    if (values.output) fs.writeFileSync(values.output, csv);
    else process.stdout.write(csv);
    if (!values.quiet) {
      const s = sim.stats;
      process.stderr.write(
        `${file}: ${s.steps} steps of ${(circuit.tran.h * 1e12).toPrecision(3)} ps, ${s.junctions} junctions, ${s.unknowns} unknowns, ${(Date.now() - t0) / 1000} s` +
          `${values.output ? ` → ${values.output}` : ''}\n`,
      );
    }
    return EXIT_OK;
  },
};

/** The simulation as an sfq.circuit run of the netlist (by its absolute path, so the run names the file). */
async function record(file: string, seed: number, output: string | undefined, quiet: boolean | undefined): Promise<number> {
  const netlist = path.resolve(file);
  const log = (level: string, message: string) => !quiet && process.stderr.write(`${logText(level as 'info', message)}\n`);
  const started = startRun(
    { workspace: process.cwd(), spec: { kind: 'sfq.circuit', name: path.basename(file).replace(/\.[^.]*$/, ''), netlist }, seed, baseDir: path.dirname(netlist) },
    { progress: () => {}, metric: () => {}, trace: () => {}, log },
    new AbortController().signal,
  );
  const summary = await started.done;
  if (summary.status === 'completed' && output) fs.copyFileSync(path.join(started.dir, 'traces', 'waveforms.csv'), output);
  process.stderr.write(`${summary.status}: ${started.dir}${summary.error ? ` (${summary.error})` : ''}\n`);
  return summary.status === 'completed' ? EXIT_OK : EXIT_RUN_FAILED;
}
