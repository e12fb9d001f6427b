/**
 * Drawing the waveform viewer on one canvas: lanes of traces (samples as lines, zoomed-out
 * windows as per-column min/max strokes), rasters (spike ticks, or counts as shades), rate
 * curves, the time axis and two cursors. Colours come from VS Code's theme variables, read at
 * each draw, so a theme change shows at the next frame.
 */
import type { RasterWindow, TraceWindow, WaveformInbound, WaveformTraceInfo } from '../../kernel/protocol/waveforms';
import type { Lane } from './lanes';
import { prefixFor, si, ticks, type View } from './scale';

export type WindowMessage = Extract<WaveformInbound, { type: 'window' }>;

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  border: string;
  bg: string;
  cursorA: string;
  cursorB: string;
  span: string;
  font: string;
  series: string[];
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The theme's colours now (VS Code sets them as CSS variables on <html>/<body>). */
export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const v = (n: string, f: string) => cssVar(s, n, f);
  return {
    fg: v('--vscode-editor-foreground', v('--vscode-foreground', '#cccccc')),
    muted: v('--vscode-descriptionForeground', '#9d9d9d'),
    grid: v('--vscode-editorIndentGuide-background1', v('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)')),
    border: v('--vscode-contrastBorder', v('--vscode-editorWidget-border', '#454545')),
    bg: v('--vscode-editor-background', '#1f1f1f'),
    cursorA: v('--vscode-editorCursor-foreground', '#aeafad'),
    cursorB: v('--vscode-charts-yellow', '#cca700'),
    span: v('--vscode-editor-selectionBackground', 'rgba(38,79,120,0.45)'),
    font: v('--vscode-font-family', 'sans-serif'),
    series: [
      v('--vscode-charts-blue', '#3794ff'),
      v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-charts-purple', '#b180d7'),
      v('--vscode-charts-yellow', '#cca700'),
      v('--vscode-terminal-ansiCyan', '#11a8cd'),
      v('--vscode-terminal-ansiMagenta', '#bc3fbc'),
    ],
  };
}

export const gutter = { left: 78, right: 14, top: 8, axis: 26 };

export interface Scene {
  width: number;
  height: number;
  view: View;
  timeUnit: string;
  lanes: { lane: Lane; top: number }[];
  traces: Map<number, WaveformTraceInfo>;
  overview?: WindowMessage;
  current?: WindowMessage;
  cursors: { a?: number; b?: number };
  /** y range of each trace lane: the whole run, or what is visible. */
  fitY: boolean;
  neurons?: [number, number];
  color(id: number): string;
}

export function plotWidth(width: number): number {
  return Math.max(10, width - gutter.left - gutter.right);
}

