// Helpers for the container suites: Docker availability (skip loudly, or fail under CI),
// containers with secrets passed through 0600 env files (never on a command line), free
// loopback ports, waiting for health, and cleanup.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOCKER = process.env.DOCKER || 'docker';
export const NODE_STAND_IN = 'todo-local/node:24-bookworm-slim';
export const POSTGRES_STAND_IN = 'todo-local/postgres:15-bookworm';

/** Docker must be there under CI=true (or REQUIRE_DOCKER=1); elsewhere the suites skip loudly. */
export const dockerRequired = process.env.CI === 'true' || process.env.REQUIRE_DOCKER === '1';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit. */
export async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          stderr += `\n[killed after ${opts.timeoutMs} ms]`;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command, streaming its output to this process's stderr (for long builds). */
export async function runStreaming(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      process.stderr.write(d);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function docker(args: string[], timeoutMs = 120_000): Promise<Run> {
  return run(DOCKER, args, { timeoutMs });
}

/** Whether a Docker engine answers; the reason when it does not. */
export async function dockerStatus(): Promise<{ ok: boolean; reason: string }> {
  try {
    const { stdout } = await execFileP(DOCKER, ['version', '--format', '{{.Server.Version}}'], {
      timeout: 20_000,
    });
    return {
      ok: stdout.trim() !== '',
      reason: stdout.trim() ? '' : 'docker version printed no server version',
    };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] ?? 'docker not found' };
  }
}

/** Prints a loud notice that a suite is skipped (outside CI, without Docker). */
export function announceSkip(suite: string, reason: string): void {
  const line = '═'.repeat(78);
  process.stderr.write(
    `\n${line}\n  SKIPPED: ${suite}: Docker not available (${reason}).\n` +
      '  Under CI=true (or REQUIRE_DOCKER=1) this is a failure. Start a Docker engine to run it.\n' +
      `${line}\n\n`,
  );
}

export function randomSecret(prefix = 'canary'): string {
  return `${prefix}-${randomBytes(18).toString('hex')}`;
}

export function uniqueName(kind: string): string {
  return `todo-ct-${process.pid}-${randomBytes(3).toString('hex')}-${kind}`;
}

/** A free TCP port on 127.0.0.1 (asked from the kernel). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Writes KEY=value lines to a fresh 0600 file for `docker run --env-file`; returns its path. */
export function envFile(vars: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-ct-env-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'env');
  for (const [k, v] of Object.entries(vars)) {
    if (/[\r\n]/.test(v)) throw new Error(`env value of ${k} holds a newline`);
  }
  fs.writeFileSync(
    file,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  return file;
}

export function removeEnvFile(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** non-secret variables: still passed through the env file, so no value is on a command line */
  env?: Record<string, string>;
  readOnly?: boolean;
  tmpfs?: string[];
  args?: string[];
  command?: string[];
  user?: string;
  hardened?: boolean;
  /** default: host */
  network?: string;
}

/** `docker run -d` with host networking; all variables go through a 0600 env file. */
export async function startContainer(spec: ContainerSpec): Promise<{ id: string; startedAt: number }> {
  const file = envFile(spec.env ?? {});
  try {
    const args = ['run', '-d', '--name', spec.name, '--network', spec.network ?? 'host', '--env-file', file];
    if (spec.readOnly) args.push('--read-only');
    for (const t of spec.tmpfs ?? []) args.push('--tmpfs', t);
    if (spec.user) args.push('--user', spec.user);
    if (spec.hardened) args.push('--cap-drop', 'ALL', '--security-opt', 'no-new-privileges');
    args.push(...(spec.args ?? []), spec.image, ...(spec.command ?? []));
    const startedAt = performance.now();
    const r = await docker(args);
    if (r.code !== 0) throw new Error(`docker run ${spec.name} failed: ${r.stderr.trim()}`);
    return { id: r.stdout.trim(), startedAt };
  } finally {
    removeEnvFile(file);
  }
}

export async function removeContainer(name: string): Promise<void> {
  await docker(['rm', '-f', '-v', name]);
}

export async function logsOf(name: string, tail = 80): Promise<string> {
  const r = await docker(['logs', '--tail', String(tail), name]);
  return `${r.stdout}${r.stderr}`;
}

export async function isRunning(name: string): Promise<boolean> {
  const r = await docker(['inspect', '--format', '{{.State.Running}}', name]);
  return r.stdout.trim() === 'true';
}

/** Polls `url` until it answers `expect` (default 200); returns the time it took in ms. */
export async function waitForHttp(
  url: string,
  opts: { timeoutMs?: number; container?: string; expect?: number; since?: number } = {},
): Promise<number> {
  const since = opts.since ?? performance.now();
  const deadline = performance.now() + (opts.timeoutMs ?? 60_000);
  let last = '';
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === (opts.expect ?? 200)) return performance.now() - since;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (opts.container && !(await isRunning(opts.container))) {
      throw new Error(`${opts.container} exited while waiting for ${url}:\n${await logsOf(opts.container)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const logs = opts.container ? `\n${await logsOf(opts.container)}` : '';
  throw new Error(`${url} not ready after ${opts.timeoutMs ?? 60_000} ms (last: ${last})${logs}`);
}

/** Waits for `pg_isready` inside a PostgreSQL container. */
export async function waitForPostgres(name: string, port: number, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const r = await docker(['exec', name, 'pg_isready', '-h', '127.0.0.1', '-p', String(port)]);
    if (r.code === 0) return performance.now() - started;
    if (!(await isRunning(name))) throw new Error(`${name} exited:\n${await logsOf(name)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${await logsOf(name)}`);
}

/** Builds an app image through scripts/image.mjs; returns the reference it printed. */
export async function buildAppImage(app: 'backend' | 'frontend'): Promise<string> {
  const r = await runStreaming(process.execPath, [path.join(REPO_ROOT, 'scripts/image.mjs'), app, '--quiet']);
  if (r.code !== 0)
    throw new Error(`scripts/image.mjs ${app} failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  const ref = r.stdout.trim().split('\n').at(-1) ?? '';
  if (!new RegExp(`^todo-${app}:[0-9a-f]{12}$`).test(ref.replace(/^.*\//, ''))) {
    throw new Error(`scripts/image.mjs ${app} printed no image reference: ${r.stdout}`);
  }
  return ref;
}

/** Makes sure the stand-in base images exist (idempotent: skips the present ones). */
export async function ensureBaseImages(only?: 'node' | 'postgres'): Promise<void> {
  const args = [path.join(REPO_ROOT, 'scripts/base-images.mjs'), '--no-pull'];
  if (only) args.push('--only', only);
  const r = await runStreaming(process.execPath, args);
  if (r.code !== 0)
    throw new Error(`scripts/base-images.mjs failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
}

export async function imageSize(ref: string): Promise<number> {
  const r = await docker(['image', 'inspect', '--format', '{{.Size}}', ref]);
  if (r.code !== 0) throw new Error(`no image ${ref}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Layers of an image as `docker history` reports them, with sizes in bytes. */
export async function historyOf(
  ref: string,
): Promise<Array<{ id: string; createdBy: string; size: number }>> {
  const r = await docker(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', ref]);
  if (r.code !== 0) throw new Error(`docker history ${ref}: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ID: string; CreatedBy: string; Size: string })
    .map((h) => ({ id: h.ID, createdBy: h.CreatedBy, size: Number(h.Size) }));
}
