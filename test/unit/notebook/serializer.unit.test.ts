/** `.neuronb` files through the extension's serializer (with a stand-in for the vscode module): what is read is written back. */
import * as assert from 'assert';
import { parseNotebook, serializeNotebook } from '../../../kernel/notebook/nbformat';
import { installFakeVscode } from './fake-vscode';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NeuriteSerializer } = require('../../../extension/notebook/serializer') as typeof import('../../../extension/notebook/serializer');

/** A notebook with every kind of cell and output, and fields Neurite does not know at every level. */
const file = {
  cells: [
    { cell_type: 'markdown', id: 'md1', metadata: { tags: ['intro'] }, source: ['# Title\n', 'text'], attachments: { 'a.png': { 'image/png': 'AAAA' } } },
    {
      cell_type: 'code',
      id: 'spec1',
      metadata: { vscode: { languageId: 'yaml' }, collapsed: false },
      source: ['kind: dendrite.sdr\n'],
      execution_count: 3,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['line 1\n', 'line 2\n'] },
        { output_type: 'display_data', data: { 'application/vnd.neurite.table+json': { columns: ['a'], rows: [[1]] }, 'text/plain': ['a\n', '1'] }, metadata: { isolated: true } },
        { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': ['42'] }, metadata: {} },
        { output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x is not a function', '    at cell 2, line 1'] },
      ],
    },
    { cell_type: 'code', id: 'code1', metadata: {}, source: ['const x = 1\n', 'x'], execution_count: null, outputs: [] },
    { cell_type: 'raw', id: 'raw1', metadata: {}, source: ['raw text'] },
  ],
  metadata: { kernelspec: { name: 'neurite', display_name: 'Neurite', language: 'typescript' }, language_info: { name: 'typescript' }, neurite: { quick: ['a=1'] }, somebody: { else: true } },
  nbformat: 4,
  nbformat_minor: 5,
  unknown_top_level: [1, 2, 3],
};
const text = JSON.stringify(file);

describe('the .neuronb serializer', () => {
  const ser = new NeuriteSerializer();
  const roundTrip = (t: string) => JSON.parse(new TextDecoder().decode(ser.serializeNotebook(ser.deserializeNotebook(new TextEncoder().encode(t)))));

  it('writes back every cell, output, execution count and unknown field it read', () => {
    assert.deepStrictEqual(roundTrip(text), file);
  });

  it('gives each code cell its language: metadata.vscode.languageId, else the notebook language', () => {
    const data = ser.deserializeNotebook(new TextEncoder().encode(text));
    assert.deepStrictEqual(data.cells.map((c) => c.languageId), ['markdown', 'yaml', 'typescript', 'plaintext']);
  });

  it('shows Neurite outputs under their own MIME type first, so the renderer draws them', () => {
    const data = ser.deserializeNotebook(new TextEncoder().encode(text));
    const display = data.cells[1].outputs![1];
    assert.deepStrictEqual(display.items.map((i) => i.mime), ['application/vnd.neurite.table+json', 'text/plain']);
    assert.deepStrictEqual(data.cells[1].outputs![0].items.map((i) => i.mime), ['application/vnd.code.notebook.stdout']);
    assert.strictEqual(data.cells[1].executionSummary?.executionOrder, 3);
  });

  it('opens an empty file as an empty notebook and saves it as nbformat 4', () => {
    const doc = roundTrip('');
    assert.deepStrictEqual([doc.nbformat, doc.cells.length, doc.metadata.language_info.name], [4, 0, 'typescript']);
  });

  it('the kernel reader alone also round-trips the file (what neurite notebook run writes)', () => {
    assert.deepStrictEqual(JSON.parse(serializeNotebook(parseNotebook(text))), file);
  });

  it('rejects a file that is not an nbformat 4 notebook, saying why', () => {
    assert.throws(() => parseNotebook('{"cells": 3}'), /nbformat 4 notebook/);
    assert.throws(() => parseNotebook('{"cells": [], "nbformat": 3}'), /only nbformat 4/);
    assert.throws(() => parseNotebook('not json'), /not JSON/);
  });
});