export function draw(ctx: CanvasRenderingContext2D, s: Scene, theme: Theme): void {
  const { width, height, view } = s;
  const pw = plotWidth(width);
  const xOf = (t: number) => gutter.left + ((t - view.t0) / (view.t1 - view.t0)) * pw;
  ctx.save();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  ctx.font = `11px ${theme.font}`;
  ctx.textBaseline = 'middle';
  const tp = s.timeUnit === 's' ? prefixFor(view.t1 - view.t0) : { factor: 1, symbol: '' };
  const timeTicks = ticks(view.t0, view.t1, Math.max(2, Math.floor(pw / 110)));
  const axisTop = height - gutter.axis;
  // cursor span behind everything
  if (s.cursors.a !== undefined && s.cursors.b !== undefined) {
    const x0 = Math.max(gutter.left, xOf(Math.min(s.cursors.a, s.cursors.b)));
    const x1 = Math.min(gutter.left + pw, xOf(Math.max(s.cursors.a, s.cursors.b)));
    if (x1 > x0) {
      ctx.fillStyle = theme.span;
      ctx.globalAlpha = 0.45;
      ctx.fillRect(x0, gutter.top, x1 - x0, axisTop - gutter.top);
      ctx.globalAlpha = 1;
    }
  }
  for (const { lane, top } of s.lanes) {
    ctx.strokeStyle = theme.border;
    ctx.lineWidth = 1;
    ctx.strokeRect(gutter.left + 0.5, top + 0.5, pw - 1, lane.height - 1);
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    for (const t of timeTicks) {
      const x = Math.round(xOf(t)) + 0.5;
      ctx.moveTo(x, top + 1);
      ctx.lineTo(x, top + lane.height - 1);
    }
    ctx.stroke();
    ctx.save();
    if (lane.kind === 'traces') drawTraceLane(ctx, s, lane, top, xOf, theme);
    else if (lane.kind === 'raster') drawRasterLane(ctx, s, lane, top, xOf, theme);
    else drawRateLane(ctx, s, lane, top, xOf, theme);
    ctx.restore();
    // the lane's name (overlaid: each trace's name in its colour) on the background, over the traces
    ctx.textAlign = 'left';
    const names = lane.kind === 'traces' && lane.ids.length > 1 ? lane.ids.map((id) => ({ text: s.traces.get(id)?.name ?? '', color: s.color(id) })) : [{ text: lane.title, color: theme.fg }];
    let x = gutter.left + 6;
    ctx.fillStyle = theme.bg;
    ctx.globalAlpha = 0.8;
    ctx.fillRect(gutter.left + 2, top + 2, names.reduce((w, n) => w + ctx.measureText(n.text).width + 12, 0), 15);
    ctx.globalAlpha = 1;
    for (const n of names) {
      ctx.fillStyle = n.color;
      ctx.fillText(n.text, x, top + 10);
      x += ctx.measureText(n.text).width + 12;
    }
  }
  // time axis
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of timeTicks) ctx.fillText(si(t, s.timeUnit === 's' ? 's' : '', 6, tp).replace(/ ?[a-zµ]*s$/, ''), xOf(t), axisTop + 5);
  ctx.textAlign = 'right';
  ctx.fillText(s.timeUnit === 's' ? `${tp.symbol}s` : s.timeUnit, gutter.left - 8, axisTop + 5);
  // cursors on top
  const cursorStyles: ['a' | 'b', string, number[]][] = [['a', theme.cursorA, []], ['b', theme.cursorB, [5, 3]]];
  for (const [key, color, dash] of cursorStyles) {
    const t = s.cursors[key];
    if (t === undefined || t < view.t0 || t > view.t1) continue;
    const x = Math.round(xOf(t)) + 0.5;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x, gutter.top);
    ctx.lineTo(x, axisTop);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(key.toUpperCase(), x, axisTop + 2);
  }
  ctx.restore();
}

/** The data to draw for id: the current window where it reaches, the overview elsewhere. */
function pieces<T extends { id: number }>(s: Scene, pick: (w: WindowMessage) => T[]): { w: WindowMessage; item: T }[] {
  const out: { w: WindowMessage; item: T }[] = [];
  for (const w of [s.overview, s.current]) {
    if (!w) continue;
    for (const item of pick(w)) out.push({ w, item });
  }
  return out;
}

/** Clip to the inside of a lane's frame (the caller has saved the context). */
function clipLane(ctx: CanvasRenderingContext2D, s: Scene, top: number, height: number): void {
  ctx.beginPath();
  ctx.rect(gutter.left + 1, top + 1, plotWidth(s.width) - 2, height - 2);
  ctx.clip();
}

function clipOutside(ctx: CanvasRenderingContext2D, x0: number, x1: number, top: number, h: number, width: number): void {
  ctx.beginPath();
  ctx.rect(0, top, Math.max(0, x0), h);
  ctx.rect(x1, top, Math.max(0, width - x1), h);
  ctx.clip();
}

