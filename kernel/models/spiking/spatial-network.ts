/**
 * The networks of Davies, Gait, Rowley & Di Nuovo, "Supervised learning of spatial features
 * with STDP and homeostasis using spiking neural networks on SpiNNaker" (arXiv 2312.02659;
 * PAPERS.md §7), as in the authors' sPyNNaker scripts (train_bit_pattern.py, testing.py).
 *
 * Neurons: PyNN IF_curr_delta, τm = 20 ms, cm = 1 nF, v_rest = v_reset = −65 mV, v_th = −50 mV,
 * dt = 1 ms. sPyNNaker applies a delta weight w (nA) as a current lasting one step, integrated
 * exactly, so the membrane jumps by
 *   J = w · R · (1 − e^(−dt/τm)),  R = τm/cm = 20 MΩ      (0.9754 mV per nA)
 * and our lif-delta model takes that jump (weights stay in nA; projections scale by J/w).
 *
 * Training (one network per pattern): a word of `bits` bits drives two banks of inputs, "1"
 * inputs at 1, 26, 56 ms and "0" inputs at 6, 36, 59 ms. Each input relays through an
 * injector neuron (weight 20 nA, delay 1 ms) onto an output neuron — the "1" bank onto an
 * excitatory output, the "0" bank onto an inhibitory one — through STDP synapses starting at
 * w = 0 (delay 1 ms). A teacher spike at 29 ms (delay 2 ms, 20 nA) makes both outputs fire;
 * a "save" spike at 65 ms makes every injector fire once more (on SpiNNaker it flushes the
 * weights). STDP: nearest pairs, τ± = 5 ms, A+ = 1, A− = −1 (PyNN sign: post-then-pre pairs
 * potentiate too, which is what teaches the "0" bank), additive, w ∈ [0, 20], delay dendritic
 * (sPyNNaker's default: the post spike reaches the synapse 1 ms late). Run 75 ms.
 *
 * Test: the learned weights w1 ("1" bank) and w0 ("0" bank), scaled by h, wire the injectors
 * of a word onto one output neuron: "1" injector k excites with w1[k] and inhibits with w0[k];
 * "0" injector k excites with w0[k] and inhibits with w1[k]. Inputs at 10 ms, run 20 ms; the
 * word is recognised when the output spikes.
 *
 * Arithmetic: 'exact' (floating point), or 'spinnaker', the authors' machine bit for bit
 * (../../spiking/spinnaker.ts): training reads each learned weight back from its 16-bit grid
 * (1/128 nA here: ten synapses of w_max 20 nA, plus the teacher's 20 nA, need shift 8), cut
 * down as sPyNNaker's fixed-point STDP does (e^(−1)·128 = 47.09 → 47: the authors' 0.3671875);
 * the update itself runs in floating point, which is the same while each synapse changes once
 * per run, as here. The test network runs in s1615 (neurons/lif-delta-spinnaker.ts) with the
 * authors' synapse lists: only the non-zero weights h·w, mapped to 16 bits for every h.
 */
import { connect } from '../../spiking/connectors';
import { Network } from '../../spiking/network';
import { lifDelta, type LifDeltaParams } from '../../spiking/neurons/lif-delta';
import { lifDeltaSpinnaker } from '../../spiking/neurons/lif-delta-spinnaker';
import { Projection } from '../../spiking/projection';
import { encodeBits, SpikeTimesSource } from '../../spiking/sources';
import { asFixedPoint, quantiseInputs, ringBufferShift, weightScale, type FixedPointInput } from '../../spiking/spinnaker';
import type { StdpParams } from '../../spiking/stdp';
import { Rng } from '../../core/rng';

export type Arithmetic = 'exact' | 'spinnaker';

export interface SpatialParams {
  bits: number;
  dtMs: number;
  neuron: LifDeltaParams & { cmNf: number };
  /** Weight of relay and teacher synapses (nA): enough for one spike per input spike. */
  relayNa: number;
  training: { onesMs: number[]; zerosMs: number[]; teacherMs: number; teacherDelayMs: number; saveMs: number; durationMs: number };
  stdp: StdpParams;
  test: { inputMs: number; durationMs: number };
  arithmetic: Arithmetic;
}

