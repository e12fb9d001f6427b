/**
 * xoshiro128** seeded through splitmix32: a test-only generator for the SDR simulations, kept
 * apart from kernel/core/rng.ts (its float() takes 32 bits, not 53), so the tests' streams stay
 * the ones their expectations were drawn with. State in an Int32Array so V8 keeps it unboxed.
 */
import type { Uniform } from '../../../../kernel/models/dendrite/sdr-simulate';

export class Xoshiro128 implements Uniform {
  private readonly s = new Int32Array(4);
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
  }
  next(): number {
    const s = this.s, m = Math.imul(s[1], 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }
  float(): number { return this.next() / 4294967296; }
}
