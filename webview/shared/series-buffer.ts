/**
 * A curve that grows without bound in time but not in memory: points are kept until `cap`,
 * then every other one is dropped and from then on only every 2nd arriving point is kept
 * (every 4th after the next halving, …). The newest point is always shown, so a live curve
 * ends where the run is. Memory stays O(cap) over any length of stream; the curve keeps its
 * shape at a resolution that halves each time the stream doubles.
 */
export class SeriesBuffer {
  readonly x: number[] = [];
  readonly y: (number | null)[] = [];
  readonly lo: (number | null)[] = [];
  readonly hi: (number | null)[] = [];
  /** Keep one point of every `stride` arriving. */
  private stride = 1;
  private arrived = 0;
  /** The newest point when it was not kept by the stride (shown at the end until the next one). */
  private pending: [number, number | null, number | null, number | null] | undefined;
  /** Bumped on every change, so views redraw only what changed. */
  version = 0;

  constructor(readonly cap = 2000) {
    if (cap < 4) throw new Error(`SeriesBuffer: cap ${cap} is below 4`);
  }

  get length(): number {
    return this.x.length + (this.pending ? 1 : 0);
  }

  push(x: number, y: number | null, lo: number | null = null, hi: number | null = null): void {
    this.version++;
    if (this.arrived++ % this.stride !== 0) {
      this.pending = [x, y, lo, hi];
      return;
    }
    this.pending = undefined;
    this.x.push(x);
    this.y.push(y);
    this.lo.push(lo);
    this.hi.push(hi);
    if (this.x.length >= this.cap) this.halve();
  }

  private halve(): void {
    for (const a of [this.x, this.y, this.lo, this.hi] as unknown[][]) {
      let j = 0;
      for (let i = 0; i < a.length; i += 2) a[j++] = a[i];
      a.length = j;
    }
    this.stride *= 2;
  }

  /** The points to draw: the kept ones and the newest. */
  points(): { x: number[]; y: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] } {
    if (!this.pending) return { x: this.x, y: this.y, lo: this.lo, hi: this.hi };
    const [x, y, lo, hi] = this.pending;
    return { x: [...this.x, x], y: [...this.y, y], lo: [...this.lo, lo], hi: [...this.hi, hi] };
  }
}
