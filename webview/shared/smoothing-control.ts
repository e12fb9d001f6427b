/** The panel-wide smoothing slider for noisy training curves (0: raw; TensorBoard's range). */
import { el } from './dom';

export function smoothingControl(initial: number, onChange: (w: number) => void): HTMLElement {
  const label = el('label', { class: 'smoothing', title: 'Exponential moving average over each curve; the raw curve stays faint behind it' });
  const input = el('input', { type: 'range', min: '0', max: '0.99', step: '0.01', value: String(initial), id: 'smoothing', 'aria-label': 'Smoothing' });
  const out = el('output', { for: 'smoothing' }, initial.toFixed(2));
  input.addEventListener('input', () => {
    const w = Number(input.value);
    out.textContent = w.toFixed(2);
    onChange(w);
  });
  label.append('Smoothing ', input, out);
  return label;
}
