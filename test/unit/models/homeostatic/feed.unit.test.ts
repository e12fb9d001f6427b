/**
 * The concept-shift feed (kernel/models/homeostatic/feed.ts) hands out minibatches in the
 * authors' order: ⌊n/m⌋ per epoch, decisions at each minibatch's first sample that count from
 * i > 20 on (random regulation: from i ≠ 0 on), and a memory of the 20 samples before the
 * decision point labelled as they are *then* (after a swap made there).
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { LabelSwapStream, type ImageSet } from '../../../../kernel/data';
import { ConceptShiftFeed } from '../../../../kernel/models/homeostatic/feed';

// 105 images of 2×2 pixels; every pixel of image i is i, its label i % 10.
const n = 105;
const set: ImageSet = { images: Uint8Array.from({ length: n * 4 }, (_, k) => Math.floor(k / 4)), labels: Uint8Array.from({ length: n }, (_, i) => i % 10), count: n, rows: 2, cols: 2 };
const all = Int32Array.from({ length: n }, (_, i) => i);

function feedWith(swapsPerEpoch: number) {
  const stream = new LabelSwapStream({ classes: 10, epochSize: 100, swapsPerEpoch, rng: new Rng(4) });
  const feed = new ConceptShiftFeed(set, all, { batchSize: 10, memory: 20, stream, shuffle: new Rng(1), coins: new Rng(2) });
  return { stream, feed, slot: feed.slot() };
}
const ids = (pixels: Uint8Array) => Array.from({ length: pixels.length / 4 }, (_, r) => pixels[4 * r]);

describe('the concept-shift feed', () => {
  it('hands out ⌊n/m⌋ minibatches per epoch, each sample at most once, in a new order each epoch', () => {
    const { feed, slot } = feedWith(0);
    assert.strictEqual(feed.batches, 10);
    const orders: number[][] = [];
    for (let e = 0; e < 2; e++) {
      feed.startEpoch();
      const seen: number[] = [];
      for (let b = 0; b < feed.batches; b++) {
        feed.fill(slot);
        seen.push(...ids(slot.x));
        assert.deepStrictEqual([...slot.y], ids(slot.x).map((i) => i % 10));
      }
      assert.strictEqual(new Set(seen).size, 100);
      assert.throws(() => feed.fill(slot), /no minibatch left/);
      feed.endEpoch();
      orders.push(seen);
    }
    assert.notDeepStrictEqual(orders[0], orders[1]);
  });

  it('decides at every minibatch\'s first sample: the homeostat from i > 20 on, random regulation from i ≠ 0 on', () => {
    const { feed, slot } = feedWith(0);
    feed.startEpoch();
    const decide: number[] = [];
    const coins: number[] = [];
    for (let b = 0; b < feed.batches; b++) {
      feed.fill(slot);
      decide.push(slot.decide[0]);
      coins.push(slot.coin[0]);
    }
    assert.deepStrictEqual(decide, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    assert.strictEqual(coins[0], 0);
    assert.ok(coins.slice(1).includes(1) && coins.slice(1).includes(0), `coins ${coins}`);
  });

  it('remembers the 20 samples before the decision point, labelled as they are after a swap made there', () => {
    const { feed, slot, stream } = feedWith(2); // swaps before samples 50 and 100
    feed.startEpoch();
    const order: number[] = [];
    for (let b = 0; b < 6; b++) {
      feed.fill(slot);
      const first = 10 * b;
      if (first >= 20) assert.deepStrictEqual(ids(slot.memoryX), order.slice(first - 20, first), `memory at ${first}`);
      if (first === 40) assert.strictEqual(stream.history.length, 0);
      if (first === 50) {
        assert.strictEqual(stream.history.length, 1);
        const [a, b2] = stream.history[0].classes;
        const swapped = (y: number) => (y === a ? b2 : y === b2 ? a : y);
        assert.deepStrictEqual([...slot.memoryY], order.slice(30, 50).map((i) => swapped(i % 10)));
        assert.deepStrictEqual([...slot.y], ids(slot.x).map((i) => swapped(i % 10)));
      }
      order.push(...ids(slot.x));
    }
  });
});
