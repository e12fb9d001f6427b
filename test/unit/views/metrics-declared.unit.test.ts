/**
 * Every metric a kind emits is declared (kernel/protocol/metrics.ts): each listed kind runs at a
 * toy size, and every name in its metrics.jsonl and summary.json must resolve to a declaration.
 * A kind is listed with the overrides that make its run small; a kind that lands later adds one
 * line here. A registered kind without a line is reported as pending, not passed. `{runs}` in an
 * override is the folder the runs go to; a line marked `keep` leaves its run there for a later
 * line (a gating.dopamine run tunes the gating.foundation run before it).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { experiments, findExperiment } from '../../../kernel/experiments/registry';
import { metricMeta, undeclared } from '../../../kernel/protocol/metrics';
import { nullSink } from '../../../kernel/runs/context';
import { startRun } from '../../../kernel/runs/runner';
import { readMetrics, readMetricsMeta } from '../../../kernel/runs/store';
import { repoRoot, tempDir } from '../helpers';

const sample = (name: string) => path.join(repoRoot, 'samples', name);

/** kind → a sample and the overrides that make it a run of seconds. */
const smallRuns: Record<string, { spec: string; sets: string[]; keep?: true }> = {
  'dendrite.sdr': { spec: sample('sdr-paper.neurite.yaml'), sets: ['simulation.trials=20000', 'simulation.unionTrials=2000', 'sweeps=[]'] },
  'dense.mlp': { spec: sample('mnist-mlp.neurite.yaml'), sets: ['data.trainLimit=640', 'data.testLimit=200', 'model.hidden=[8]', 'train.epochs=2', 'train.batchSize=32', 'export=false', 'train.checkpoints=false'] },
  'spiking.network': { spec: sample('spiking-stdp.neurite.yaml'), sets: ['durationMs=200'] },
  'spiking.spatial-stdp': { spec: sample('spiking-spatial-stdp.neurite.yaml'), sets: ['trainingSets=[[992]]', 'hammingTable.partners=[1008]'] },
  'sfq.circuit': { spec: sample('sfq-circuit.neurite.yaml'), sets: [] },
  'sfq.xor': { spec: sample('sfq-xor.neurite.yaml'), sets: ['sweeps.circuitChecks=false', 'circuit.durationPs=500'] },
  'ncap.swimmer': { spec: sample('ncap-transfer.neurite.yaml'), sets: ['es.population=4', 'es.generations=2', 'episode.steps=40', 'evaluation.episodes=1', 'evaluation.transferLinks=[4]', 'evaluation.trajectorySteps=0', 'workers=1'] },
  'nested.mlp': { spec: sample('nested-mlp.neurite.yaml'), sets: ['train.steps=5', 'data.trainLimit=320'] },
  'gating.foundation': { spec: sample('dopamine-pretrain.neurite.yaml'), sets: ['data.trainLimit=600', 'data.testLimit=200', 'model.hidden=[24, 16]', 'train.epochs=2'], keep: true },
  'gating.dopamine': { spec: sample('dopamine.neurite.yaml'), sets: ['base={runs}', 'data.trainLimit=600', 'data.testLimit=200', 'train.epochs=2', 'train.checkpoints=false', 'export=false'] },
  'richlazy.rnn': { spec: sample('richlazy.neurite.yaml'), sets: ['model.hidden=16', 'model.rank=2', 'train.steps=64', 'probe.every=32', 'probe.trials=24', 'probe.kernelTrials=4', 'task=dms'] },
  'dendrite.perforated': { spec: sample('perforated-mlp.neurite.yaml'), sets: ['data={ name: mnist, trainLimit: 1500, testLimit: 300, validation: 0.2 }', 'model={ hidden: [8] }', 'schedule={ switchPatience: 2, scorePatience: 2, initialBatches: 10, maxCycles: 1, maxTries: 1, maxDendriteEpochs: 4, maxEpochs: 40 }', 'train={ batchSize: 50, stepsPerRun: 4 }', 'contribution={ items: 200 }'] },
  'homeostatic.concept-shift': { spec: sample('homeostatic-mnist.neurite.yaml'), sets: ['data.trainLimit=600', 'data.testLimit=200', 'train.epochs=2', 'train.stepsPerRun=7', 'record.every=200', 'shift.swapsPerEpoch=3'] },
};

describe('metric declarations cover what each kind emits', function () {
  this.timeout(120000);
  const out = tempDir('neurite-declared-');

  for (const [kind, { spec, sets, keep }] of Object.entries(smallRuns)) {
    it(`${kind}: every streamed and summary metric of a small run is declared, and the run folder keeps the declaration`, async () => {
      const run = startRun({ workspace: out, outDir: out, specPath: spec, overrides: sets.map((s) => s.replace('{runs}', out)) }, nullSink, new AbortController().signal);
      const summary = await run.done;
      assert.strictEqual(summary.status, 'completed', summary.error);
      const records = readMetrics(run.dir);
      const names = [...records.flatMap((r) => Object.keys(r.values)), ...Object.keys(summary.metrics)];
      assert.ok(names.length > 0, 'the run emitted no metric');
      const table = readMetricsMeta(run.dir);
      assert.deepStrictEqual(table, findExperiment(kind)!.metrics, 'metrics-meta.json holds the kind\u2019s declaration');
      assert.deepStrictEqual(undeclared(table, names), [], `undeclared metrics of ${kind}`);
      // a declared band names metrics that exist beside it
      for (const n of new Set(names)) {
        const band = metricMeta(table, n).band;
        if (band) assert.ok(names.includes(band.lo) && names.includes(band.hi), `${n}'s band ${band.lo}…${band.hi} is not emitted`);
      }
      if (!keep) fs.rmSync(run.dir, { recursive: true, force: true });
    });
  }

  for (const e of experiments.filter((x) => !(x.kind in smallRuns))) {
    it(`${e.kind}: (no small run listed yet: add one to smallRuns)`, function () {
      this.skip();
    });
  }
});
