/** One status bar item: the kernel's state, or the progress of the run in flight. */
import * as vscode from 'vscode';
import type { KernelManager } from './kernel/manager';
import type { RunTracker } from './runs/tracker';

export function createStatusBar(kernel: KernelManager, tracker: RunTracker): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('neurite.kernel', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Neurite Kernel';
  const render = () => {
    const active = tracker.active;
    if (active.length > 0) {
      const pct = Math.round((active.reduce((s, r) => s + r.fraction, 0) / active.length) * 100);
      item.text = `$(sync~spin) Neurite ${active.length > 1 ? `${active.length} runs ` : ''}${pct}%`;
      item.tooltip = active.map((r) => `${r.runId}: ${Math.round(r.fraction * 100)}% ${r.message ?? ''}`).join('\n') + '\nClick to cancel';
      item.command = 'neurite.cancelRun';
      item.backgroundColor = undefined;
    } else {
      const s = kernel.state;
      item.text = { idle: '$(beaker) Neurite', starting: '$(loading~spin) Neurite', ready: '$(beaker) Neurite', crashed: '$(error) Neurite' }[s];
      item.tooltip = {
        idle: 'Neurite kernel not started (starts on first use)',
        starting: 'Neurite kernel starting…',
        ready: `Neurite kernel ready (pid ${kernel.pid})`,
        crashed: 'Neurite kernel crashed — click to restart',
      }[s];
      item.command = s === 'crashed' ? 'neurite.restartKernel' : 'neurite.showKernelLog';
      item.backgroundColor = s === 'crashed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    }
    item.show();
  };
  render();
  const subs = [kernel.onDidChangeState(render), tracker.onDidChange(render)];
  return vscode.Disposable.from(item, ...subs);
}
