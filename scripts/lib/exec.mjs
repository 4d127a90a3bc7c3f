// @ts-check
// Runs external commands: always an executable plus an argument array, spawned directly (no
// shell, so nothing is ever re-parsed, and no shell start-up file can change PATH under us).
// In dry-run mode nothing runs: each command is printed and answers as if it had succeeded with
// no output, so callers plan the "cold" path.
import { spawn } from 'node:child_process';
import { activeChildren } from './cleanup.mjs';

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

/** @type {RunResult} */
const DRY = { ok: true, exitCode: 0, stdout: '', stderr: '', dry: true, missing: false };

/**
 * @param {string} bin
 * @param {readonly string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd?: string, input?: string | NodeJS.ReadableStream, inherit?: boolean, timeoutMs?: number, onOutput?: (chunk: string) => void }} o
 * @returns {{ child: import('node:child_process').ChildProcess, done: Promise<RunResult> }}
 */
function start(bin, args, o) {
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
  const timer = o.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
      }, o.timeoutMs)
    : null;
  const done = new Promise((resolve) => {
    child.on('error', (e) => {
      const missing = /** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT';
      if (timer) clearTimeout(timer);
      resolve({
        ok: false,
        exitCode: 127,
        stdout,
        stderr: `${stderr}${missing ? `${bin}: command not found` : e.message}`,
        dry: false,
        missing,
      });
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const exitCode = code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1);
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
      });
    });
  });
  return { child, done: /** @type {Promise<RunResult>} */ (done) };
}

/**
 * @param {{ dryRun?: boolean, log: import('./log.mjs').Log, env?: NodeJS.ProcessEnv }} opts
 */
export function createRunner(opts) {
  const { log } = opts;
  const dryRun = Boolean(opts.dryRun);
  const baseEnv = opts.env ?? process.env;

  /** Forwards output line by line, redacted, while the command runs. */
  function lineForwarder() {
    let pending = '';
    return {
      /** @param {string} chunk */
      push(chunk) {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const l of lines) log.output(l);
      },
      flush() {
        if (pending) log.output(pending);
        pending = '';
      },
    };
  }

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
      return DRY;
    }
    if (o.change) log.command(bin, args);
    else log.debug(`$ ${[bin, ...args].join(' ')}`);
    const fwd = o.stream && !o.inherit ? lineForwarder() : null;
    const r = await start(bin, args, {
      env: o.env ?? baseEnv,
      ...(o.cwd ? { cwd: o.cwd } : {}),
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
   * @param {[string, readonly string[]]} a
   * @param {[string, readonly string[]]} b
   * @param {RunOptions} [o]
   * @returns {Promise<RunResult>}
   */
  async function pipe(a, b, o = {}) {
    log.command(a[0], [...a[1], '|', b[0], ...b[1]], dryRun);
    if (dryRun) return DRY;
    const env = o.env ?? baseEnv;
    const first = spawn(a[0], a[1], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    activeChildren.add(first);
    first.on('close', () => activeChildren.delete(first));
    first.on('error', () => activeChildren.delete(first));
    let firstErr = '';
    first.stderr.on('data', (d) => {
      firstErr += d;
    });
    const firstDone = new Promise((resolve) => {
      first.on('error', (e) =>
        resolve({ code: 127, missing: /** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT' }),
      );
      first.on('close', (code) => resolve({ code: code ?? 1, missing: false }));
    });
    const second = start(b[0], b[1], { env, input: first.stdout });
    const [fa, rb] = await Promise.all([firstDone, second.done]);
    const ra = /** @type {{ code: number, missing: boolean }} */ (fa);
    if (ra.code !== 0) {
      return {
        ok: false,
        exitCode: ra.code,
        stdout: rb.stdout,
        stderr: `${firstErr}${ra.missing ? `${a[0]}: command not found` : ''}`,
        dry: false,
        missing: ra.missing,
      };
    }
    return rb;
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
