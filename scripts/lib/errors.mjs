// @ts-check
// Exit codes shared by every script (documented in docs/deployment.md) and the error type that
// carries one of them together with one actionable message.

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

export class ScriptError extends Error {
  /**
   * @param {string} message one actionable sentence: what is wrong and what to do
   * @param {number} [exitCode]
   */
  constructor(message, exitCode = EXIT.ERROR) {
    super(message);
    this.name = 'ScriptError';
    this.exitCode = exitCode;
  }
}
