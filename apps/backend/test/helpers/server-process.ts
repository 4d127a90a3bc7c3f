// The backend as a child process, as its image runs it: started with a bare environment, its
// output gathered for the test to read, and waited on over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/backend: the working folder of the server process. */
export const BACKEND_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
  /** Everything it has written so far, stdout and stderr together. */
  output(): string;
}

/**
 * Starts `node <args>` in apps/backend with `env` and nothing else of this process's environment
 * but PATH (HOME is the temporary folder).
 */
export function startServerProcess(args: readonly string[], env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, args, {
    cwd: BACKEND_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/**
 * Polls `fn` every 250 ms until it returns something, failing early when the server process
 * exits and after `timeoutMs`.
 */
export async function waitFor<T>(
  base: string,
  child: ChildProcess,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server at ${base} exited (${child.exitCode})`);
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting on the server at ${base}${last ? `: ${String(last)}` : ''}`);
}
