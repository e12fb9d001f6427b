/**
 * The plain charts the notebook renderer draws (main's chart helpers before the panels' chart
 * widget, kept for the notebook until it moves to webview/shared/chart-view.ts).
 */
/** Chart.js set up once for every panel: only the pieces we use, themed from VS Code's CSS variables. */
import { Chart, Filler, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Title, Tooltip } from 'chart.js';
import type { RasterTrace, XYTrace } from '../../kernel/protocol/types';
import { byX } from '../shared/points';

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

/**
 * Log axes are drawn as log10 of the data on a linear axis, labelled 1e-k: Chart.js's own
 * logarithmic scale draws nothing once the range reaches below ~1e-21, and SDR error rates
 * go far below that.
 */
function axis(log: boolean | undefined, title: string | undefined, integers = false) {
  return {
    type: 'linear' as const,
    title: { display: !!title, text: title ?? '' },
    ticks: log
      ? { stepSize: 1, callback: (v: number | string) => (Number.isInteger(Number(v)) ? `1e${v}` : '') }
      : { callback: (v: number | string) => compact(Number(v)), precision: integers ? 0 : undefined },
    afterBuildTicks: log
      ? (scale: { ticks: { value: number }[] }) => {
          const step = Math.max(1, Math.ceil(scale.ticks.length / 10));
          scale.ticks = scale.ticks.filter((t) => Number.isInteger(t.value) && t.value % step === 0);
        }
      : undefined,
  };
}

export function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(2).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(4)));
}

const toLog = (v: number | null) => (v !== null && v > 0 ? Math.log10(v) : null);

/** Line chart of x/y series (sweeps, curves, waveforms); log axes when asked. */
export function xyChart(canvas: HTMLCanvasElement, trace: XYTrace): Chart {
  const few = trace.series.every((s) => s.x.length <= 40);
  const fx = trace.logX ? toLog : (v: number) => v;
  const fy = trace.logY ? toLog : (v: number | null) => v;
  const shown = (v: number, log?: boolean) => (log ? 10 ** v : v).toPrecision(5);
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: trace.series.map((s, i) => ({
        label: s.name,
        data: byX(s.x.map((x, j) => ({ x: fx(x), y: fy(s.y[j]) })).filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null)),
        borderColor: color(i),
        backgroundColor: color(i),
        pointRadius: s.points || few ? 2.5 : 0,
        showLine: !s.points,
        borderWidth: 1.5,
      })),
    },
    options: {
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      // x values that are all integers (steps, epochs, Hamming distances) get integer ticks only.
      scales: { x: axis(trace.logX, trace.xLabel, trace.series.every((s) => s.x.every(Number.isInteger))), y: axis(trace.logY, trace.yLabel) },
      plugins: {
        legend: { display: trace.series.length > 1, position: 'bottom' },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: (${shown(c.parsed.x ?? 0, trace.logX)}, ${shown(c.parsed.y ?? 0, trace.logY)})` } },
      },
    },
  });
}

/** Spike raster: one dot per spike. */
export function rasterChart(canvas: HTMLCanvasElement, trace: RasterTrace): Chart {
  let maxId = 0;
  for (const id of trace.ids) if (id > maxId) maxId = id;
  // one row per neuron: a tick per spike, rows centred on their integer ids
  const few = maxId < 20;
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'spikes',
          data: byX(trace.times.map((t, i) => ({ x: t, y: trace.ids[i] }))),
          pointStyle: few ? 'line' : 'circle',
          pointRotation: few ? 90 : 0,
          pointRadius: few ? 6 : 1,
          borderWidth: 1,
          borderColor: color(0),
          backgroundColor: color(0),
        },
      ],
    },
    options: {
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { title: { display: true, text: `time${trace.timeUnit ? ` (${trace.timeUnit})` : ''}` } }, y: {
          min: -0.5,
          max: maxId + 0.5,
          // rows sit on integer ids; the axis ends half a row beyond them
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            const step = Math.max(1, Math.ceil((maxId + 1) / 10));
            scale.ticks = Array.from({ length: Math.floor(maxId / step) + 1 }, (_, i) => ({ value: i * step }));
          },
          title: { display: true, text: 'neuron' },
        },
      },
      plugins: { legend: { display: false } },
    },
  });
}