function yRange(s: Scene, ids: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  if (s.fitY) {
    const w = s.current ?? s.overview;
    for (const tw of w?.traces ?? []) {
      if (!ids.includes(tw.id)) continue;
      const vals = tw.mode === 'samples' ? tw.y : [...tw.min, ...tw.max];
      const xs = tw.mode === 'samples' ? tw.x : undefined;
      vals.forEach((v, i) => {
        if (v === null || (xs && (xs[i] < s.view.t0 || xs[i] > s.view.t1))) return;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      });
    }
  }
  if (!Number.isFinite(lo)) {
    for (const id of ids) {
      const t = s.traces.get(id);
      if (t) [lo, hi] = [Math.min(lo, t.min), Math.max(hi, t.max)];
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-30) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

function yAxis(ctx: CanvasRenderingContext2D, lo: number, hi: number, unit: string, top: number, h: number, theme: Theme): (v: number) => number {
  const yOf = (v: number) => top + h - 4 - ((v - lo) / (hi - lo)) * (h - 8);
  const p = unit ? prefixFor(Math.max(Math.abs(lo), Math.abs(hi))) : { factor: 1, symbol: '' };
  ctx.save();
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ts = ticks(lo, hi, Math.max(2, Math.min(5, Math.floor(h / 28))));
  for (const v of ts) ctx.fillText(si(v, unit, 4, p), gutter.left - 6, Math.min(top + h - 6, Math.max(top + 6, yOf(v))));
  ctx.restore();
  return yOf;
}

function drawTraceLane(ctx: CanvasRenderingContext2D, s: Scene, lane: Extract<Lane, { kind: 'traces' }>, top: number, xOf: (t: number) => number, theme: Theme): void {
  const [lo, hi] = yRange(s, lane.ids);
  const yOf = yAxis(ctx, lo, hi, lane.unit, top, lane.height, theme);
  clipLane(ctx, s, top, lane.height);
  ctx.lineWidth = 1.25;
  ctx.lineJoin = 'round';
  for (const { w, item } of pieces(s, (m) => m.traces.filter((t) => lane.ids.includes(t.id)))) {
    ctx.save();
    if (w === s.overview && s.current) clipOutside(ctx, xOf(s.current.t0), xOf(s.current.t1), top, lane.height, s.width);
    ctx.strokeStyle = s.color(item.id);
    strokeTrace(ctx, item, w, xOf, yOf);
    ctx.restore();
  }
}

function strokeTrace(ctx: CanvasRenderingContext2D, tw: TraceWindow, w: WindowMessage, xOf: (t: number) => number, yOf: (v: number) => number): void {
  ctx.beginPath();
  if (tw.mode === 'samples') {
    tw.x.forEach((t, i) => (i === 0 ? ctx.moveTo(xOf(t), yOf(tw.y[i])) : ctx.lineTo(xOf(t), yOf(tw.y[i]))));
  } else {
    const bw = (w.t1 - w.t0) / w.bins;
    let open = false;
    for (let b = 0; b < tw.min.length; b++) {
      const mn = tw.min[b];
      const mx = tw.max[b];
      if (mn === null || mx === null) {
        open = false;
        continue;
      }
      const x = xOf(w.t0 + (b + 0.5) * bw);
      if (!open) ctx.moveTo(x, yOf(mn));
      else ctx.lineTo(x, yOf(mn));
      ctx.lineTo(x, yOf(mx) - (mx === mn ? 0.5 : 0));
      open = true;
    }
  }
  ctx.stroke();
}

function neuronRange(s: Scene, neurons: number): [number, number] {
  const r = s.neurons ?? [0, neurons];
  return [Math.max(0, r[0]), Math.max(r[0] + 1, Math.min(neurons, r[1]))];
}

function drawRasterLane(ctx: CanvasRenderingContext2D, s: Scene, lane: Extract<Lane, { kind: 'raster' }>, top: number, xOf: (t: number) => number, theme: Theme): void {
  const [n0, n1] = neuronRange(s, lane.neurons);
  const h = lane.height - 20;
  const base = top + lane.height - 4;
  const yOf = (n: number) => base - ((n - n0 + 0.5) / (n1 - n0)) * h;
  const rowH = h / (n1 - n0);
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  const rows = n1 - n0 <= Math.floor(h / 14) ? Array.from({ length: n1 - n0 }, (_, i) => n0 + i) : ticks(n0, n1 - 1, Math.max(2, Math.floor(h / 40))).filter(Number.isInteger);
  for (const n of rows) ctx.fillText(String(n), gutter.left - 6, yOf(n));
  clipLane(ctx, s, top, lane.height);
  const color = s.color(lane.id);
  for (const { w, item } of pieces(s, (m) => m.rasters.filter((r) => r.id === lane.id))) {
    ctx.save();
    if (w === s.overview && s.current) clipOutside(ctx, xOf(s.current.t0), xOf(s.current.t1), top, lane.height, s.width);
    drawRaster(ctx, item, w, xOf, yOf, rowH, base, h, color);
    ctx.restore();
  }
}

function drawRaster(ctx: CanvasRenderingContext2D, rw: RasterWindow, w: WindowMessage, xOf: (t: number) => number, yOf: (n: number) => number, rowH: number, base: number, h: number, color: string): void {
  ctx.fillStyle = color;
  if (rw.mode === 'spikes') {
    const tick = Math.max(1, Math.min(10, rowH * 0.8));
    const wide = rowH >= 3 ? 1.5 : 1;
    for (let i = 0; i < rw.t.length; i++) ctx.fillRect(xOf(rw.t[i]) - wide / 2, yOf(rw.n[i]) - tick / 2, wide, tick);
    return;
  }
  // counts as shades: eight levels of opacity, one path each (sqrt: sparse cells stay visible)
  const bins = rw.counts.length / rw.rows;
  const bw = (w.t1 - w.t0) / bins;
  let top = 0;
  for (const c of rw.counts) if (c > top) top = c;
  const cellH = h / rw.rows;
  const levels: number[][] = Array.from({ length: 8 }, () => []);
  rw.counts.forEach((c, k) => c > 0 && levels[Math.min(7, Math.floor(Math.sqrt(c / top) * 8))].push(k));
  levels.forEach((cells, level) => {
    if (!cells.length) return;
    ctx.globalAlpha = (level + 1) / 8;
    for (const k of cells) {
      const row = Math.floor(k / bins);
      const b = k % bins;
      const x0 = xOf(w.t0 + b * bw);
      ctx.fillRect(x0, base - (row + 1) * cellH, Math.max(1, xOf(w.t0 + (b + 1) * bw) - x0), Math.max(1, cellH));
    }
  });
  ctx.globalAlpha = 1;
}

function drawRateLane(ctx: CanvasRenderingContext2D, s: Scene, lane: Extract<Lane, { kind: 'rate' }>, top: number, xOf: (t: number) => number, theme: Theme): void {
  const all = pieces(s, (m) => m.rasters.filter((r) => r.id === lane.id));
  let hi = 0;
  for (const { item } of all) for (const r of item.rate) if (r > hi) hi = r;
  const unit = s.timeUnit === 's' ? 'Hz' : `/${s.timeUnit}`;
  const yOf = yAxis(ctx, 0, hi > 0 ? hi * 1.1 : 1, unit, top, lane.height, theme);
  clipLane(ctx, s, top, lane.height);
  ctx.strokeStyle = s.color(lane.id);
  ctx.lineWidth = 1.25;
  for (const { w, item } of all) {
    ctx.save();
    if (w === s.overview && s.current) clipOutside(ctx, xOf(s.current.t0), xOf(s.current.t1), top, lane.height, s.width);
    const bw = (w.t1 - w.t0) / item.rate.length;
    ctx.beginPath();
    item.rate.forEach((r, b) => {
      const x0 = xOf(w.t0 + b * bw);
      const x1 = xOf(w.t0 + (b + 1) * bw);
      if (b === 0) ctx.moveTo(x0, yOf(r));
      else ctx.lineTo(x0, yOf(r));
      ctx.lineTo(x1, yOf(r));
    });
    ctx.stroke();
    ctx.restore();
  }
}
