// `npm run package`: a platform-specific .vsix (the native onnxruntime binding is per platform),
// made offline: build with the runtime modules copied into dist/, then vsce without dependencies.
import { execFileSync } from 'node:child_process';

const target = `${process.platform}-${process.arch}`; // vsce's target names: linux-x64, darwin-arm64, win32-x64…
execFileSync(process.execPath, ['scripts/build.mjs', '--package'], { stdio: 'inherit' });
// README images and links are relative (docs/images/…): vsce needs a base URL to make them absolute.
const base = 'https://example.invalid/neurite/raw/HEAD/';
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--target', target, '--out', 'dist/neurite.vsix', '--baseContentUrl', base, '--baseImagesUrl', base], { stdio: 'inherit' });
