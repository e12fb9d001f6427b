/**
 * The one seam between notebook outputs and the drawing widgets: every chart and table the
 * renderer draws goes through these names. Today: the plain charts of basic-charts.ts, and metric
 * curves grouped by their declarations (webview/shared/metric-traces.ts). Moving the notebook to
 * the panels' chart widget (webview/shared/chart-view.ts: zoom, legends) changes this file only.
 */
export { applyTheme, compact, figure, rasterChart, xyChart } from './basic-charts';
export { metricTraces } from '../shared/metric-traces';
export { attributionMap } from './attribution-map';
export { table } from './table';
