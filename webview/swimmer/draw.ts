/**
 * Drawing the swimmer on one canvas: a metric grid, the nose's path so far, and the body at one
 * frame (a thick polyline nose to tail, its joints, the nose marked). The whole episode's bounds
 * fix the frame, so the body is seen to travel. Colours come from VS Code's theme, read at each draw.
 */
import type { Theme } from '../waveforms/draw';

export interface Pose {
  links: number;
  times: number[];
  x: number[];
  y: number[];
  bounds: [number, number, number, number];
}

/** Metres to CSS pixels: px = ox + scale·x, py = oy − scale·y (y up). */
export interface Transform {
  scale: number;
  ox: number;
  oy: number;
}

const MARGIN_M = 0.12;

export function fit(p: Pose, width: number, height: number): Transform {
  const [x0, y0, x1, y1] = [p.bounds[0] - MARGIN_M, p.bounds[1] - MARGIN_M, p.bounds[2] + MARGIN_M, p.bounds[3] + MARGIN_M];
  const scale = Math.min(width / (x1 - x0), height / (y1 - y0));
  return { scale, ox: (width - scale * (x1 + x0)) / 2, oy: (height + scale * (y1 + y0)) / 2 };
}

/** A grid step in metres that leaves at least 40 px between lines. */
function gridStep(scale: number): number {
  for (const s of [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]) if (s * scale >= 40) return s;
  return 20;
}

export function drawSwimmer(ctx: CanvasRenderingContext2D, p: Pose, frame: number, width: number, height: number, theme: Theme): Transform {
  const t = fit(p, width, height);
  const X = (x: number) => t.ox + t.scale * x;
  const Y = (y: number) => t.oy - t.scale * y;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);

  const step = gridStep(t.scale);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let gx = Math.ceil(-t.ox / t.scale / step) * step; X(gx) <= width; gx += step) (ctx.moveTo(Math.round(X(gx)) + 0.5, 0), ctx.lineTo(Math.round(X(gx)) + 0.5, height));
  for (let gy = Math.ceil((t.oy - height) / t.scale / step) * step; Y(gy) >= 0; gy += step) (ctx.moveTo(0, Math.round(Y(gy)) + 0.5), ctx.lineTo(width, Math.round(Y(gy)) + 0.5));
  ctx.stroke();

  const n = p.links + 1;
  // the nose's path up to this frame
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  for (let f = 0; f <= frame; f++) (f ? ctx.lineTo : ctx.moveTo).call(ctx, X(p.x[f * n]), Y(p.y[f * n]));
  ctx.stroke();
  ctx.setLineDash([]);

  // the body: nose to tail
  const width_ = Math.max(6, Math.min(28, 0.035 * t.scale));
  ctx.strokeStyle = theme.series[0];
  ctx.lineWidth = width_;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (let i = 0; i < n; i++) (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(p.x[frame * n + i]), Y(p.y[frame * n + i]));
  ctx.stroke();
  // joints as small holes, the nose as a larger dot in the text colour: opaque in every theme (in VS Code the charts' orange came out blended with the body)
  ctx.fillStyle = theme.bg;
  for (let i = 1; i < n - 1; i++) dot(ctx, X(p.x[frame * n + i]), Y(p.y[frame * n + i]), width_ * 0.18);
  ctx.fillStyle = theme.fg;
  dot(ctx, X(p.x[frame * n]), Y(p.y[frame * n]), width_ * 0.6);

  // scale bar
  const bar = step * t.scale;
  ctx.strokeStyle = ctx.fillStyle = theme.fg;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(12, height - 14);
  ctx.lineTo(12 + bar, height - 14);
  ctx.stroke();
  ctx.font = `12px ${theme.font}`;
  ctx.textBaseline = 'bottom';
  ctx.fillText(step >= 1 ? `${step} m` : `${Math.round(step * 100)} cm`, 12, height - 18);
  return t;
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
}
