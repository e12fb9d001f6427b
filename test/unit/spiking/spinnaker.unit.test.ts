/**
 * SpiNNaker's fixed point (kernel/spiking/spinnaker.ts, neurons/lif-delta-spinnaker.ts): the
 * shift rule, the 16-bit weights, the wrap-arounds, each at the values Davies et al.'s rows hit.
 */
import * as assert from 'assert';
import { connect } from '../../../kernel/spiking/connectors';
import { Network } from '../../../kernel/spiking/network';
import { lifDeltaSpinnaker } from '../../../kernel/spiking/neurons/lif-delta-spinnaker';
import { Projection } from '../../../kernel/spiking/projection';
import { SpikeTimesSource } from '../../../kernel/spiking/sources';
import { asFixedPoint, mulS1615, quantiseInputs, quantiseWeight, ringBufferShift, ringToInput, toS1615 } from '../../../kernel/spiking/spinnaker';
import { Rng } from '../../../kernel/core/rng';

const shifts: [string, number, number][] = [
  ['a relay of 20 nA: shift 5, weights of 1/1024 nA', 20, 5],
  ['a power of two needs one more bit (the range is [0, 2^shift))', 32, 6],
  ['ten STDP synapses of w_max 20 nA plus a 20 nA teacher: 8, weights of 1/128 nA', 220, 8],
  ['below 1 nA the shift stays 0', 0.5, 0],
  ['no input at all: 0', 0, 0],
  ['39 weights of 10380 nA (words 0, 0, 511 at their h): 19, weights of 16 nA', 39 * 10380.0000035938, 19],
];

const weights: [string, number, number, number][] = [
  ['rint halves to even: 655.25 nA at shift 14 is 1310.5 → 1310', 655.25, 14, 1310],
  ['just above the half: 892.25532 · 0.734375 nA → 1311', 892.25532 * 0.734375, 14, 1311],
  ['1297.5 → 1298, the even neighbour', 1297.5 * 16, 19, 1298],
  ['the sign is dropped (the receptor carries it)', -3, 5, 3072],
];

const products: [string, number, number, number][] = [
  ['−3275 nA · 20 MΩ = −65500 mV fits', toS1615(-3275), toS1615(20), toS1615(-65500)],
  ['−3280 nA · 20 MΩ wraps to +65472 mV (GCC\'s accum × does not saturate)', toS1615(-3280), toS1615(20), toS1615(65472)],
  ['halves round up (libgcc adds 2^14 before the shift): 1.5 ulp → 2', 3, 16384, 2],
  ['−0.5 ulp → 0', -1, 16384, 0],
  ['a product past 2^53 is still exact: (2^31 − 1)² → −2^17 after the wrap', 2 ** 31 - 1, 2 ** 31 - 1, -(2 ** 17)],
];

/** One fixed-point neuron at v_rest receiving `ring` on a receptor with `shift`: its spikes and v after one step. */
function stepOnce(receptor: 'exc' | 'inh', ring: number, shift: number) {
  const g = lifDeltaSpinnaker.create(1, lifDeltaSpinnaker.defaults, 1);
  g.set('v', -65);
  g.setShift(receptor, shift);
  g.receptor(receptor).array[0] = ring;
  const spikes = g.step(0, new Int32Array(1));
  return { spikes, v: g.get('v', 0) };
}

describe('SpiNNaker fixed point (sPyNNaker)', () => {
  for (const [name, maxInputNa, shift] of shifts) it(`ring-buffer shift: ${name}`, () => assert.strictEqual(ringBufferShift(maxInputNa), shift));
  for (const [name, wNa, shift, int] of weights) it(`16-bit weight: ${name}`, () => assert.strictEqual(quantiseWeight(wNa, shift), int));
  for (const [name, a, b, p] of products) it(`s1615 ×: ${name}`, () => assert.strictEqual(mulS1615(a, b), p));

  it('the ring buffer saturates at 16 bits and its shift to s1615 wraps at 32 bits (7787 << 19 is −6480 nA)', () => {
    assert.strictEqual(ringToInput(70000, 0), 0xffff);
    assert.strictEqual(ringToInput(7787, 19) / 2 ** 15, -6480);
  });

  it('a small input moves v by w·R·(1 − e^(−dt/τm)) as floating point does, with e^(−dt/τm) rounded to s1615 (31170 / 2^15)', () => {
    const { spikes, v } = stepOnce('exc', 20 * 1024, 5); // 20 nA
    assert.strictEqual(spikes, 1);
    assert.ok(Math.abs(v - (-65 + 20 * 20 * (1 - 31170 / 2 ** 15))) < 2 ** -14, `v = ${v}`);
    assert.ok(Math.abs(v - (-65 + 20 * 20 * (1 - Math.exp(-1 / 20)))) < 20 * 20 * 2 ** -16, `v = ${v}`);
  });

  it('the membrane update wraps: −3275 nA leaves the neuron silent, −3280 nA makes it fire (words 0, 0, 1023 at h = 892.25532)', () => {
    assert.strictEqual(stepOnce('inh', 6550, 14).spikes, 0); // 6550 · 0.5 nA
    assert.strictEqual(stepOnce('inh', 6560, 14).spikes, 1);
  });

  it('projections onto one population get one shift per receptor from Σ n·w_max, and their weights as integers of that grid', () => {
    const net = new Network(1);
    const pre = net.addSource('pre', new SpikeTimesSource(3, [], 1));
    const post = net.addPopulation('post', lifDeltaSpinnaker.create(1, lifDeltaSpinnaker.defaults, 1));
    const all = (n: number) => connect({ type: 'all-to-all', allowSelf: true }, n, { start: 0, end: n }, { start: 0, end: 1 }, false, new Rng(0));
    const a = new Projection('a', pre, post, 'exc', all(3), new Float64Array(3), 1);
    const b = new Projection('b', pre, post, 'exc', all(2), new Float64Array(2), 1);
    const c = new Projection('c', pre, post, 'inh', all(3), new Float64Array(3), 1);
    const group = asFixedPoint(post.group);
    const got = quantiseInputs(group, [
      { projection: a, receptor: 'exc', weightsNa: [1, 2, 3] }, // 3 synapses onto the neuron, w_max 3: 9 nA
      { projection: b, receptor: 'exc', weightsNa: [4, 4] }, // 2 · 4 = 8 nA: 17 in all → shift 5
      { projection: c, receptor: 'inh', weightsNa: [0.25, 0.25, 0.25] }, // 0.75 nA → shift 0
    ]);
    assert.deepStrictEqual([...got], [['exc', 5], ['inh', 0]]);
    assert.deepStrictEqual([Array.from(a.weights()), Array.from(b.weights()), Array.from(c.weights())], [[1024, 2048, 3072], [4096, 4096], [8192, 8192, 8192]]);
  });
});
