/**
 * The attribution panel: every stored attribution record of one run, the asked-for layer first
 * and scrolled into view, the asked-for neuron marked. Draws with the notebook renderer's
 * attribution widget; talks to the host only by postMessage.
 */
import type { AttributionPanelInbound } from '../../kernel/protocol/notebook';
import { attributionMap } from '../notebook-renderer/attribution-map';
import './style.css';

const vscode = acquireVsCodeApi<{ run?: string }>();
const app = document.getElementById('app')!;

window.addEventListener('message', (ev: MessageEvent<AttributionPanelInbound>) => {
  const m = ev.data;
  if (!m || m.type !== 'records') return;
  vscode.setState({ run: m.run });
  app.replaceChildren();
  const h = document.createElement('h1');
  h.id = 'attribution-title';
  h.textContent = `Attributions · ${m.run.split(/[\\/]/).pop()}`;
  app.append(h);
  if (m.records.length === 0) {
    const p = document.createElement('p');
    p.textContent = 'This run has no stored attribution records (add an attribution: block to the spec, or run neurite attribute … --store).';
    app.append(p);
  }
  const first = [...m.records].sort((a, b) => Number(b.layer === m.focus.layer) - Number(a.layer === m.focus.layer));
  let focused: HTMLElement | undefined;
  for (const a of first) {
    const box = attributionMap(app, a, { focus: a.layer === m.focus.layer ? m.focus.neuron : undefined, topN: 10 });
    if (a.layer === m.focus.layer) focused ??= box;
  }
  focused?.classList.add('focused');
  focused?.scrollIntoView();
});

vscode.postMessage({ type: 'ready' });
