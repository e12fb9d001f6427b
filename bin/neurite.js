#!/usr/bin/env node
// The `neurite` command. Runs the esbuild bundle (made by `npm install` via `prepare`, or `npm run build`).
const path = require('path');
const fs = require('fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('neurite: dist/cli.js is missing; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; }, // exitCode, not exit(): let piped stdout drain
  (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); },
);
