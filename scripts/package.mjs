// `npm run package`: a platform-specific .vsix (the native onnxruntime binding is per platform),
// made offline: build with the runtime modules copied into dist/, then vsce without dependencies.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const target = `${process.platform}-${process.arch}`; // vsce's target names: linux-x64, darwin-arm64, win32-x64…
execFileSync(process.execPath, ['scripts/build.mjs', '--package'], { stdio: 'inherit' });
// vsce rewrites the README's relative links (docs/…, images) against the repository; it only guesses that for GitHub/GitLab.
const repo = JSON.parse(readFileSync('package.json', 'utf8')).repository.url.replace(/\.git$/, '');
const bases = ['--baseContentUrl', `${repo}/blob/main`, '--baseImagesUrl', `${repo}/raw/main`];
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--target', target, '--out', 'dist/neurite.vsix', ...bases], { stdio: 'inherit' });
