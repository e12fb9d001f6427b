/**
 * The waveform viewer: every trace and raster of a run (or of one CSV) on a shared time axis,
 * stacked or overlaid, zoomable from the whole run to single samples. It asks the host for the
 * window it shows at its pixel width and for readings between two cursors; while an answer is on
 * its way it redraws what it has (the whole-run overview, the last window), so zooming stays fluid.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { waveformInbound, type WaveformInbound, type WaveformOutbound, type WaveformSourceRef } from '../../kernel/protocol/waveforms';
import { draw, gutter, plotWidth, readTheme, type Scene, type WindowMessage } from './draw';
import { attachInput, type Viewer } from './input';
import { buildLanes, layout } from './lanes';
import { renderReadout } from './readout';
import { clampView, type View } from './scale';
import './style.css';

type Open = Extract<WaveformInbound, { type: 'open' }>;
interface Saved {
  source?: WaveformSourceRef;
  view?: View;
  cursors?: { a?: number; b?: number };
  overlaid?: boolean;
  fitY?: boolean;
  hidden?: number[];
  neurons?: [number, number];
}

const vscode = acquireVsCodeApi<Saved>();
const send = (m: WaveformOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;
const saved: Saved = vscode.getState() ?? {};

/** What benches and tests read: when the first data was drawn, how long each frame took, each window's round trip to the host. */
const stats = { firstPaint: 0, frames: [] as number[], windows: 0, roundTrips: [] as number[] };
(window as unknown as { __waveStats: typeof stats }).__waveStats = stats;

let open: Open | undefined;
let view: View = { t0: 0, t1: 1 };
let overview: WindowMessage | undefined;
let current: WindowMessage | undefined;
let cursors: { a?: number; b?: number } = {};
let overlaid = false;
let fitY = false;
let hidden = new Set<number>();
let neurons: [number, number] | undefined;
let seq = 0;
let waiting: { request: number; key: string; sent: number } | undefined;
/** The view (times, columns, neurons) the current window was asked for. */
let currentKey = '';
let readingWanted = 0;
let frameQueued = false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const canvas = el('canvas', { id: 'wave-canvas', tabindex: '0', role: 'img' });
const readout = el('section', { id: 'readout', 'aria-label': 'Cursor readings' });
const status = el('p', { id: 'status', role: 'status', 'aria-live': 'polite' });

function colorOf(id: number): string {
  const theme = readTheme();
  return theme.series[id % theme.series.length];
}

function save(): void {
  vscode.setState({ source: open?.source ?? saved.source, view, cursors, overlaid, fitY, hidden: [...hidden], neurons });
}

function lanes() {
  return open ? layout(buildLanes(open.traces, open.rasters, overlaid, hidden), gutter.top) : [];
}

function canvasSize(): { width: number; height: number } {
  const ls = lanes();
  const last = ls[ls.length - 1];
  return { width: Math.max(320, canvas.parentElement?.clientWidth ?? 800), height: (last ? last.top + last.lane.height : 40) + gutter.axis + 4 };
}

function scene(): Scene {
  const { width, height } = canvasSize();
  return { width, height, view, timeUnit: open?.timeUnit ?? 's', lanes: lanes(), traces: new Map(open?.traces.map((t) => [t.id, t])), overview, current, cursors, fitY, neurons, color: colorOf };
}

