"""Golden: 10 LIF neurons under constant drive (exact integration, refractory period).
Neurite must produce the same spike steps, and the same membrane potential (of neurons 4 and 9,
at every step of the first 100 ms: threshold crossings, resets and refractory holds).
Units: mV and ms as plain numbers, like Neurite.
Run: /usr/bin/python3 test/golden/brian2/lif_constant_drive.py"""
from common import write, steps
from brian2 import NeuronGroup, SpikeMonitor, StateMonitor, defaultclock, ms, run, prefs, linspace

prefs.codegen.target = 'cython'
dt_ms = 0.1
defaultclock.dt = dt_ms * ms
params = dict(tau_m=20.0, v_rest=-65.0, v_reset=-70.0, v_th=-50.0, t_ref=2.0)
drive = list(linspace(12.0, 40.0, 10))  # mV (R·I); below 15 mV a neuron never fires
G = NeuronGroup(10, '''dv/dt = (v_rest + drive - v) / (tau_m * ms) : 1 (unless refractory)
                       drive : 1''',
                threshold='v > v_th', reset='v = v_reset', refractory=params['t_ref'] * ms, method='exact',
                namespace=params)
G.v = params['v_rest']
G.drive = drive
mon = SpikeMonitor(G)
traced, trace_steps = [4, 9], 1000
vmon = StateMonitor(G, 'v', record=traced)  # at the start of every step, as Neurite samples
duration_ms = 500.0
run(duration_ms * ms)
write('lif_constant_drive.json', {
    'dtMs': dt_ms, 'durationMs': duration_ms, 'params': params, 'drive': drive,
    'spikes': {'steps': steps(mon.t / ms, dt_ms), 'ids': [int(i) for i in mon.i]},
    'v': {'neurons': traced, 'values': [[float(x) for x in vmon.v[k][:trace_steps]] for k in range(len(traced))]},
})
