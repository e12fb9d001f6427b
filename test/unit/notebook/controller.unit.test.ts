/** The notebook controller with a stand-in kernel: it forwards cells, refuses them in an untrusted workspace, and stops Run All at a failure. */
import * as assert from 'assert';
import type { CellExecuteResult } from '../../../kernel/protocol/notebook';
import { executions, fake, installFakeVscode } from './fake-vscode';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NeuriteController, UNTRUSTED_MESSAGE } = require('../../../extension/notebook/controller') as typeof import('../../../extension/notebook/controller');

function setup(results: CellExecuteResult['status'][]) {
  const requests: { method: string; params: any }[] = [];
  const kernel = {
    request: async (method: string, params: any) => {
      requests.push({ method, params });
      const status = results.shift() ?? 'ok';
      return { status, outputs: [{ type: 'stream', name: 'stdout', text: `ran ${params.source}\n` }], durationMs: 1, runs: [] };
    },
    onNotification: () => ({ dispose() {} }),
  };
  const controller = new NeuriteController(kernel as any, () => '/ws');
  const cell = (index: number, languageId: string, text: string) => ({ index, document: { languageId, getText: () => text } }) as any;
  const notebook = { uri: { toString: () => 'file:///ws/a.neuronb', scheme: 'file', fsPath: '/ws/a.neuronb' } } as any;
  return { requests, controller, cell, notebook };
}

describe('the notebook controller', () => {
  beforeEach(() => {
    executions.length = 0;
    fake.workspace.isTrusted = true;
  });
  after(() => (fake.workspace.isTrusted = true));

  it('runs no cell in an untrusted workspace: nothing reaches the kernel, each cell says why', async () => {
    fake.workspace.isTrusted = false;
    const { requests, controller, cell, notebook } = setup([]);
    await controller.execute([cell(0, 'typescript', '1'), cell(1, 'yaml', 'kind: x')], notebook);
    assert.deepStrictEqual(requests, []);
    assert.strictEqual(executions.length, 2);
    for (const e of executions) {
      assert.strictEqual(e.success, false);
      const err = JSON.parse(new TextDecoder().decode(e.outputs[0].items[0].data));
      assert.deepStrictEqual([err.name, err.message], ['UntrustedWorkspace', UNTRUSTED_MESSAGE]);
    }
  });

  it('forwards each cell to cell/execute with its language, source, workspace and folder, counting executions', async () => {
    const { requests, controller, cell, notebook } = setup([]);
    await controller.execute([cell(0, 'yaml', 'kind: dendrite.sdr'), cell(1, 'typescript', 'x')], notebook);
    assert.deepStrictEqual(requests.map((r) => [r.method, r.params.language, r.params.source, r.params.workspace, r.params.baseDir, r.params.notebook]), [
      ['cell/execute', 'yaml', 'kind: dendrite.sdr', '/ws', '/ws', 'file:///ws/a.neuronb'],
      ['cell/execute', 'typescript', 'x', '/ws', '/ws', 'file:///ws/a.neuronb'],
    ]);
    assert.deepStrictEqual(executions.map((e) => [e.executionOrder, e.success]), [[1, true], [2, true]]);
  });

  it('stops Run All at the first failing cell, as Jupyter does', async () => {
    const { requests, controller, cell, notebook } = setup(['ok', 'error', 'ok']);
    await controller.execute([cell(0, 'javascript', 'a'), cell(1, 'javascript', 'b'), cell(2, 'javascript', 'c')], notebook);
    assert.deepStrictEqual(requests.map((r) => r.params.source), ['a', 'b']);
  });

  it('refuses a cell in a language it does not run, without asking the kernel', async () => {
    const { requests, controller, cell, notebook } = setup([]);
    await controller.execute([cell(0, 'python', 'print(1)')], notebook);
    assert.deepStrictEqual(requests, []);
    assert.strictEqual(executions[0].success, false);
  });
});
