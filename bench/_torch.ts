/**
 * The PyTorch builds the benchmarks compare with, and their processes (a bench's Python script,
 * e.g. bench/dense_torch.py, bench/attribution_torch.py).
 * Two builds: Debian's python3-torch (1.13, /usr/bin/python3) and a current CPU build,
 * torch==2.13.0+cpu, in a venv under the Neurite cache that is made on first use
 * (`python3 -m venv` + `pip install`; pip on this machine kind installs it from a local wheel
 * folder). A build that cannot be found or installed is skipped with the reason.
 *
 * Each setting (build, OMP_WAIT_POLICY, thread count) is a process of its own: OpenMP reads the
 * policy once, at start, and a pool once grown to 2 threads keeps its second thread (spinning,
 * under ACTIVE) after torch.set_num_threads(1). A process is stopped (SIGSTOP) whenever it is
 * not being measured: with OMP_WAIT_POLICY=ACTIVE its idle OpenMP threads spin (torch 2.13 here:
 * ~0.4 CPU-seconds per second while waiting for a command), which would slow every other
 * measurement of the round.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { cacheRoot } from '../kernel/data/download';

export const CURRENT_TORCH = '2.13.0+cpu';
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** A Python script in bench/, by file name. */
export const benchScript = (name: string) => path.resolve(__dirname, '..', '..', 'bench', name);

export interface TorchBuild {
  /** How the table names it, e.g. "torch 2.13.0+cpu". */
  label: string;
  python: string;
}

/** A Python interpreter's torch version, or null when it has none. */
function torchVersion(python: string): string | null {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore::UserWarning' } });
  return r.status === 0 ? r.stdout.trim().split('\n').pop()! : null;
}

/**
 * The venv with the current torch build, made (once) if absent: `$NEURITE_CACHE/torch-venv`.
 * A marker file says the install finished, so a half-made venv is made again.
 */
function currentTorchPython(log: (s: string) => void): { python: string } | { skipped: string } {
  const venv = path.join(cacheRoot(), 'torch-venv');
  const python = path.join(venv, 'bin', 'python');
  const done = path.join(venv, '.neurite-installed');
  if (fs.existsSync(done) && torchVersion(python) === CURRENT_TORCH) return { python };
  const base = ['python3', DEBIAN_PYTHON].find((p) => spawnSync(p, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0);
  if (!base) return { skipped: 'no python3 with the venv module (Debian: apt-get install python3-venv)' };
  log(`making ${venv} (python3 -m venv; pip install torch==${CURRENT_TORCH}), once; this takes a few minutes`);
  fs.rmSync(venv, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  const steps: [string, string[]][] = [
    [base, ['-m', 'venv', venv]],
    [python, ['-m', 'pip', 'install', '--quiet', `torch==${CURRENT_TORCH}`]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) {
      const why = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-2).join(' ');
      const hint = cmd === python ? ` (pip needs the wheel: a local wheel folder, or \`--index-url https://download.pytorch.org/whl/cpu\` in pip's configuration)` : '';
      return { skipped: `\`${path.basename(cmd)} ${args.join(' ')}\` failed: ${why}${hint}` };
    }
  }
  if (torchVersion(python) !== CURRENT_TORCH) return { skipped: `the venv's torch is ${torchVersion(python)}, not ${CURRENT_TORCH}` };
  fs.writeFileSync(done, `torch==${CURRENT_TORCH}\n`);
  return { python };
}

/** The PyTorch builds to compare with, and the ones skipped with why. */
export function torchBuilds(log: (s: string) => void): { builds: TorchBuild[]; skipped: string[] } {
  const builds: TorchBuild[] = [];
  const skipped: string[] = [];
  const current = currentTorchPython(log);
  if ('python' in current) builds.push({ label: `torch ${CURRENT_TORCH}`, python: current.python });
  else skipped.push(`torch ${CURRENT_TORCH}: ${current.skipped}`);
  const debian = fs.existsSync(DEBIAN_PYTHON) ? torchVersion(DEBIAN_PYTHON) : null;
  if (debian) builds.push({ label: `torch ${debian} (Debian)`, python: DEBIAN_PYTHON });
  else skipped.push(`Debian's torch: ${DEBIAN_PYTHON} has no torch (apt-get install python3-torch)`);
  return { builds, skipped };
}

// A stopped child would outlive a benchmark that fails or is interrupted: on exit (Ctrl-C and
// kill exit through it), continue each child and end it.
const children = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const c of children) {
    c.kill('SIGCONT');
    c.kill();
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** OpenMP's wait policy for a process: PASSIVE (threads sleep at once), ACTIVE (spin), or unset (the library's default). */
export type WaitPolicy = 'PASSIVE' | 'ACTIVE' | 'default';
export const WAIT_POLICIES: WaitPolicy[] = ['PASSIVE', 'ACTIVE', 'default'];

/** One PyTorch process: one JSON command per line, one JSON answer per line; stopped between commands. */
export class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterableIterator<string>;
  version = '';

  /** `script args…` under `build`'s Python; the script answers a first line {torch, threads} once ready. */
  constructor(readonly build: TorchBuild, readonly policy: WaitPolicy, readonly threads: number, script: string, args: string[]) {
    // torch 2.x without numpy warns at import that it could not load numpy (not used here).
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONWARNINGS: 'ignore::UserWarning' };
    env.OMP_NUM_THREADS = String(threads);
    if (policy === 'default') delete env.OMP_WAIT_POLICY;
    else env.OMP_WAIT_POLICY = policy;
    this.child = spawn(build.python, [script, ...args], { env });
    this.child.stderr.on('data', (d) => process.stderr.write(d));
    children.add(this.child);
    this.child.once('exit', () => children.delete(this.child));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** The setting, as tables name it. */
  get setting(): string {
    return `OMP_WAIT_POLICY=${this.policy === 'default' ? '(unset)' : this.policy}, ${this.threads} thread${this.threads > 1 ? 's' : ''}`;
  }

  /** Wait for the process to load torch and the data, then stop it until it is asked something. */
  async start(): Promise<this> {
    const hello = await this.next();
    if (hello.threads !== this.threads) throw new Error(`${this.build.label} runs ${hello.threads} threads, not ${this.threads}`);
    this.version = hello.torch;
    this.child.kill('SIGSTOP');
    return this;
  }

  private async next(): Promise<any> {
    const r = await this.lines.next();
    if (r.done) throw new Error(`the PyTorch process (${this.build.label}, ${this.setting}) ended`);
    return JSON.parse(r.value);
  }

  async ask(cmd: object): Promise<any> {
    this.child.kill('SIGCONT');
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    try {
      return await this.next();
    } finally {
      this.child.kill('SIGSTOP');
    }
  }

  stop(): void {
    this.child.kill('SIGCONT');
    this.child.stdin.end();
  }
}
