/**
 * The data side of the concept-shift comparison: minibatches as the comparison step takes them
 * (comparison.ts), in the authors' order (lrh.py, lrr.py). Per epoch the training samples are
 * shuffled and cut into ⌊n/m⌋ minibatches (a remainder is left out, as `num_train // m`); sample
 * i of the epoch carries its label under the mapping the swap stream has made by then.
 *
 * Decision points are the minibatches' first samples (i ≡ 0 mod m; the paper's "every 10
 * samples" with m = 10). There the homeostat's memory is the `memory` samples before i with
 * their labels *now* (a swap relabels what is remembered, as the authors' swap relabels every
 * sample), and the decision counts from i > memory on (`i > nMemo`); random regulation decides
 * at every decision point but the epoch's first (`i != 0`), moving when its coin, drawn there
 * from its own stream, shows heads (p = ½: `rand() > 0.5`).
 */
import type { Rng } from '../../core/rng';
import type { ImageSet, LabelSwapStream } from '../../data';
import type { HostArray } from '../../dense/program';

/** The inputs of one comparison step, in buffers of their own (reused from run to run). */
export interface StepInputs extends Record<string, HostArray> {
  x: Uint8Array;
  y: Int32Array;
  memoryX: Uint8Array;
  memoryY: Int32Array;
  decide: Float32Array;
  coin: Float32Array;
}

export interface FeedOptions {
  batchSize: number;
  memory: number;
  stream: LabelSwapStream;
  shuffle: Rng;
  coins: Rng;
}

export class ConceptShiftFeed {
  /** Minibatches per epoch. */
  readonly batches: number;
  private order: Int32Array;
  private next = 0; // the next minibatch of this epoch
  private readonly pixels: number;

  constructor(readonly set: ImageSet, readonly indices: Int32Array, readonly o: FeedOptions) {
    this.batches = Math.floor(indices.length / o.batchSize);
    if (this.batches < 1) throw new RangeError(`ConceptShiftFeed: ${indices.length} training samples do not make one minibatch of ${o.batchSize}`);
    this.pixels = set.rows * set.cols;
    this.order = indices;
  }

  /** Samples per epoch (the swap stream's epoch size). */
  get epochSize(): number {
    return this.batches * this.o.batchSize;
  }

  /** Minibatches of this epoch already handed out. */
  get position(): number {
    return this.next;
  }

  /** Buffers for one step's inputs. */
  slot(): StepInputs {
    const { batchSize: m, memory } = this.o;
    return {
      x: new Uint8Array(m * this.pixels),
      y: new Int32Array(m),
      memoryX: new Uint8Array(memory * this.pixels),
      memoryY: new Int32Array(memory),
      decide: new Float32Array(1),
      coin: new Float32Array(1),
    };
  }

  /** Start an epoch: a fresh shuffle of the training samples. */
  startEpoch(): void {
    this.order = this.o.shuffle.shuffle(this.indices.slice());
    this.next = 0;
  }

  /** Fill `slot` with the epoch's next minibatch. */
  fill(slot: StepInputs): void {
    if (this.next >= this.batches) throw new Error('ConceptShiftFeed: the epoch has no minibatch left; call endEpoch()');
    const { batchSize: m, memory, stream } = this.o;
    const first = this.next * m;
    // The first sample's label moves the stream to this decision point; the memory's labels are read then.
    for (let b = 0; b < m; b++) {
      const i = this.order[first + b];
      this.copyPixels(i, slot.x, b);
      slot.y[b] = stream.label(first + b, this.set.labels[i]);
      if (b === 0) this.fillMemory(slot, first);
    }
    slot.decide[0] = first > memory ? 1 : 0;
    slot.coin[0] = first !== 0 && this.o.coins.float() > 0.5 ? 1 : 0;
    this.next++;
  }

  /** The epoch is over: make the swaps due at its end. */
  endEpoch(): void {
    if (this.next !== this.batches) throw new Error(`ConceptShiftFeed: the epoch ended after ${this.next} of ${this.batches} minibatches`);
    this.o.stream.endEpoch();
  }

  private fillMemory(slot: StepInputs, first: number): void {
    const { memory, stream } = this.o;
    if (first < memory) {
      slot.memoryX.fill(0); // not enough samples yet: the decision does not count
      slot.memoryY.fill(0);
      return;
    }
    for (let r = 0; r < memory; r++) {
      const i = this.order[first - memory + r];
      this.copyPixels(i, slot.memoryX, r);
      slot.memoryY[r] = stream.current(this.set.labels[i]);
    }
  }

  private copyPixels(i: number, to: Uint8Array, row: number): void {
    to.set(this.set.images.subarray(i * this.pixels, (i + 1) * this.pixels), row * this.pixels);
  }
}
