/**
 * Inline facts in spec files and spec cells: a CodeLens on each layer (or population) line from
 * the spec's finished run, e.g. "hidden0: 37/256 active · top n12 n201 n77 (conductance)", a
 * hover with the layer's heat map and its top units, and a click that opens the attribution
 * panel at that layer. The kernel answers `spec/facts` from the run folder and its stored
 * records; hovers read the answer the lenses got (nothing is asked again, nothing recomputed).
 * Netlists (`*.cir`) get a lens on each printed junction's card from the newest sfq.circuit run
 * that simulated the file, e.g. "B1|X1: 2 pulses · first switch 59.2 ps · mean width 1.5 ps".
 * The kernel is only asked when a run could exist: a spec file with a run made from it, a
 * netlist a run names, a cell whose output names a run.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SpecFactsResult } from '../../kernel/protocol/inline';
import { NeuriteMime, type RunOutput } from '../../kernel/protocol/notebook';
import { resolveUserPath } from '../../kernel/core/paths';
import { listRuns } from '../../kernel/runs/store';
import type { KernelManager } from '../kernel/manager';
import { heatmapDataUri } from './heatmap';

/** What a run's spec.json says of where its spec and netlist came from. */
interface StoredSpec {
  specPath?: string;
  baseDir?: string;
  spec?: { kind?: string; netlist?: unknown };
}

export const INLINE_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.neurite.{yaml,yml}' },
  { pattern: '**/*.cir' },
  { scheme: 'vscode-notebook-cell', language: 'yaml' },
];

export class InlineFacts implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The last answer per document, keyed by its version: what hovers read. */
  private readonly answers = new Map<string, { version: number; facts: SpecFactsResult }>();

  constructor(private readonly kernel: Pick<KernelManager, 'request'>, private readonly workspace: () => string, private readonly runsRoot: () => string) {}

  /** Runs or cell outputs changed: ask again. */
  refresh(): void {
    this.answers.clear();
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const facts = await this.factsOf(doc);
    if (!facts?.run) return [];
    const runArg = { dir: facts.run.dir };
    if (facts.stale) {
      const line = doc.lineAt(Math.min(facts.staleLine ?? 0, doc.lineCount - 1)).range;
      return [new vscode.CodeLens(line, { title: `$(warning) stale: ${facts.reason}`, command: 'neurite.openRun', arguments: [facts.run.dir], tooltip: 'Open the run these numbers came from' })];
    }
    return facts.facts.map((f) => {
      const range = doc.lineAt(Math.min(f.line, doc.lineCount - 1)).range;
      return f.attribution
        ? new vscode.CodeLens(range, { title: f.label, command: 'neurite.openAttribution', arguments: [{ run: facts.run!.dir, layer: f.subject }], tooltip: `Open the attribution panel at ${f.subject}` })
        : new vscode.CodeLens(range, { title: f.label, command: 'neurite.openRun', arguments: [runArg.dir], tooltip: `Open run ${facts.run!.id}` });
    });
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const answer = this.answers.get(doc.uri.toString());
    if (!answer || answer.version !== doc.version || answer.facts.stale) return undefined;
    const here = answer.facts.facts.filter((f) => f.line === pos.line);
    if (!here.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['neurite.openAttribution', 'neurite.openRun'] };
    md.supportHtml = true;
    for (const f of here) {
      const a = f.attribution;
      md.appendMarkdown(`**${f.subject}** · run \`${answer.facts.run!.id}\`${a ? ` · ${a.method} (${a.definition}, ${a.unit})` : ''}\n\n`);
      if (a) md.appendMarkdown(`![${f.subject}: mean ${a.method} per neuron, top neurons outlined](${heatmapDataUri(a)})\n\n`);
      md.appendMarkdown(`| | |\n|---|---|\n${f.rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n\n`);
      if (a) {
        const args = encodeURIComponent(JSON.stringify([{ run: answer.facts.run!.dir, layer: f.subject }]));
        md.appendMarkdown(`[Open in the attribution panel](command:neurite.openAttribution?${args})\n\n`);
      }
    }
    return new vscode.Hover(md);
  }

  private async factsOf(doc: vscode.TextDocument): Promise<SpecFactsResult | undefined> {
    const key = doc.uri.toString();
    const cached = this.answers.get(key);
    if (cached && cached.version === doc.version) return cached.facts;
    const target =
      doc.uri.scheme === 'vscode-notebook-cell'
        ? this.cellRun(doc)
        : /\.cir$/i.test(doc.uri.fsPath)
          ? this.hasRun(doc, (s) => s.spec?.kind === 'sfq.circuit' && typeof s.spec.netlist === 'string' && resolveUserPath(s.spec.netlist, s.baseDir))
            ? { netlistPath: doc.uri.fsPath }
            : undefined
          : this.hasRun(doc, (s) => s.specPath !== undefined && path.resolve(s.specPath))
            ? { specPath: doc.uri.fsPath }
            : undefined;
    if (!target) return undefined;
    let facts: SpecFactsResult;
    try {
      facts = await this.kernel.request('spec/facts', { workspace: this.workspace(), text: doc.getText(), ...target });
    } catch {
      return undefined; // the kernel could not start: no lenses rather than an error on every keystroke
    }
    this.answers.set(key, { version: doc.version, facts });
    return facts;
  }

  /** The run named by a spec cell's output. */
  private cellRun(doc: vscode.TextDocument): { runDir: string } | undefined {
    for (const nb of vscode.workspace.notebookDocuments) {
      const cell = nb.getCells().find((c) => c.document.uri.toString() === doc.uri.toString());
      if (!cell) continue;
      for (const o of cell.outputs) {
        const item = o.items.find((i) => i.mime === NeuriteMime.run);
        if (!item) continue;
        const run = (JSON.parse(new TextDecoder().decode(item.data)) as RunOutput).run;
        const dir = path.isAbsolute(run.dir) ? run.dir : path.join(this.workspace(), run.dir);
        if (fs.existsSync(dir)) return { runDir: dir };
      }
    }
    return undefined;
  }

  /** Whether any run in the workspace names this file, as its spec file or its netlist (a cheap look before asking the kernel). */
  private hasRun(doc: vscode.TextDocument, fileOf: (s: StoredSpec) => string | false): boolean {
    if (doc.uri.scheme !== 'file') return false;
    const want = path.resolve(doc.uri.fsPath);
    return listRuns(this.runsRoot()).some((r) => {
      try {
        return fileOf(JSON.parse(fs.readFileSync(path.join(r.dir, 'spec.json'), 'utf8')) as StoredSpec) === want;
      } catch {
        return false;
      }
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
