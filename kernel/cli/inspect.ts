/** `neurite experiments | schema | runs | show`: what exists, and what a run produced. */
import * as fs from 'fs';
import * as path from 'path';
import { experiments, findExperiment, jsonSchemaFor, jsonSchemaForAll } from '../experiments/registry';
import { bandBounds, formatValue, groupMetrics } from '../protocol/metrics';
import type { RunSummary } from '../protocol/types';
import { findRun, listRuns, readMetrics, readMetricsMeta, runInfo, runsRoot } from '../runs/store';
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
      // the declaration the run recorded; runs older than that get today's declaration of their kind
      process.stdout.write(summaryText(info.summary, readMetricsMeta(dir) ?? findExperiment(info.kind ?? '')?.metrics));
      if (info.summary.error) process.stdout.write(`error   ${info.summary.error}\n`);
    }
    if (info.notes) process.stdout.write(`${info.notes.tags.length ? `tags    ${info.notes.tags.join(', ')}\n` : ''}${info.notes.note ? `note    ${info.notes.note.replace(/\n/g, '\n        ')}\n` : ''}`);
    return EXIT_OK;
  },
};

/** Summary metrics grouped as their experiment declared them, each with its label, value and unit, raw name last. */
export function summaryText(summary: RunSummary, table: Parameters<typeof groupMetrics>[0]): string {
  const names = Object.keys(summary.metrics);
  const bounds = bandBounds(table, names); // printed with the value they bound
  const groups = groupMetrics(table, names.filter((n) => !bounds.has(n)));
  const value = (m: (typeof groups)[number]['metrics'][number]) =>
    formatValue(summary.metrics[m.name], m) + (m.band && bounds.has(m.band.lo) ? ` [${formatValue(summary.metrics[m.band.lo], m, false)}, ${formatValue(summary.metrics[m.band.hi], m, false)}]` : '');
  const rows = groups.flatMap((g) => g.metrics.map((m) => ({ label: m.label, value: value(m), name: m.name, declared: m.declared })));
  const wl = Math.max(0, ...rows.map((r) => r.label.length));
  const wv = Math.max(0, ...rows.map((r) => r.value.length));
  let out = summary.partial ? `(the run stopped early: the last value of each metric it streamed)\n` : '';
  for (const g of groups) {
    out += `${g.group}\n`;
    for (const m of g.metrics) {
      const r = rows.find((x) => x.name === m.name)!;
      out += `  ${r.label.padEnd(wl)}  ${r.value.padStart(wv)}${r.declared ? `  (${r.name})` : ''}\n`;
    }
  }
  return out;
}

