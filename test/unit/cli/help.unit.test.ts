/**
 * `--help` and `-h`: every command and subcommand prints its usage and options on stdout and
 * exits 0; the texts come from each command's one synopsis, so they list exactly the flags the
 * command parses. Unknown options still exit 2, naming the option.
 */
import * as assert from 'assert';
import { commands } from '../../../kernel/cli';
import { helpText, usageLine } from '../../../kernel/cli/io';
import { runMain } from '../helpers';

const synopses = Object.values(commands).flatMap((c) => c.synopses);

describe('neurite --help', () => {
  it('neurite --help, -h and help list every command and subcommand with its usage line, exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await runMain(argv);
      assert.strictEqual(r.code, 0, argv.join(' '));
      for (const s of synopses) assert.ok(r.stdout.includes(`neurite ${usageLine(s)}\n      ${s.summary}`), `${argv}: ${s.name}`);
    }
  });

  it('neurite with no arguments prints the same list on stdout but exits 2 (nothing was asked)', async () => {
    const r = await runMain([]);
    assert.strictEqual(r.code, 2);
    assert.match(r.stdout, /^neurite — /);
  });

  for (const s of synopses) {
    it(`neurite ${s.name} --help and -h print its usage and every option, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await runMain([...s.name.split(' '), flag]);
        assert.strictEqual(r.code, 0, `${s.name} ${flag}: ${r.stderr}`);
        assert.strictEqual(r.stdout, helpText(s));
        assert.strictEqual(r.stderr, '');
      }
      const text = helpText(s);
      assert.ok(text.startsWith(`usage: neurite ${s.name}`));
      for (const [name, f] of Object.entries(s.flags)) assert.match(text, new RegExp(`^ {2}${f.short ? `-${f.short}, ` : ' {4}'}--${name}\\b.* ${f.help.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    });
  }

  it('help <command> is <command> --help; --help beside other mistakes still helps', async () => {
    assert.deepStrictEqual(await runMain(['help', 'run']), await runMain(['run', '--help']));
    const r = await runMain(['run', '--frobnicate', '--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^usage: neurite run <spec>/);
  });

  it('an unknown option exits 2, names the option and points at --help; "--help" after -- is an argument', async () => {
    const r = await runMain(['sweep', 'status', 'x', '--frobnicate']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /Unknown option '--frobnicate' \(neurite sweep status --help lists every option\)/);
    assert.match(r.stderr, /usage: neurite sweep status <sweep-id\|dir> \[--out DIR\] \[--json\]/);
    assert.strictEqual(r.stdout, '');
    const after = await runMain(['show', '--', '--help']);
    assert.strictEqual(after.code, 2);
    assert.match(after.stderr, /run "--help": no such run/);
  });
});
