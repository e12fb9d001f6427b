"""Golden: 10 LIF neurons under constant drive (exact integration, refractory period).
Neurite must produce the same spike steps. Units: mV and ms as plain numbers, like Neurite.
Run: /usr/bin/python3 test/golden/brian2/lif_constant_drive.py"""
from common import write, steps
from brian2 import NeuronGroup, SpikeMonitor, defaultclock, ms, run, prefs, linspace

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
duration_ms = 500.0
run(duration_ms * ms)
write('lif_constant_drive.json', {
    'dtMs': dt_ms, 'durationMs': duration_ms, 'params': params, 'drive': drive,
    'spikes': {'steps': steps(mon.t / ms, dt_ms), 'ids': [int(i) for i in mon.i]},
})
