/**
 * Zoom and pan on a chart, by mouse and by keyboard:
 *   drag              zoom into the box (x only when the box is flat)
 *   Alt/Ctrl + wheel  zoom x around the pointer (with Shift: y); a plain wheel scrolls the page
 *   Shift + drag, middle drag   pan
 *   double-click      reset
 *   keys on the focused chart: + / − zoom x, ← → ↑ ↓ pan, 0 or Escape reset
 * The view owns the ranges; this only turns gestures into new ranges.
 */
import type { Chart } from 'chart.js';

export type Range = [number, number];
export interface Ranges {
  x?: Range;
  y?: Range;
}

export interface ZoomHost {
  chart(): Chart;
  /** The ranges shown now (zoomed or the data's own). */
  current(): { x: Range; y: Range };
  set(r: Ranges): void;
  reset(): void;
}

const MIN_DRAG = 5;

export function attachZoom(canvas: HTMLCanvasElement, box: HTMLElement, host: ZoomHost): () => void {
  let drag: { mode: 'box' | 'pan'; x0: number; y0: number; start: { x: Range; y: Range }; moved: boolean } | undefined;
  const local = (e: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const area = () => host.chart().chartArea;
  const value = (axis: 'x' | 'y', px: number) => host.chart().scales[axis].getValueForPixel(px) ?? 0;
  const perPixel = (axis: 'x' | 'y') => {
    const s = host.chart().scales[axis];
    return (s.max - s.min) / Math.max(1, axis === 'x' ? s.width : s.height);
  };

  const zoomAround = (axis: 'x' | 'y', centre: number, factor: number) => {
    const [a, b] = host.current()[axis];
    host.set({ [axis]: [centre - (centre - a) * factor, centre + (b - centre) * factor] });
  };
  const pan = (dx: number, dy: number, start = host.current()) => {
    const next: Ranges = {};
    if (dx) next.x = [start.x[0] - dx * perPixel('x'), start.x[1] - dx * perPixel('x')];
    if (dy) next.y = [start.y[0] + dy * perPixel('y'), start.y[1] + dy * perPixel('y')];
    host.set(next);
  };

  const onWheel = (e: WheelEvent) => {
    if (!(e.altKey || e.ctrlKey || e.metaKey)) return;
    const p = local(e);
    const a = area();
    if (p.x < a.left || p.x > a.right || p.y < a.top || p.y > a.bottom) return;
    e.preventDefault();
    const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002)));
    if (e.shiftKey) zoomAround('y', value('y', p.y), factor);
    else zoomAround('x', value('x', p.x), factor);
  };

  const onDown = (e: PointerEvent) => {
    if (e.button !== 0 && e.button !== 1) return;
    const p = local(e);
    const a = area();
    if (p.x < a.left || p.x > a.right || p.y < a.top || p.y > a.bottom) return;
    drag = { mode: e.shiftKey || e.button === 1 ? 'pan' : 'box', x0: p.x, y0: p.y, start: host.current(), moved: false };
    canvas.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onMove = (e: PointerEvent) => {
    if (!drag) return;
    const p = local(e);
    if (!drag.moved && Math.hypot(p.x - drag.x0, p.y - drag.y0) < MIN_DRAG) return;
    drag.moved = true;
    if (drag.mode === 'pan') {
      pan(p.x - drag.x0, p.y - drag.y0, drag.start);
      return;
    }
    const a = area();
    const x1 = Math.max(a.left, Math.min(a.right, p.x));
    const y1 = Math.max(a.top, Math.min(a.bottom, p.y));
    const flat = Math.abs(y1 - drag.y0) < 12;
    box.hidden = false;
    box.style.left = `${Math.min(drag.x0, x1) + canvas.offsetLeft}px`;
    box.style.width = `${Math.abs(x1 - drag.x0)}px`;
    box.style.top = `${(flat ? a.top : Math.min(drag.y0, y1)) + canvas.offsetTop}px`;
    box.style.height = `${flat ? a.bottom - a.top : Math.abs(y1 - drag.y0)}px`;
  };
  const onUp = (e: PointerEvent) => {
    if (!drag) return;
    const d = drag;
    drag = undefined;
    box.hidden = true;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    if (d.mode !== 'box' || !d.moved) return;
    const p = local(e);
    const a = area();
    const x1 = Math.max(a.left, Math.min(a.right, p.x));
    const y1 = Math.max(a.top, Math.min(a.bottom, p.y));
    if (Math.abs(x1 - d.x0) < MIN_DRAG) return;
    const xs = [value('x', d.x0), value('x', x1)].sort((u, v) => u - v) as Range;
    const next: Ranges = { x: xs };
    if (Math.abs(y1 - d.y0) >= 12) next.y = [value('y', d.y0), value('y', y1)].sort((u, v) => u - v) as Range;
    host.set(next);
  };
  const onDblClick = () => host.reset();
  const onKey = (e: KeyboardEvent) => {
    const c = host.current();
    const mid = (c.x[0] + c.x[1]) / 2;
    const step = 40;
    const keys: Record<string, () => void> = {
      '+': () => zoomAround('x', mid, 0.8),
      '=': () => zoomAround('x', mid, 0.8),
      '-': () => zoomAround('x', mid, 1.25),
      _: () => zoomAround('x', mid, 1.25),
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
      '0': () => host.reset(),
      Escape: () => host.reset(),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };

  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('pointerdown', onDown);
  canvas.addEventListener('pointermove', onMove);
  canvas.addEventListener('pointerup', onUp);
  canvas.addEventListener('pointercancel', onUp);
  canvas.addEventListener('dblclick', onDblClick);
  canvas.addEventListener('keydown', onKey);
  return () => {
    canvas.removeEventListener('wheel', onWheel);
    canvas.removeEventListener('pointerdown', onDown);
    canvas.removeEventListener('pointermove', onMove);
    canvas.removeEventListener('pointerup', onUp);
    canvas.removeEventListener('pointercancel', onUp);
    canvas.removeEventListener('dblclick', onDblClick);
    canvas.removeEventListener('keydown', onKey);
  };
}
