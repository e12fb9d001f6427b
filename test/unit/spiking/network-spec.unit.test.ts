/**
 * spiking.network specs: a bad network is rejected before any work with each problem located
 * at its field (and its line), and a good one runs end to end through the CLI.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertRejected, cli, lastJsonLine, tempDir } from '../helpers';

const base = `kind: spiking.network
durationMs: 50
populations:
  - { name: P, model: lif-exp, size: 20 }
stimuli:
  - { type: poisson, name: noise, size: 10, rateHz: 50 }
`;

/** The base with the duration, the population's or the Poisson stimulus' fields changed, or one projection noise → P added. */
const lasting = (ms: number) => base.replace('durationMs: 50', `durationMs: ${ms}`);
const withPop = (fields: string) => base.replace('size: 20 }', `size: 20, ${fields} }`);
const withPoisson = (fields: string) => base.replace('rateHz: 50', `rateHz: 50, ${fields}`);
const projecting = (fields: string) => `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1, ${fields} }\n`;
const nearest = 'pairing: nearest, aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 2';
const spatial = (yaml: string) => `kind: spiking.spatial-stdp\n${yaml}\n`;

const cases: { name: string; text: string; expect: RegExp[] }[] = [
  {
    name: 'a projection from an unknown population (its index and the bad name)',
    text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1 }\n  - { from: Q, to: P, connector: { type: all-to-all }, weight: 1 }\n`,
    expect: [/^projections\[1\]\.from: projection 1 names unknown population "Q" \(known: P, noise\) \(line 9, column \d+\)/m],
  },
  { name: 'a projection onto a stimulus', text: `${base}projections:\n  - { from: P, to: noise, connector: { type: all-to-all }, weight: 1 }\n`, expect: [/^projections\[0\]\.to: "noise" is a stimulus; a projection must end on a neuron population/m] },
  { name: 'a slice outside the population', text: `${base}projections:\n  - { from: "P[10:30]", to: P, connector: { type: all-to-all }, weight: 1 }\n`, expect: [/^projections\[0\]\.from: slice \[10:30\] is outside P \(20 neurons\)/m] },
  { name: 'a malformed slice', text: `${base}projections:\n  - { from: "P[a:b]", to: P, connector: { type: all-to-all }, weight: 1 }\n`, expect: [/^projections\[0\]\.from: "P\[a:b\]" is not a name or a slice/m] },
  { name: 'a negative delay', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1, delayMs: -2 }\n`, expect: [/^projections\[0\]\.delayMs: negative delay \(-2 ms\) in projection 0; delays must be ≥ 0 \(line 8, column \d+\)/m] },
  {
    name: 'dt larger than the refractory period',
    text: `kind: spiking.network\ndtMs: 0.5\ndurationMs: 50\npopulations:\n  - { name: P, model: lif-exp, size: 20, params: { tRefMs: 0.2 } }\n`,
    expect: [/^populations\[0\]\.params\.tRefMs: the refractory period \(0\.2 ms\) is shorter than dt \(0\.5 ms\)/m],
  },
  { name: 'plastic weights without an upper bound', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1, plasticity: { aPlus: 0.1, aMinus: 0.1, wMin: 0 } }\n`, expect: [/^projections\[0\]\.plasticity\.wMax: unbounded weights: plastic weights need a finite upper bound/m] },
  { name: 'an infinite weight bound', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1, plasticity: { aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: .inf } }\n`, expect: [/^projections\[0\]\.plasticity\.wMax: unbounded weights/m] },
  { name: 'normally drawn plastic weights', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: { normal: { mean: 1, sd: 1 } }, plasticity: { aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 2 } }\n`, expect: [/^projections\[0\]\.weight: unbounded weights: a normal draw can leave \[0, 2\]/m] },
  { name: 'initial weights outside the bounds', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 3, plasticity: { aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 2 } }\n`, expect: [/^projections\[0\]\.weight: initial weights must lie within \[wMin, wMax\] = \[0, 2\]/m] },
  { name: 'an empty population', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: P, model: lif-exp, size: 0 }\n`, expect: [/^populations\[0\]\.size: a population needs at least one neuron \(empty population\) \(line 4, column \d+\)/m] },
  { name: 'an empty spike-time stimulus', text: `${base}  - { type: spike-times, name: s, timesMs: [] }\n`, expect: [/^stimuli\[1\]\.timesMs: a stimulus needs at least one neuron \(empty population\)/m] },
  { name: 'no populations at all', text: `kind: spiking.network\ndurationMs: 50\npopulations: []\n`, expect: [/^populations: /m] },
  { name: 'a duplicate name', text: `${base}  - { type: poisson, name: P, size: 5, rateHz: 1 }\n`, expect: [/^stimuli\[1\]\.name: "P" is already used by populations\[0\]/m] },
  { name: 'an unknown neuron model', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: P, model: hodgkin-huxley, size: 3 }\n`, expect: [/^populations\[0\]\.model: /m] },
  { name: 'a parameter of another model', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: P, model: lif-delta, size: 3, params: { tauExcMs: 5 } }\n`, expect: [/^populations\[0\]\.params\.tauExcMs: unknown key/m] },
  { name: 'a one-to-one projection between different sizes', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: one-to-one }, weight: 1 }\n`, expect: [/^projections\[0\]\.connector: one-to-one needs equal sizes, got 10 → 20/m] },
  { name: 'a weight list of the wrong length', text: `${base}projections:\n  - { from: noise, to: "P[0:2]", connector: { type: all-to-all }, weight: [1, 2, 3] }\n`, expect: [/^projections\[0\]\.weight: 3 weights for 20 synapses/m] },
  { name: 'a negative conductance', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: C, model: lif-cond, size: 3 }\nstimuli:\n  - { type: poisson, name: n, size: 3, rateHz: 5 }\nprojections:\n  - { from: n, to: C, connector: { type: one-to-one }, weight: -0.01 }\n`, expect: [/^projections\[0\]\.weight: conductance weights must be ≥ 0/m] },
  { name: 'a monitor of an unknown variable', text: `${base}monitors:\n  state: [{ population: P, variable: ge }]\n`, expect: [/^monitors\.state\[0\]\.variable: lif-exp has no variable "ge" \(it has v, ie, ii, theta\)/m] },
  { name: 'a monitor of a neuron outside the population', text: `${base}monitors:\n  state: [{ population: P, neurons: [0, 20] }]\n`, expect: [/^monitors\.state\[0\]\.neurons\[1\]: neuron 20 is outside P \(20 neurons\)/m] },
  { name: 'a spike monitor of an unknown population', text: `${base}monitors:\n  spikes: [X]\n`, expect: [/^monitors\.spikes\[0\]: unknown population "X"/m] },
  { name: 'an init value list of the wrong length', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: P, model: lif-delta, size: 3, init: { v: [1, 2] } }\n`, expect: [/^populations\[0\]\.init\.v: 2 values for 3 neurons/m] },
  { name: 'threshold adaptation on Izhikevich neurons', text: `kind: spiking.network\ndurationMs: 50\npopulations:\n  - { name: P, model: izhikevich, size: 3, thresholdAdaptation: { incrementMv: 1, tauMs: 10 } }\n`, expect: [/^populations\[0\]\.thresholdAdaptation: threshold adaptation applies to the LIF models/m] },
  { name: 'a window on all-to-all STDP', text: `${base}projections:\n  - { from: noise, to: P, connector: { type: all-to-all }, weight: 1, plasticity: { aPlus: 0.1, aMinus: 0.1, wMin: 0, wMax: 2, windowMs: 10 } }\n`, expect: [/^projections\[0\]\.plasticity\.windowMs: a window applies to nearest pairings/m] },
  { name: 'a word too wide for its bit-pattern stimulus', text: `${base}  - { type: bit-pattern, name: w, bits: 4, word: 16, onesMs: [1], zerosMs: [2] }\n`, expect: [/^stimuli\[1\]\.word: word 16 does not fit in 4 bits/m] },
  { name: 'a spatial-stdp word wider than its bits', text: `kind: spiking.spatial-stdp\nbits: 10\ntrainingSets: [[992, 2000]]\n`, expect: [/^trainingSets\[0\]\[1\]: word 2000 does not fit in 10 bits/m] },
  { name: 'a spatial-stdp partner equal to the base', text: `kind: spiking.spatial-stdp\nhammingTable: { base: 5, partners: [5] }\n`, expect: [/^hammingTable\.partners\[0\]: a partner at Hamming distance 0/m] },
  { name: 'a spatial-stdp refractory period below dt', text: `kind: spiking.spatial-stdp\nneuron: { tRefMs: 0.1 }\n`, expect: [/^neuron\.tRefMs: the refractory period \(0\.1 ms\) is shorter than dt \(1 ms\)/m] },
  // The step: durations, delays and intervals are whole numbers of steps; a step holds at most one Poisson spike.
  { name: 'a duration shorter than one step', text: lasting(0.05), expect: [/^durationMs: the duration \(0\.05 ms\) is shorter than one step \(dt = 0\.1 ms\) \(line 2, column 13\)/m] },
  { name: 'a duration that is not a whole number of steps', text: lasting(50.05), expect: [/^durationMs: the duration \(50\.05 ms\) is not a whole number of steps of dt = 0\.1 ms/m] },
  { name: 'a delay that is not a whole number of steps', text: projecting('delayMs: 1.25'), expect: [/^projections\[0\]\.delayMs: the delay \(1\.25 ms\) is not a whole number of steps/m] },
  { name: 'a delay shorter than one step', text: projecting('delayMs: 0.04'), expect: [/^projections\[0\]\.delayMs: the delay \(0\.04 ms\) is not a whole number/m] },
  { name: 'a refractory period off the step grid', text: withPop('params: { tRefMs: 2.05 }'), expect: [/^populations\[0\]\.params\.tRefMs: the refractory period \(2\.05 ms\) is not a whole/m] },
  { name: 'a Poisson rate above one spike per step', text: base.replace('rateHz: 50', 'rateHz: 20000'), expect: [/^stimuli\[0\]\.rateHz: 20000 Hz is more than one spike per step \(at most 10000/m] },
  { name: 'a Poisson stop before its start', text: withPoisson('startMs: 10, stopMs: 5'), expect: [/^stimuli\[0\]\.stopMs: stop \(5 ms\) must be after start \(10 ms\)/m] },
  { name: 'a Poisson start off the step grid', text: withPoisson('startMs: 0.25'), expect: [/^stimuli\[0\]\.startMs: the start \(0\.25 ms\) is not a whole number/m] },
  { name: 'a reset at the threshold', text: withPop('params: { vResetMv: -50, vThreshMv: -50 }'), expect: [/^populations\[0\]\.params\.vResetMv: the reset \(-50 mV\) must be below the threshold/m] },
  { name: 'an Izhikevich reset above its cut-off', text: withPop('params: { c: 40 }').replace('lif-exp', 'izhikevich'), expect: [/params\.c: the reset \(40 mV\) must be below the spike cut-off/] },
  { name: 'a uniform range with low above high', text: withPop('init: { v: { uniform: [-50, -60] } }'), expect: [/^populations\[0\]\.init\.v\.uniform: expected \[low, high\] with low < high/m] },
  { name: 'an STDP window shorter than one step', text: projecting(`plasticity: { ${nearest}, windowMs: 0.05 }`), expect: [/^projections\[0\]\.plasticity\.windowMs: the window \(0\.05 ms\) is/m] },
  { name: 'a rate bin shorter than one step', text: `${base}monitors: { rateBinMs: 0.05 }\n`, expect: [/^monitors\.rateBinMs: the rate bin \(0\.05 ms\) is shorter than one step/m] },
  { name: 'a sampling interval off the step grid', text: `${base}monitors: { state: [{ population: P, everyMs: 0.25 }] }\n`, expect: [/^monitors\.state\[0\]\.everyMs: the sampling interval \(0\.25 ms\)/m] },
  // spiking.spatial-stdp: its fixed 1 ms relay delay, its protocol's times, and the same neuron relations.
  { name: 'a spatial-stdp dt that does not divide 1 ms', text: spatial('dtMs: 0.3'), expect: [/^dtMs: dt \(0\.3 ms\) must divide 1 ms, the delay of the relay .* \(line 2, column 7\)/m] },
  { name: 'a spatial-stdp teacher delay off the step grid', text: spatial('training: { teacherDelayMs: 2.5 }'), expect: [/^training\.teacherDelayMs: the teacher delay \(2\.5 ms\) is not a whole/m] },
  { name: 'a spatial-stdp test run off the step grid', text: spatial('dtMs: 0.5\ntest: { durationMs: 20.25 }'), expect: [/^test\.durationMs: the test run \(20\.25 ms\) is not a whole number/m] },
  { name: 'a spatial-stdp reset at the threshold', text: spatial('neuron: { vResetMv: -50 }'), expect: [/^neuron\.vResetMv: the reset \(-50 mV\) must be below the threshold vThreshMv \(-50 mV\)/m] },
  { name: 'a spatial-stdp input spike after the run', text: spatial('training: { onesMs: [1, 26, 80] }'), expect: [/^training\.onesMs\[2\]: spike at 80 ms is not before the end of the training/m] },
  { name: 'a spatial-stdp save spike at the end', text: spatial('training: { saveMs: 75 }'), expect: [/^training\.saveMs: the save spike \(75 ms\) must come before the training run ends/m] },
  { name: 'a spatial-stdp STDP window shorter than one step', text: spatial('stdp: { windowMs: 0.5 }'), expect: [/^stdp\.windowMs: the window \(0\.5 ms\) is shorter than one step \(dt = 1 ms\)/m] },
];