/** Membrane jump per nA of a one-step delta current (mV/nA). */
export function jumpPerNa(p: SpatialParams): number {
  const { tauMemMs, cmNf } = p.neuron;
  return (tauMemMs / cmNf) * (1 - Math.exp(-p.dtMs / tauMemMs));
}

const steps = (ms: number, dt: number) => Math.round(ms / dt);
const allToAll = (nPre: number, nPost: number) => connect({ type: 'all-to-all', allowSelf: true }, nPre, { start: 0, end: nPre }, { start: 0, end: nPost }, false, new Rng(0));
const oneToOne = (n: number) => connect({ type: 'one-to-one' }, n, { start: 0, end: n }, { start: 0, end: n }, false, new Rng(0));
/** The authors' FromListConnector: pre k → the one output for every non-zero w[k]. */
const nonZero = (w: Float64Array) => connect({ type: 'list', pairs: [...w.keys()].filter((k) => w[k] !== 0).map((k) => [k, 0] as const) }, w.length, { start: 0, end: w.length }, { start: 0, end: 1 }, false, new Rng(0));

/** A plastic weight as sPyNNaker reads it back: on the 16-bit grid of its receptor, cut down. */
function readBack(w: Float64Array, maxInputNa: number): Float64Array {
  const s = weightScale(ringBufferShift(maxInputNa));
  return w.map((x) => Math.trunc(x * s) / s);
}

/** Train on one word; returns the learned weights of the "1" bank (w1) and the "0" bank (w0), nA. */
export function trainWord(word: number, p: SpatialParams, teacherMs = p.training.teacherMs): { w1: Float64Array; w0: Float64Array } {
  const { bits, dtMs: dt, training: t } = p;
  const net = new Network(dt);
  const neuron = (n: number, name: string) => net.addPopulation(name, lifDelta.create(n, p.neuron, dt));
  const { ones, zeros } = encodeBits(word, bits, t.onesMs, t.zerosMs);
  const srcOnes = net.addSource('ones', new SpikeTimesSource(bits, ones, dt));
  const srcZeros = net.addSource('zeros', new SpikeTimesSource(bits, zeros, dt));
  const save = net.addSource('save', new SpikeTimesSource(1, [[t.saveMs]], dt));
  const teacher = net.addSource('teacher', new SpikeTimesSource(1, [[teacherMs]], dt));
  const injOnes = neuron(bits, 'injectors-1');
  const injZeros = neuron(bits, 'injectors-0');
  const outExc = neuron(1, 'output-exc');
  const outInh = neuron(1, 'output-inh');
  for (const pop of [injOnes, injZeros, outExc, outInh]) pop.group.set('v', p.neuron.vRestMv);
  const J = jumpPerNa(p);
  const relay = (name: string, pre: SpikeTimesSource, post: typeof injOnes, csr: ReturnType<typeof oneToOne>, delayMs: number) => {
    const proj = new Projection(name, pre, post, 'exc', csr, new Float64Array(csr.target.length).fill(p.relayNa), steps(delayMs, dt));
    proj.scale = J;
    net.addProjection(proj);
  };
  relay('ones-relay', srcOnes, injOnes, oneToOne(bits), 1);
  relay('zeros-relay', srcZeros, injZeros, oneToOne(bits), 1);
  relay('save-1', save, injOnes, allToAll(1, bits), 1);
  relay('save-0', save, injZeros, allToAll(1, bits), 1);
  relay('teach-exc', teacher, outExc, allToAll(1, 1), t.teacherDelayMs);
  relay('teach-inh', teacher, outInh, allToAll(1, 1), t.teacherDelayMs);
  const plastic = (name: string, pre: typeof injOnes, post: typeof injOnes, receptor: 'exc' | 'inh') => {
    const proj = new Projection(name, pre, post, receptor, allToAll(bits, 1), new Float64Array(bits), steps(1, dt), p.stdp, dt);
    proj.scale = J;
    return net.addProjection(proj);
  };
  const learn1 = plastic('learn-1', injOnes, outExc, 'exc');
  const learn0 = plastic('learn-0', injZeros, outInh, 'inh');
  net.run(steps(t.durationMs, dt));
  if (p.arithmetic === 'exact') return { w1: Float64Array.from(learn1.weights()), w0: Float64Array.from(learn0.weights()) };
  // Each receptor's bound: bits plastic synapses of the rule's w_max, plus the teacher on the
  // excitatory output (the inhibitory output's teacher arrives on its other receptor).
  const wMax = p.stdp.wMax;
  return { w1: readBack(learn1.weights(), bits * wMax + p.relayNa), w0: readBack(learn0.weights(), bits * wMax) };
}

