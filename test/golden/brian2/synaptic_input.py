"""Golden: fixed input spike trains through delayed excitatory and inhibitory synapses onto
LIF neurons with exponential currents (exact) and with exponential conductances (exponential
Euler). Pins transmission timing, delays, refractoriness and both integrators.
Run: /usr/bin/python3 test/golden/brian2/synaptic_input.py"""
import numpy as np
from common import write, steps
from brian2 import (NeuronGroup, SpikeGeneratorGroup, Synapses, SpikeMonitor, StateMonitor, Network,
                    defaultclock, ms, prefs)

prefs.codegen.target = 'cython'
dt_ms = 0.1
defaultclock.dt = dt_ms * ms
duration_ms = 300.0
rng = np.random.RandomState(7)
n_in, n_exc = 20, 15
in_steps, in_ids = [], []
for k in range(n_in):
    s = np.unique(rng.randint(0, int(duration_ms / dt_ms) - 50, size=30))
    in_steps += [int(x) for x in s]
    in_ids += [k] * len(s)
order = np.lexsort((in_ids, in_steps))
in_steps = [in_steps[k] for k in order]
in_ids = [in_ids[k] for k in order]
inp = SpikeGeneratorGroup(n_in, in_ids, np.array(in_steps) * dt_ms * ms)

cur = dict(tau_m=20.0, tau_e=5.0, tau_i=10.0, v_rest=-60.0, v_reset=-62.0, v_th=-52.0, t_ref=3.0)
G1 = NeuronGroup(3, '''dv/dt = (v_rest - v + ie - ii) / (tau_m*ms) : 1 (unless refractory)
                       die/dt = -ie / (tau_e*ms) : 1
                       dii/dt = -ii / (tau_i*ms) : 1''',
                 threshold='v > v_th', reset='v = v_reset', refractory=cur['t_ref'] * ms,
                 method='exact', namespace=cur)
G1.v = cur['v_rest']
cond = dict(c_m=0.2, tau_m=20.0, tau_e=5.0, tau_i=10.0, e_e=0.0, e_i=-80.0, v_rest=-60.0,
            v_reset=-62.0, v_th=-52.0, t_ref=3.0)
G2 = NeuronGroup(3, '''dv/dt = ((c_m/tau_m)*(v_rest - v) + ge*(e_e - v) + gi*(e_i - v)) / (c_m*ms) : 1 (unless refractory)
                       dge/dt = -ge / (tau_e*ms) : 1
                       dgi/dt = -gi / (tau_i*ms) : 1''',
                 threshold='v > v_th', reset='v = v_reset', refractory=cond['t_ref'] * ms,
                 method='exponential_euler', namespace=cond)
G2.v = cond['v_rest']
w = dict(cur_exc=[3.5, 4.5, 5.5], cur_inh=[4.0, 4.0, 5.0], cond_exc=[0.012, 0.015, 0.02],
         cond_inh=[0.03, 0.03, 0.05])
delay = dict(exc=1.5, inh=0.5)
syn = []
for G, kind in ((G1, 'cur'), (G2, 'cond')):
    var_e, var_i = ('ie', 'ii') if kind == 'cur' else ('ge', 'gi')
    by_target = lambda ws: ' + '.join(f'{x}*int(j == {k})' for k, x in enumerate(ws))  # weight of target j
    se = Synapses(inp, G, 'w : 1', on_pre=f'{var_e} += w')
    se.connect(condition=f'i < {n_exc}')
    se.w = by_target(w[kind + '_exc'])
    se.delay = delay['exc'] * ms
    si = Synapses(inp, G, 'w : 1', on_pre=f'{var_i} += w')
    si.connect(condition=f'i >= {n_exc}')
    si.w = by_target(w[kind + '_inh'])
    si.delay = delay['inh'] * ms
    syn += [se, si]
m1, m2 = SpikeMonitor(G1), SpikeMonitor(G2)
v1, v2 = StateMonitor(G1, 'v', record=[0]), StateMonitor(G2, 'v', record=[0])
net = Network(inp, G1, G2, *syn, m1, m2, v1, v2)  # explicit: the magic network misses objects in lists
net.run(duration_ms * ms)
write('synaptic_input.json', {
    'dtMs': dt_ms, 'durationMs': duration_ms, 'nExc': n_exc, 'current': cur, 'conductance': cond,
    'weights': w, 'delayMs': delay, 'input': {'steps': in_steps, 'ids': in_ids},
    'currentSpikes': {'steps': steps(m1.t / ms, dt_ms), 'ids': [int(i) for i in m1.i]},
    'conductanceSpikes': {'steps': steps(m2.t / ms, dt_ms), 'ids': [int(i) for i in m2.i]},
    'currentV0': [float(x) for x in v1.v[0][::10]], 'conductanceV0': [float(x) for x in v2.v[0][::10]],
})
