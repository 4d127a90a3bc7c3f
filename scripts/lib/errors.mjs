// @ts-check
// Exit codes shared by every script (documented in docs/deployment.md) and the one error type
// that carries one of them together with one actionable message (and, optionally, what to do).

export const EXIT = /** @type {const} */ ({
  OK: 0,
  /** An unexpected failure (a bug, or an error no check anticipated). */
  ERROR: 1,
  /** Wrong command-line usage. */
  USAGE: 2,
  /** A prerequisite is missing: a tool, a running cluster, an image tag file. */
  PREREQ: 3,
  /** A cluster operation failed (image load, helm, minikube). */
  CLUSTER: 4,
  /** A deploy failed and was rolled back. */
  DEPLOY: 5,
  /** The script refused to act (safety check: context, confirmation). */
  REFUSED: 6,
  /** The app or its pods are not healthy. */
  UNHEALTHY: 7,
  /** Interrupted with Ctrl-C. */
  INTERRUPTED: 130,
});

/** An error whose message is meant for the user as is: printed on one line, without a stack. */
export class ScriptError extends Error {
  /**
   * @param {string} message what is wrong (and, when no hint follows, what to do)
   * @param {number} [exitCode]
   * @param {string} [hint] what to do about it, printed on its own line after `→`
   */
  constructor(message, exitCode = EXIT.ERROR, hint) {
    super(hint ? `${message}\n  → ${hint}` : message);
    this.name = 'ScriptError';
    this.exitCode = exitCode;
  }
}

/** Wrong command line or setting (exit 2). @param {string} message @param {string} [hint] */
export const usageError = (message, hint) => new ScriptError(message, EXIT.USAGE, hint);
/** Something needed is missing (exit 3). @param {string} message @param {string} [hint] */
export const missingError = (message, hint) => new ScriptError(message, EXIT.PREREQ, hint);
