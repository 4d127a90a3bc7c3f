// @ts-check
/**
 * Tiny helpers shared by the image scripts (base-images.mjs, image.mjs, container bench):
 * a timed line per step and an error type whose message tells the user what to do.
 */
import { chalk } from 'zx';
import { EXIT } from './errors.mjs';

/**
 * An error whose message is meant for the user as is (no stack trace), with the exit code of
 * docs/deployment.md: EXIT.USAGE for a wrong command line, EXIT.PREREQ for something missing.
 */
export class UserError extends Error {
  /**
   * @param {string} message what went wrong
   * @param {string} [hint] what to do about it
   * @param {number} [exitCode]
   */
  constructor(message, hint, exitCode = EXIT.ERROR) {
    super(hint ? `${message}\n  → ${hint}` : message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** @param {string} message @param {string} [hint] */
export const usageError = (message, hint) => new UserError(message, hint, EXIT.USAGE);
/** @param {string} message @param {string} [hint] */
export const missingError = (message, hint) => new UserError(message, hint, EXIT.PREREQ);

/**
 * Runs `fn` and prints one line with the step's name, its outcome and its duration.
 * @template T
 * @param {string} name
 * @param {() => Promise<T> | T} fn
 * @param {{ stream?: NodeJS.WritableStream }} [options]
 * @returns {Promise<T>}
 */
export async function step(name, fn, options = {}) {
  const out = options.stream ?? process.stderr;
  const started = performance.now();
  out.write(`${chalk.cyan('▸')} ${name}\n`);
  try {
    const result = await fn();
    out.write(
      `${chalk.green('✔')} ${name} ${chalk.dim(`(${formatDuration(performance.now() - started)})`)}\n`,
    );
    return result;
  } catch (error) {
    out.write(`${chalk.red('✖')} ${name} ${chalk.dim(`(${formatDuration(performance.now() - started)})`)}\n`);
    throw error;
  }
}

/**
 * @param {number} ms
 * @returns {string}
 */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Top-level runner for a script's main function: prints a UserError's message without a stack
 * and exits non-zero; anything else is printed in full.
 * @param {() => Promise<void>} main
 */
export function runMain(main) {
  main().catch((/** @type {unknown} */ error) => {
    if (error instanceof UserError) {
      process.stderr.write(`${chalk.red('error:')} ${error.message}\n`);
      process.exit(error.exitCode);
    } else if (error && typeof error === 'object' && 'stderr' in error && 'exitCode' in error) {
      // a failed zx command: its stderr says more than the stack
      const e = /** @type {{ stderr: string, exitCode: number, message: string }} */ (error);
      process.stderr.write(
        `${chalk.red('error:')} command failed (exit ${e.exitCode})\n${e.stderr || e.message}\n`,
      );
    } else {
      process.stderr.write(
        `${chalk.red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}
