// `npm run package`: a platform-specific .vsix (the native onnxruntime binding is per platform),
// made offline: build with the runtime modules copied into dist/, then vsce without dependencies.
// README images stay relative (the repository URL is a placeholder vsce cannot rewrite them against).
import { execFileSync } from 'node:child_process';

const target = `${process.platform}-${process.arch}`; // vsce's target names: linux-x64, darwin-arm64, win32-x64…
execFileSync(process.execPath, ['scripts/build.mjs', '--package'], { stdio: 'inherit' });
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--target', target, '--out', 'dist/neurite.vsix'], { stdio: 'inherit' });
