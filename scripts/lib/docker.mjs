// @ts-check
/**
 * Docker engine helpers for the image scripts: find a client that can drive BuildKit, check for
 * images, build with BuildKit, read image facts. Every command goes through the runner
 * (exec.mjs); nothing here ever receives a secret.
 */
import fs from 'node:fs';
import { missingError, ScriptError } from './errors.mjs';

/** @typedef {{ bin: string, env: Record<string, string>, kind: 'buildx' | 'builtin-buildkit' }} Builder */

/**
 * @typedef {{
 *   context: string,
 *   dockerfile: string,
 *   tags: string[],
 *   buildArgs?: Record<string, string>,
 *   labels?: Record<string, string>,
 *   target?: string,
 *   network?: string,
 *   quiet?: boolean,
 * }} BuildOptions
 */

/**
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} [bin] the docker client for everything but builds (the `DOCKER` setting)
 */
export function dockerClient(runner, bin = process.env.DOCKER || 'docker') {
  /** @type {Builder | undefined} */
  let cachedBuilder;

  /** @returns {Promise<boolean>} whether a Docker engine answers */
  async function engineAvailable() {
    const r = await runner.run(bin, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
    return r.ok && r.stdout.trim() !== '';
  }

  /** Throws an error that says what to do when no engine answers. */
  async function requireEngine() {
    if (await engineAvailable()) return;
    throw missingError(
      'No Docker engine answers (`docker version` failed).',
      'Start one (for example `dockerd &` after `apt-get install docker.io`), or set DOCKER_HOST to a reachable engine.',
    );
  }

  /** @param {string} ref image reference (`name:tag` or id) */
  async function imageExists(ref) {
    return (await runner.run(bin, ['image', 'inspect', '--format', '{{.Id}}', ref])).ok;
  }

  /**
   * @param {string} ref
   * @returns {Promise<{ id: string, size: number, created: string, layers: string[], config: Record<string, unknown> }>}
   */
  async function inspectImage(ref) {
    const r = await runner.run(bin, ['image', 'inspect', ref]);
    if (!r.ok) throw new ScriptError(`docker image inspect ${ref} failed: ${r.stderr.trim()}`);
    const [info] = JSON.parse(r.stdout);
    return {
      id: info.Id,
      size: info.Size,
      created: info.Created,
      layers: info.RootFS?.Layers ?? [],
      config: info.Config ?? {},
    };
  }

  /**
   * Finds a docker client that builds with BuildKit. Order: `DOCKER` (or `docker` on PATH) with a
   * working buildx plugin; otherwise a client older than 23 (for example Debian's docker.io at
   * /usr/bin/docker) with `DOCKER_BUILDKIT=1`, which has BuildKit built in.
   * @returns {Promise<Builder>}
   */
  async function resolveBuilder() {
    if (cachedBuilder) return cachedBuilder;
    const candidates = [...new Set([bin, 'docker', '/usr/bin/docker', '/usr/local/bin/docker'])];
    /** @type {string[]} */
    const tried = [];
    for (const candidate of candidates) {
      if (candidate.startsWith('/') && !fs.existsSync(candidate)) continue;
      if ((await runner.run(candidate, ['buildx', 'version'])).ok) {
        cachedBuilder = { bin: candidate, env: { DOCKER_BUILDKIT: '1' }, kind: 'buildx' };
        return cachedBuilder;
      }
      const version = await runner.run(candidate, ['version', '--format', '{{.Client.Version}}']);
      const major = Number.parseInt(version.stdout.trim().split('.')[0] ?? '', 10);
      if (version.ok && major > 0 && major < 23) {
        cachedBuilder = { bin: candidate, env: { DOCKER_BUILDKIT: '1' }, kind: 'builtin-buildkit' };
        return cachedBuilder;
      }
      tried.push(`${candidate} (client ${version.stdout.trim() || 'unknown'}, no buildx plugin)`);
    }
    throw missingError(
      `No docker client can build with BuildKit; tried: ${tried.join('; ')}.`,
      "Install the buildx plugin into the docker CLI plugins folder (Debian trixie's docker-buildx package carries it), or install Debian's docker.io client (BuildKit built in with DOCKER_BUILDKIT=1).",
    );
  }

  /**
   * Builds an image with BuildKit. The build output streams to the log unless `quiet` (then its
   * last 40 lines are shown when the build fails).
   * @param {BuildOptions} options
   */
  async function buildImage(options) {
    const builder = await resolveBuilder();
    const args = ['build', '--file', options.dockerfile, '--progress=plain'];
    for (const tag of options.tags) args.push('--tag', tag);
    for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of Object.entries(options.labels ?? {})) args.push('--label', `${k}=${v}`);
    if (options.target) args.push('--target', options.target);
    args.push('--network', options.network ?? 'host');
    args.push(options.context);
    const r = await runner.run(builder.bin, args, {
      change: true,
      stream: !options.quiet,
      env: { ...process.env, ...builder.env },
    });
    if (!r.ok) {
      const tail = options.quiet ? `\n${r.stderr.split('\n').slice(-40).join('\n')}` : '';
      throw new ScriptError(
        `docker build of ${options.tags[0]} failed (exit ${r.exitCode}).${tail}`,
        undefined,
        'Read the failing step above; rerun the same command to retry (finished steps are cached).',
      );
    }
  }

  /** `docker pull`, quietly; whether it worked and the last line it printed. @param {string} ref */
  async function pull(ref) {
    const r = await runner.run(bin, ['pull', ref], { timeoutMs: 120_000, change: true });
    return { ok: r.ok, last: (r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200) };
  }

  /** `docker rmi`, best effort. @param {string} ref */
  async function removeImage(ref) {
    await runner.run(bin, ['rmi', ref], { change: true });
  }

  return {
    bin,
    engineAvailable,
    requireEngine,
    imageExists,
    inspectImage,
    resolveBuilder,
    buildImage,
    pull,
    removeImage,
  };
}

/** @typedef {ReturnType<typeof dockerClient>} DockerClient */
