/**
 * A ring buffer of spike lists for synaptic delays: slot (step mod (maxDelay + 1)) holds the
 * indices of the spikes due at that step. Slots grow by doubling when full, so pushing spikes
 * allocates nothing once the buffer has seen its busiest step.
 */
export class SpikeQueue {
  private readonly slots: Int32Array[];
  private readonly counts: Int32Array;
  private readonly size: number;

  constructor(readonly maxDelaySteps: number, initialCapacity = 16) {
    this.size = maxDelaySteps + 1;
    this.slots = Array.from({ length: this.size }, () => new Int32Array(initialCapacity));
    this.counts = new Int32Array(this.size);
  }

  /** Queue `count` spikes from `ids` to be due at `step`. */
  push(step: number, ids: Int32Array, count: number): void {
    if (count === 0) return;
    const s = step % this.size;
    const c = this.counts[s];
    let buf = this.slots[s];
    if (c + count > buf.length) {
      let cap = buf.length * 2;
      while (cap < c + count) cap *= 2;
      const grown = new Int32Array(cap);
      grown.set(buf.subarray(0, c));
      this.slots[s] = buf = grown;
    }
    for (let k = 0; k < count; k++) buf[c + k] = ids[k]; // (subarray() would allocate)
    this.counts[s] = c + count;
  }

  /** The spikes due at `step` (valid until `release(step)`). */
  due(step: number): Int32Array {
    return this.slots[step % this.size];
  }

  dueCount(step: number): number {
    return this.counts[step % this.size];
  }

  /** Empty the slot of `step` once it has been delivered. */
  release(step: number): void {
    this.counts[step % this.size] = 0;
  }

  clear(): void {
    this.counts.fill(0);
  }
}
