/**
 * Property-based fuzzing (fast-check) guarded against what fuzzing looks for. Each property runs
 * in a worker thread with a capped heap and tells the main thread about every case before it
 * runs it. A case that takes longer than CASE_MS fails the property (fast-check then shrinks it);
 * a case that never returns (no news for HANG_MS) or fills the heap ends the worker, and the
 * main thread reports it with its seed, its index and its input, saved whole to a file.
 *
 * Seeded: each property's seed comes from its name; FUZZ_SEED=n runs every property with seed n,
 * FUZZ_RUNS=n runs n cases per property instead of the CI count (a longer hunt).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { tempDir } from '../helpers';

export interface Fuzz<T> {
  /** Cases per CI run. */
  runs: number;
  /** The inputs (built in the worker). */
  input: () => fc.Arbitrary<T>;
  /** Returns, or throws an error the parser is allowed to throw; anything else fails. */
  check: (input: T) => unknown;
}

/** One case of any parser here takes milliseconds; this bound only catches the pathological. */
const CASE_MS = 2000;
const HANG_MS = 15_000;
const HEAP_MB = 256;
const TOTAL_MS = 240_000;

interface Job {
  fuzzFile: string;
  title: string;
  name: string;
  seed: number;
  runs: number;
}

type Report = { case: number; input: unknown } | { done: number } | { failed: string };

/**
 * Register one mocha test per property (main thread), or run the property a worker was
 * started for (the worker loads this same test file).
 */
export function fuzzSuite(file: string, title: string, properties: Record<string, Fuzz<any>>): void {
  if (!isMainThread) {
    const job = workerData as Job | undefined;
    if (job?.fuzzFile === file && job.title === title) void runProperty(properties[job.name], job);
    return;
  }
  describe(title, function () {
    this.timeout(process.env.FUZZ_RUNS ? 0 : TOTAL_MS + 10_000); // a longer hunt has no overall limit
    for (const [name, p] of Object.entries(properties)) {
      it(name, () => inWorker({ fuzzFile: file, title, name, seed: seedOf(name), runs: runsOf(p) }));
    }
  });
}

/** An input the fuzzer found, kept as a named case: run once, under the same guards. */
export function found<T>(input: T, check: (input: T) => unknown): Fuzz<T> {
  return { runs: 1, input: () => fc.constant(input), check };
}

function seedOf(name: string): number {
  if (process.env.FUZZ_SEED) return Number(process.env.FUZZ_SEED);
  let h = 0x811c9dc5; // FNV-1a: a fixed seed per property, different between properties
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

function runsOf(p: Fuzz<unknown>): number {
  return process.env.FUZZ_RUNS && p.runs > 1 ? Number(process.env.FUZZ_RUNS) : p.runs;
}

async function runProperty<T>(p: Fuzz<T>, job: Job): Promise<void> {
  const post = (r: Report) => parentPort!.postMessage(r);
  let index = 0;
  const property = fc.asyncProperty(p.input(), async (input) => {
    post({ case: index++, input });
    const t0 = performance.now();
    await p.check(input);
    const ms = performance.now() - t0;
    if (ms > CASE_MS) throw new Error(`the case took ${ms.toFixed(0)} ms (bound: ${CASE_MS} ms)`);
  });
  try {
    await fc.assert(property, { seed: job.seed, numRuns: job.runs });
    post({ done: index });
  } catch (e) {
    const cause = (e as Error).cause as Error | undefined; // fast-check keeps the case's own error here
    post({ failed: `${(e as Error).message}${cause ? `\nThe case threw: ${cause.stack ?? cause}` : ''}` });
  }
}

function inWorker(job: Job): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(job.fuzzFile, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
    let last: { case: number; input: unknown } | undefined;
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const total = process.env.FUZZ_RUNS ? undefined : setTimeout(() => finish(`the property ran past ${TOTAL_MS / 1000} s`), TOTAL_MS);
    const finish = (problem?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      clearTimeout(total);
      void worker.terminate();
      if (problem === undefined) resolve();
      else reject(new Error(failureText(job, problem, last)));
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => finish(`case ${last?.case ?? 0} did not finish within ${HANG_MS / 1000} s: a hang`), HANG_MS);
    };
    worker.on('message', (r: Report) => {
      if ('case' in r) {
        last = r;
        arm();
      } else if ('done' in r) finish();
      else finish(r.failed);
    });
    worker.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `case ${last?.case} filled the ${HEAP_MB} MB heap` : `the worker died: ${e.stack ?? e}`));
    worker.on('exit', (code) => finish(`the worker exited (code ${code}) before the property finished`));
    arm();
  });
}

/** The failure, how to replay it, and the last input (whole, in a file, for a hang or a crash). */
function failureText(job: Job, problem: string, last: { case: number; input: unknown } | undefined): string {
  const lines = [`${job.name}: ${problem}`, `seed ${job.seed}, ${job.runs} cases; replay with FUZZ_SEED=${job.seed}`];
  if (last && !problem.includes('Counterexample')) {
    const file = path.join(tempDir('neurite-fuzz-'), `case-${last.case}.${typeof last.input === 'string' ? 'txt' : last.input instanceof Uint8Array ? 'bin' : 'json'}`);
    const whole = typeof last.input === 'string' || last.input instanceof Uint8Array ? last.input : fc.stringify(last.input);
    fs.writeFileSync(file, whole);
    const shown = fc.stringify(last.input);
    lines.push(`last case (${last.case}), saved to ${file}: ${shown.length > 600 ? shown.slice(0, 600) + '…' : shown}`);
  }
  return lines.join('\n');
}
