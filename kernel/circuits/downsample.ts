/**
 * Downsampling for streamed waveforms. SFQ pulses are a few picoseconds wide, so picking
 * every k-th sample would drop most of them; instead each bucket keeps its minimum and its
 * maximum, in time order, so every pulse survives at its full height.
 */
export function minMaxDownsample(x: ArrayLike<number>, y: ArrayLike<number>, count: number, maxPoints: number): { x: number[]; y: number[] } {
  if (count <= maxPoints) return { x: Array.from({ length: count }, (_, i) => x[i]), y: Array.from({ length: count }, (_, i) => y[i]) };
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * count) / buckets);
    const hi = Math.floor(((b + 1) * count) / buckets);
    let iMin = lo, iMax = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (y[i] < y[iMin]) iMin = i;
      if (y[i] > y[iMax]) iMax = i;
    }
    const [a, c] = iMin <= iMax ? [iMin, iMax] : [iMax, iMin];
    ox.push(x[a]);
    oy.push(y[a]);
    if (c !== a) {
      ox.push(x[c]);
      oy.push(y[c]);
    }
  }
  return { x: ox, y: oy };
}
