#!/usr/bin/env node
// @ts-check
/**
 * The `image` turbo task of an app: build `todo-<app>:<content hash>` with BuildKit unless the
 * local engine already has that tag, and write the reference to apps/<app>/.image/tag (turbo
 * caches `.image/**`). The hash covers the pruned workspace, the lockfile, the Dockerfile,
 * .dockerignore, the build arguments and the base image's id (scripts/lib/content-hash.mjs).
 *
 * The base image: $NODE_IMAGE (or --node-image) when set; otherwise node:24-bookworm-slim when
 * the engine has it; otherwise the registry-less stand-in todo-local/node:24-bookworm-slim,
 * built first by scripts/base-images.mjs when missing.
 */
import { $, chalk, fs, minimist, path } from 'zx';
import { imageInputsHash } from './lib/content-hash.mjs';
import { buildImage, dockerBin, imageExists, inspectImage, requireEngine } from './lib/docker.mjs';
import { loadConfig } from './lib/env.mjs';
import { formatDuration, missingError, runMain, step, UserError, usageError } from './lib/timed-step.mjs';

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const APPS = /** @type {const} */ (['backend', 'frontend']);
export const OFFICIAL_NODE_IMAGE = 'node:24-bookworm-slim';
export const STAND_IN_NODE_IMAGE = 'todo-local/node:24-bookworm-slim';

const HELP = `Usage: node scripts/image.mjs <app> [options]      (app: ${APPS.join(' | ')})
       pnpm turbo image --filter <app>

Builds the app's image from apps/<app>/Dockerfile (context: the repository root) and tags it
todo-<app>:<12-hex content hash of its inputs>. Skips the build when the local engine already
has that tag. Writes the reference to apps/<app>/.image/tag.

Options:
  --node-image <ref>  runtime/build base image (default: $NODE_IMAGE, else ${OFFICIAL_NODE_IMAGE}
                      when present locally, else ${STAND_IN_NODE_IMAGE}, built when missing)
  --ensure            only make sure the image named in apps/<app>/.image/tag exists in the
                      engine (rebuild it when missing, e.g. after a turbo cache hit on a
                      machine whose engine lost it); prints the reference
  --force             build even when the tag is already present
  --print             print the reference the inputs give (computes the hash, builds nothing)
  --dry-run           print what would be done, build and write nothing
  -q, --quiet         do not stream the build output (it is printed when the build fails)
  -h, --help          this text

Environment (or .env at the repository root): NODE_IMAGE, IMAGE_REPOSITORY_PREFIX (prepended to
todo-<app>), DOCKER (client).
`;

/**
 * @typedef {{ app: 'backend' | 'frontend', nodeImage: string | undefined, ensure: boolean,
 *   force: boolean, print: boolean, dryRun: boolean, quiet: boolean, repository: string }} Options
 */

/**
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {Options | null} null for --help
 */
export function parseArgs(args, env = process.env) {
  const a = minimist(args, {
    boolean: ['ensure', 'force', 'print', 'dry-run', 'quiet', 'help'],
    string: ['node-image'],
    alias: { h: 'help', q: 'quiet' },
    unknown: (opt) => {
      if (opt.startsWith('-')) throw usageError(`unknown option ${opt}`, 'see --help');
      return true;
    },
  });
  if (a.help) return null;
  const [app, ...rest] = a._.map(String);
  if (!app)
    throw usageError('which app? expected one of: backend, frontend', 'node scripts/image.mjs backend');
  if (!APPS.includes(/** @type {any} */ (app)))
    throw usageError(`unknown app "${app}": expected one of ${APPS.join(', ')}`);
  if (rest.length) throw usageError(`unexpected argument ${rest[0]}`, 'see --help');
  return {
    app: /** @type {'backend' | 'frontend'} */ (app),
    nodeImage: a['node-image'] || env.NODE_IMAGE || undefined,
    ensure: Boolean(a.ensure),
    force: Boolean(a.force),
    print: Boolean(a.print),
    dryRun: Boolean(a['dry-run']),
    quiet: Boolean(a.quiet),
    repository: repositoryOf(app, env),
  };
}

/** @param {string} app */
export function repositoryOf(app, env = process.env) {
  return `${env.IMAGE_REPOSITORY_PREFIX ?? ''}todo-${app}`;
}

