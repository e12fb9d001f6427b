"""Golden: Brian2's CUBA example (examples/CUBA.py; Brette et al. 2007, benchmark 2): 4000 LIF
neurons with exponential currents, 3200 excitatory and 800 inhibitory, p = 0.02, 1 s. The
network is chaotic, so the golden is the mean rate (and its spread) over several seeds.
Run: /usr/bin/python3 test/golden/brian2/cuba.py [--seeds K]
     --time SEED [--n N] [--duration S] [--standalone DIR --threads T] [--warm]: one timed run, prints
     {"seconds": …, "rateHz": …} (the benchmark uses this). N neurons keep 80 synapses each on
     average (p = 80/N, as Brian2's speed tests scale CUBA); cython runtime with a warm cache, or
     C++ standalone built in DIR with T OpenMP threads. --warm: only generate, compile and load.
     --profile: Brian2's own per-code-object times of the run, on stderr."""
import argparse
import json
import sys
import time

from common import write, peak_rss_mb, use_standalone, run_standalone
from brian2 import NeuronGroup, Synapses, SpikeMonitor, Network, defaultclock, ms, mV, second, prefs, seed, profiling_summary

P = dict(N=4000, NE=3200, p=0.02, taum_ms=20.0, taue_ms=5.0, taui_ms=10.0, Vt_mV=-50.0, Vr_mV=-60.0,
         El_mV=-49.0, tref_ms=5.0, we_mV=60 * 0.27 / 10, wi_mV=-20 * 4.5 / 10)


def simulate(k, duration_s=1.0, n=P['N'], standalone=None, warm=False, profile=False):
    t_setup = time.perf_counter()  # set-up: building the model, synapses, code generation, loading
    ne, p = int(0.8 * n), 80 / n  # (80 / 4000 is P['p'])
    if standalone is None:
        seed(k)  # (standalone takes the seed on the command line)
    defaultclock.dt = 0.1 * ms
    taum, taue, taui = P['taum_ms'] * ms, P['taue_ms'] * ms, P['taui_ms'] * ms
    Vt, Vr, El = P['Vt_mV'] * mV, P['Vr_mV'] * mV, P['El_mV'] * mV
    eqs = '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
             dge/dt = -ge/taue : volt
             dgi/dt = -gi/taui : volt'''
    G = NeuronGroup(n, eqs, threshold='v>Vt', reset='v = Vr', refractory=P['tref_ms'] * ms, method='linear')
    G.v = 'Vr + rand() * (Vt - Vr)'
    we, wi = P['we_mV'] * mV, P['wi_mV'] * mV
    Ce = Synapses(G, G, on_pre='ge += we')
    Ci = Synapses(G, G, on_pre='gi += wi')
    Ce.connect(f"i<{ne}", p=p)
    Ci.connect(f"i>={ne}", p=p)
    mon = SpikeMonitor(G)
    net = Network(G, Ce, Ci, mon)
    if standalone is not None:
        net.run(duration_s * second, profile=profile)  # recorded into the project, run by the binary
        out = run_standalone(standalone, k, run=not warm)
        if warm:
            return out
    else:
        net.run(0 * ms)  # code generation and loading the compiled (cached) code, kept out of the timing
        setup = time.perf_counter() - t_setup
        if warm:
            return {'setupSeconds': setup}
        t0, c0 = time.perf_counter(), time.process_time()
        net.run(duration_s * second, profile=profile)
        out = {'seconds': time.perf_counter() - t0, 'cpuSeconds': time.process_time() - c0, 'setupSeconds': setup}
    if profile:
        print(profiling_summary(net), file=sys.stderr)
    return {**out, 'rateHz': mon.num_spikes / n / duration_s, 'synapses': len(Ce) + len(Ci), 'peakRssMB': out.get('peakRssMB', peak_rss_mb())}


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=100)
    ap.add_argument('--time', type=int, default=None)
    ap.add_argument('--n', type=int, default=P['N'])
    ap.add_argument('--duration', type=float, default=1.0)
    ap.add_argument('--standalone', default=None)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--warm', action='store_true', help='with --time: only generate, compile and load the code')
    ap.add_argument('--profile', action='store_true', help="with --time: Brian2's per-code-object times, on stderr")
    a = ap.parse_args()
    if a.standalone is not None:
        use_standalone(a.threads)
    else:
        prefs.codegen.target = 'cython'
    if a.time is not None:
        print(json.dumps(simulate(a.time, a.duration, a.n, a.standalone, a.warm, a.profile)))
    else:
        write('cuba.json', {'params': P, 'durationS': 1.0, 'runs': [simulate(k) for k in range(a.seeds)]})
