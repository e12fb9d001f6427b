/** Neurite: Open Waveforms — a run's traces (from the Runs view, the run panel, a pick) or a CSV of `neurite sim`. */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WaveformSourceRef } from '../../kernel/protocol/waveforms';
import { listRuns } from '../../kernel/runs/store';
import { WaveformPanel } from '../panels/waveformPanel';

/** Whether a run left anything the viewer shows: a CSV or a raster in traces/. */
export function hasWaveforms(dir: string): boolean {
  const traces = path.join(dir, 'traces');
  return fs.existsSync(traces) && fs.readdirSync(traces).some((f) => f.endsWith('.csv') || /raster|spikes/.test(f));
}

/** What an argument names: a run folder, a CSV file, a Runs view item ({ dir }), or nothing. */
function sourceOf(arg: unknown): WaveformSourceRef | undefined {
  const p = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : typeof (arg as { dir?: unknown })?.dir === 'string' ? (arg as { dir: string }).dir : undefined;
  if (!p) return undefined;
  return p.toLowerCase().endsWith('.csv') ? { csv: p } : { run: p };
}

export async function openWaveforms(extensionUri: vscode.Uri, runsRoot: string, arg?: unknown): Promise<WaveformSourceRef | undefined> {
  let source = sourceOf(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!source && active?.fsPath.toLowerCase().endsWith('.csv')) source = { csv: active.fsPath };
  if (!source) source = await pick(runsRoot);
  if (!source) return undefined;
  const target = 'run' in source ? source.run : source.csv;
  if (!fs.existsSync(target)) throw new Error(`Neurite: ${target} does not exist`);
  WaveformPanel.createOrShow(extensionUri, source);
  return source;
}

async function pick(runsRoot: string): Promise<WaveformSourceRef | undefined> {
  const runs = listRuns(runsRoot).filter((r) => hasWaveforms(r.dir));
  const csv = { label: '$(file) Open a CSV file…', description: 'written by neurite sim or a run', dir: '' };
  const choice = await vscode.window.showQuickPick([...runs.map((r) => ({ label: r.id, description: `${r.kind ?? ''} · ${r.status}`, dir: r.dir })), csv], {
    title: 'Neurite: Open Waveforms',
    placeHolder: runs.length ? 'Pick a run with waveforms or rasters' : 'No run with waveforms yet: open a CSV file',
  });
  if (!choice) return undefined;
  if (choice.dir) return { run: choice.dir };
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV waveforms': ['csv'] }, title: 'Open waveforms (CSV, time in the first column)' });
  return files?.[0] ? { csv: files[0].fsPath } : undefined;
}
