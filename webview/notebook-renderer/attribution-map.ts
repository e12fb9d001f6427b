/**
 * One attribution record drawn: a heat map of the layer's units (their own [rows, cols] shape, or
 * a near-square grid), each coloured by its mean on a diverging scale symmetric about zero, the
 * top units outlined; beside it the top units and their values. The notebook renderer and the
 * attribution panel both draw records with this.
 */
import type { AttributionOutput } from '../../kernel/protocol/notebook';
import { compact } from '../shared/charts';
import { diverging as colour, grid, scaleOf } from './heat';
import { table } from './table';

export function attributionMap(parent: HTMLElement, a: AttributionOutput, opts: { focus?: number; topN?: number } = {}): HTMLElement {
  const box = document.createElement('section');
  box.className = 'nn-attribution';
  box.dataset.layer = a.layer;
  const title = a.neuron ? `${a.neuron.layer}[${a.neuron.index}] → ${a.layer}` : a.layer;
  const h = document.createElement('h3');
  h.textContent = `${title} · ${a.method} (${a.definition}) · ${a.items} items`;
  box.append(h);
  const row = document.createElement('div');
  row.className = 'nn-attribution-row';
  const { rows, cols } = grid(a);
  const cell = Math.max(3, Math.min(14, Math.floor(224 / Math.max(rows, cols))));
  const canvas = document.createElement('canvas');
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  const scale = scaleOf(a.mean);
  const top = a.top.slice(0, opts.topN ?? 8);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: mean ${a.method} of ${a.units} units on a blue (negative) to red (positive) scale up to ${compact(scale)} ${a.unit}; top units ${top.map((u) => `n${u}`).join(', ')}`);
  const g = canvas.getContext('2d');
  if (g) {
    for (let u = 0; u < a.units; u++) {
      g.fillStyle = colour(a.mean[u] / scale);
      g.fillRect((u % cols) * cell, Math.floor(u / cols) * cell, cell, cell);
    }
    g.lineWidth = Math.max(1, cell / 6);
    for (const u of [...top, ...(opts.focus !== undefined ? [opts.focus] : [])]) {
      g.strokeStyle = u === opts.focus ? '#e8a33d' : '#111';
      g.strokeRect((u % cols) * cell + 0.5, Math.floor(u / cols) * cell + 0.5, cell - 1, cell - 1);
    }
  }
  // The top units as a table: ranked by mean |value| (the stored rank), with the signed mean beside it.
  const rowsOut = top.map((u) => [`n${u}`, a.meanAbs[u], a.mean[u], ...(a.fractionActive ? [`${Math.round(a.fractionActive[u] * 100)}%`] : [])]);
  const list = document.createElement('div');
  list.className = 'nn-top';
  const t = table(list, { columns: ['unit', `mean |${a.method}|`, 'mean', ...(a.fractionActive ? ['active'] : [])], rows: rowsOut, caption: `top ${top.length} of ${a.units} units` });
  if (opts.focus !== undefined) t.querySelectorAll('tbody tr').forEach((tr, i) => top[i] === opts.focus && tr.classList.add('focus'));
  const legend = document.createElement('p');
  legend.className = 'nn-legend';
  legend.textContent = `blue −${compact(scale)} · white 0 · red +${compact(scale)} ${a.unit}${a.fractionActive ? ` · ${a.fractionActive.filter((f) => f > 0).length}/${a.units} active` : ''}`;
  const mapBox = document.createElement('div');
  mapBox.append(canvas, legend);
  row.append(mapBox, list);
  box.append(row);
  parent.append(box);
  return box;
}
