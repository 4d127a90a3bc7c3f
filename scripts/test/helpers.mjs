// @ts-check
// What the scripts' unit tests share: temporary folders, a configuration read from given
// variables, a logger that writes nowhere, and a runner that answers from a table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../lib/env.mjs';
import { createLog } from '../lib/log.mjs';

/**
 * Temporary folders for one test file, removed after its tests; call it at the top of the file.
 * `cfgOf(vars)` is the configuration the scripts read from `vars` alone (in an empty folder: no
 * `.env`), or in the checkout `root`.
 */
export function useTempDirs() {
  const made = /** @type {string[]} */ ([]);
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });
  function tmpdir() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scripts-test-'));
    made.push(dir);
    return dir;
  }
  /** @param {Record<string, string>} vars */
  const cfgOf = (vars, root = tmpdir()) => loadConfig({ root, env: vars });
  return { tmpdir, cfgOf };
}

/** A sink that records what the logger writes. */
export function sink() {
  const lines = /** @type {string[]} */ ([]);
  return { lines, write: (/** @type {string} */ s) => lines.push(s) };
}

/** A logger whose output goes nowhere. */
export const quietLog = () => createLog({ out: sink(), err: sink(), color: false });

/**
 * A runner that answers from a table instead of running anything, and records the calls.
 * @param {Record<string, Partial<import('../lib/exec.mjs').RunResult>>} answers keyed by "bin arg0 arg1…" prefixes
 */
export function fakeRunner(answers) {
  const calls = /** @type {string[]} */ ([]);
  const answer = (/** @type {string} */ cmd) => {
    const key = Object.keys(answers)
      .filter((k) => cmd.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    return {
      ok: true,
      exitCode: 0,
      stdout: '',
      stderr: '',
      dry: false,
      missing: false,
      ...(key ? answers[key] : {}),
    };
  };
  return {
    calls,
    dryRun: false,
    log: quietLog(),
    /** @param {string} bin @param {readonly string[]} args */
    async run(bin, args) {
      const cmd = [bin, ...args].join(' ');
      calls.push(cmd);
      return answer(cmd);
    },
    /** @param {[string, readonly string[]]} a @param {[string, readonly string[]]} b */
    async pipe(a, b) {
      const cmd = `${[a[0], ...a[1]].join(' ')} | ${[b[0], ...b[1]].join(' ')}`;
      calls.push(cmd);
      return answer(cmd);
    },
  };
}
