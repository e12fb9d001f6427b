/** Chart.js set up once for every panel: only the pieces we use, themed from VS Code's CSS variables. */
import { Chart, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Title, Tooltip } from 'chart.js';
import type { RasterTrace, XYTrace } from '../../kernel/protocol/types';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title, Filler);

const palette = ['#4e9de6', '#e8a33d', '#5cb85c', '#d9534f', '#9b6bcc', '#4fc1c1', '#c7a04f', '#e377c2'];

export function color(i: number): string {
  return palette[i % palette.length];
}

function themeVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function applyTheme(): void {
  Chart.defaults.color = themeVar('--vscode-foreground', '#ccc');
  Chart.defaults.borderColor = themeVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  Chart.defaults.font.family = themeVar('--vscode-font-family', 'sans-serif');
  Chart.defaults.animation = false;
}

/** A figure: a titled canvas with a text alternative for screen readers. */
export function figure(parent: HTMLElement, title: string): HTMLCanvasElement {
  const fig = document.createElement('figure');
  fig.className = 'chart';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  fig.append(caption, canvas);
  parent.append(fig);
  return canvas;
}

/** Line chart of x/y series (sweeps, curves, waveforms); log axes when asked. */
export function xyChart(canvas: HTMLCanvasElement, trace: XYTrace): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: trace.series.map((s, i) => ({
        label: s.name,
        data: s.x.map((x, j) => ({ x, y: s.y[j] })),
        borderColor: color(i),
        backgroundColor: color(i),
        pointRadius: s.points ? 3 : 0,
        showLine: !s.points,
        borderWidth: 1.5,
      })),
    },
    options: {
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: trace.logX ? 'logarithmic' : 'linear', title: { display: !!trace.xLabel, text: trace.xLabel ?? '' } },
        y: { type: trace.logY ? 'logarithmic' : 'linear', title: { display: !!trace.yLabel, text: trace.yLabel ?? '' } },
      },
      plugins: { legend: { display: trace.series.length > 1, position: 'bottom' } },
    },
  });
}

/** Spike raster: one dot per spike. */
export function rasterChart(canvas: HTMLCanvasElement, trace: RasterTrace): Chart {
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets: [{ label: 'spikes', data: trace.times.map((t, i) => ({ x: t, y: trace.ids[i] })), pointRadius: 1, backgroundColor: color(0) }] },
    options: {
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { title: { display: true, text: `time${trace.timeUnit ? ` (${trace.timeUnit})` : ''}` } }, y: { title: { display: true, text: 'neuron' } } },
      plugins: { legend: { display: false } },
    },
  });
}
