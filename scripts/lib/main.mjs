// @ts-check
// The frame every script runs in: parse the command line, print --help, load configuration,
// build the logger (which knows the secrets to redact) and the command runner, turn errors into
// one actionable line and an exit code (errors.mjs), and clean up on Ctrl-C.
import { performance } from 'node:perf_hooks';
import { helpText, parseCli } from './args.mjs';
import { installSignalHandlers, interruption, runCleanups } from './cleanup.mjs';
import { loadConfig } from './env.mjs';
import { EXIT, ScriptError } from './errors.mjs';
import { createRunner } from './exec.mjs';
import { createLog, formatDuration } from './log.mjs';

/**
 * @typedef {{
 *   cli: ReturnType<typeof parseCli>,
 *   cfg: import('./env.mjs').Config,
 *   log: import('./log.mjs').Log,
 *   runner: import('./exec.mjs').Runner,
 * }} ScriptContext
 */

/**
 * @param {import('./args.mjs').CliSpec} spec
 * @param {(ctx: ScriptContext) => Promise<number | undefined | void>} body returns the exit code (default 0)
 */
export async function runScript(spec, body) {
  const t0 = performance.now();
  const out = spec.logTo === 'stderr' ? process.stderr : process.stdout;
  let log = createLog({ out });
  // Output piped into a pager or `head` that quits early: stop quietly instead of crashing.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (/** @type {NodeJS.ErrnoException} */ (e).code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  /** @param {NodeJS.Signals} sig */
  const interrupted = (sig) => {
    const note = spec.interruptNote?.();
    if (note) log.info(`${spec.name}: ${note}`);
    else
      log.problem(
        `${spec.name}: interrupted (${sig}). The next run repairs anything left half-done: run the same command again.`,
      );
  };
  installSignalHandlers((sig, waiting) => {
    if (waiting)
      log.warn(
        `${spec.name}: ${sig}: letting the running command stop cleanly (press Ctrl-C again to leave at once)`,
      );
    else interrupted(sig);
  });
  /** @type {number} */
  let code = EXIT.OK;
  try {
    const cli = parseCli(spec);
    if (cli.help) {
      process.stdout.write(helpText(spec));
      return;
    }
    const cfg = loadConfig();
    log = createLog({ out, secrets: cfg.secrets, verbose: cli.verbose || Boolean(cfg.get('VERBOSE')) });
    const runQueries = spec.dryRun === 'queries';
    const runner = createRunner({ dryRun: cli.dryRun, runQueries, log });
    if (cli.dryRun)
      log.info(
        `${spec.name}: dry run, ${runQueries ? 'read-only queries run, nothing is changed' : 'no command will be executed'}`,
      );
    code = (await body({ cli, cfg, log, runner })) ?? EXIT.OK;
  } catch (e) {
    if (e instanceof ScriptError) {
      log.problem(`${spec.name}: ${e.message}`);
      code = e.exitCode;
    } else {
      log.problem(
        `${spec.name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      code = EXIT.ERROR;
    }
  } finally {
    runCleanups();
  }
  if (interruption.signal) {
    interrupted(interruption.signal);
    code = interruption.signal === 'SIGINT' ? EXIT.INTERRUPTED : 143;
  }
  if (process.env.TODO_SCRIPT_TIMING !== '0') {
    log.debug(`${spec.name}: finished in ${formatDuration(performance.now() - t0)} with exit code ${code}`);
  }
  process.exitCode = code;
}
