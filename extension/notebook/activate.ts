/**
 * Notebooks and inline attribution, registered in one call from activate(): the `.neuronb`
 * serializer, the controller, the renderer's messages, the attribution panel, inline facts for
 * spec files and spec cells, and their commands.
 */
import * as vscode from 'vscode';
import { rendererMessage } from '../../kernel/protocol/notebook';
import type { KernelManager } from '../kernel/manager';
import type { RunTracker } from '../runs/tracker';
import { runsFolder, workspaceRoot } from '../workspace';
import { AttributionPanel, type AttributionTarget } from './attributionPanel';
import { NeuriteController } from './controller';
import { INLINE_SELECTOR, InlineFacts } from './inline';
import { NeuriteSerializer, NOTEBOOK_TYPE } from './serializer';

export const RENDERER_ID = 'neurite.notebook-renderer';

export function registerNotebooks(context: vscode.ExtensionContext, kernel: KernelManager, tracker: RunTracker): { controller: NeuriteController; inline: InlineFacts } {
  const workspace = () => workspaceRoot(context);
  const controller = new NeuriteController(kernel, workspace);
  const inline = new InlineFacts(kernel, workspace, () => runsFolder(context));
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new NeuriteSerializer(), { transientOutputs: false }),
    controller,
    inline,
    messaging.onDidReceiveMessage(({ message }) => {
      const m = rendererMessage.safeParse(message); // renderer messages are untrusted input
      if (m.success) void vscode.commands.executeCommand('neurite.openRun', m.data.dir);
    }),
    vscode.languages.registerCodeLensProvider(INLINE_SELECTOR, inline),
    vscode.languages.registerHoverProvider(INLINE_SELECTOR, inline),
    tracker.onDidChange(() => inline.refresh()),
    vscode.workspace.onDidChangeNotebookDocument((e) => e.cellChanges.some((c) => c.outputs) && inline.refresh()),
    kernel.onDidChangeState((s) => s === 'idle' && controller.resetAll()),
    vscode.window.registerWebviewPanelSerializer(AttributionPanel.viewType, {
      async deserializeWebviewPanel(panel, state) {
        AttributionPanel.revive(panel, context.extensionUri, state);
      },
    }),
    { dispose: () => AttributionPanel.disposeAll() },
    vscode.commands.registerCommand('neurite.openAttribution', (target: AttributionTarget) => AttributionPanel.createOrShow(context.extensionUri, target).panel.title),
    vscode.commands.registerCommand('neurite.notebook.restart', async (arg?: { notebookEditor?: { notebookUri: vscode.Uri } } | vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : arg?.notebookEditor?.notebookUri ?? vscode.window.activeNotebookEditor?.notebook.uri;
      const notebook = uri && vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!notebook) return false;
      await controller.restart(notebook);
      void vscode.window.setStatusBarMessage('Neurite: notebook context restarted', 3000);
      return true;
    }),
  );
  return { controller, inline };
}
