// @ts-check
/**
 * Content hash of an app image's inputs: the files `turbo prune <app> --docker` selects (as the
 * Dockerfile's prune stage sees them, i.e. after .dockerignore), the pruned lockfile, the
 * Dockerfile, .dockerignore, any other file the Dockerfile COPYs from the context, and the
 * build arguments (with the base image's id, so a rebuilt base gives a new tag).
 * Same inputs → same tag; any change that can change the image → a new tag.
 */
import { createHash } from 'node:crypto';
import dockerignoreModule from '@balena/dockerignore';
import { fs, path } from 'zx';
import { ScriptError } from './errors.mjs';

// CommonJS `module.exports = factory`; its typings declare an ES default export
const dockerignore = /** @type {typeof import('@balena/dockerignore').default} */ (
  /** @type {any} */ (dockerignoreModule).default ?? dockerignoreModule
);

/** Bump when the hashing scheme changes, so old tags are not reused by mistake. */
export const HASH_SCHEME = 'todo-image-hash/v1';

/**
 * @param {string | Buffer} data
 * @returns {string} hex sha256
 */
export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Lists files (not directories) below `dir`, as POSIX paths relative to it, sorted.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
export async function listFiles(dir) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} rel */
  const walk = async (rel) => {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

/**
 * Sources of the Dockerfile's `COPY`/`ADD` instructions that read from the build context
 * (not `--from=`), other than the whole context (`.`).
 * @param {string} dockerfileText
 * @returns {string[]}
 */
export function contextCopySources(dockerfileText) {
  const joined = dockerfileText.replace(/\\\r?\n/g, ' ');
  /** @type {string[]} */
  const sources = [];
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m?.[2]) continue;
    const words = m[2].split(/\s+/).filter(Boolean);
    if (words.some((w) => w.startsWith('--from'))) continue;
    const args = words.filter((w) => !w.startsWith('--'));
    for (const src of args.slice(0, -1)) {
      const clean = src.replace(/^\.\//, '').replace(/\/$/, '');
      if (clean !== '.' && clean !== '') sources.push(clean);
    }
  }
  return [...new Set(sources)].sort();
}

/**
 * A filter that answers whether a repository-relative path reaches the build context.
 * @param {string} dockerignoreText
 * @returns {(rel: string) => boolean}
 */
export function contextFilter(dockerignoreText) {
  const ig = dockerignore().add(dockerignoreText);
  return (rel) => !ig.ignores(rel);
}

/**
 * Hashes a list of files as `path, executable bit, content hash` lines.
 * @param {string} baseDir
 * @param {string[]} files relative to baseDir
 * @param {(rel: string) => string} [label] how a file is named in the hash
 */
async function fileLines(baseDir, files, label = (r) => r) {
  /** @type {string[]} */
  const lines = [];
  for (const rel of files) {
    const abs = path.join(baseDir, rel);
    const st = await fs.lstat(abs);
    if (st.isSymbolicLink()) {
      lines.push(`${label(rel)}\0link\0${await fs.readlink(abs)}`);
      continue;
    }
    const exec = st.mode & 0o111 ? 'x' : '-';
    lines.push(`${label(rel)}\0${exec}\0${sha256(await fs.readFile(abs))}`);
  }
  return lines;
}

/**
 * Runs `turbo prune <app> --docker` into a temporary folder and returns the folder.
 * @param {import('./exec.mjs').Runner} runner
 * @param {string} repoRoot
 * @param {string} app
 */
export async function pruneWorkspace(runner, repoRoot, app) {
  const out = await fs.mkdtemp(path.join(process.env.TMPDIR || '/tmp', `todo-prune-${app}-`));
  const turbo = path.join(repoRoot, 'node_modules', '.bin', 'turbo');
  const bin = (await fs.pathExists(turbo)) ? turbo : 'turbo';
  await fs.remove(out);
  const r = await runner.run(bin, ['prune', app, '--docker', '--out-dir', out], {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (!r.ok) throw new ScriptError(`turbo prune ${app} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return out;
}

/**
 * @param {{
 *   runner: import('./exec.mjs').Runner,
 *   repoRoot: string,
 *   app: string,
 *   dockerfile: string,
 *   buildArgs: Record<string, string>,
 *   extra?: Record<string, string>,
 * }} o  `extra`: more facts that change the image (e.g. the base image id)
 * @returns {Promise<{ hash: string, files: number, prunedDir: string }>}
 *   prunedDir is left for the caller to inspect or remove
 */
export async function imageInputsHash(o) {
  const dockerfileText = await fs.readFile(o.dockerfile, 'utf8');
  const ignorePath = path.join(o.repoRoot, '.dockerignore');
  const ignoreText = (await fs.pathExists(ignorePath)) ? await fs.readFile(ignorePath, 'utf8') : '';
  const inContext = contextFilter(ignoreText);

  const pruned = await pruneWorkspace(o.runner, o.repoRoot, o.app);
  const full = path.join(pruned, 'full');
  const prunedFiles = (await listFiles(full)).filter(inContext);
  const lines = [
    HASH_SCHEME,
    `app\0${o.app}`,
    `dockerfile\0${sha256(dockerfileText)}`,
    `dockerignore\0${sha256(ignoreText)}`,
    ...Object.keys(o.buildArgs)
      .sort()
      .map((k) => `arg\0${k}=${o.buildArgs[k]}`),
    ...Object.keys(o.extra ?? {})
      .sort()
      .map((k) => `extra\0${k}=${o.extra?.[k]}`),
    `lockfile\0${sha256(await fs.readFile(path.join(pruned, 'pnpm-lock.yaml')))}`,
    ...(await fileLines(full, prunedFiles, (r) => `pruned/${r}`)),
  ];
  // files the Dockerfile copies from the context besides the pruned workspace
  const copied = contextCopySources(dockerfileText);
  for (const src of copied) {
    const abs = path.join(o.repoRoot, src);
    if (!(await fs.pathExists(abs))) {
      lines.push(`context\0${src}\0missing`);
      continue;
    }
    const st = await fs.stat(abs);
    const rels = st.isDirectory() ? (await listFiles(abs)).map((r) => `${src}/${r}`) : [src];
    lines.push(...(await fileLines(o.repoRoot, rels.filter(inContext), (r) => `context/${r}`)));
  }
  return { hash: sha256(lines.join('\n')), files: prunedFiles.length + copied.length, prunedDir: pruned };
}
