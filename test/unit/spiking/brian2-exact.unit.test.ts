/**
 * Spike-for-spike agreement with Brian2 on deterministic fixtures (golden files made by the
 * scripts in test/golden/brian2/): the same spike steps, and membrane traces equal to rounding.
 */
import * as assert from 'assert';
import { SpikeMonitor, StateMonitor } from '../../../kernel/spiking/monitors';
import { Network } from '../../../kernel/spiking/network';
import { izhikevich } from '../../../kernel/spiking/neurons/izhikevich';
import { lifCond } from '../../../kernel/spiking/neurons/lif-cond';
import { lifDelta } from '../../../kernel/spiking/neurons/lif-delta';
import { lifExp } from '../../../kernel/spiking/neurons/lif-exp';
import { Projection } from '../../../kernel/spiking/projection';
import { SpikeTimesSource } from '../../../kernel/spiking/sources';
import { connect } from '../../../kernel/spiking/connectors';
import { Rng } from '../../../kernel/core/rng';
import { golden, spikeKeys } from './golden';

describe('agreement with Brian2 (exact fixtures)', () => {
  it('10 LIF neurons under constant drive spike at the same steps as Brian2 and follow its v traces', () => {
    const g = golden('lif_constant_drive.json');
    const net = new Network(g.dtMs);
    const { tau_m, v_rest, v_reset, v_th, t_ref } = g.params;
    const pop = net.addPopulation('lif', lifDelta.create(10, { tauMemMs: tau_m, vRestMv: v_rest, vResetMv: v_reset, vThreshMv: v_th, tRefMs: t_ref }, g.dtMs));
    pop.group.set('drive', g.drive);
    pop.group.set('v', v_rest);
    const mon = net.addMonitor(new SpikeMonitor('lif', pop));
    const vmon = net.addMonitor(new StateMonitor('v', pop.group, 'v', g.v.neurons));
    net.run(Math.round(g.durationMs / g.dtMs));
    assert.ok(g.spikes.steps.length > 100, 'the fixture has spikes to compare');
    assert.deepStrictEqual(spikeKeys(mon.spikes()), spikeKeys(g.spikes));
    g.v.neurons.forEach((neuron: number, k: number) => {
      const theirs: number[] = g.v.values[k];
      const ours = vmon.series(k);
      assert.ok(theirs.length === 1000 && theirs.filter((x) => x === v_reset).length >= 40, 'the trace has resets and refractory holds');
      let worst = 0;
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      assert.ok(worst < 1e-9, `neuron ${neuron}: v differs from Brian2 by up to ${worst} mV`);
    });
  });

  it('10 Izhikevich neurons (forward Euler) spike at the same steps as Brian2 and follow its v trace', () => {
    const g = golden('izhikevich_constant_drive.json');
    const net = new Network(g.dtMs);
    const { a, b, c, d, v_peak } = g.params;
    const pop = net.addPopulation('izh', izhikevich.create(10, { a, b, c, d, vPeakMv: v_peak, method: 'euler' }, g.dtMs));
    pop.group.set('drive', g.drive);
    pop.group.set('v', c);
    pop.group.set('u', b * c);
    const mon = net.addMonitor(new SpikeMonitor('izh', pop));
    const vmon = net.addMonitor(new StateMonitor('v9', pop.group, 'v', [9]));
    net.run(Math.round(g.durationMs / g.dtMs));
    assert.ok(g.spikes.steps.length > 20);
    assert.deepStrictEqual(spikeKeys(mon.spikes()), spikeKeys(g.spikes));
    const v = vmon.series(0);
    let worst = 0;
    for (let k = 0; k < g.v9.length; k++) worst = Math.max(worst, Math.abs(v[k] - g.v9[k]));
    assert.ok(worst < 1e-9, `v differs from Brian2 by up to ${worst} mV`);
  });

  it('delayed excitatory and inhibitory input onto current- and conductance-based LIF neurons gives Brian2\'s spikes and traces', () => {
    const g = golden('synaptic_input.json');
    const dt = g.dtMs;
    const net = new Network(dt);
    const nIn = 20;
    const times: number[][] = Array.from({ length: nIn }, () => []);
    g.input.steps.forEach((s: number, k: number) => times[g.input.ids[k]].push(s * dt));
    const input = net.addSource('input', new SpikeTimesSource(nIn, times, dt));
    const c = g.current;
    const cur = net.addPopulation('cur', lifExp.create(3, { tauMemMs: c.tau_m, tauExcMs: c.tau_e, tauInhMs: c.tau_i, vRestMv: c.v_rest, vResetMv: c.v_reset, vThreshMv: c.v_th, tRefMs: c.t_ref }, dt));
    const k = g.conductance;
    const cond = net.addPopulation('cond', lifCond.create(3, { cmNf: k.c_m, tauMemMs: k.tau_m, tauExcMs: k.tau_e, tauInhMs: k.tau_i, eExcMv: k.e_e, eInhMv: k.e_i, vRestMv: k.v_rest, vResetMv: k.v_reset, vThreshMv: k.v_th, tRefMs: k.t_ref }, dt));
    cur.group.set('v', c.v_rest);
    cond.group.set('v', k.v_rest);
    const rng = new Rng(1);
    for (const [pop, kind] of [[cur, 'cur'], [cond, 'cond']] as const) {
      for (const [receptor, range, w, delayMs] of [
        ['exc', { start: 0, end: g.nExc }, g.weights[`${kind}_exc`], g.delayMs.exc],
        ['inh', { start: g.nExc, end: nIn }, g.weights[`${kind}_inh`], g.delayMs.inh],
      ] as const) {
        const csr = connect({ type: 'all-to-all', allowSelf: true }, nIn, range, { start: 0, end: 3 }, false, rng);
        const weights = Float64Array.from(csr.target, (j) => w[j]);
        net.addProjection(new Projection(`${kind}-${receptor}`, input, pop, receptor, csr, weights, Math.round(delayMs / dt)));
      }
    }
    const mCur = net.addMonitor(new SpikeMonitor('cur', cur));
    const mCond = net.addMonitor(new SpikeMonitor('cond', cond));
    const vCur = net.addMonitor(new StateMonitor('vcur', cur.group, 'v', [0], 10));
    const vCond = net.addMonitor(new StateMonitor('vcond', cond.group, 'v', [0], 10));
    net.run(Math.round(g.durationMs / dt));
    assert.ok(g.currentSpikes.steps.length >= 20 && g.conductanceSpikes.steps.length >= 100);
    assert.deepStrictEqual(spikeKeys(mCur.spikes()), spikeKeys(g.currentSpikes));
    assert.deepStrictEqual(spikeKeys(mCond.spikes()), spikeKeys(g.conductanceSpikes));
    for (const [ours, theirs] of [[vCur.series(0), g.currentV0], [vCond.series(0), g.conductanceV0]] as const) {
      assert.strictEqual(ours.length, theirs.length);
      let worst = 0;
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      assert.ok(worst < 1e-9, `v differs from Brian2 by up to ${worst} mV`);
    }
  });
});
