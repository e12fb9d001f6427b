/**
 * The numerical core: the sparse LDLᵀ against dense elimination (full and sparse right-hand
 * sides), the ordering's shallow elimination tree, selected inversion, steps over the moving
 * nodes only against full steps, and linear circuits whose answers are known in closed form
 * (RC step, voltage-source current, coupled inductors, Johnson noise kT/C).
 */
import * as assert from 'assert';
import { Rng } from '../../../kernel/core/rng';
import { KB } from '../../../kernel/circuits/netlist/expr';
import { simulate } from '../../../kernel/circuits/simulate';
import { minimumDegreeOrder, SparseLDL } from '../../../kernel/circuits/sparse';
import { library } from '../../../kernel/models/sfq/cells';

/** A random sparse SPD matrix (a weighted graph Laplacian plus a positive diagonal), dense copy. */
function randomSpd(n: number, edges: number, rng: Rng): { dense: number[][]; adj: Set<number>[] } {
  const dense = Array.from({ length: n }, () => new Array(n).fill(0));
  const adj = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) dense[i][i] = 0.1 + rng.float();
  for (let k = 0; k < edges; k++) {
    const a = rng.int(n), b = rng.int(n);
    if (a === b) continue;
    const g = rng.float();
    dense[a][a] += g;
    dense[b][b] += g;
    dense[a][b] -= g;
    dense[b][a] -= g;
    adj[a].add(b);
    adj[b].add(a);
  }
  return { dense, adj };
}

function factorFor(n: number, dense: number[][], adj: Set<number>[]): { ldl: SparseLDL; newOf: Int32Array } {
  const { order, pattern } = minimumDegreeOrder(n, adj.map((s) => new Set(s)));
  const newOf = new Int32Array(n);
  order.forEach((o, k) => (newOf[o] = k));
  const ldl = new SparseLDL(n, pattern.map((rows) => rows.map((r) => newOf[r])));
  for (let i = 0; i < n; i++) {
    ldl.aDiag[newOf[i]] = dense[i][i];
    for (let j = 0; j < i; j++) if (dense[i][j] !== 0) ldl.aLow[ldl.position(newOf[i], newOf[j])] = dense[i][j];
  }
  assert.strictEqual(ldl.factor(), -1);
  return { ldl, newOf };
}

function denseSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    [m[k], m[p]] = [m[p], m[k]];
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j <= n; j++) m[i][j] -= f * m[k][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j];
    x[i] = s / m[i][i];
  }
  return x;
}

