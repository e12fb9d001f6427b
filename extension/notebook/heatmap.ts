/**
 * A layer's units as a small SVG heat map, for hovers (Markdown shows it as an image): units in
 * a near-square grid (or their own [rows, cols] shape), each coloured by its mean attribution on
 * a diverging scale (blue negative, red positive, symmetric about zero), the top units outlined.
 * No DOM and no vscode: the picture the notebook renderer draws on a canvas, from the same
 * layout and colours (webview/notebook-renderer/heat.ts).
 */
import type { AttributionOutput } from '../../kernel/protocol/notebook';
import { diverging, grid, scaleOf } from '../../webview/notebook-renderer/heat';

export function heatmapSvg(a: AttributionOutput, cell = 8, topShown = 5): string {
  const { rows, cols } = grid(a);
  const scale = scaleOf(a.mean);
  const top = new Set(a.top.slice(0, topShown));
  const rects: string[] = [];
  for (let u = 0; u < a.units; u++) {
    const x = (u % cols) * cell;
    const y = Math.floor(u / cols) * cell;
    const outline = top.has(u) ? ' stroke="#000" stroke-width="1.5"' : '';
    rects.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${diverging(a.mean[u] / scale)}"${outline}><title>n${u}: ${a.mean[u]}</title></rect>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * cell}" height="${rows * cell}" viewBox="0 0 ${cols * cell} ${rows * cell}">${rects.join('')}</svg>`;
}

export function heatmapDataUri(a: AttributionOutput): string {
  return `data:image/svg+xml;base64,${Buffer.from(heatmapSvg(a)).toString('base64')}`;
}