describe('spiking specs: bad input', () => {
  const dir = tempDir('neurite-spiking-bad-');
  for (const c of cases) {
    it(`rejects ${c.name} with a located message, exit 2 and nothing written`, async () => {
      const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.neurite.yaml`);
      fs.writeFileSync(file, c.text);
      await assertRejected(file, c.expect);
    });
  }

  it('the CLI exits 2 on a bad network and creates no run folder', () => {
    const out = tempDir('neurite-out-');
    const file = path.join(dir, 'cli.neurite.yaml');
    fs.writeFileSync(file, `${base}projections:\n  - { from: nowhere, to: P, connector: { type: all-to-all }, weight: 1, delayMs: -1 }\n`);
    const r = cli(['run', file, '--out', out]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /projections\[0\]\.from: projection 0 names unknown population "nowhere"/);
    assert.match(r.stderr, /projections\[0\]\.delayMs: negative delay/);
    assert.deepStrictEqual(fs.readdirSync(out), []);
  });
});

describe('spiking specs: runs', () => {
  it('a small network runs through the CLI: rates and plastic weights as metrics, a downsampled raster streamed, every spike in a CSV', () => {
    const out = tempDir('neurite-out-');
    const file = path.join(tempDir('neurite-spec-'), 'net.neurite.yaml');
    fs.writeFileSync(
      file,
      `kind: spiking.network
name: small
durationMs: 500
populations:
  - { name: P, model: lif-exp, size: 50, init: { v: { uniform: [-65, -50] } } }
stimuli:
  - { type: poisson, name: noise, size: 100, rateHz: 40 }
projections:
  - { from: noise, to: P, connector: { type: random, p: 0.2 }, weight: { uniform: [0, 10] }, delayMs: 1.5, plasticity: { aPlus: 0.05, aMinus: 0.055, wMin: 0, wMax: 10 } }
monitors: { spikes: [P, noise], state: [{ population: P, variable: v, neurons: [0, 1] }], rateBinMs: 50, maxRasterPoints: 200 }
`,
    );
    const r = cli(['run', file, '--out', out, '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const summary = lastJsonLine(r.stdout);
    assert.strictEqual(summary.status, 'completed');
    assert.ok(summary.metrics.rate_P > 0 && summary.metrics.spikes_noise > 500, JSON.stringify(summary.metrics));
    assert.ok(summary.metrics['wmean_noise-P'] > 0 && summary.metrics['wmean_noise-P'] < 10);
    const traces = path.join(out, summary.id, 'traces');
    const raster = JSON.parse(fs.readFileSync(path.join(traces, 'noise.raster.json'), 'utf8'));
    assert.ok(raster.times.length <= 200 && raster.times.length > 0);
    const csv = fs.readFileSync(path.join(traces, 'noise.spikes.csv'), 'utf8').trim().split('\n');
    assert.strictEqual(csv.length - 1, summary.metrics.spikes_noise, 'the CSV has every spike');
    assert.ok(fs.existsSync(path.join(traces, 'P.v.csv')) && fs.existsSync(path.join(traces, 'noise-P.weights.json')));
    const metrics = fs.readFileSync(path.join(out, summary.id, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.strictEqual(metrics.length, 10, 'one rate record per 50 ms bin');
  });

  it('the same seed gives the same run; another seed another', () => {
    const spec = path.join(__dirname, '..', '..', '..', '..', 'samples', 'spiking-cuba.neurite.yaml');
    const run = (seed: number) => lastJsonLine(cli(['run', spec, '--out', tempDir('neurite-out-'), '--json', '--seed', String(seed), '--set', 'durationMs=100']).stdout).metrics.spikes_P;
    const a = run(3);
    assert.strictEqual(run(3), a);
    assert.notStrictEqual(run(4), a);
  });
});
