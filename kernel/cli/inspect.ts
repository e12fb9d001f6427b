/** `neurite experiments | schema | runs | show`: what exists, and what a run produced. */
import * as fs from 'fs';
import * as path from 'path';
import { experiments, jsonSchemaFor, jsonSchemaForAll } from '../experiments/registry';
import { findRun, listRuns, readMetrics, runInfo, runsRoot } from '../runs/store';
import { EXIT_OK, parse, positionalError, printJson, synopsis, type Command } from './io';

const json = { type: 'boolean', help: 'print JSON instead of text' } as const;
const out = { type: 'string', value: 'DIR', help: 'folder of run folders (default: .neurite/runs in the current folder)' } as const;

const experimentsSyn = synopsis({ name: 'experiments', args: '', summary: 'List the experiment kinds, one line each.', flags: { json } });
const schemaSyn = synopsis({
  name: 'schema',
  args: '<kind>',
  summary: "Print a kind's spec as JSON Schema (every field, its default and meaning).",
  flags: { all: { type: 'boolean', help: 'one schema for every kind, chosen by "kind" (what editors use), instead of one kind' } },
});
const runsSyn = synopsis({ name: 'runs', args: '', summary: 'List the runs in the run store, newest first, with their status.', flags: { out, json } });
const showSyn = synopsis({ name: 'show', args: '<run-id|dir>', summary: "Show a run's spec, status, summary and metrics; a run is its folder, its id, or a unique part of the id.", flags: { out, json } });

export const experimentsCommand: Command = {
  synopses: [experimentsSyn],
  async run(argv) {
    const { values } = parse(argv, experimentsSyn);
    if (values.json) printJson(experiments.map(({ kind, title, description, engine, paper }) => ({ kind, title, description, engine, paper })));
    else {
      const w = Math.max(...experiments.map((e) => e.kind.length));
      for (const e of experiments) process.stdout.write(`${e.kind.padEnd(w)}  ${e.description}\n`);
    }
    return EXIT_OK;
  },
};

export const schemaCommand: Command = {
  synopses: [schemaSyn],
  async run(argv) {
    const { values, positionals } = parse(argv, schemaSyn);
    if (values.all) printJson(jsonSchemaForAll());
    else if (positionals.length === 1) process.stdout.write(JSON.stringify(jsonSchemaFor(positionals[0]), null, 2) + '\n');
    else throw positionalError(schemaSyn, 'expected one kind (or --all)');
    return EXIT_OK;
  },
};

export const runsCommand: Command = {
  synopses: [runsSyn],
  async run(argv) {
    const { values } = parse(argv, runsSyn);
    const runs = listRuns(values.out ? path.resolve(values.out) : runsRoot(process.cwd()));
    if (values.json) printJson(runs.map(({ summary: _s, ...r }) => r));
    else if (runs.length === 0) process.stdout.write('no runs yet\n');
    else for (const r of runs) process.stdout.write(`${r.id}  ${r.status.padEnd(10)}  ${r.kind ?? '?'}\n`);
    return EXIT_OK;
  },
};

export const showCommand: Command = {
  synopses: [showSyn],
  async run(argv) {
    const { values, positionals } = parse(argv, showSyn);
    if (positionals.length !== 1) throw positionalError(showSyn, 'expected one run');
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