/** @param {string} app */
export function tagFileOf(app) {
  return path.join(REPO_ROOT, 'apps', app, '.image', 'tag');
}

/**
 * Picks the base image (see the file comment); builds the stand-in when nothing else is there.
 * @param {Options} opts
 * @returns {Promise<string>}
 */
async function resolveNodeImage(opts) {
  if (opts.nodeImage) {
    if (!(await imageExists(opts.nodeImage))) {
      if (opts.nodeImage === STAND_IN_NODE_IMAGE && !opts.dryRun) {
        await buildStandIn();
      } else {
        const pulled =
          !opts.dryRun &&
          (await $({ quiet: true, nothrow: true, timeout: '120s' })`${dockerBin()} pull ${opts.nodeImage}`)
            .exitCode === 0;
        if (!pulled && !opts.dryRun)
          throw missingError(
            `base image ${opts.nodeImage} (NODE_IMAGE) is not in the local engine and cannot be pulled`,
            `build the registry-less stand-in with \`pnpm images:base\` and use NODE_IMAGE=${STAND_IN_NODE_IMAGE}, or unset NODE_IMAGE`,
          );
      }
    }
    return opts.nodeImage;
  }
  if (await imageExists(OFFICIAL_NODE_IMAGE)) return OFFICIAL_NODE_IMAGE;
  if (await imageExists(STAND_IN_NODE_IMAGE)) return STAND_IN_NODE_IMAGE;
  if (opts.dryRun || opts.print) return STAND_IN_NODE_IMAGE;
  await buildStandIn();
  return (await imageExists(OFFICIAL_NODE_IMAGE)) ? OFFICIAL_NODE_IMAGE : STAND_IN_NODE_IMAGE;
}

async function buildStandIn() {
  process.stderr.write(
    `${chalk.yellow('note:')} neither ${OFFICIAL_NODE_IMAGE} nor ${STAND_IN_NODE_IMAGE} is in the local engine; ` +
      'running `pnpm images:base --only node` (tries a pull of the official image, else builds the stand-in from Debian + npm: a few minutes, once)\n',
  );
  const r = await $({
    nothrow: true,
    stdio: ['ignore', 'inherit', 'inherit'],
  })`node ${path.join(REPO_ROOT, 'scripts/base-images.mjs')} --only node`;
  if (r.exitCode !== 0)
    throw new UserError(
      'building the base image failed (see above)',
      'fix the cause and rerun; or set NODE_IMAGE to a base image the engine has',
    );
}

/** pnpm and turbo versions the Dockerfile installs: the repository's own. */
async function toolVersions() {
  const pkg = await fs.readJson(path.join(REPO_ROOT, 'package.json'));
  const pnpm = /^pnpm@([^+]+)/.exec(pkg.packageManager ?? '')?.[1];
  if (!pnpm)
    throw new UserError(
      'package.json has no "packageManager": "pnpm@<version>"',
      'add it; the Dockerfiles install that pnpm',
    );
  const turboPkg = path.join(REPO_ROOT, 'node_modules', 'turbo', 'package.json');
  if (!(await fs.pathExists(turboPkg)))
    throw missingError('turbo is not installed in the repository', 'run pnpm install first');
  const turbo = (await fs.readJson(turboPkg)).version;
  return { pnpm, turbo };
}

/**
 * Writes the tag file (+ a .gitignore so the tag never becomes a turbo input or a commit).
 * @param {string} app
 * @param {string} ref
 * @param {Record<string, unknown>} facts
 */
async function writeTagFile(app, ref, facts) {
  const file = tagFileOf(app);
  await fs.mkdirp(path.dirname(file));
  await fs.writeFile(path.join(path.dirname(file), '.gitignore'), '*\n');
  await fs.writeFile(file, `${ref}\n`);
  await fs.writeJson(path.join(path.dirname(file), 'inputs.json'), facts, { spaces: 2 });
}

/**
 * Computes the reference for the current inputs.
 * @param {Options} opts
 */
