/**
 * Mouse and keyboard of the waveform viewer: the wheel zooms at the pointer (Shift+wheel over a
 * raster zooms its neurons), a drag pans, a click sets cursor A (Shift: B), a cursor can be
 * dragged; the keys do the same for keyboard users.
 */
import type { WaveformInbound } from '../../kernel/protocol/waveforms';
import { gutter, plotWidth } from './draw';
import type { Lane } from './lanes';
import { clampView, pan, zoom, type View } from './scale';

export interface Viewer {
  canvas: HTMLCanvasElement;
  readonly open: Extract<WaveformInbound, { type: 'open' }> | undefined;
  readonly view: View;
  setView(v: View): void;
  readonly cursors: { a?: number; b?: number };
  setCursor(which: 'a' | 'b', t: number | undefined): void;
  readonly neurons: [number, number] | undefined;
  setNeurons(n: [number, number] | undefined): void;
  lanes(): { lane: Lane; top: number }[];
  canvasWidth(): number;
  toggleOverlay(): void;
}

export function attachInput(v: Viewer): void {
  const c = v.canvas;
  const timeAt = (clientX: number) => {
    const r = c.getBoundingClientRect();
    const f = (clientX - r.left - gutter.left) / plotWidth(v.canvasWidth());
    return v.view.t0 + Math.min(1, Math.max(0, f)) * (v.view.t1 - v.view.t0);
  };
  const xOfTime = (t: number) => c.getBoundingClientRect().left + gutter.left + ((t - v.view.t0) / (v.view.t1 - v.view.t0)) * plotWidth(v.canvasWidth());
  const range = () => v.open?.range ?? [0, 1];
  const rasterAt = (clientY: number) => {
    const y = clientY - c.getBoundingClientRect().top;
    return v.lanes().find((l) => l.lane.kind === 'raster' && y >= l.top && y <= l.top + l.lane.height) as { lane: Extract<Lane, { kind: 'raster' }>; top: number } | undefined;
  };

  c.addEventListener(
    'wheel',
    (e) => {
      if (!v.open) return;
      e.preventDefault();
      const factor = Math.exp(Math.max(-300, Math.min(300, e.deltaY)) * 0.0025);
      const raster = e.shiftKey ? rasterAt(e.clientY) : undefined;
      if (raster) {
        const all = raster.lane.neurons;
        const [n0, n1] = v.neurons ?? [0, all];
        const h = raster.lane.height - 20;
        const frac = Math.min(1, Math.max(0, (raster.top + raster.lane.height - 4 - (e.clientY - c.getBoundingClientRect().top)) / h));
        const at = n0 + frac * (n1 - n0);
        const span = Math.min(all, Math.max(1, Math.round((n1 - n0) * factor)));
        const lo = Math.max(0, Math.min(all - span, Math.round(at - frac * span)));
        v.setNeurons(span >= all ? undefined : [lo, lo + span]);
        return;
      }
      const [lo, hi] = range();
      v.setView(zoom(v.view, factor, timeAt(e.clientX), lo, hi));
    },
    { passive: false },
  );

  let drag: { x: number; view: View; cursor?: 'a' | 'b'; moved: boolean } | undefined;
  c.addEventListener('pointerdown', (e) => {
    if (!v.open || e.button !== 0) return;
    const near = (['a', 'b'] as const).find((k) => v.cursors[k] !== undefined && Math.abs(xOfTime(v.cursors[k]!) - e.clientX) <= 5);
    drag = { x: e.clientX, view: v.view, cursor: near, moved: false };
    c.setPointerCapture(e.pointerId);
  });
  c.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > 2) drag.moved = true;
    if (!drag.moved) return;
    if (drag.cursor) v.setCursor(drag.cursor, timeAt(e.clientX));
    else {
      const [lo, hi] = range();
      v.setView(pan(drag.view, -dx / plotWidth(v.canvasWidth()), lo, hi));
    }
  });
  c.addEventListener('pointerup', (e) => {
    if (drag && !drag.moved) v.setCursor(e.shiftKey ? 'b' : 'a', timeAt(e.clientX));
    drag = undefined;
  });
  c.addEventListener('pointercancel', () => (drag = undefined));

  let active: 'a' | 'b' = 'a';
  c.addEventListener('keydown', (e) => {
    if (!v.open) return;
    const [lo, hi] = range();
    const mid = (v.view.t0 + v.view.t1) / 2;
    const pixel = (v.view.t1 - v.view.t0) / plotWidth(v.canvasWidth());
    const cursorStep = (dir: number) => v.setCursor(active, Math.min(hi, Math.max(lo, (v.cursors[active] ?? mid) + dir * pixel * (e.altKey ? 10 : 1))));
    const actions: Record<string, () => void> = {
      ArrowLeft: () => (e.shiftKey ? cursorStep(-1) : v.setView(pan(v.view, -0.1, lo, hi))),
      ArrowRight: () => (e.shiftKey ? cursorStep(1) : v.setView(pan(v.view, 0.1, lo, hi))),
      '+': () => v.setView(zoom(v.view, 0.5, mid, lo, hi)),
      '=': () => v.setView(zoom(v.view, 0.5, mid, lo, hi)),
      '-': () => v.setView(zoom(v.view, 2, mid, lo, hi)),
      Home: () => {
        v.setNeurons(undefined);
        v.setView({ t0: lo, t1: hi });
      },
      a: () => ((active = 'a'), v.setCursor('a', mid)),
      b: () => ((active = 'b'), v.setCursor('b', mid)),
      z: () => {
        const { a, b } = v.cursors;
        if (a !== undefined && b !== undefined && a !== b) v.setView(clampView({ t0: Math.min(a, b), t1: Math.max(a, b) }, lo, hi));
      },
      s: () => v.toggleOverlay(),
      y: () => document.getElementById('fit-y')?.click(),
      Escape: () => {
        v.setCursor('a', undefined);
        v.setCursor('b', undefined);
      },
    };
    const act = actions[e.key.length === 1 ? e.key.toLowerCase() : e.key] ?? actions[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  });
}
