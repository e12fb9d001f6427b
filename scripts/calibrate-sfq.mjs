// `npm run calibrate:sfq [out.json]`: recalibrate the SFQ behavioural model from circuit
// simulations with the shipped grid (kernel/models/sfq/calibrate.ts) and write
// kernel/models/sfq/calibration.json (about two minutes). Runs the tsc output in out/.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { calibrate, shippedGrid } = require('../out/kernel/models/sfq/calibrate.js');
const file = process.argv[2] ?? 'kernel/models/sfq/calibration.json';
let last = 0;
const cal = await calibrate(shippedGrid, async (f, m) => {
  if (f - last >= 0.02 || f === 1) {
    last = f;
    process.stderr.write(`${(f * 100).toFixed(0)}% ${m}\n`);
  }
});
writeFileSync(file, JSON.stringify(cal, null, 1) + '\n');
process.stderr.write(`wrote ${file} (${cal.meta.seconds.toFixed(0)} s)\n`);
