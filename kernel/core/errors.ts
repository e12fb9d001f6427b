/**
 * Errors the kernel reports to users. Each carries the problems as `place: message` lines,
 * so the CLI, the extension and the protocol show the same located text.
 */
export class InputError extends Error {
  constructor(readonly problems: string[], readonly source?: string) {
    super((source ? `${source}: ` : '') + (problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`));
    this.name = 'InputError';
  }
}

/** Thrown at a cancellation point when the run was cancelled. */
export class CancelledError extends Error {
  constructor(message = 'run cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A run that cannot go on (NaN loss, diverged solver…): the message says where and why. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}
