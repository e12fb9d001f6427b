// Architecture rules, checked on every test run:
//   kernel/  never imports vscode, extension/ or webview/ (it runs headless);
//   the engines (kernel/dense, spiking, circuits, data, bodies) and kernel/core below them import nothing
//     above them: not models/, experiments/, runs/, sweeps/, cli(.ts)/ or server/ (they report
//     through kernel/core/engine-context.ts);
//   webview/ imports only kernel/protocol (its types, and the zod schemas of panel messages, which
//     it checks on arrival) and its own files (it is DOM only); kernel/protocol imports nothing but
//     zod and itself, so nothing of Node reaches a webview through it;
//   no focused tests (.only) anywhere;
//   no source file of 600 lines or more (split it by what it holds).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) yield p;
  }
}

// Static imports (also `import type`), `export … from`, dynamic import() and require().
const importRe = /(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;
/** The line of a match's module path (an import's names may span lines above it). */
const lineOf = (text, m, spec) => text.slice(0, m.index + m[0].lastIndexOf(spec)).split('\n').length;
const problems = [];
const engines = ['dense', 'spiking', 'circuits', 'data', 'bodies', 'core'].map((d) => join('kernel', d));
const aboveEngines = /^kernel\/(models|experiments|runs|sweeps|cli|server)(\/|\.ts$|$)/;
for (const f of engines.flatMap((d) => [...files(d)])) {
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[2] ?? m[3];
    const target = spec.startsWith('.') ? normalize(join(dirname(f), spec)).split('\\').join('/') : spec;
    if (aboveEngines.test(target)) problems.push(`${f}:${lineOf(text, m, spec)}: an engine imports "${spec}" from above it (report through kernel/core/engine-context.ts)`);
  }
}
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
    if (/kernel\//.test(spec) && !/kernel\/protocol\//.test(spec)) problems.push(`${f}: webview may only import kernel/protocol ("${spec}")`);
  }
}
for (const f of files(join('kernel', 'protocol'))) {
  for (const m of readFileSync(f, 'utf8').matchAll(importRe)) {
    const spec = m[2] ?? m[3];
    if (spec !== 'zod' && !/^\.\/[\w-]+$/.test(spec)) problems.push(`${f}: kernel/protocol imports "${spec}" (only zod and its own files: webviews load it)`);
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
