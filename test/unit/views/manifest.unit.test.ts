/** package.json's contributions hold together: VS Code drops (and logs) entries that do not. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const extensionCode = (dir: string): string => fs.readdirSync(dir, { withFileTypes: true })
  .map((e) => (e.isDirectory() ? extensionCode(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : '')).join('\n');

describe('extension manifest', () => {
  const commands: Array<{ command?: string; title?: string }> = pkg.contributes.commands;

  it('every contributed command has an id and a title, once', () => {
    for (const [i, c] of commands.entries()) assert.ok(c.command && c.title, `contributes.commands[${i}]: ${JSON.stringify(c)}`);
    const ids = commands.map((c) => c.command);
    assert.deepStrictEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'commands contributed twice');
  });

  it('every contributed command is registered by the extension, and every menu entry names a contributed command', () => {
    const code = extensionCode(path.join(repoRoot, 'extension'));
    for (const c of commands) assert.ok(code.includes(`'${c.command}'`), `${c.command} is contributed but the extension never registers it`);
    const ids = new Set(commands.map((c) => c.command));
    for (const [where, items] of Object.entries(pkg.contributes.menus ?? {}) as Array<[string, Array<{ command?: string; submenu?: string }>]>) {
      for (const it of items) assert.ok(it.submenu || (it.command && ids.has(it.command)), `menus.${where}: ${JSON.stringify(it)}`);
    }
  });
});
