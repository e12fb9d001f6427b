/**
 * The SFQ neuromorphic cells at circuit level: fan-out copies, fan-in merges, the stochastic
 * synapse's sigmoid widens with temperature, the neuron's threshold follows its bias, and the
 * network computes XOR. Plus the sigmoid fit on data whose answer is known.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { simulate } from '../../../../kernel/circuits/simulate';
import { library, pulseTrain } from '../../../../kernel/models/sfq/cells';
import { pulseCount } from '../../../../kernel/models/sfq/measure';
import { measureNeuron } from '../../../../kernel/models/sfq/neuron';
import { fitSigmoid, measureSynapse, normalCdf, powerLaw, type SynapsePoint } from '../../../../kernel/models/sfq/synapse';
import { runXorCircuit } from '../../../../kernel/models/sfq/xor-circuit';
import { xorDefaults } from '../../../../kernel/models/sfq/xor-netlist';

const count = (text: string, label: string) => pulseCount(simulate(text).get(label));

describe('SFQ cells (circuit level)', () => {
  it('the splitter copies each of 10 pulses to both outputs', () => {
    const net = `${library()}\n${pulseTrain('IN', 'i0', 50, 20)}\nX0 JTL i0 i1\nXS SPLIT i1 o1 o2\nX1 JTL o1 p1\nX2 JTL o2 p2\nXK1 SINK p1\nXK2 SINK p2\n.tran 0.25p 520p\n.print phase B1.X1\n.print phase B1.X2`;
    const r = simulate(net);
    assert.deepStrictEqual([pulseCount(r.get('P(B1|X1)')), pulseCount(r.get('P(B1|X2)'))], [10, 10]);
  });

  it('the merger passes interleaved pulses from both inputs, sends none back, and merges two that arrive together', () => {
    const two = `${library()}\n${pulseTrain('A', 'a0', 33.333, 20)}\n${pulseTrain('B', 'b0', 33.333, 36.667)}\nXA JTL a0 a1\nXB JTL b0 b1\nXM MERGE a1 b1 m1\nXO JTL m1 m2\nXK SINK m2\n.tran 0.25p 520p\n.print phase B1.XO`;
    assert.strictEqual(count(two, 'P(B1|XO)'), 30);
    const one = `${library()}\n${pulseTrain('A', 'a0', 33.333, 20)}\nRB b0 0 5\nXA JTL a0 a1\nXB JTL b0 b1\nXM MERGE a1 b1 m1\nXO JTL m1 m2\nXK SINK m2\n.tran 0.25p 520p\n.print phase B1.XO\n.print phase B1.XB`;
    const r = simulate(one);
    assert.deepStrictEqual([pulseCount(r.get('P(B1|XO)')), pulseCount(r.get('P(B1|XB)'))], [15, 0], 'nothing travels back into the idle input');
    const together = `${library()}\nVA av 0 pwl(0 0 20p 0 22.5p 827.13u 25p 0)\nLA av a0 2p\nVB bv 0 pwl(0 0 20p 0 22.5p 827.13u 25p 0)\nLB bv b0 2p\nXA JTL a0 a1\nXB JTL b0 b1\nXM MERGE a1 b1 m1\nXO JTL m1 m2\nXK SINK m2\n.tran 0.25p 150p\n.print phase B1.XO`;
    assert.strictEqual(count(together, 'P(B1|XO)'), 1);
  });

  it('the stochastic synapse: pass probability is a sigmoid of the weight bias whose fitted width grows with temperature', async () => {
    const iws = [66, 70, 72, 74, 76, 78, 80, 82, 86];
    const fits = [];
    for (const [k, T] of [1, 4.2, 8].entries()) {
      const points: SynapsePoint[] = [];
      for (const [i, iw] of iws.entries()) points.push(await measureSynapse(iw, T, 80, 1000 + 100 * k + i));
      // monotone in the weight bias: nothing passes far below balance, everything far above
      assert.strictEqual(points[0].passed, 0, `T = ${T}: ${JSON.stringify(points)}`);
      assert.strictEqual(points[points.length - 1].passed, points[points.length - 1].total);
      fits.push(fitSigmoid(points));
    }
    const [w1, w4, w8] = fits.map((f) => f.width);
    assert.ok(w1 < w4 && w4 < w8, `widths ${fits.map((f) => `${f.width.toFixed(2)}±${f.widthSe.toFixed(2)}`).join(', ')} µA`);
    assert.ok(w4 - 2 * fits[1].widthSe > w1 + 2 * fits[0].widthSe, 'the 1 K and 4.2 K widths differ by more than their errors');
  });

  it('the neuron: no output below its threshold rate, output rising with input above it, threshold lowered by a larger bias', async () => {
    const rate = (r: number, ith: number) => measureNeuron(r, ith, 1, 4.2, 1000, 7);
    assert.strictEqual(await rate(30, 65), 0);
    const a = await rate(60, 65), b = await rate(80, 65);
    assert.ok(a > 5 && b > a, `60 GHz → ${a}, 80 GHz → ${b} GHz`);
    assert.ok((await rate(40, 85)) > (await rate(40, 45)), 'a larger bias lets a 40 GHz input through');
  });

  it('the network computes XOR at circuit level: output fires for 01 and 10, not for 00 and 11', async () => {
    const rates: number[] = [];
    for (const [x1, x2] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) rates.push((await runXorCircuit({ ...xorDefaults, x1, x2, durationPs: 1500 }, ['OUT'], 5)).out);
    assert.ok(Math.min(rates[1], rates[2]) > 5 && Math.max(rates[0], rates[3]) < 1, `output rates ${rates.map((r) => r.toFixed(1)).join(', ')} GHz`);
  });
});

describe('sigmoid and power-law fits', () => {
  it('recover the centre and width of binomial data drawn from a known Gaussian sigmoid', () => {
    const rng = new Rng(4);
    const points: SynapsePoint[] = [];
    for (let iw = 60; iw <= 80; iw += 1) {
      const p = normalCdf((iw - 70.3) / 2.2);
      let passed = 0;
      for (let k = 0; k < 400; k++) if (rng.float() < p) passed++;
      points.push({ iw, passed, total: 400 });
    }
    const f = fitSigmoid(points);
    assert.ok(Math.abs(f.i50 - 70.3) < 3 * f.i50Se && f.i50Se < 0.2, `I50 ${f.i50} ± ${f.i50Se}`);
    assert.ok(Math.abs(f.width - 2.2) < 3 * f.widthSe && f.widthSe < 0.2, `σ ${f.width} ± ${f.widthSe}`);
  });

  it('power law: exact on data that follow one', () => {
    const { a, b } = powerLaw([1, 2, 4, 8], [1, 2, 4, 8].map((t) => 1.3 * t ** 0.5));
    assert.ok(Math.abs(a - 1.3) < 1e-12 && Math.abs(b - 0.5) < 1e-12);
  });
});
