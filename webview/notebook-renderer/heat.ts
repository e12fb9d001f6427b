/**
 * The heat map's layout and colours, free of the DOM: the renderer's canvas (attribution-map.ts)
 * and the extension's hover SVG (extension/notebook/heatmap.ts) draw the same picture from these.
 * Units sit in their own [rows, cols] shape, else a near-square grid; colours diverge from white
 * at 0 to blue (negative) and red (positive), symmetric about zero.
 */
export function grid(a: { shape: number[]; units: number }): { rows: number; cols: number } {
  if (a.shape.length === 2) return { rows: a.shape[0], cols: a.shape[1] };
  const cols = Math.ceil(Math.sqrt(a.units));
  return { rows: Math.ceil(a.units / cols), cols };
}

/** Colour of v/scale, clamped to [−1, 1]. */
export function diverging(v: number): string {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const c = (from: number, to: number) => Math.round(from + (to - from) * Math.abs(t));
  return t >= 0 ? `rgb(${c(245, 214)},${c(245, 39)},${c(245, 40)})` : `rgb(${c(245, 31)},${c(245, 119)},${c(245, 180)})`;
}

/** The colour scale of a layer: the largest |mean| (never 0). */
export function scaleOf(mean: number[]): number {
  let m = 1e-12;
  for (const v of mean) if (Math.abs(v) > m) m = Math.abs(v);
  return m;
}
