// Helpers for the container suites: Docker availability (skip loudly, or fail under CI),
// containers with secrets passed through 0600 env files (never on a command line), waiting for
// health, and cleanup. Processes, ports and HTTP waits come from the scripts' toolkit.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { IMAGES } from '@todo/scripts/lib/base-images/images.mjs';
import { setting } from '@todo/scripts/lib/settings.mjs';
import {
  createRunner,
  envFileText,
  freePort,
  REPO_ROOT,
  secretFile,
  waitForHttp,
} from '@todo/scripts/toolkit';

export { freePort, REPO_ROOT };
export const DOCKER = process.env.DOCKER || (setting('DOCKER').default as string);
export const NODE_STAND_IN = IMAGES.node.standIn;
export const POSTGRES_STAND_IN = IMAGES.postgres.standIn;

/** Docker must be there under CI=true (or REQUIRE_DOCKER=1); elsewhere the suites skip loudly. */
export const dockerRequired = process.env.CI === 'true' || process.env.REQUIRE_DOCKER === '1';

const runner = createRunner({ cwd: REPO_ROOT });

/** Runs a command without a shell; never throws for a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
) {
  return runner.run(cmd, args, opts);
}

/** Runs a command, streaming its output to this process's stderr (for long builds). */
export function runStreaming(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return runner.run(cmd, args, { ...opts, stream: true });
}

export function docker(args: string[], timeoutMs = 120_000) {
  return runner.run(DOCKER, args, { timeoutMs });
}

/** Runs a shell script in a throwaway container of `image`, with no network. */
export function shellIn(image: string, script: string) {
  return docker(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', image, '-c', script]);
}

/** Whether a Docker engine answers; the reason when it does not. */
export async function dockerStatus(): Promise<{ ok: boolean; reason: string }> {
  const r = await docker(['version', '--format', '{{.Server.Version}}'], 20_000);
  if (!r.ok) return { ok: false, reason: r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}` };
  return {
    ok: r.stdout.trim() !== '',
    reason: r.stdout.trim() ? '' : 'docker version printed no server version',
  };
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

/** A fresh 0600 file of KEY=value lines for `docker run --env-file`; returns its path. */
export function envFile(vars: Record<string, string>): string {
  const { file, remove } = secretFile('env', envFileText(vars));
  envFiles.set(file, remove);
  return file;
}

const envFiles = new Map<string, () => void>();

export function removeEnvFile(file: string): void {
  envFiles.get(file)?.();
  envFiles.delete(file);
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
    if (!r.ok) throw new Error(`docker run ${spec.name} failed: ${r.stderr.trim()}`);
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

/**
 * Waits until `url` answers `expect` (default 200) while the container keeps running; returns the
 * milliseconds since `since` (default: now). Throws with the container's last log lines.
 */
export async function waitForContainerHttp(
  url: string,
  opts: { timeoutMs?: number; container?: string; expect?: number; since?: number } = {},
): Promise<number> {
  const since = opts.since ?? performance.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const { container } = opts;
  const r = await waitForHttp(url, {
    timeoutMs,
    intervalMs: 100,
    requestTimeoutMs: 2_000,
    accept: (status) => status === (opts.expect ?? 200),
    check: async () => {
      if (container && !(await isRunning(container)))
        throw new Error(`${container} exited while waiting for ${url}:\n${await logsOf(container)}`);
    },
  });
  if (r.ok) return performance.now() - since;
  const logs = container ? `\n${await logsOf(container)}` : '';
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${r.last})${logs}`);
}

/** Waits for `pg_isready` inside a PostgreSQL container. */
export async function waitForPostgres(name: string, port: number, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const r = await docker(['exec', name, 'pg_isready', '-h', '127.0.0.1', '-p', String(port)]);
    if (r.ok) return performance.now() - started;
    if (!(await isRunning(name))) throw new Error(`${name} exited:\n${await logsOf(name)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${await logsOf(name)}`);
}

/** Builds an app image through scripts/image.mjs; returns the reference it printed. */
export async function buildAppImage(app: 'backend' | 'frontend'): Promise<string> {
  const r = await runStreaming(process.execPath, [path.join(REPO_ROOT, 'scripts/image.mjs'), app, '--quiet']);
  if (!r.ok)
    throw new Error(`scripts/image.mjs ${app} failed (exit ${r.exitCode}):\n${r.stderr.slice(-4000)}`);
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
  if (!r.ok)
    throw new Error(`scripts/base-images.mjs failed (exit ${r.exitCode}):\n${r.stderr.slice(-4000)}`);
}

export async function imageSize(ref: string): Promise<number> {
  const r = await docker(['image', 'inspect', '--format', '{{.Size}}', ref]);
  if (!r.ok) throw new Error(`no image ${ref}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Layers of an image as `docker history` reports them, with sizes in bytes. */
export async function historyOf(
  ref: string,
): Promise<Array<{ id: string; createdBy: string; size: number }>> {
  const r = await docker(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', ref]);
  if (!r.ok) throw new Error(`docker history ${ref}: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ID: string; CreatedBy: string; Size: string })
    .map((h) => ({ id: h.ID, createdBy: h.CreatedBy, size: Number(h.Size) }));
}