describe('sparse LDLᵀ', () => {
  it('solves random sparse SPD systems to the accuracy of dense elimination', () => {
    const rng = new Rng(7);
    for (const [n, e] of [[5, 6], [40, 80], [200, 500]]) {
      const { dense, adj } = randomSpd(n, e, rng);
      const { ldl, newOf } = factorFor(n, dense, adj);
      const b = Array.from({ length: n }, () => rng.float() - 0.5);
      const want = denseSolve(dense, b);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[newOf[i]] = b[i];
      ldl.solve(x);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(x[newOf[i]] - want[i]) < 1e-10 * (1 + Math.abs(want[i])), `n=${n} x[${i}] ${x[newOf[i]]} vs ${want[i]}`);
    }
  });

  it('orders a chain so that its elimination tree is logarithmically deep, with at most one fill entry per row', () => {
    const n = 4096;
    const adj = Array.from({ length: n }, (_, i) => new Set([i - 1, i + 1].filter((j) => j >= 0 && j < n)));
    const { order, pattern } = minimumDegreeOrder(n, adj);
    const newOf = new Int32Array(n);
    order.forEach((o, k) => (newOf[o] = k));
    const depth = new Int32Array(n);
    let deepest = 0, nnz = 0;
    pattern.forEach((rows, k) => {
      nnz += rows.length;
      for (const r of rows) deepest = Math.max(deepest, (depth[newOf[r]] = Math.max(depth[newOf[r]], depth[k] + 1)));
    });
    assert.ok(deepest <= 2 * Math.log2(n) + 2, `elimination tree depth ${deepest}`);
    assert.ok(nnz <= 2 * n, `factor entries ${nnz}`);
  });

  it('a sparse right-hand side: the sparse solve keeps exactly the entries above its floor, each as the full solve has it', () => {
    const rng = new Rng(5);
    const n = 300;
    const { dense, adj } = randomSpd(n, 700, rng);
    const { ldl, newOf } = factorFor(n, dense, adj);
    for (const floor of [0, 1e-6]) {
      const b = new Array(n).fill(0);
      for (const i of [3, 150, 151]) b[i] = rng.float() - 0.5;
      const want = denseSolve(dense, b);
      const x = new Float64Array(n);
      const rows = Int32Array.from([3, 150, 151], (i) => newOf[i]);
      for (const i of [3, 150, 151]) x[newOf[i]] = b[i];
      const live = new Int32Array(n);
      const kept = new Set(live.subarray(0, ldl.solveSparse(x, rows, rows.length, () => floor, live)));
      for (let i = 0; i < n; i++) {
        const k = newOf[i];
        if (Math.abs(want[i]) > 10 * floor + 1e-12) assert.ok(kept.has(k) && Math.abs(x[k] - want[i]) < 1e-6 * floor + 1e-10 * Math.abs(want[i]), `floor ${floor}: x[${i}] ${x[k]} vs ${want[i]}`);
        if (!kept.has(k)) assert.strictEqual(x[k], 0);
      }
    }
  });

  it('selected inversion gives the entries of A⁻¹ on the factor pattern', () => {
    const rng = new Rng(3);
    const n = 30;
    const { dense, adj } = randomSpd(n, 60, rng);
    const { ldl, newOf } = factorFor(n, dense, adj);
    const z = ldl.selectedInverse();
    for (let i = 0; i < n; i++) {
      const col = denseSolve(dense, Array.from({ length: n }, (_, k) => (k === i ? 1 : 0)));
      assert.ok(Math.abs(z.diag[newOf[i]] - col[i]) < 1e-10 * Math.abs(col[i]));
      for (const j of adj[i]) {
        const p = ldl.position(newOf[i], newOf[j]);
        assert.ok(Math.abs(z.low[p] - col[j]) < 1e-9 * (Math.abs(col[j]) + 1e-12), `Z[${i}][${j}]`);
      }
    }
  });
});

describe('latency: steps over the moving nodes only', () => {
  // A 60-stage JTL carrying three pulses from a DC-to-SFQ converter, 1 ns: most of it is at rest most of the time.
  const stages = Array.from({ length: 60 }, (_, i) => `X${i} JTL n${i} n${i + 1}`).join('\n');
  const input = 'IIN 0 d0 pwl(0 0 50p 0 56p 600u 62p 0 150p 0 156p 600u 162p 0 250p 0 256p 600u 262p 0)\nRIN d0 0 100\nXD DCSFQ d0 n0'; // a pulse per rising edge; RIN: a source the step must follow (not a tied bias feed)
  const text = `${library()}\n${input}\n${stages}\nXK SINK n60\n.tran 0.25p 1000p\n.print phase B1.X5\n.print phase B1.X30\n.print phase B1.X59\n.print nodev n45`;

  it('take most steps of a long line and give the full steps\' waveforms within 1e-6 rad (1% of the solver tolerance)', () => {
    const full = simulate(text, { latency: false });
    const latent = simulate(text);
    assert.ok(latent.sim.stats.latentSteps > 0.5 * latent.sim.stats.steps, `${latent.sim.stats.latentSteps} of ${latent.sim.stats.steps} steps latent`);
    assert.strictEqual(full.sim.stats.latentSteps, 0);
    for (const label of ['P(B1|X5)', 'P(B1|X30)', 'P(B1|X59)']) {
      const a = full.get(label), b = latent.get(label);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      assert.ok(worst < 1e-6, `${label}: the two differ by up to ${worst} rad`);
      assert.strictEqual(Math.round((a[a.length - 1] - a[0]) / (2 * Math.PI)), 3, `${label}: three pulses`);
    }
  });

  it('are not taken with Johnson noise, which moves every node at every step', () => {
    const r = simulate(`${text}\n.temp 4.2`);
    assert.strictEqual(r.sim.stats.latentSteps, 0);
  });
});

