// @ts-check
/**
 * Docker engine helpers for the image scripts: find a client that can drive BuildKit, check for
 * images, build with BuildKit, read image facts. Commands are zx tagged templates: every value
 * is quoted for the shell; nothing here ever receives a secret.
 */
import { $, fs } from 'zx';
import { missingError, UserError } from './timed-step.mjs';

/** @typedef {{ bin: string, env: Record<string, string>, kind: 'buildx' | 'builtin-buildkit' }} Builder */

/** The docker client used for everything but builds (`DOCKER` overrides it). */
export function dockerBin() {
  return process.env.DOCKER || 'docker';
}

/** @returns {Promise<boolean>} whether a Docker engine answers */
export async function engineAvailable() {
  const r = await $({
    quiet: true,
    nothrow: true,
    timeout: '20s',
  })`${dockerBin()} version --format {{.Server.Version}}`;
  return r.exitCode === 0 && r.stdout.trim() !== '';
}

/** Throws a UserError that says what to do when no engine answers. */
export async function requireEngine() {
  if (await engineAvailable()) return;
  throw missingError(
    'No Docker engine answers (`docker version` failed).',
    'Start one (for example `dockerd &` after `apt-get install docker.io`), or set DOCKER_HOST to a reachable engine.',
  );
}

/**
 * @param {string} ref image reference (`name:tag` or id)
 * @returns {Promise<boolean>}
 */
export async function imageExists(ref) {
  const r = await $({ quiet: true, nothrow: true })`${dockerBin()} image inspect --format {{.Id}} ${ref}`;
  return r.exitCode === 0;
}

/**
 * @param {string} ref
 * @returns {Promise<{ id: string, size: number, created: string, layers: string[], config: Record<string, unknown> }>}
 */
export async function inspectImage(ref) {
  const r = await $({ quiet: true })`${dockerBin()} image inspect ${ref}`;
  const [info] = JSON.parse(r.stdout);
  return {
    id: info.Id,
    size: info.Size,
    created: info.Created,
    layers: info.RootFS?.Layers ?? [],
    config: info.Config ?? {},
  };
}

/** @type {Builder | undefined} */
let cachedBuilder;

/**
 * Finds a docker client that builds with BuildKit. Order: `DOCKER` (or `docker` on PATH) with a
 * working buildx plugin; otherwise a client older than 23 (for example Debian's docker.io at
 * /usr/bin/docker) with `DOCKER_BUILDKIT=1`, which has BuildKit built in.
 * @returns {Promise<Builder>}
 */
export async function resolveBuilder() {
  if (cachedBuilder) return cachedBuilder;
  const candidates = [...new Set([dockerBin(), 'docker', '/usr/bin/docker', '/usr/local/bin/docker'])];
  /** @type {string[]} */
  const tried = [];
  for (const bin of candidates) {
    if (bin.startsWith('/') && !(await fs.pathExists(bin))) continue;
    const buildx = await $({ quiet: true, nothrow: true })`${bin} buildx version`;
    if (buildx.exitCode === 0) {
      cachedBuilder = { bin, env: { DOCKER_BUILDKIT: '1' }, kind: 'buildx' };
      return cachedBuilder;
    }
    const version = await $({ quiet: true, nothrow: true })`${bin} version --format {{.Client.Version}}`;
    const major = Number.parseInt(version.stdout.trim().split('.')[0] ?? '', 10);
    if (version.exitCode === 0 && major > 0 && major < 23) {
      cachedBuilder = { bin, env: { DOCKER_BUILDKIT: '1' }, kind: 'builtin-buildkit' };
      return cachedBuilder;
    }
    tried.push(`${bin} (client ${version.stdout.trim() || 'unknown'}, no buildx plugin)`);
  }
  throw missingError(
    `No docker client can build with BuildKit; tried: ${tried.join('; ')}.`,
    "Install the buildx plugin into the docker CLI plugins folder (Debian trixie's docker-buildx package carries it), or install Debian's docker.io client (BuildKit built in with DOCKER_BUILDKIT=1).",
  );
}

/**
 * Builds an image with BuildKit. Build output streams to stderr.
 * @param {{
 *   context: string,
 *   dockerfile: string,
 *   tags: string[],
 *   buildArgs?: Record<string, string>,
 *   labels?: Record<string, string>,
 *   target?: string,
 *   network?: string,
 *   quiet?: boolean,
 * }} options
 */
export async function buildImage(options) {
  const builder = await resolveBuilder();
  const args = ['build', '--file', options.dockerfile, '--progress=plain'];
  for (const tag of options.tags) args.push('--tag', tag);
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(options.labels ?? {})) args.push('--label', `${k}=${v}`);
  if (options.target) args.push('--target', options.target);
  args.push('--network', options.network ?? 'host');
  args.push(options.context);
  const p = $({
    quiet: true,
    nothrow: true,
    env: { ...process.env, ...builder.env },
  })`${builder.bin} ${args}`;
  if (!options.quiet) {
    p.stdout.pipe(process.stderr);
    p.stderr.pipe(process.stderr);
  }
  const r = await p;
  if (r.exitCode !== 0) {
    const tail = options.quiet ? `\n${r.stderr.split('\n').slice(-40).join('\n')}` : '';
    throw new UserError(
      `docker build of ${options.tags[0]} failed (exit ${r.exitCode}).${tail}`,
      'Read the failing step above; rerun the same command to retry (finished steps are cached).',
    );
  }
}