function paint(): void {
  frameQueued = false;
  if (!open) return;
  const t0 = performance.now();
  const s = scene();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(s.width * dpr) || canvas.height !== Math.round(s.height * dpr)) {
    canvas.width = Math.round(s.width * dpr);
    canvas.height = Math.round(s.height * dpr);
    canvas.style.width = `${s.width}px`;
    canvas.style.height = `${s.height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  draw(ctx, s, readTheme());
  canvas.dataset.view = `${view.t0},${view.t1}`;
  canvas.dataset.modes = (current?.traces ?? []).map((t) => t.mode).join(',');
  canvas.dataset.rasterModes = (current?.rasters ?? []).map((r) => r.mode).join(',');
  const ms = performance.now() - t0;
  stats.frames.push(ms);
  if (stats.frames.length > 1000) stats.frames.shift();
  if (!stats.firstPaint && current) stats.firstPaint = performance.now();
}

function redraw(): void {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(paint);
}

const viewKey = () => `${view.t0},${view.t1},${plotWidth(canvasSize().width)},${neurons?.join('-') ?? ''}`;

/** Ask for the window now shown, unless an answer is on its way (then ask again when it comes). */
function requestWindow(): void {
  if (!open || waiting) return;
  const key = viewKey();
  if (current && key === currentKey) return;
  const request = ++seq;
  waiting = { request, key, sent: performance.now() };
  const rows = Math.max(1, Math.min(4096, Math.round(lanes().find((l) => l.lane.kind === 'raster')?.lane.height ?? 100)));
  send({ type: 'window', request, t0: view.t0, t1: view.t1, bins: Math.min(8192, Math.round(plotWidth(canvasSize().width))), rows, neurons });
}

function requestReading(): void {
  if (!open || cursors.a === undefined) return;
  readingWanted = ++seq;
  send({ type: 'reading', request: readingWanted, a: cursors.a, b: cursors.b ?? cursors.a });
}

const viewer: Viewer = {
  canvas,
  get open() {
    return open;
  },
  get view() {
    return view;
  },
  setView(v: View) {
    if (!open) return;
    view = clampView(v, open.range[0], open.range[1]);
    save();
    redraw();
    requestWindow();
  },
  get cursors() {
    return cursors;
  },
  setCursor(which: 'a' | 'b', t: number | undefined) {
    cursors = { ...cursors, [which]: t };
    save();
    redraw();
    if (cursors.a === undefined) renderReadout(readout, open, undefined, cursors, colorOf);
    else requestReading();
  },
  get neurons() {
    return neurons;
  },
  setNeurons(n: [number, number] | undefined) {
    neurons = n;
    save();
    redraw();
    requestWindow();
  },
  lanes,
  canvasWidth: () => canvasSize().width,
  toggleOverlay: () => setOverlaid(!overlaid),
};

function setOverlaid(on: boolean): void {
  overlaid = on;
  pressed('overlay', 'Overlay', on);
  save();
  redraw();
  requestWindow();
}

/** A toggle button: its state in aria-pressed and, for the eye, a check mark. */
function pressed(id: string, label: string, on: boolean): void {
  const b = document.getElementById(id);
  if (!b) return;
  b.setAttribute('aria-pressed', String(on));
  b.textContent = `${on ? '✓ ' : ''}${label}`;
}

function toolbar(): HTMLElement {
  const bar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Waveform view' });
  const button = (id: string, text: string, title: string, onClick: () => void) => {
    const b = el('vscode-button', { id, secondary: '', title }, text);
    b.addEventListener('click', onClick);
    bar.append(b);
    return b;
  };
  button('overlay', '', 'Draw the traces of one quantity in one lane, instead of each in its own (S)', () => setOverlaid(!overlaid));
  button('fit-y', '', 'Scale each lane to what is visible, or to the whole run (Y)', () => {
    fitY = !fitY;
    pressed('fit-y', 'Fit Y', fitY);
    save();
    redraw();
  });
  button('zoom-cursors', 'Zoom to cursors', 'Show the time between the cursors (Z)', () => {
    if (cursors.a !== undefined && cursors.b !== undefined && cursors.a !== cursors.b) viewer.setView({ t0: Math.min(cursors.a, cursors.b), t1: Math.max(cursors.a, cursors.b) });
  });
  button('reset', 'Whole run', 'Zoom out to the whole run (Home)', () => {
    neurons = undefined;
    if (open) viewer.setView({ t0: open.range[0], t1: open.range[1] });
  });
  bar.append(el('span', { class: 'hint' }, 'Wheel: zoom · drag: pan · click: cursor A · Shift+click: cursor B · Shift+wheel on a raster: neurons · keys: ← → + − Home A B Z S Y'));
  return bar;
}

function legend(o: Open): HTMLElement {
  const box = el('div', { class: 'legend', role: 'group', 'aria-label': 'Shown traces' });
  for (const item of [...o.traces, ...o.rasters]) {
    const cb = el('vscode-checkbox', { 'data-id': String(item.id) }) as HTMLElement & { checked: boolean };
    cb.checked = !hidden.has(item.id);
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = colorOf(item.id);
    cb.append(swatch, document.createTextNode(item.name));
    cb.addEventListener('change', () => {
      if (cb.checked) hidden.delete(item.id);
      else hidden.add(item.id);
      save();
      redraw();
    });
    box.append(cb);
  }
  return box;
}

function show(o: Open): void {
  const same = saved.source && JSON.stringify(saved.source) === JSON.stringify(o.source);
  open = o;
  overview = current = undefined;
  waiting = undefined;
  currentKey = '';
  if (same) {
    overlaid = saved.overlaid ?? overlaid;
    fitY = saved.fitY ?? fitY;
    hidden = new Set(saved.hidden ?? []);
    cursors = saved.cursors ?? {};
    neurons = saved.neurons;
  }
  view = clampView(same && saved.view ? saved.view : { t0: o.range[0], t1: o.range[1] }, o.range[0], o.range[1]);
  canvas.setAttribute('aria-label', `Waveforms of ${o.title}: ${o.traces.length} traces, ${o.rasters.length} rasters. Arrow keys pan, plus and minus zoom, A and B place cursors.`);
  const notes = el('ul', { class: 'notes' });
  for (const n of o.notes) notes.append(el('li', {}, n));
  const wrap = el('div', { class: 'canvas-wrap' });
  wrap.append(canvas);
  app.replaceChildren(el('h1', { id: 'wave-title' }, o.title), toolbar(), legend(o), wrap, readout, notes, status);
  pressed('overlay', 'Overlay', overlaid);
  pressed('fit-y', 'Fit Y', fitY);
  renderReadout(readout, o, undefined, cursors, colorOf);
  save();
  // the whole run first (the overview drawn wherever the detailed window does not reach), then the view
  const request = ++seq;
  waiting = { request, key: 'overview', sent: performance.now() };
  send({ type: 'window', request, t0: o.range[0], t1: o.range[1], bins: Math.min(8192, Math.round(plotWidth(canvasSize().width))), rows: 180 });
  if (cursors.a !== undefined) requestReading();
}

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = waveformInbound.safeParse(ev.data);
  if (!parsed.success) {
    console.warn(`[neurite] waveform viewer got an invalid message: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  const m = parsed.data;
  switch (m.type) {
    case 'loading':
      vscode.setState({ ...saved, source: m.source });
      app.replaceChildren(el('h1', { id: 'wave-title' }, m.title), el('p', { class: 'loading' }, m.message));
      app.querySelector('.loading')?.prepend(el('vscode-progress-ring', { 'aria-label': 'Loading' }));
      break;
    case 'open':
      show(m);
      break;
    case 'window':
      if (waiting?.request !== m.request) return; // an answer nobody waits for any more
      stats.windows++;
      stats.roundTrips.push(performance.now() - waiting.sent);
      if (stats.roundTrips.length > 1000) stats.roundTrips.shift();
      if (waiting.key === 'overview') overview = m;
      current = m;
      currentKey = waiting.key;
      waiting = undefined;
      redraw();
      requestWindow(); // the view moved while this was on its way
      break;
    case 'reading':
      if (m.request === readingWanted) renderReadout(readout, open, m, cursors, colorOf);
      break;
    case 'error':
      status.textContent = m.message;
      status.classList.add('error');
      break;
  }
});

new ResizeObserver(() => {
  redraw();
  requestWindow();
}).observe(app);
// VS Code switches themes by changing <body>'s class and the CSS variables on <html>: redraw with the new colours.
new MutationObserver(() => {
  redraw();
  document.querySelectorAll<HTMLElement>('.legend .swatch').forEach((s, i) => (s.style.backgroundColor = colorOf(open ? [...open.traces, ...open.rasters][i].id : i)));
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
new MutationObserver(() => redraw()).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

attachInput(viewer);
send({ type: 'ready' });