describe('linear circuits in phase mode', () => {
  it('charges an RC through a voltage step as V(1 − e^(−t/RC)), and the source current balances the capacitor current (KCL)', () => {
    // R = 2 Ω, C = 5 pF: τ = 10 ps; a 1 mV step (ramped over one step).
    const r = simulate(`V1 1 0 pwl(0 0 0.1p 1m)\nR1 1 2 2\nC1 2 0 5p\n.tran 0.1p 60p\n.print nodev 2\n.print devi V1\n.print devi C1`);
    const t = r.get('time'), v = r.get('V(2)'), iv = r.get('I(V1)'), ic = r.get('I(C1)');
    for (const ps of [10, 20, 40]) {
      const k = Math.round(ps / 0.1);
      const want = 1e-3 * (1 - Math.exp(-(t[k] - 0.05e-12) / 10e-12));
      assert.ok(Math.abs(v[k] - want) < 5e-3 * 1e-3, `V(2) at ${ps} ps: ${v[k]} vs ${want}`);
      assert.ok(Math.abs(iv[k] + ic[k]) < 1e-3 * Math.abs(ic[k]), `KCL: I(V1) ${iv[k]} = −I(C1) ${-ic[k]}`);
    }
  });

  it('couples inductors through K: a flux step in one leaves −M/L2 times its current in a closed secondary', () => {
    // Primary: 10 pH driven by a 100 µA ramp. Secondary: 20 pH closed by 1 mΩ (τ = 20 ns ≫ 100 ps).
    const r = simulate(`I1 0 1 pwl(0 0 20p 100u)\nL1 1 0 10p\nL2 2 0 20p\nR2 2 0 1m\nK1 L1 L2 0.5\n.tran 0.1p 100p\n.print devi L2\n.print devi L1`);
    const i2 = r.get('I(L2)'), i1 = r.get('I(L1)');
    const M = 0.5 * Math.sqrt(10e-12 * 20e-12);
    const last = i2.length - 1;
    assert.ok(Math.abs(i1[last] - 100e-6) < 1e-9, `primary current ${i1[last]}`);
    assert.ok(Math.abs(i2[last] - (-M / 20e-12) * 100e-6) < 0.01 * Math.abs((M / 20e-12) * 100e-6), `secondary ${i2[last]}`);
  });

  it('Johnson noise at .temp gives an RC node the equipartition variance kT/C, reproducibly per seed', () => {
    // R = 20 Ω, C = 1 pF (τ = 20 ps), noise refreshed every step (.neb = 1/h).
    const text = `R1 1 0 20\nC1 1 0 1p\n.temp 4.2\n.neb 4T\n.tran 0.25p 20n 1n\n.print nodev 1`;
    const v = simulate(text, { seed: 11 }).get('V(1)');
    let s = 0, s2 = 0;
    for (const x of v) (s += x), (s2 += x * x);
    const mean = s / v.length;
    const variance = s2 / v.length - mean * mean;
    const want = (KB * 4.2) / 1e-12;
    assert.ok(Math.abs(variance / want - 1) < 0.1, `variance ${variance} vs kT/C ${want}`);
    assert.deepStrictEqual(simulate(text, { seed: 11 }).get('V(1)').slice(0, 50), v.slice(0, 50));
    assert.notDeepStrictEqual(simulate(text, { seed: 12 }).get('V(1)').slice(0, 50), v.slice(0, 50));
  });
});
