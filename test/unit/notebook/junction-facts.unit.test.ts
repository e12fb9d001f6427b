/** Inline facts of SFQ netlist junctions (`spec/facts` with a netlist): pulses per printed junction from a finished sfq.circuit run, at the junction's card line. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { phaseSlips } from '../../../kernel/circuits/pulses';
import { simulate } from '../../../kernel/circuits/simulate';
import { specFacts } from '../../../kernel/inline/facts';
import { cli, lastJsonLine, repoRoot, tempDir } from '../helpers';

// The sample JTL (DC-to-SFQ, 8 stages, sink) cut to two input pulses and 350 ps; phases of two
// stages' B1 (one card in the JTL subcircuit) and the voltage of the converter's B3.
const netlist = fs
  .readFileSync(path.join(repoRoot, 'samples', 'circuits', 'jtl.cir'), 'utf8')
  .replace(/\.tran[\s\S]*$/, '.tran 0.25p 350p\n.print phase B1.X1\n.print phase B1.X8\n.print devv B3.XDC\n.end\n');
const specText = 'kind: sfq.circuit\nname: facts-jtl\nnetlist: jtl.cir\n';

describe('inline facts of SFQ netlist junctions from a finished sfq.circuit run', function () {
  this.timeout(120000);
  const ws = tempDir('neurite-jfacts-');
  const cir = path.join(ws, 'jtl.cir');
  const specPath = path.join(ws, 'jtl.neurite.yaml');
  const lines = netlist.split('\n');
  const jtlB1 = lines.findIndex((l) => l.startsWith('B1 a 1G'));
  const dcB3 = lines.findIndex((l) => l.startsWith('B3 h 3G'));

  before(() => {
    fs.writeFileSync(cir, netlist);
    fs.writeFileSync(specPath, specText);
    const r = cli(['run', specPath, '--json', '-q'], { cwd: ws });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(lastJsonLine(r.stdout).status, 'completed');
  });

  it('puts one fact per printed junction on its card line, a subcircuit card once per printed instance', async () => {
    const f = await specFacts({ workspace: ws, text: netlist, netlistPath: cir });
    assert.strictEqual(f.stale, false, f.reason);
    assert.deepStrictEqual(
      f.facts.map((x) => [x.subject, x.line]).sort(),
      [['B1|X1', jtlB1], ['B1|X8', jtlB1], ['B3|XDC', dcB3]].sort(),
    );
  });

  it('counts the pulses pulses.ts finds in the simulator\'s own phases, with the first switch and mean width in the label', async () => {
    const f = await specFacts({ workspace: ws, text: netlist, netlistPath: cir });
    const sim = simulate(netlist);
    for (const j of ['B1|X1', 'B1|X8']) {
      const slips = phaseSlips(sim.get('time'), sim.get(`P(${j})`));
      const fact = f.facts.find((x) => x.subject === j)!;
      assert.strictEqual(slips.length, 2, `${j} should carry the two input pulses`);
      assert.match(fact.label, new RegExp(`^${j.replace('|', '\\|')}: 2 pulses · first switch ${(slips[0] * 1e12).toFixed(1)} ps · mean width \\d+\\.\\d ps$`));
      assert.deepStrictEqual(fact.rows.find(([k]) => k === 'pulses'), ['pulses', '2 (2π phase slips)']);
    }
    // A later stage switches later: the pulse travels down the line.
    const first = (j: string) => Number(/first switch ([\d.]+)/.exec(f.facts.find((x) => x.subject === j)!.label)![1]);
    assert.ok(first('B1|X8') > first('B1|X1') + 5, `${first('B1|X8')} vs ${first('B1|X1')}`);
    assert.match(f.facts.find((x) => x.subject === 'B3|XDC')!.label, /^B3\|XDC: 2 pulses · first switch [\d.]+ ps · mean width [\d.]+ ps$/);
  });

  it('says stale when the netlist text changed since the run, and gives no numbers then', async () => {
    const f = await specFacts({ workspace: ws, text: netlist.replace('IB1 0 a pwl(0 0 5p {70', 'IB1 0 a pwl(0 0 5p {75'), netlistPath: cir });
    assert.strictEqual(f.stale, true);
    assert.match(f.reason!, /the netlist changed since run/);
    assert.deepStrictEqual(f.facts, []);
  });

  it('shows the junctions on the netlist line of the sfq.circuit spec, stale once the netlist file changes', async () => {
    const f = await specFacts({ workspace: ws, text: specText, specPath });
    assert.strictEqual(f.stale, false, f.reason);
    assert.deepStrictEqual(f.facts.map((x) => x.line), [2, 2, 2]);
    fs.writeFileSync(cir, netlist + '* edited\n');
    try {
      const g = await specFacts({ workspace: ws, text: specText, specPath });
      assert.strictEqual(g.stale, true);
      assert.strictEqual(g.staleLine, 2);
    } finally {
      fs.writeFileSync(cir, netlist);
    }
  });

  it('gives no facts, without throwing, for a netlist no run simulated, a run without readable waveforms, or a run whose summary is broken', async () => {
    assert.deepStrictEqual(await specFacts({ workspace: ws, text: netlist, netlistPath: path.join(ws, 'other.cir') }), { stale: false, facts: [] });
    const run = (await specFacts({ workspace: ws, text: netlist, netlistPath: cir })).run!;
    const csv = path.join(run.dir, 'traces', 'waveforms.csv');
    const kept = fs.readFileSync(csv);
    fs.writeFileSync(csv, 'not,a\nnumeric csv');
    try {
      const f = await specFacts({ workspace: ws, text: netlist, netlistPath: cir });
      assert.strictEqual(f.stale, false);
      assert.deepStrictEqual(f.facts, []);
      fs.rmSync(csv);
      assert.deepStrictEqual((await specFacts({ workspace: ws, text: netlist, netlistPath: cir })).facts, []);
    } finally {
      fs.writeFileSync(csv, kept);
    }
    const summaryFile = path.join(run.dir, 'summary.json');
    const summary = fs.readFileSync(summaryFile, 'utf8');
    fs.writeFileSync(summaryFile, '{ broken');
    try {
      assert.deepStrictEqual((await specFacts({ workspace: ws, text: netlist, netlistPath: cir })).facts, []);
    } finally {
      fs.writeFileSync(summaryFile, summary);
    }
  });
  it('reads a `neurite sim --record` run of the netlist the same way (the CSV also written to -o)', async () => {
    const ws2 = tempDir('neurite-jfacts-sim-');
    const cir2 = path.join(ws2, 'jtl.cir');
    fs.writeFileSync(cir2, netlist);
    const r = cli(['sim', 'jtl.cir', '--record', '-q', '-o', 'out.csv'], { cwd: ws2 });
    assert.strictEqual(r.code, 0, r.stderr);
    const f = await specFacts({ workspace: ws2, text: netlist, netlistPath: cir2 });
    assert.strictEqual(f.stale, false, f.reason);
    assert.deepStrictEqual(f.facts.map((x) => x.label.replace(/ ·.*/, '')).sort(), ['B1|X1: 2 pulses', 'B1|X8: 2 pulses', 'B3|XDC: 2 pulses']);
    assert.strictEqual(fs.readFileSync(path.join(ws2, 'out.csv'), 'utf8'), fs.readFileSync(path.join(f.run!.dir, 'traces', 'waveforms.csv'), 'utf8'));
  });
});
