// `npm run bench -- <name> [args…]`: runs bench/<name>.ts (compiled by tsc to out/bench/) which
// measures Neurite side by side with the reference tool, prints a table and writes
// bench/results/<name>.json. With no name, lists the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...args] = process.argv.slice(2);
const names = readdirSync('bench').filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.slice(0, -3));
if (!name || !names.includes(name)) {
  console.log(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(', ') || '(none yet)'}`);
  process.exit(name ? 2 : 0);
}
// bench/views*.ts drive a real browser: they compile with the webview tests (DOM types), apart from the rest
for (const project of ['tsconfig.json', 'test/webview/tsconfig.json']) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
if (!existsSync('dist/cli.js')) spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const r = spawnSync(process.execPath, ['--expose-gc', `out/bench/${name}.js`, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
