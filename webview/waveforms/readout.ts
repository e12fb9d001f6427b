/**
 * The cursor readings under the viewer: Δt between the cursors, and per trace its values at A
 * and B, their difference, ∫ dt between them (with Φ0 for voltages: one SFQ pulse carries
 * h/2e), mean, min and max; per raster its spikes and rate between them.
 */
import type { WaveformInbound } from '../../kernel/protocol/waveforms';
import { prefixFor, si } from './scale';

type Open = Extract<WaveformInbound, { type: 'open' }>;
type Reading = Extract<WaveformInbound, { type: 'reading' }>;

/** The magnetic flux quantum h/2e, in V·s. */
export const PHI0 = 2.067833848e-15;

/** ∫ v dt in the units a reader expects: mV·ps for an SFQ pulse (and its multiple of Φ0), else SI with prefixes. */
export function integralText(value: number, unit: string, timeUnit: string): string {
  if (timeUnit !== 's') return si(value, unit ? `${unit}·${timeUnit}` : timeUnit);
  if (unit === 'V' && Math.abs(value) < 1e-9) return `${si(value / 1e-15, 'mV·ps', 4, { factor: 1, symbol: '' })} = ${(value / PHI0).toFixed(3)} Φ0`;
  const p = prefixFor(value);
  return si(value, `${unit ? `${unit}·` : ''}s`, 4, p);
}

export function renderReadout(section: HTMLElement, open: Open | undefined, r: Reading | undefined, cursors: { a?: number; b?: number }, color: (id: number) => string): void {
  section.replaceChildren();
  if (!open) return;
  const tu = open.timeUnit === 's' ? 's' : open.timeUnit;
  const head = document.createElement('p');
  head.id = 'cursor-times';
  head.setAttribute('aria-live', 'polite');
  if (cursors.a === undefined) {
    head.textContent = 'Click the waveforms to place cursor A, Shift+click for cursor B (or press A and B).';
    section.append(head);
    return;
  }
  const a = cursors.a;
  const b = cursors.b;
  head.textContent = b === undefined ? `A = ${si(a, tu, 6)}` : `A = ${si(a, tu, 6)} · B = ${si(b, tu, 6)} · Δt = ${si(b - a, tu, 4)}${tu === 's' && b !== a ? ` · 1/Δt = ${si(1 / Math.abs(b - a), 'Hz', 4)}` : ''}`;
  section.append(head);
  if (!r) return;
  const both = b !== undefined && b !== a;
  if (r.traces.length) {
    const table = document.createElement('table');
    table.id = 'readings';
    const cols = both ? ['trace', 'at A', 'at B', 'Δ (B − A)', '∫ dt (A → B)', 'mean', 'min', 'max'] : ['trace', 'at A'];
    const hr = table.insertRow();
    for (const c of cols) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = c;
      hr.append(th);
    }
    for (const t of r.traces) {
      const info = open.traces.find((x) => x.id === t.id);
      if (!info) continue;
      const row = table.insertRow();
      row.dataset.trace = info.name;
      const name = document.createElement('th');
      name.scope = 'row';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = color(t.id);
      name.append(swatch, document.createTextNode(info.name));
      row.append(name);
      const u = info.unit;
      // one prefix and one number of decimals per trace (4 significant digits of its largest value): columns compare at a glance
      const top = Math.max(Math.abs(info.min), Math.abs(info.max));
      const p = u ? prefixFor(top) : { factor: 1, symbol: '' };
      const decimals = top > 0 ? Math.max(0, Math.min(9, 3 - Math.floor(Math.log10(top / p.factor)))) : 0;
      const v = (x: number) => si(x, u, 4, p, decimals);
      const cells = both ? [v(t.atA), v(t.atB), v(t.atB - t.atA), integralText(t.integral, u, tu), v(t.mean), v(t.min), v(t.max)] : [v(t.atA)];
      cells.forEach((text, i) => {
        const td = row.insertCell();
        td.textContent = text;
        if (both && i === 3) td.className = 'integral';
      });
    }
    section.append(table);
  }
  if (r.rasters.length && both) {
    const table = document.createElement('table');
    table.id = 'raster-readings';
    const hr = table.insertRow();
    for (const c of ['raster', 'spikes (A → B)', 'rate per neuron']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = c;
      hr.append(th);
    }
    for (const x of r.rasters) {
      const info = open.rasters.find((y) => y.id === x.id);
      const row = table.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = info?.name ?? String(x.id);
      row.append(th);
      row.insertCell().textContent = x.spikes.toLocaleString('en');
      row.insertCell().textContent = si(x.rate, tu === 's' ? 'Hz' : `/${tu}`);
    }
    section.append(table);
  }
}
