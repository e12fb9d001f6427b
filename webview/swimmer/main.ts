/**
 * The swimmer view: an ncap.swimmer run's body animated at every control step, from the pose the
 * host reads once. Play/pause, a scrub slider, speed and step-by-frame, all from the keyboard
 * too; the view keeps its run, frame and speed across reloads and repaints when the theme changes.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { swimmerInbound, type SwimmerInbound, type SwimmerOutbound, type SwimmerSourceRef } from '../../kernel/protocol/swimmer';
import { readTheme } from '../waveforms/draw';
import { drawSwimmer } from './draw';
import './style.css';

type Open = Extract<SwimmerInbound, { type: 'open' }>;
interface Saved {
  source?: SwimmerSourceRef;
  frame?: number;
  speed?: number;
}

const vscode = acquireVsCodeApi<Saved>();
const send = (m: SwimmerOutbound) => vscode.postMessage(m);
const app = document.getElementById('app')!;
const saved: Saved = vscode.getState() ?? {};
const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4];

let open: Open | undefined;
let frame = 0;
let speed = 1;
/** While playing: the episode time shown, advanced by wall time × speed. */
let playing: { t: number; last: number } | undefined;
let frameQueued = false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const canvas = el('canvas', { id: 'swimmer-canvas', tabindex: '0', role: 'img' });
const scrub = el('input', { id: 'scrub', type: 'range', min: '0', step: '1', 'aria-label': 'Frame' });
const speedSelect = el('select', { id: 'speed', 'aria-label': 'Speed' });
const readout = el('span', { id: 'frame-readout' });
const status = el('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
for (const s of SPEEDS) speedSelect.append(el('option', { value: String(s) }, `${s}×`));

const frames = () => open?.times.length ?? 0;

function save(): void {
  vscode.setState({ source: open?.source ?? saved.source, frame, speed });
}

function paint(): void {
  frameQueued = false;
  if (!open) return;
  const width = Math.max(320, canvas.parentElement?.clientWidth ?? 800);
  const height = Math.max(240, Math.min(640, Math.round(width * 0.6), window.innerHeight - canvas.getBoundingClientRect().top - window.scrollY - 40)); // all of it in view, under the toolbar
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const t = drawSwimmer(ctx, open, frame, width, height, readTheme());
  // what tests read: the frame drawn and the metres → CSS pixels map it was drawn with
  canvas.dataset.frame = String(frame);
  canvas.dataset.transform = `${t.scale},${t.ox},${t.oy}`;
}

function redraw(): void {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(paint);
}

function setFrame(f: number): void {
  if (!open) return;
  frame = Math.max(0, Math.min(frames() - 1, Math.round(f)));
  scrub.value = String(frame);
  const t = open.times[frame];
  readout.textContent = `t = ${t.toFixed(2)} s · step ${frame} of ${frames() - 1}`;
  scrub.setAttribute('aria-valuetext', `step ${frame}, ${t.toFixed(2)} seconds`);
  save();
  redraw();
}

function setPlaying(on: boolean): void {
  if (!open) return;
  if (on && frame >= frames() - 1) setFrame(0); // play at the end starts over
  playing = on ? { t: open.times[frame], last: performance.now() } : undefined;
  const b = document.getElementById('play');
  if (b) {
    b.textContent = on ? '⏸ Pause' : '▶ Play';
    b.setAttribute('aria-pressed', String(on));
  }
  if (on) requestAnimationFrame(tick);
}

function tick(now: number): void {
  if (!playing || !open) return;
  playing.t += ((now - playing.last) / 1000) * speed;
  playing.last = now;
  const times = open.times;
  let f = frame;
  while (f + 1 < times.length && times[f + 1] <= playing.t) f++;
  if (f !== frame) setFrame(f);
  if (f >= times.length - 1) setPlaying(false);
  else requestAnimationFrame(tick);
}

function setSpeed(s: number): void {
  speed = SPEEDS.includes(s) ? s : 1;
  speedSelect.value = String(speed);
  save();
}

function step(by: number): void {
  setPlaying(false);
  setFrame(frame + by);
}

function toolbar(): HTMLElement {
  const bar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Playback' });
  const button = (id: string, text: string, title: string, onClick: () => void) => {
    const b = el('vscode-button', { id, secondary: '', title }, text);
    b.addEventListener('click', onClick);
    bar.append(b);
  };
  button('play', '▶ Play', 'Play or pause (Space)', () => setPlaying(!playing));
  button('step-back', '◀ Step', 'One control step back (←)', () => step(-1));
  button('step-forward', 'Step ▶', 'One control step forward (→)', () => step(1));
  const speedLabel = el('label', {}, 'Speed');
  speedLabel.append(speedSelect);
  bar.append(scrub, speedLabel, readout);
  return bar;
}

function show(o: Open): void {
  const same = saved.source && saved.source.run === o.source.run;
  open = o;
  scrub.max = String(o.times.length - 1);
  canvas.setAttribute('aria-label', `The ${o.links}-link swimmer of ${o.title} over ${o.times.length} control steps (${o.times[o.times.length - 1].toFixed(2)} s), nose marked by a dot, its path dashed. Space plays, arrow keys step, Home and End jump.`);
  const wrap = el('div', { class: 'canvas-wrap' });
  wrap.append(canvas);
  const hint = el('p', { class: 'hint' }, 'Keys: Space play/pause · ← → one step · Page Up/Down ten steps · Home End · [ ] speed');
  app.replaceChildren(el('h1', { id: 'swimmer-title' }, o.title), toolbar(), wrap, hint, status);
  setSpeed(same ? (saved.speed ?? 1) : 1);
  setFrame(same ? (saved.frame ?? 0) : 0);
}

scrub.addEventListener('input', () => {
  setPlaying(false);
  setFrame(Number(scrub.value));
});
speedSelect.addEventListener('change', () => setSpeed(Number(speedSelect.value)));

// Keys anywhere in the view, except where a control has its own (the slider's arrows, the select's).
document.addEventListener('keydown', (e) => {
  if (!open || e.altKey || e.ctrlKey || e.metaKey) return;
  const target = e.target as HTMLElement;
  if (target === speedSelect) return;
  const onSlider = target === scrub;
  const keys: Record<string, () => void> = {
    ' ': () => setPlaying(!playing),
    ArrowRight: () => step(1),
    ArrowLeft: () => step(-1),
    PageDown: () => step(10),
    PageUp: () => step(-10),
    Home: () => step(-frames()),
    End: () => step(frames()),
    ']': () => setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + 1)]),
    '[': () => setSpeed(SPEEDS[Math.max(0, SPEEDS.indexOf(speed) - 1)]),
  };
  if (onSlider && e.key !== ' ' && e.key !== '[' && e.key !== ']') return; // the slider moves itself and fires 'input'
  if (target.tagName === 'VSCODE-BUTTON' && (e.key === ' ' || e.key === 'Enter')) return; // a focused button clicks itself
  const act = keys[e.key];
  if (!act) return;
  e.preventDefault();
  act();
});

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const parsed = swimmerInbound.safeParse(ev.data);
  if (!parsed.success) {
    console.warn(`[neurite] swimmer view got an invalid message: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return;
  }
  const m = parsed.data;
  if (m.type === 'loading') {
    vscode.setState({ ...saved, source: m.source });
    app.replaceChildren(el('h1', { id: 'swimmer-title' }, m.title), el('p', { class: 'loading' }, m.message));
    app.querySelector('.loading')?.prepend(el('vscode-progress-ring', { 'aria-label': 'Loading' }));
  } else if (m.type === 'open') {
    if (m.x.length !== m.times.length * (m.links + 1) || m.y.length !== m.x.length) {
      console.warn('[neurite] swimmer view got outlines that do not match the frames');
      return;
    }
    show(m);
  } else {
    status.textContent = m.message;
    status.classList.add('error');
    if (!open) app.replaceChildren(status);
  }
});

new ResizeObserver(() => redraw()).observe(app);
window.addEventListener('resize', () => redraw()); // a taller or shorter editor: the canvas height follows
// VS Code switches themes by changing <body>'s class and the CSS variables on <html>: repaint with the new colours.
new MutationObserver(() => redraw()).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
new MutationObserver(() => redraw()).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

send({ type: 'ready' });
