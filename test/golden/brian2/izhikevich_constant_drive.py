"""Golden: 10 Izhikevich regular-spiking neurons under constant drive, forward Euler.
Run: /usr/bin/python3 test/golden/brian2/izhikevich_constant_drive.py"""
from common import write, steps
from brian2 import NeuronGroup, SpikeMonitor, StateMonitor, defaultclock, ms, run, prefs, linspace

prefs.codegen.target = 'cython'
dt_ms = 0.1
defaultclock.dt = dt_ms * ms
params = dict(a=0.02, b=0.2, c=-65.0, d=8.0, v_peak=30.0)
drive = list(linspace(0.0, 18.0, 10))
G = NeuronGroup(10, '''dv/dt = (0.04*v**2 + 5*v + 140 - u + I) / ms : 1
                       du/dt = a*(b*v - u) / ms : 1
                       I : 1''',
                threshold='v >= v_peak', reset='v = c; u += d', method='euler', namespace=params)
G.v = params['c']
G.u = params['b'] * params['c']
G.I = drive
mon = SpikeMonitor(G)
vmon = StateMonitor(G, 'v', record=[9])
duration_ms = 300.0
run(duration_ms * ms)
write('izhikevich_constant_drive.json', {
    'dtMs': dt_ms, 'durationMs': duration_ms, 'params': params, 'drive': drive,
    'spikes': {'steps': steps(mon.t / ms, dt_ms), 'ids': [int(i) for i in mon.i]},
    'v9': [float(x) for x in vmon.v[0][:1000]],
})
