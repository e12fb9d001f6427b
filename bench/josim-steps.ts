/**
 * `npm run bench -- josim-steps`: where the tolerances of test/unit/circuits/josim.unit.test.ts
 * come from. For every pulse and 2π slip of JoSIM's example netlists (bench/_josim-cases.ts),
 * JoSIM and Neurite at the netlist's step (0.25 ps) against Neurite at a tenth of it with a
 * 1e-9 rad tolerance: time (ps), height and width (%), and flux (Φ0). Writes
 * bench/results/josim-steps.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PHI0 } from '../kernel/circuits/netlist/expr';
import type { Pulse } from '../kernel/circuits/pulses';
import { simulate } from '../kernel/circuits/simulate';
import { JOSIM_CASES, events, neuriteLabel } from './_josim-cases';
import { findJosim, readCsv, runJosim, sharedDir } from './_josim';
import { printTable, writeResults, type Row } from './_table';

function main(): void {
  const josim = findJosim();
  const dir = path.join(sharedDir() ?? '', 'reference', 'josim-netlists');
  if (!josim.binary || !fs.existsSync(dir)) {
    console.error(`JoSIM or its netlists not found (looked at ${josim.looked}); set NEURITE_SHARED or NEURITE_JOSIM.`);
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'neurite-josim-steps-'));
  const rows: Row[] = [];
  for (const c of JOSIM_CASES) {
    const text = (c.edit ?? ((t) => t))(fs.readFileSync(path.join(dir, c.netlist), 'utf8'));
    const file = path.join(tmp, c.netlist);
    fs.writeFileSync(file, text);
    runJosim(josim.binary, file, `${file}.csv`);
    const j = readCsv(`${file}.csv`);
    const n = simulate(text);
    // The same netlist at a tenth of its 0.25 ps step, printed at every step.
    const fineText = text.replace(/^\.tran\s+0\.25p\s+(\S+).*$/im, '.tran 0.025p $1 0 0.025p');
    if (fineText === text) throw new Error(`${c.netlist}: expected a .tran line with a 0.25p step`);
    const fine = simulate(fineText, { tol: 1e-9 });
    for (const col of c.columns) {
      const label = neuriteLabel(col.label);
      const ref = events(col.kind, fine.get('time'), fine.get(label));
      const je = events(col.kind, j.time, j.column(col.label));
      const ne = events(col.kind, n.get('time'), n.get(label));
      ref.forEach((r, k) => {
        const d = (p: Pulse | undefined, f: (p: Pulse) => number, scale: number, digits: number) => (p ? (scale * (f(p) - f(r))).toFixed(digits) : 'missing');
        const pct = (p: Pulse | undefined, f: (p: Pulse) => number) => (p && col.kind !== 'phase' ? (100 * (f(p) / f(r) - 1)).toFixed(2) : '');
        rows.push({
          netlist: c.netlist, column: col.label, '#': k + 1, 't ref ps': (r.time * 1e12).toFixed(2),
          'Δt JoSIM ps': d(je[k], (p) => p.time, 1e12, 3), 'Δt Neurite ps': d(ne[k], (p) => p.time, 1e12, 3),
          'height % J': pct(je[k], (p) => p.height), 'height % N': pct(ne[k], (p) => p.height),
          'width % J': pct(je[k], (p) => p.width), 'width % N': pct(ne[k], (p) => p.width),
          'flux Φ0 J': col.kind === 'sfq' && je[k] ? (je[k].area / PHI0).toFixed(4) : '', 'flux Φ0 N': col.kind === 'sfq' && ne[k] ? (ne[k].area / PHI0).toFixed(4) : '',
        });
      });
    }
  }
  printTable('Pulses at 0.25 ps against Neurite at 0.025 ps (Δ = tool − reference)', rows);
  writeResults('josim-steps', { rows });
  fs.rmSync(tmp, { recursive: true, force: true });
}

main();