/** The test network for fixed weights; `count(word, h)` is the output's spike count for a word. */
export class Recogniser {
  private readonly net: Network;
  private readonly ones: SpikeTimesSource;
  private readonly zeros: SpikeTimesSource;
  private readonly output: ReturnType<Network['addPopulation']>;
  /** Sets the learned projections' weights for a scale h. */
  private readonly setScale: (h: number) => void;
  private lastH = NaN;

  constructor(readonly w1: Float64Array, readonly w0: Float64Array, private readonly p: SpatialParams) {
    const { bits, dtMs: dt } = p;
    const fixed = p.arithmetic === 'spinnaker';
    const net = (this.net = new Network(dt));
    this.ones = net.addSource('ones', new SpikeTimesSource(bits, [], dt));
    this.zeros = net.addSource('zeros', new SpikeTimesSource(bits, [], dt));
    const group = (n: number) => (fixed ? lifDeltaSpinnaker.create(n, p.neuron, dt) : lifDelta.create(n, p.neuron, dt));
    const injOnes = net.addPopulation('injectors-1', group(bits));
    const injZeros = net.addPopulation('injectors-0', group(bits));
    const output = (this.output = net.addPopulation('output', group(1)));
    const J = jumpPerNa(p);
    const d = steps(1, dt);
    for (const [src, inj] of [[this.ones, injOnes], [this.zeros, injZeros]] as const) {
      const weights = new Float64Array(bits).fill(p.relayNa);
      const relay = net.addProjection(new Projection('relay', src, inj, 'exc', oneToOne(bits), Float64Array.from(weights), d));
      if (fixed) quantiseInputs(asFixedPoint(inj.group), [{ projection: relay, receptor: 'exc', weightsNa: weights }]);
      else relay.scale = J;
    }
    // [name, injectors, receptor, weights]: a "1" input excites with w1 and inhibits with w0, a "0" input the reverse.
    const wiring = [['1-exc', injOnes, 'exc', w1], ['1-inh', injOnes, 'inh', w0], ['0-exc', injZeros, 'exc', w0], ['0-inh', injZeros, 'inh', w1]] as const;
    if (!fixed) {
      const learned = wiring.map(([name, inj, receptor, w]) => net.addProjection(new Projection(name, inj, output, receptor, allToAll(bits, 1), Float64Array.from(w), d)));
      this.setScale = (h) => learned.forEach((j) => (j.scale = h * J));
      return;
    }
    const inputs = wiring.map(([name, inj, receptor, w]) => {
      const kept = w.filter((x) => x !== 0);
      const projection = net.addProjection(new Projection(name, inj, output, receptor, nonZero(w), new Float64Array(kept.length), d));
      return { projection, receptor, weightsNa: new Float64Array(kept.length), unscaled: kept } satisfies FixedPointInput & { unscaled: Float64Array };
    });
    const target = asFixedPoint(output.group);
    this.setScale = (h) => {
      for (const x of inputs) for (let k = 0; k < x.unscaled.length; k++) x.weightsNa[k] = h * x.unscaled[k]; // the authors' h·w, in double
      quantiseInputs(target, inputs);
    };
  }

  /** Output spikes for `word` with every learned weight scaled by h. */
  count(word: number, h: number): number {
    const { bits, test, neuron } = this.p;
    const { ones, zeros } = encodeBits(word, bits, [test.inputMs], [test.inputMs]);
    this.net.rewind();
    for (const pop of this.net.populations) pop.group.set('v', neuron.vRestMv);
    this.ones.setTimes(ones);
    this.zeros.setTimes(zeros);
    if (h !== this.lastH) {
      this.setScale(h);
      this.lastH = h;
    }
    let spikes = 0;
    for (let n = 0, end = steps(test.durationMs, this.p.dtMs); n < end; n++) {
      this.net.run(1);
      spikes += this.output.count;
    }
    return spikes;
  }
}
