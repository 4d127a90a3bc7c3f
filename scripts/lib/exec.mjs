// @ts-check
// Runs external commands through zx (arguments are always passed as an array and quoted by zx,
// never assembled into a shell string). In dry-run mode nothing runs: each command is printed and
// answers as if it had succeeded with no output, so callers plan the "cold" path.
import { $ } from 'zx';

/**
 * @typedef {{ ok: boolean, exitCode: number, stdout: string, stderr: string, dry: boolean, missing: boolean }} RunResult
 * @typedef {{
 *   change?: boolean,
 *   stream?: boolean,
 *   input?: string,
 *   env?: NodeJS.ProcessEnv,
 *   cwd?: string,
 *   timeoutMs?: number,
 *   inherit?: boolean,
 * }} RunOptions
 */

/**
 * @param {{ dryRun?: boolean, log: import('./log.mjs').Log, env?: NodeJS.ProcessEnv }} opts
 */
export function createRunner(opts) {
  const { log } = opts;
  const dryRun = Boolean(opts.dryRun);
  const baseEnv = opts.env ?? process.env;

  /**
   * @param {string} bin
   * @param {readonly string[]} args
   * @param {RunOptions} [o] `change: true` marks a command that changes something (always echoed);
   *   queries are echoed only with --verbose. `stream` forwards output live (redacted).
   * @returns {Promise<RunResult>}
   */
  async function run(bin, args, o = {}) {
    if (dryRun) {
      log.command(bin, args, true);
      return { ok: true, exitCode: 0, stdout: '', stderr: '', dry: true, missing: false };
    }
    if (o.change) log.command(bin, args);
    else log.debug(`$ ${[bin, ...args].join(' ')}`);
    const p = $({
      nothrow: true,
      quiet: true,
      verbose: false,
      env: o.env ?? baseEnv,
      ...(o.cwd ? { cwd: o.cwd } : {}),
      ...(o.input !== undefined ? { input: o.input } : {}),
      ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
      ...(o.inherit ? { stdio: 'inherit' } : {}),
    })`${bin} ${args}`;
    if (o.stream && !o.inherit) {
      let pending = '';
      const forward = (/** @type {Buffer | string} */ chunk) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const l of lines) log.output(l);
      };
      p.stdout.on('data', forward);
      p.stderr.on('data', forward);
      p.finally(() => pending && log.output(pending)).catch(() => {});
    }
    const out = await p;
    const exitCode = out.exitCode ?? 1;
    const missing = exitCode === 127 && /not found|No such file/i.test(out.stderr);
    return { ok: exitCode === 0, exitCode, stdout: out.stdout, stderr: out.stderr, dry: false, missing };
  }

  /**
   * `a | b` with pipefail (zx prefixes `set -euo pipefail`), e.g. docker save | ctr import.
   * @param {[string, readonly string[]]} a
   * @param {[string, readonly string[]]} b
   * @param {RunOptions} [o]
   * @returns {Promise<RunResult>}
   */
  async function pipe(a, b, o = {}) {
    if (dryRun) {
      log.command(a[0], [...a[1], '|', b[0], ...b[1]], true);
      return { ok: true, exitCode: 0, stdout: '', stderr: '', dry: true, missing: false };
    }
    log.command(a[0], [...a[1], '|', b[0], ...b[1]]);
    const out = await $({
      nothrow: true,
      quiet: true,
      verbose: false,
      env: o.env ?? baseEnv,
    })`${a[0]} ${a[1]} | ${b[0]} ${b[1]}`;
    const exitCode = out.exitCode ?? 1;
    return {
      ok: exitCode === 0,
      exitCode,
      stdout: out.stdout,
      stderr: out.stderr,
      dry: false,
      missing: exitCode === 127,
    };
  }

  return { run, pipe, dryRun, log };
}

/** @typedef {ReturnType<typeof createRunner>} Runner */

/**
 * The first meaningful line of a failed command's output, for a one-line message.
 * @param {RunResult} r
 */
export function firstError(r) {
  const text = `${r.stderr}\n${r.stdout}`;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /error|fail|denied|refused|not found|unable|cannot/i.test(l)) ??
    lines[0] ??
    `exit code ${r.exitCode}`
  );
}
