/**
 * Every sample notebook, headless, in its quick form (`neurite notebook run --quick`: the
 * overrides each notebook lists in metadata.neurite.quick): each runs top to bottom and saves
 * its outputs, a rich one in every cell that makes a run.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { cli, repoRoot, tempDir } from '../helpers';

const folder = path.join(repoRoot, 'samples', 'notebooks');

describe('sample notebooks (neurite notebook run --quick)', function () {
  this.timeout(180000);
  const work = tempDir('neurite-nbs-');
  fs.cpSync(folder, path.join(work, 'notebooks'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'samples', 'circuits'), path.join(work, 'circuits'), { recursive: true });

  for (const name of fs.readdirSync(folder).filter((f) => f.endsWith('.neuronb')).sort()) {
    it(`${name} runs every cell and saves the outputs`, () => {
      const file = path.join(work, 'notebooks', name);
      const r = cli(['notebook', 'run', file, '--quick'], { cwd: work, timeoutMs: 170000 });
      assert.strictEqual(r.code, 0, r.stderr);
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      const code = doc.cells.filter((c: any) => c.cell_type === 'code');
      assert.ok(code.length > 0);
      code.forEach((c: any, i: number) => {
        assert.strictEqual(c.execution_count, i + 1, `cell ${i + 1} has no execution count`);
        assert.ok(!c.outputs.some((o: any) => o.output_type === 'error'), `cell ${i + 1}: ${JSON.stringify(c.outputs).slice(0, 400)}`);
        if (c.metadata?.vscode?.languageId === 'yaml') {
          assert.ok(c.outputs.some((o: any) => o.data?.['application/vnd.neurite.run+json'] || o.data?.['application/vnd.neurite.table+json']), `spec cell ${i + 1} left no run or table`);
        }
      });
    });
  }
});
