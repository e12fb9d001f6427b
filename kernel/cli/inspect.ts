/** `neurite experiments | schema | runs | show`: what exists, and what a run produced. */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../core/errors';
import { experiments, jsonSchemaFor, jsonSchemaForAll } from '../experiments/registry';
import { findRun, listRuns, readMetrics, runInfo, runsRoot } from '../runs/store';
import { EXIT_OK, parse, printJson, type Command } from './io';

export const experimentsCommand: Command = {
  usage: 'experiments [--json]',
  summary: 'list experiment kinds',
  async run(argv) {
    const { values } = parse(argv, { json: { type: 'boolean' } }, this.usage);
    if (values.json) printJson(experiments.map(({ kind, title, description, engine, paper }) => ({ kind, title, description, engine, paper })));
    else {
      const w = Math.max(...experiments.map((e) => e.kind.length));
      for (const e of experiments) process.stdout.write(`${e.kind.padEnd(w)}  ${e.description}\n`);
    }
    return EXIT_OK;
  },
};

export const schemaCommand: Command = {
  usage: 'schema <kind> | schema --all',
  summary: "print a kind's spec JSON Schema",
  async run(argv) {
    const { values, positionals } = parse(argv, { all: { type: 'boolean' } }, this.usage);
    if (values.all) printJson(jsonSchemaForAll());
    else if (positionals.length === 1) process.stdout.write(JSON.stringify(jsonSchemaFor(positionals[0]), null, 2) + '\n');
    else throw new InputError([`expected one kind`, `usage: neurite ${this.usage}`]);
    return EXIT_OK;
  },
};

export const runsCommand: Command = {
  usage: 'runs [--out DIR] [--json]',
  summary: 'list runs in the run store',
  async run(argv) {
    const { values } = parse(argv, { out: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    const runs = listRuns(values.out ? path.resolve(values.out) : runsRoot(process.cwd()));
    if (values.json) printJson(runs.map(({ summary: _s, ...r }) => r));
    else if (runs.length === 0) process.stdout.write('no runs yet\n');
    else for (const r of runs) process.stdout.write(`${r.id}  ${r.status.padEnd(10)}  ${r.kind ?? '?'}\n`);
    return EXIT_OK;
  },
};

export const showCommand: Command = {
  usage: 'show <run-id|dir> [--out DIR] [--json]',
  summary: "show a run's spec, summary and last metrics",
  async run(argv) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    if (positionals.length !== 1) throw new InputError([`expected one run`, `usage: neurite ${this.usage}`]);
    const dir = findRun(positionals[0], values.out ? path.resolve(values.out) : runsRoot(process.cwd()));
    const info = runInfo(dir);
    if (values.json) {
      printJson({ ...info, spec: JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')) });
      return EXIT_OK;
    }
    const metrics = readMetrics(dir);
    process.stdout.write(`run     ${info.id}\nkind    ${info.kind}\nstatus  ${info.status}${info.status === 'incomplete' ? ' (no summary.json: the run did not finish)' : ''}\ndir     ${dir}\n`);
    process.stdout.write(`metrics ${metrics.length} records\n`);
    if (info.summary) {
      for (const [k, v] of Object.entries(info.summary.metrics)) process.stdout.write(`  ${k} = ${v}\n`);
      if (info.summary.error) process.stdout.write(`error   ${info.summary.error}\n`);
    }
    return EXIT_OK;
  },
};
