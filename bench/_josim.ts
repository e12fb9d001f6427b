/**
 * JoSIM, the reference simulator of bench/circuits.ts and test/unit/circuits/josim.unit.test.ts:
 * where it is, running a program with its CPU time measured, and reading JoSIM's CSV.
 *
 * Where: $NEURITE_JOSIM (the binary) if set; else tools/josim/josim-cli in the shared folder,
 * which is $NEURITE_SHARED if set, else the first `shared/` beside the repository or above it
 * (../shared for a checkout at /work/main, ../../shared for a worktree at /work/wt/<name>).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The shared folder of reference tools and files, or undefined (with the places looked at in `looked`). */
export function sharedDir(looked: string[] = []): string | undefined {
  if (process.env.NEURITE_SHARED) {
    looked.push(`$NEURITE_SHARED=${process.env.NEURITE_SHARED}`);
    return fs.existsSync(process.env.NEURITE_SHARED) ? path.resolve(process.env.NEURITE_SHARED) : undefined;
  }
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    looked.push(candidate);
    if (fs.existsSync(path.join(candidate, 'tools')) || fs.existsSync(path.join(candidate, 'reference'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** JoSIM's binary and where it was looked for; `binary` is undefined when it is not there. */
export function findJosim(): { binary?: string; looked: string } {
  if (process.env.NEURITE_JOSIM) {
    const b = path.resolve(process.env.NEURITE_JOSIM);
    return { binary: fs.existsSync(b) ? b : undefined, looked: `$NEURITE_JOSIM=${b}` };
  }
  const looked: string[] = [];
  const shared = sharedDir(looked);
  const binary = shared && path.join(shared, 'tools', 'josim', 'josim-cli');
  return { binary: binary && fs.existsSync(binary) ? binary : undefined, looked: binary ?? `shared/ in ${looked.join(', ')}` };
}

export interface Timed {
  wallS: number;
  /** User + system CPU time of the program and its children (bash's `times`, 1 ms resolution). */
  cpuS: number;
  status: number | null;
  stderr: string;
}

/** Run a program (its stdout discarded) in `cwd` and measure its wall and CPU time. */
export function timed(program: string, args: string[], cwd?: string): Timed {
  const t0 = performance.now();
  // `times` prints the shell's own user/sys times, then its children's.
  const r = spawnSync('bash', ['-c', '"$0" "$@" > /dev/null; s=$?; times; exit $s', program, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, cwd });
  const wallS = (performance.now() - t0) / 1000;
  const lines = r.stdout.trim().split('\n');
  const secs = [...(lines[lines.length - 1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallS, cpuS: secs.length === 2 ? secs[0] + secs[1] : NaN, status: r.status, stderr: r.stderr };
}

export interface Csv {
  labels: string[];
  time: Float64Array;
  column(label: string): Float64Array;
}

/** A JoSIM (or `neurite sim`) CSV: `time`, then one column per .print; labels lose their quotes. */
export function readCsv(file: string): Csv {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  // Labels may hold commas inside their quotes: "V(2,0)".
  const labels = [...lines[0].matchAll(/"([^"]*)"|([^,]+)/g)].map((m) => (m[1] ?? m[2]).trim());
  const cols = labels.map(() => new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    for (let c = 0; c < labels.length; c++) cols[c][r - 1] = Number(cells[c]);
  }
  const byLabel = new Map(labels.map((l, i) => [l.toUpperCase(), cols[i]]));
  return {
    labels: labels.slice(1),
    time: cols[0],
    column(label) {
      const c = byLabel.get(label.toUpperCase());
      if (!c) throw new Error(`no column ${label} in ${file} (has ${labels.join(', ')})`);
      return c;
    },
  };
}

/**
 * Run JoSIM on a netlist file, timed, in the CSV's folder (an `.iv` line writes a file there);
 * its CSV goes to `csv`. Phase mode (-a 1) is its default and its fastest (bench/circuits.ts).
 */
export function runJosim(binary: string, netlist: string, csv: string, analysis: 0 | 1 = 1): Timed {
  const r = timed(binary, ['-m', '1', '-a', String(analysis), '-o', path.resolve(csv), path.resolve(netlist)], path.dirname(path.resolve(csv)));
  if (r.status !== 0) throw new Error(`JoSIM failed on ${netlist} (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return r;
}
