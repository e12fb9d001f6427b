/** Reading and driving the charts of a page (through window.__neuriteCharts, the chart widget's test hook). */
import * as path from 'path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../unit/helpers';

/** Where webview tests put their screenshots. */
export const shots = path.join(repoRoot, 'test-results', 'webview');

export interface ChartState {
  id: string;
  title: string;
  x: [number, number];
  y: [number, number];
  datasets: { label: string; points: number }[];
  legend: { name: string; pressed: string }[];
  xTicks: string[];
  yTicks: string[];
  yTitle?: string;
  tickColor: string;
  gridColor: string;
  tooltip?: { title: string[]; lines: string[] };
  smoothing: number;
}

export async function charts(page: Page, prefix = ''): Promise<ChartState[]> {
  return (await page.evaluate(() => (window as any).__neuriteCharts())).filter((c: ChartState) => c.id.startsWith(prefix));
}

export async function chart(page: Page, id: string): Promise<ChartState> {
  const c = (await charts(page)).find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id} among ${(await charts(page)).map((x) => x.id).join(', ')}`);
  return c;
}

/** Scroll a chart into view and return its canvas box (page.mouse works in viewport coordinates). */
export async function canvasBox(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const canvas = page.locator(`[data-chart="${id}"] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  return (await canvas.boundingBox())!;
}

/** Drag with the mouse across a chart's canvas, between two points given as fractions of its size. */
export async function dragOn(page: Page, id: string, from: [number, number], to: [number, number], opts: { shift?: boolean } = {}): Promise<void> {
  const canvas = page.locator(`[data-chart="${id}"] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const b = (await canvas.boundingBox())!;
  const at = (f: [number, number]) => [b.x + b.width * f[0], b.y + b.height * f[1]] as const;
  if (opts.shift) await page.keyboard.down('Shift');
  await page.mouse.move(...at(from));
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(at(from)[0] + ((at(to)[0] - at(from)[0]) * i) / 5, at(from)[1] + ((at(to)[1] - at(from)[1]) * i) / 5);
  await page.mouse.up();
  if (opts.shift) await page.keyboard.up('Shift');
}
