/**
 * The mechanism of §1 where its effect is known exactly: a linear layer cannot fit XOR (at best
 * 3 of 4 points), but o = w·x + b + c·σ(u·x + a) can (the dendrite supplies AND or NOR). A
 * neuron phase, a dendrite phase on the correlation objective, and a second neuron phase must get
 * there — with the dendrite phase's default optimizer (Adam); momentum SGD barely moves the
 * candidates, which is why Adam is the default.
 */
import * as assert from 'assert';
import { Rng } from '../../../../kernel/core/rng';
import { MemoryEngineContext } from '../../../../kernel/core/engine-context';
import { correctCount, softmaxCrossEntropy } from '../../../../kernel/dense/losses';
import { makeOptimizer, type OptimizerSpec } from '../../../../kernel/dense/optimizers';
import { execOptions } from '../../../../kernel/dense/session';
import { TrainState } from '../../../../kernel/dense/step';
import { evaluate, train } from '../../../../kernel/dense/train';
import { perforatedSpec } from '../../../../kernel/experiments/dendrite-perforated-spec';
import { CorrelationScores, correlationObjective } from '../../../../kernel/models/dendrite/perforated-correlation';
import { PerforatedNet } from '../../../../kernel/models/dendrite/perforated-net';

const points = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];

async function xor(dendriteOpt: OptimizerSpec) {
  const net = PerforatedNet.build({ conv: [], kernel: 5, hidden: [], activation: 'relu', init: 'he', perforate: 'all', detachInputs: true }, { rows: 1, cols: 2, classes: 2 }, new Rng(1));
  const x = Float32Array.from({ length: 64 }, (_, i) => points[(i >> 1) % 4][i % 2]);
  const y = Int32Array.from({ length: 32 }, (_, i) => points[i % 4][2]);
  const io = { model: net.model, inputShape: (n: number) => [n, 2], target: (n: number) => ({ shape: [n], dtype: 'int32' as const }), loss: softmaxCrossEntropy, metrics: { accuracy: correctCount }, exec: execOptions('cpu', { threads: 1 }) };
  const phase = async (kind: 'neuron' | 'dendrite', opt: OptimizerSpec, scores?: CorrelationScores) => {
    net.setPhase(kind);
    const state = new TrainState(net.parameters(), makeOptimizer(opt));
    await train(new MemoryEngineContext(), { ...io, state, trainBatches: () => [{ x, y, size: 32 }], stepsPerEpoch: 1, epochs: 300, lr: opt.lr, objective: scores && correlationObjective(net.perforated), onRun: scores && ((_, t) => scores.update(t)) });
    return (await evaluate(io, [{ x, y, size: 32 }])).accuracy;
  };
  const neuronOpt: OptimizerSpec = { kind: 'momentum', lr: 0.1, momentum: 0.9 };
  const plain = await phase('neuron', neuronOpt);
  const layer = net.perforated[0];
  layer.addCandidate(new Rng(2), 0.01);
  const scores = new CorrelationScores(net.perforated, 10, 0.9);
  await phase('dendrite', dendriteOpt, scores);
  scores.restoreBest();
  layer.accept();
  return { plain, score: Math.max(...scores.bests()[0]), final: await phase('neuron', neuronOpt) };
}

describe('perforated backpropagation on XOR', () => {
  it('a linear layer fits at most 3 of 4 XOR points; one correlation-trained dendrite per unit (Adam, the spec\'s default) makes it fit all 4', async () => {
    const d = perforatedSpec.parse({ kind: 'dendrite.perforated' }).dendrites;
    assert.deepStrictEqual([d.optimizer, d.lr], ['adam', 0.001]);
    const r = await xor({ kind: 'adam', lr: 0.01 });
    assert.ok(r.plain <= 0.75, `plain accuracy ${r.plain}`);
    assert.ok(r.score > 0.01, `correlation score ${r.score}`);
    assert.strictEqual(r.final, 1);
  });

  it('with momentum SGD at the neurons\' rate the candidates barely move: the score stays below 1e-6 and XOR stays unsolved', async () => {
    const r = await xor({ kind: 'momentum', lr: 0.1, momentum: 0.9 });
    assert.ok(r.score < 1e-6, `correlation score ${r.score}`);
    assert.ok(r.final < 1, `accuracy ${r.final}`);
  });
});