export async function computeReference(opts) {
  const nodeImage = await step('resolve the base image', () => resolveNodeImage(opts));
  const nodeImageId = (await imageExists(nodeImage)) ? (await inspectImage(nodeImage)).id : 'absent';
  const versions = await toolVersions();
  const buildArgs = { NODE_IMAGE: nodeImage, PNPM_VERSION: versions.pnpm, TURBO_VERSION: versions.turbo };
  const dockerfile = path.join(REPO_ROOT, 'apps', opts.app, 'Dockerfile');
  if (!(await fs.pathExists(dockerfile)))
    throw missingError(`${path.relative(REPO_ROOT, dockerfile)} does not exist`);
  const hashed = await step('hash the inputs (turbo prune + Dockerfile + lockfile + build args)', () =>
    imageInputsHash({ repoRoot: REPO_ROOT, app: opts.app, dockerfile, buildArgs, extra: { nodeImageId } }),
  );
  await fs.remove(hashed.prunedDir);
  const tag = hashed.hash.slice(0, 12);
  const ref = `${opts.repository}:${tag}`;
  process.stderr.write(
    `  ${chalk.bold(ref)} (${hashed.files} input files, base ${nodeImage} ${nodeImageId.slice(7, 19)})\n`,
  );
  return { ref, tag, hash: hashed.hash, nodeImage, nodeImageId, buildArgs, dockerfile };
}

/** @param {Options} opts */
async function ensureFromTagFile(opts) {
  const file = tagFileOf(opts.app);
  if (await fs.pathExists(file)) {
    const ref = (await fs.readFile(file, 'utf8')).trim();
    if (ref && (await imageExists(ref))) {
      process.stderr.write(`  ${ref} is in the engine\n`);
      process.stdout.write(`${ref}\n`);
      return;
    }
    process.stderr.write(`  ${ref || '(empty tag file)'} is not in the engine: rebuilding\n`);
  } else {
    process.stderr.write(`  no ${path.relative(REPO_ROOT, file)} yet: building\n`);
  }
  await buildFlow({ ...opts, ensure: false });
}

/** @param {Options} opts */
async function buildFlow(opts) {
  const started = performance.now();
  const c = await computeReference(opts);
  if (opts.print) {
    process.stdout.write(`${c.ref}\n`);
    return;
  }
  const present = await imageExists(c.ref);
  if (present && !opts.force) {
    process.stderr.write(`  ${c.ref} is already in the engine: build skipped\n`);
  } else if (opts.dryRun) {
    process.stderr.write(
      `  [dry-run] would build ${c.ref} from ${path.relative(REPO_ROOT, c.dockerfile)} with ${JSON.stringify(c.buildArgs)}\n`,
    );
  } else {
    await step(`docker build ${c.ref} (BuildKit)`, () =>
      buildImage({
        context: REPO_ROOT,
        dockerfile: c.dockerfile,
        tags: [c.ref],
        buildArgs: c.buildArgs,
        labels: {
          'org.opencontainers.image.title': opts.repository,
          'org.opencontainers.image.version': c.tag,
          'todo.content-hash': c.hash,
          'todo.base-image': c.nodeImage,
        },
        quiet: opts.quiet,
      }),
    );
    const facts = await inspectImage(c.ref);
    process.stderr.write(`  ${c.ref}: ${(facts.size / 1e6).toFixed(1)} MB\n`);
  }
  if (opts.dryRun) {
    process.stderr.write(
      `  [dry-run] would write ${path.relative(REPO_ROOT, tagFileOf(opts.app))}: ${c.ref}\n`,
    );
  } else {
    await writeTagFile(opts.app, c.ref, {
      ref: c.ref,
      hash: c.hash,
      nodeImage: c.nodeImage,
      nodeImageId: c.nodeImageId,
      pnpm: c.buildArgs.PNPM_VERSION,
      turbo: c.buildArgs.TURBO_VERSION,
    });
  }
  process.stderr.write(`  ${opts.app} image ready in ${formatDuration(performance.now() - started)}\n`);
  process.stdout.write(`${c.ref}\n`);
}

async function main() {
  // the process environment over the repository's .env, like every pipeline script
  const opts = parseArgs(process.argv.slice(2), loadConfig().all);
  if (!opts) {
    process.stdout.write(HELP);
    return;
  }
  if (!opts.dryRun && !opts.print) await step('check the Docker engine', requireEngine);
  if (opts.ensure) await ensureFromTagFile(opts);
  else await buildFlow(opts);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  runMain(main);
}
