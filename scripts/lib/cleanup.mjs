// @ts-check
// Cleanup that also runs on Ctrl-C / SIGTERM: temporary files (secrets, image tarballs) are
// removed whatever happens, and a stale one left by a killed run is swept by the next run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** @type {Set<() => void>} */
const handlers = new Set();
let installed = false;

/** Runs every registered cleanup synchronously (safe to call twice). */
export function runCleanups() {
  for (const h of [...handlers]) {
    handlers.delete(h);
    try {
      h();
    } catch {
      // best effort: never mask the original failure
    }
  }
}

/**
 * Registers a synchronous cleanup; returns a function that runs and unregisters it.
 * @param {() => void} fn
 * @param {{ signals?: boolean }} [o] `signals: false` leaves the signal handlers to the script
 *   frame (a test harness keeps its own; the cleanup then runs only when asked)
 */
export function onCleanup(fn, o = {}) {
  if (o.signals !== false) installSignalHandlers();
  handlers.add(fn);
  return () => {
    if (handlers.delete(fn)) fn();
  };
}

/** Child processes running now (registered by the runner), so a signal can wait for them. */
export const activeChildren = new Set(/** @type {import('node:child_process').ChildProcess[]} */ ([]));

/** The signal that interrupted this run, if any. */
export const interruption = { signal: /** @type {NodeJS.Signals | null} */ (null) };

/**
 * On Ctrl-C (SIGINT) the terminal signals the whole process group, so a running child (helm,
 * minikube) gets it too and stops in its own orderly way (helm cancels and rolls back); the script
 * waits for it, unwinds, cleans up and exits 130. SIGTERM/SIGHUP reach only this process: they
 * are forwarded to the children. A second signal exits at once, after the cleanups.
 * @param {(signal: NodeJS.Signals, waiting: boolean) => void} [onSignal]
 */
export function installSignalHandlers(onSignal) {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(sig, () => {
      const first = interruption.signal === null;
      interruption.signal ??= sig;
      if (first && activeChildren.size > 0) {
        if (sig !== 'SIGINT') for (const c of activeChildren) c.kill(sig);
        onSignal?.(sig, true);
        return;
      }
      runCleanups();
      onSignal?.(sig, false);
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** What the private temp folders hold: `todo-<kind>-<pid>-XXXXXX` in the system temp folder. */
const TEMP_KINDS = /** @type {const} */ (['secrets', 'image']);
const STALE = new RegExp(`^todo-(?:${TEMP_KINDS.join('|')})-(\\d+)-`);

/** Whether process `pid` still exists (one of another user's counts). @param {number} pid */
export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/** Removes temp folders of earlier runs whose process is gone (e.g. killed with SIGKILL). */
export function sweepStaleTempDirs(dir = os.tmpdir()) {
  let entries;
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of entries) {
    const m = STALE.exec(name);
    if (!m) continue;
    if (!processAlive(Number(m[1]))) {
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** The sweep runs once per process, before its first temp folder. */
let swept = false;

/**
 * A folder only the current user can read (0700). It goes with `remove()`, at exit, on Ctrl-C,
 * or (after a SIGKILL) with the next run's sweep.
 * @param {typeof TEMP_KINDS[number]} kind
 * @returns {{ dir: string, remove: () => void }}
 */
export function privateTempDir(kind) {
  if (!swept) {
    sweepStaleTempDirs();
    swept = true;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `todo-${kind}-${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  const remove = onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }), { signals: false });
  return { dir, remove };
}

/**
 * `privateTempDir` for the duration of `fn(dir)`; removed afterwards, also on error and on Ctrl-C.
 * @template T
 * @param {typeof TEMP_KINDS[number]} kind
 * @param {(dir: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withTempDir(kind, fn) {
  installSignalHandlers();
  const { dir, remove } = privateTempDir(kind);
  try {
    return await fn(dir);
  } finally {
    remove();
  }
}

/**
 * Writes `content` to a file only the current user can read (folder 0700, file 0600), in a
 * `privateTempDir`.
 * @param {string} name file name, e.g. `values.yaml`
 * @param {string} content
 * @returns {{ file: string, remove: () => void }}
 */
export function secretFile(name, content) {
  const { dir, remove } = privateTempDir('secrets');
  try {
    return { file: writeSecret(dir, name, content), remove };
  } catch (e) {
    remove();
    throw e;
  }
}

/** @param {string} dir @param {string} name @param {string} content */
function writeSecret(dir, name, content) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return file;
}

/**
 * `secretFile` for the duration of `fn(file)`; removed afterwards, also on error and on Ctrl-C.
 * @template T
 * @param {string} name
 * @param {string} content
 * @param {(file: string) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export function withSecretFile(name, content, fn) {
  return withTempDir('secrets', (dir) => fn(writeSecret(dir, name, content)));
}

/**
 * `KEY=value` lines for `docker run --env-file` (which takes each line literally: no quoting,
 * so a value may not hold a line break).
 * @param {Record<string, string>} vars
 */
export function envFileText(vars) {
  for (const [k, v] of Object.entries(vars)) {
    if (/[\r\n]/.test(v)) throw new Error(`env value of ${k} holds a line break`);
  }
  return `${Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}
