/**
 * Series colours: Tableau's 10 (designed to stay apart for common colour-vision deficiencies)
 * and two more, readable on light and dark backgrounds. Past 12, colours repeat with a dash.
 */
const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#17becf', '#8c6d31'];

export const paletteSize = palette.length;

export function color(i: number): string {
  return palette[((i % palette.length) + palette.length) % palette.length];
}

/** Dash pattern of series i: solid for the first round of colours, dashed after. */
export function dash(i: number): number[] {
  const round = Math.floor(i / palette.length) % 3;
  return round === 0 ? [] : round === 1 ? [6, 3] : [2, 2];
}

/** `#rrggbb` at opacity `a`. */
export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}
