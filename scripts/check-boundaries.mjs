// Architecture rules, checked on every test run:
//   kernel/  never imports vscode, extension/ or webview/ (it runs headless);
//   webview/ imports only kernel/protocol (type-only) and its own files (it is DOM only);
//   no focused tests (.only) anywhere;
//   no source file of 600 lines or more (split it by what it holds).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) yield p;
  }
}

const importRe = /(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const f of files('kernel')) {
  for (const m of readFileSync(f, 'utf8').matchAll(importRe)) {
    const spec = m[2] ?? m[3];
    if (spec === 'vscode' || /(^|\/)(extension|webview)\//.test(spec)) problems.push(`${f}: kernel imports "${spec}"`);
  }
}
for (const f of files('webview')) {
  for (const m of readFileSync(f, 'utf8').matchAll(importRe)) {
    const spec = m[2] ?? m[3];
    if (spec === 'vscode' || /(^|\/)extension\//.test(spec)) problems.push(`${f}: webview imports "${spec}"`);
    if (/kernel\//.test(spec) && (!/kernel\/protocol\//.test(spec) || !m[1])) problems.push(`${f}: webview may only import types from kernel/protocol ("${spec}")`);
  }
}
for (const dir of ['kernel', 'extension', 'webview', 'test']) {
  for (const f of files(dir)) {
    if (/\b(describe|it|suite|test)\.only\(/.test(readFileSync(f, 'utf8'))) problems.push(`${f}: focused test (.only)`);
  }
}
for (const dir of ['kernel', 'extension', 'webview', 'test', 'bench', 'scripts']) {
  for (const f of files(dir)) {
    const lines = readFileSync(f, 'utf8').split('\n').length - 1;
    if (lines >= 600) problems.push(`${f}: ${lines} lines (keep files under 600)`);
  }
}
if (problems.length) {
  console.error(`architecture check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('architecture check: ok');
