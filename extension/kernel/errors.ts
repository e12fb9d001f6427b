/** Typed kernel errors, so callers can tell a dead kernel from a bad spec. */

export interface KernelExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the kernel wrote to stderr. */
  stderrTail: string;
}

export class KernelDiedError extends Error {
  constructor(readonly exit: KernelExit) {
    super(
      `the Neurite kernel stopped unexpectedly (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`})` +
        (exit.stderrTail ? `; last output:\n${exit.stderrTail}` : ''),
    );
    this.name = 'KernelDiedError';
  }
}

export class KernelStartTimeoutError extends Error {
  constructor(ms: number, stderrTail: string) {
    super(`the Neurite kernel did not answer within ${ms} ms${stderrTail ? `; last output:\n${stderrTail}` : ''}`);
    this.name = 'KernelStartTimeoutError';
  }
}

/** The kernel rejected user input (a spec, a run id); `problems` are `path: message` lines. */
export class KernelInputError extends Error {
  constructor(message: string, readonly problems: string[]) {
    super(message);
    this.name = 'KernelInputError';
  }
}
