// @ts-check
// The one way the scripts and the test harnesses start a process: an executable plus an argument
// array, spawned directly (no shell, so nothing is ever re-parsed, and no shell start-up file can
// change PATH under us). Output forwarded to the log is redacted; a timeout stops the command
// (SIGTERM, then SIGKILL); `pipe` joins two commands with pipefail semantics. Long-lived
// processes (a server, a tunnel) are service.mjs's.
// Dry run: every command is printed and answers as if it had succeeded with no output, so callers
// plan the "cold" path; with `runQueries`, read-only queries still run and only the commands
// marked `change: true` are skipped.
// zx's `$` is not used for this: it always runs the command line through a shell.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { activeChildren } from './cleanup.mjs';
import { createLog } from './log.mjs';

/** How long a command gets between SIGTERM and SIGKILL after its timeout. */
const KILL_GRACE_MS = 5_000;

/**
 * @typedef {{ ok: boolean, exitCode: number, stdout: string, stderr: string, dry: boolean, missing: boolean, ms: number }} RunResult
 * @typedef {{
 *   change?: boolean,
 *   stream?: boolean,
 *   input?: string | NodeJS.ReadableStream,
 *   env?: NodeJS.ProcessEnv,
 *   cwd?: string,
 *   timeoutMs?: number,
 *   inherit?: boolean,
 * }} RunOptions
 *   `change`: the command changes something (always echoed; skipped in any dry run).
 *   `stream`: forward the output live, line by line, redacted. `inherit`: give the command this
 *   terminal. `input`: its standard input.
 * @typedef {[bin: string, args: readonly string[]]} Command
 */

/** @type {RunResult} */
const DRY = Object.freeze({
  ok: true,
  exitCode: 0,
  stdout: '',
  stderr: '',
  dry: true,
  missing: false,
  ms: 0,
});

/**
 * @param {string} bin
 * @param {readonly string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd?: string, input?: string | NodeJS.ReadableStream, inherit?: boolean, timeoutMs?: number, onOutput?: (chunk: string) => void }} o
 * @returns {{ child: import('node:child_process').ChildProcess, done: Promise<RunResult> }}
 */
function start(bin, args, o) {
  const t0 = performance.now();
  const child = spawn(bin, args, {
    env: o.env,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    stdio: o.inherit ? 'inherit' : ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
    o.onOutput?.(d.toString());
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    o.onOutput?.(d.toString());
  });
  if (child.stdin) {
    child.stdin.on('error', () => {}); // the command may exit before reading its input
    if (typeof o.input === 'string') child.stdin.end(o.input);
    else if (o.input) o.input.pipe(child.stdin);
    else child.stdin.end();
  }
  activeChildren.add(child);
  child.on('close', () => activeChildren.delete(child));
  child.on('error', () => activeChildren.delete(child));
  let timedOut = false;
  /** @type {NodeJS.Timeout | undefined} */
  let killer;
  const timer = o.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      }, o.timeoutMs)
    : undefined;
  const stopTimers = () => {
    clearTimeout(timer);
    clearTimeout(killer);
  };
  /** @type {Promise<RunResult>} */
  const done = new Promise((resolve) => {
    child.on('error', (e) => {
      const missing = /** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT';
      stopTimers();
      resolve({
        ok: false,
        exitCode: 127,
        stdout,
        stderr: `${stderr}${missing ? `${bin}: command not found` : e.message}`,
        dry: false,
        missing,
        ms: performance.now() - t0,
      });
    });
    child.on('close', (code, signal) => {
      stopTimers();
      const exitCode = code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15) : 1);
      // 127 + "command not found": a wrapper (e.g. a shim) whose real tool is missing
      const missing = exitCode === 127 && /command not found/i.test(stderr);
      const note = timedOut
        ? `\nerror: no answer within ${Math.round((o.timeoutMs ?? 0) / 1000)}s, stopped`
        : '';
      resolve({
        ok: !timedOut && exitCode === 0,
        exitCode,
        stdout,
        stderr: `${stderr}${note}`,
        dry: false,
        missing,
        ms: performance.now() - t0,
      });
    });
  });
  return { child, done };
}

/**
 * Calls `onLine` once per complete line (without its `\n` or `\r\n`), whatever the chunk
 * boundaries; `flush()` passes on an unterminated last line.
 * @param {(line: string) => void} onLine
 */
export function lineStream(onLine) {
  let pending = '';
  return {
    /** @param {string} chunk */
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) onLine(l.replace(/\r$/, ''));
    },
    flush() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

/**
 * @param {{ dryRun?: boolean, runQueries?: boolean, log?: import('./log.mjs').Log, env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 *   `log` defaults to a logger on stderr (what the test harnesses want); `cwd` is the default
 *   working folder of every command.
 */
export function createRunner(opts = {}) {
  const log = opts.log ?? createLog({ out: process.stderr });
  const dryRun = Boolean(opts.dryRun);
  const runQueries = Boolean(opts.runQueries);
  const baseEnv = opts.env ?? process.env;

  /** @param {RunOptions} o */
  const skipped = (o) => dryRun && (!runQueries || Boolean(o.change));

  /**
   * @param {string} bin
   * @param {readonly string[]} args
   * @param {RunOptions} [o] queries are echoed only with --verbose; changes always.
   * @returns {Promise<RunResult>}
   */
  async function run(bin, args, o = {}) {
    if (skipped(o)) {
      log.command(bin, args, true);
      return DRY;
    }
    if (o.change) log.command(bin, args);
    else log.debug(`$ ${[bin, ...args].join(' ')}`);
    // forwarded line by line (log.output redacts) while the command runs
    const fwd = o.stream && !o.inherit ? lineStream((line) => log.output(line)) : null;
    const cwd = o.cwd ?? opts.cwd;
    const r = await start(bin, args, {
      env: o.env ?? baseEnv,
      ...(cwd ? { cwd } : {}),
      ...(o.input !== undefined ? { input: o.input } : {}),
      ...(o.inherit ? { inherit: true } : {}),
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      ...(fwd ? { onOutput: fwd.push } : {}),
    }).done;
    fwd?.flush();
    return r;
  }

  /**
   * `a | b` with pipefail semantics (fails when either fails), e.g. docker save | ctr import.
   * @param {Command} a
   * @param {Command} b
   * @param {RunOptions} [o] applies to both commands
   * @returns {Promise<RunResult>}
   */
  async function pipe(a, b, o = {}) {
    if (skipped(o)) {
      log.command(a[0], [...a[1], '|', b[0], ...b[1]], true);
      return DRY;
    }
    log.command(a[0], [...a[1], '|', b[0], ...b[1]]);
    const env = o.env ?? baseEnv;
    const cwd = o.cwd ?? opts.cwd;
    const first = start(a[0], a[1], { env, ...(cwd ? { cwd } : {}) });
    // the second command reads the first one's output; the first one's stderr is kept apart
    const firstOut = /** @type {NodeJS.ReadableStream} */ (first.child.stdout);
    first.child.stdout?.removeAllListeners('data');
    const second = start(b[0], b[1], { env, ...(cwd ? { cwd } : {}), input: firstOut });
    const [ra, rb] = await Promise.all([first.done, second.done]);
    if (!ra.ok) return { ...ra, stdout: rb.stdout };
    return rb;
  }

  return { run, pipe, dryRun, log };
}

/** @typedef {ReturnType<typeof createRunner>} Runner */

/**
 * The first meaningful line of a failed command's output, for a one-line message.
 * @param {{ stdout: string, stderr: string, exitCode: number }} r
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
