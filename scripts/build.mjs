// Bundles the extension, the kernel process, the CLI and the webviews with esbuild, then writes
// the spec JSON Schema that editors use for IntelliSense. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'onnxruntime-node'] };

const builds = [
  { ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { kernel: 'kernel/server/main.ts', cli: 'kernel/cli.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: !watch,
    entryPoints: { 'run-panel': 'webview/run-panel/main.ts' },
    outdir: 'dist/webview',
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  mkdirSync('dist/schemas', { recursive: true });
  const schema = execFileSync(process.execPath, ['dist/cli.js', 'schema', '--all'], { encoding: 'utf8' });
  writeFileSync('dist/schemas/spec.schema.json', schema);
  console.log(`built dist/ in ${Date.now() - t0} ms`);
}
