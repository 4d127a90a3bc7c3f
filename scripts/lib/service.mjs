// @ts-check
// Long-lived processes the scripts and harnesses start and stop again: a server under test, the
// `minikube service --url` tunnel. Like exec.mjs's commands: an argument array, no shell.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { onCleanup } from './cleanup.mjs';

/**
 * A long-lived process (a server under test, a tunnel) in its own process group, so `stop()`
 * reaches everything it started. Keeps the last 20,000 characters of its output for messages.
 * @param {string} name shown in messages
 * @param {string} bin
 * @param {readonly string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, onOutput?: (text: string, stream: 'stdout' | 'stderr') => void }} [o]
 *   `onOutput`: every chunk as it arrives (a follower that prints or parses the stream)
 */
export function startService(name, bin, args, o = {}) {
  const child = spawn(bin, args, {
    env: o.env ?? process.env,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  /** @type {Set<(text: string) => void>} */
  const watchers = new Set();
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
    for (const w of watchers) w(output);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (o.onOutput) {
    const { onOutput } = o;
    // a character split across two chunks is decoded whole
    const [out, err] = [new StringDecoder('utf8'), new StringDecoder('utf8')];
    child.stdout?.on('data', (/** @type {Buffer} */ d) => onOutput(out.write(d), 'stdout'));
    child.stderr?.on('data', (/** @type {Buffer} */ d) => onOutput(err.write(d), 'stderr'));
  }
  const exited = new Promise((resolve) => child.once('close', resolve));
  child.on('error', (e) => {
    output += `\n${e.message}`;
  });
  /** @param {NodeJS.Signals} signal */
  const signalGroup = (signal) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // A script interrupted with Ctrl-C does not leave it behind (its own process group does not
  // get the terminal's signal).
  const forget = onCleanup(() => signalGroup('SIGTERM'), { signals: false });
  exited.then(forget);
  return {
    name,
    child,
    /** Its recent output, headed by its name. */
    log: () => `--- ${name} output ---\n${output}`,
    /** Whether it has exited. */
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /**
     * The first match of `pattern` in its output; rejects when it exits first or after `timeoutMs`.
     * @param {RegExp} pattern
     * @param {number} timeoutMs
     * @returns {Promise<RegExpExecArray>}
     */
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        /** @param {string} text */
        const check = (text) => {
          const m = pattern.exec(text);
          if (m) finish(() => resolve(m));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${name} printed no ${pattern} within ${timeoutMs / 1000}s`))),
          timeoutMs,
        );
        /** @param {() => void} settle */
        const finish = (settle) => {
          clearTimeout(timer);
          watchers.delete(check);
          settle();
        };
        watchers.add(check);
        exited.then(() =>
          finish(() =>
            reject(new Error(`${name} exited with code ${child.exitCode} before printing ${pattern}`)),
          ),
        );
        check(output);
      });
    },
    /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it has exited. */
    async stop(graceMs = 10_000) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** @typedef {ReturnType<typeof startService>} Service */
