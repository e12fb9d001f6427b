/** Neurite: Show Swimmer — an ncap.swimmer run's body animated (from the Runs view, the run panel, a pick). */
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { SwimmerSourceRef } from '../../kernel/protocol/swimmer';
import { listRuns } from '../../kernel/runs/store';
import { hasPose } from '../../kernel/swimmer/pose';
import { SwimmerPanel } from '../panels/swimmerPanel';

export async function showSwimmer(extensionUri: vscode.Uri, runsRoot: string, arg?: unknown): Promise<SwimmerSourceRef | undefined> {
  const given = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : typeof (arg as { dir?: unknown })?.dir === 'string' ? (arg as { dir: string }).dir : undefined;
  const run = given ?? (await pick(runsRoot));
  if (!run) return undefined;
  if (!fs.existsSync(run)) throw new Error(`Neurite: ${run} does not exist`);
  SwimmerPanel.createOrShow(extensionUri, { run });
  return { run };
}

async function pick(runsRoot: string): Promise<string | undefined> {
  const runs = listRuns(runsRoot).filter((r) => hasPose(r.dir));
  if (!runs.length) {
    void vscode.window.showInformationMessage('Neurite: no run with a swimmer pose yet (an ncap.swimmer run writes traces/pose.csv).');
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.id, description: `${r.kind ?? ''} · ${r.status}`, dir: r.dir })), { title: 'Neurite: Show Swimmer', placeHolder: 'Pick an ncap.swimmer run' });
  return choice?.dir;
}
