/**
 * Errors the kernel reports to users. Each carries the problems as `place: message` lines,
 * so the CLI, the extension and the protocol show the same located text.
 */
export class InputError extends Error {
  readonly problems: string[];
  constructor(problems: string[], readonly source?: string) {
    const shown = problems.map(printable);
    super((source ? `${source}: ` : '') + (shown.length === 1 ? shown[0] : `${shown.length} problems:\n  ${shown.join('\n  ')}`));
    this.problems = shown;
    this.name = 'InputError';
  }
}

/** Control characters (NUL, ESC, line breaks…) that a damaged file put in a message, escaped: one problem stays one line, and nothing from the file drives the terminal. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
