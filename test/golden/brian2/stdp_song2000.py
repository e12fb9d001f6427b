"""Golden: Brian2's STDP example (examples/synapses/STDP.py, after Song, Miller & Abbott 2000):
1000 Poisson inputs at 15 Hz onto one neuron through additive all-to-all STDP, 100 s.
The inputs are random, so the golden is statistical: for each of several seeds, the output
rate in 10 s bins and the final histogram of w/gmax (20 bins).
Run: /usr/bin/python3 test/golden/brian2/stdp_song2000.py [--seeds K] [--duration S]
     --time SEED [--inputs FILE] [--standalone DIR --threads T] [--warm]: one timed run, prints
     {"seconds": …, …} (the benchmark uses this): cython runtime with a warm cache, or C++
     standalone built in DIR with T OpenMP threads; with --inputs, the Poisson group is replaced by
     a SpikeGeneratorGroup playing the given spikes (int32 pairs step, input index). --warm: only
     generate, compile and load the code."""
import argparse
import json
import time

import numpy as np
from common import write, peak_rss_mb, use_standalone, run_standalone
from brian2 import (NeuronGroup, PoissonGroup, SpikeGeneratorGroup, Synapses, SpikeMonitor, Network,
                    defaultclock, ms, second, mV, Hz, prefs, seed)

P = dict(N=1000, taum_ms=10.0, taupre_ms=20.0, taupost_ms=20.0, Ee_mV=0.0, vt_mV=-54.0, vr_mV=-60.0,
         El_mV=-74.0, taue_ms=5.0, F_Hz=15.0, gmax=0.01, dApre=0.01)


def simulate(k, duration_s, inputs=None, standalone=None, warm=False):
    t_setup = time.perf_counter()  # set-up: building the model, synapses, code generation, loading
    if standalone is None:
        seed(k)  # (standalone takes the seed on the command line)
    defaultclock.dt = 0.1 * ms
    taum, taupre, taupost, taue = (P[x] * ms for x in ('taum_ms', 'taupre_ms', 'taupost_ms', 'taue_ms'))
    Ee, vt, vr, El = (P[x] * mV for x in ('Ee_mV', 'vt_mV', 'vr_mV', 'El_mV'))
    gmax = P['gmax']
    dApre = P['dApre']
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= gmax
    dApre *= gmax
    if inputs is None:
        inp = PoissonGroup(P['N'], rates=P['F_Hz'] * Hz)
    else:
        pairs = np.fromfile(inputs, dtype='<i4').reshape(-1, 2)
        inp = SpikeGeneratorGroup(P['N'], pairs[:, 1], pairs[:, 0] * defaultclock.dt)
    neurons = NeuronGroup(1, '''dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
                                dge/dt = -ge / taue : 1''',
                          threshold='v>vt', reset='v = vr', method='exact')
    S = Synapses(inp, neurons,
                 '''w : 1
                    dApre/dt = -Apre / taupre : 1 (event-driven)
                    dApost/dt = -Apost / taupost : 1 (event-driven)''',
                 on_pre='''ge += w
                           Apre += dApre
                           w = clip(w + Apost, 0, gmax)''',
                 on_post='''Apost += dApost
                            w = clip(w + Apre, 0, gmax)''')
    S.connect()
    S.w = 'rand() * gmax'
    out = SpikeMonitor(neurons)
    net = Network(inp, neurons, S, out)
    if standalone is not None:
        net.run(duration_s * second)  # recorded into the project, run by the binary
        timing = run_standalone(standalone, k, run=not warm)
        if warm:
            return timing
    else:
        net.run(0 * ms)  # code generation and loading the compiled (cached) code, kept out of the timing
        setup = time.perf_counter() - t_setup
        if warm:
            return {'setupSeconds': setup}
        t0, c0 = time.perf_counter(), time.process_time()
        net.run(duration_s * second)
        timing = {'seconds': time.perf_counter() - t0, 'cpuSeconds': time.process_time() - c0, 'setupSeconds': setup, 'peakRssMB': peak_rss_mb()}
    t = np.asarray(out.t / second)
    bins = int(round(duration_s / 10))
    rate = np.histogram(t, bins=bins, range=(0, duration_s))[0] / 10.0
    hist = np.histogram(np.asarray(S.w) / gmax, bins=20, range=(0, 1))[0]
    return {**timing, 'rateHz': [float(x) for x in rate], 'weightHist': [int(x) for x in hist],
            'outputSpikes': int(out.num_spikes), 'meanW': float(np.mean(S.w) / gmax)}


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=10)
    ap.add_argument('--duration', type=float, default=100.0)
    ap.add_argument('--time', type=int, default=None)
    ap.add_argument('--inputs', default=None)
    ap.add_argument('--standalone', default=None)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--warm', action='store_true', help='with --time: only generate, compile and load the code')
    a = ap.parse_args()
    if a.standalone is not None:
        use_standalone(a.threads)
    else:
        prefs.codegen.target = 'cython'
    if a.time is not None:
        print(json.dumps(simulate(a.time, a.duration, a.inputs, a.standalone, a.warm)))
    else:
        runs = [simulate(k, a.duration) for k in range(a.seeds)]
        write('stdp_song2000.json', {'params': P, 'durationS': a.duration, 'binS': 10, 'runs': runs})
