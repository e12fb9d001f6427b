/** Metric declarations as views read them: exact names and patterns, the fallback, grouping, bands and formatting. */
import * as assert from 'assert';
import { axisTitle, bandBounds, formatValue, groupMetrics, matchName, metricMeta, seriesMeta, undeclared, type MetricTable } from '../../../kernel/protocol/metrics';

const table: MetricTable = {
  series: { epoch: { label: 'per epoch', x: 'epoch' }, '{check}': { label: 'check {check}', x: 'segment tests' } },
  metrics: [
    { name: 'test_accuracy', label: 'test accuracy', group: 'Accuracy', percent: true, better: 'higher', key: true },
    { name: 'steps_per_s', label: 'training speed', unit: 'steps/s', group: 'Speed' },
    { name: 'model_out_{input}_GHz', label: 'output rate, inputs {input} (model)', unit: 'GHz', group: 'Output rate' },
    { name: 'out_{input}_GHz', label: 'output rate, inputs {input}', unit: 'GHz', group: 'Output rate' },
    { name: '{check}_sim', label: '{check} simulated', group: 'Error rates', scale: 'log', band: { lo: '{check}_lo', hi: '{check}_hi' } },
    { name: '{check}_lo', label: '{check} lower bound', group: 'Error rates', scale: 'log' },
    { name: '{check}_hi', label: '{check} upper bound', group: 'Error rates', scale: 'log' },
  ],
};

describe('metric declarations', () => {
  it('finds an exact name, with its label, unit and group, and never splits at underscores', () => {
    const m = metricMeta(table, 'steps_per_s');
    assert.deepStrictEqual([m.label, m.unit, m.group, m.declared], ['training speed', 'steps/s', 'Speed', true]);
  });

  it('matches patterns anchored at both ends and fills their parts into label and band', () => {
    assert.strictEqual(metricMeta(table, 'out_01_GHz').label, 'output rate, inputs 01');
    assert.strictEqual(metricMeta(table, 'model_out_10_GHz').label, 'output rate, inputs 10 (model)');
    assert.deepStrictEqual(metricMeta(table, 'fp0_sim').band, { lo: 'fp0_lo', hi: 'fp0_hi' });
    assert.deepStrictEqual(matchName('synapse_width_{T}K_uA', 'synapse_width_4.2K_uA'), { T: '4.2' });
    assert.strictEqual(matchName('out_{input}_GHz', 'xout_01_GHz'), null);
  });

  it('falls back for an undeclared metric: its raw name, a chart of its own, linear', () => {
    const m = metricMeta(table, 'mystery_value');
    assert.deepStrictEqual([m.label, m.group, m.scale, m.unit, m.declared], ['mystery_value', 'mystery_value', 'linear', '', false]);
    assert.deepStrictEqual(undeclared(table, ['test_accuracy', 'mystery_value', 'out_00_GHz']), ['mystery_value']);
    assert.strictEqual(metricMeta(undefined, 'loss').label, 'loss');
  });

  it('names series exactly or by pattern, with "step" as the x of an undeclared one', () => {
    assert.deepStrictEqual(seriesMeta(table, 'epoch'), { label: 'per epoch', x: 'epoch' });
    assert.deepStrictEqual(seriesMeta(table, 'fp2'), { label: 'check fp2', x: 'segment tests' });
    assert.deepStrictEqual(seriesMeta(undefined, 'train'), { label: 'train', x: 'step' });
  });

  it('groups summary metrics in declared group order, keeping the emitted order within a group, undeclared last', () => {
    const groups = groupMetrics(table, ['odd', 'out_01_GHz', 'model_out_01_GHz', 'steps_per_s', 'out_00_GHz', 'test_accuracy']);
    assert.deepStrictEqual(groups.map((g) => [g.group, g.metrics.map((m) => m.name)]), [
      ['Accuracy', ['test_accuracy']],
      ['Speed', ['steps_per_s']],
      ['Output rate', ['out_01_GHz', 'model_out_01_GHz', 'out_00_GHz']],
      ['Other', ['odd']],
    ]);
  });

  it('knows which metrics are the bounds of another one present', () => {
    assert.deepStrictEqual([...bandBounds(table, ['fp0_sim', 'fp0_lo', 'fp0_hi', 'fn0_lo'])], ['fp0_lo', 'fp0_hi']);
  });

  it('formats values with their unit: percentages, exponents for tiny and huge values, a dash for none', () => {
    const cases: [number | null, string, string][] = [
      [0.9312, 'test_accuracy', '93.12%'],
      [104.31, 'steps_per_s', '104.3\u202fsteps/s'],
      [1.0946e-13, 'fp0_sim', '1.095e-13'],
      [null, 'steps_per_s', '—'],
      [12730, 'mystery', '12730'],
      [2.5e7, 'mystery', '2.5e+7'],
    ];
    for (const [v, name, want] of cases) assert.strictEqual(formatValue(v, metricMeta(table, name)), want, `${name} = ${v}`);
  });

  it('titles an axis by its group and the unit its metrics share', () => {
    assert.strictEqual(axisTitle('Output rate', [metricMeta(table, 'out_00_GHz'), metricMeta(table, 'model_out_00_GHz')]), 'Output rate (GHz)');
    assert.strictEqual(axisTitle('Mixed', [metricMeta(table, 'out_00_GHz'), metricMeta(table, 'steps_per_s')]), 'Mixed');
    assert.strictEqual(axisTitle('Accuracy', [metricMeta(table, 'test_accuracy')]), 'Accuracy (%)');
  });
});
