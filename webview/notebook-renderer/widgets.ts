/**
 * The one seam between notebook outputs and the drawing widgets: every chart and table the
 * renderer draws goes through these names. Today they are the run panel's widgets on main
 * (webview/shared/charts.ts, webview/run-panel/metrics.ts); when the panels' upgraded widgets
 * land (zoom, legends, metric metadata), this file is what changes, nothing else.
 */
export { applyTheme, compact, figure, rasterChart, xyChart } from '../shared/charts';
export { metricTraces } from '../run-panel/metrics';
export { attributionMap } from './attribution-map';
export { table } from './table';
