/** Point helpers for charts, free of Chart.js so they can be tested in plain Node. */

/**
 * With `parsing: false` Chart.js takes data as sorted by x and reads the x range from the first
 * and last points, so unsorted data (a raster grouped by neuron) would be clipped.
 */
export function byX<T extends { x: number }>(points: T[]): T[] {
  for (let i = 1; i < points.length; i++) if (points[i].x < points[i - 1].x) return [...points].sort((a, b) => a.x - b.x);
  return points;
}
