// @ts-check
/**
 * The `image` turbo task of an app (scripts/image.mjs): build `todo-<app>:<content hash>` with
 * BuildKit unless the local engine already has that tag, and write the reference to
 * apps/<app>/.image/tag (turbo caches `.image/**`). The hash covers the pruned workspace, the
 * lockfile, the Dockerfile, .dockerignore, the build arguments and the base image's id
 * (content-hash.mjs).
 *
 * The base image: NODE_IMAGE (or --node-image) when set; otherwise node:24-bookworm-slim when the
 * engine has it; otherwise the registry-less stand-in todo-local/node:24-bookworm-slim, built
 * first by scripts/base-images.mjs when missing.
 */
import { fs, path } from 'zx';
import { IMAGES } from './base-images/images.mjs';
import { imageInputsHash } from './content-hash.mjs';
import { dockerClient } from './docker.mjs';
import { missingError, ScriptError } from './errors.mjs';
import { formatDuration } from './log.mjs';
import { appNames, REPO_ROOT, tagFile } from './repo.mjs';

/** @type {import('./args.mjs').CliSpec} */
export const IMAGE_CLI = {
  name: 'image',
  summary: "build an app's image unless the engine already has the tag its inputs give",
  usage: ['node scripts/image.mjs <app> [options]', 'pnpm turbo image --filter <app>'],
  description: [
    'Builds the image from apps/<app>/Dockerfile (context: the repository root) and tags it',
    'todo-<app>:<12-hex content hash of its inputs>. Skips the build when the local engine already',
    'has that tag. Writes the reference to apps/<app>/.image/tag and prints it on stdout.',
  ],
  positionals: [
    { name: 'app', description: 'the app whose image to build', required: true, choices: appNames() },
  ],
  options: {
    'node-image': {
      type: 'string',
      placeholder: 'ref',
      description: `runtime/build base image (default: NODE_IMAGE, else ${IMAGES.node.official} when present locally, else ${IMAGES.node.standIn}, built when missing)`,
    },
    ensure: {
      type: 'boolean',
      description:
        'only make sure the image named in apps/<app>/.image/tag exists in the engine (rebuild it when missing, e.g. after a turbo cache hit on a machine whose engine lost it); prints the reference',
    },
    force: { type: 'boolean', description: 'build even when the tag is already present' },
    print: {
      type: 'boolean',
      description: 'print the reference the inputs give (computes the hash, builds nothing)',
    },
    quiet: {
      type: 'boolean',
      short: 'q',
      description: 'do not stream the build output (it is printed when the build fails)',
    },
  },
  logTo: 'stderr',
  dryRun: 'queries',
  examples: ['pnpm turbo image', 'node scripts/image.mjs backend --print'],
};

/**
 * @typedef {{ app: string, nodeImage: string | undefined, ensure: boolean, force: boolean,
 *   print: boolean, dryRun: boolean, quiet: boolean, repository: string }} ImageOptions
 */

/**
 * The options of one run, from the parsed command line and the configuration.
 * @param {ReturnType<typeof import('./args.mjs').parseCli>} cli
 * @param {Record<string, string | undefined>} env the configuration (`cfg.all`)
 * @returns {ImageOptions}
 */
export function imageOptions(cli, env) {
  const app = /** @type {string} */ (cli.positionals[0]);
  const v = cli.values;
  return {
    app,
    nodeImage: /** @type {string | undefined} */ (v['node-image']) || env.NODE_IMAGE || undefined,
    ensure: Boolean(v.ensure),
    force: Boolean(v.force),
    print: Boolean(v.print),
    dryRun: cli.dryRun,
    quiet: Boolean(v.quiet),
    repository: repositoryOf(app, env),
  };
}

/** @param {string} app @param {Record<string, string | undefined>} env */
export function repositoryOf(app, env) {
  return `${env.IMAGE_REPOSITORY_PREFIX ?? ''}todo-${app}`;
}

/**
 * Everything the image task does, bound to one run's runner and logger.
 * @param {import('./main.mjs').ScriptContext} ctx
 * @param {ImageOptions} opts
 */
export function appImage({ runner, log, cfg }, opts) {
  const docker = dockerClient(runner, cfg.get('DOCKER'));

  /** Picks the base image (see the file comment); builds the stand-in when nothing else is there. */
  async function resolveNodeImage() {
    const { official, standIn } = IMAGES.node;
    if (opts.nodeImage) {
      if (!(await docker.imageExists(opts.nodeImage)) && !opts.dryRun) {
        if (opts.nodeImage === standIn) await buildStandIn();
        else if (!(await docker.pull(opts.nodeImage)).ok)
          throw missingError(
            `base image ${opts.nodeImage} (NODE_IMAGE) is not in the local engine and cannot be pulled`,
            `build the registry-less stand-in with \`pnpm images:base\` and use NODE_IMAGE=${standIn}, or unset NODE_IMAGE`,
          );
      }
      return opts.nodeImage;
    }
    if (await docker.imageExists(official)) return official;
    if (await docker.imageExists(standIn)) return standIn;
    if (opts.dryRun || opts.print) return standIn;
    await buildStandIn();
    return (await docker.imageExists(official)) ? official : standIn;
  }

  async function buildStandIn() {
    log.warn(
      `neither ${IMAGES.node.official} nor ${IMAGES.node.standIn} is in the local engine; running \`pnpm images:base --only node\` (tries a pull of the official image, else builds the stand-in from Debian + npm: a few minutes, once)`,
    );
    const script = path.join(REPO_ROOT, 'scripts/base-images.mjs');
    const r = await runner.run(process.execPath, [script, '--only', 'node'], { change: true, stream: true });
    if (!r.ok)
      throw new ScriptError(
        'building the base image failed (see above)',
        undefined,
        'fix the cause and rerun; or set NODE_IMAGE to a base image the engine has',
      );
  }

  /** pnpm and turbo versions the Dockerfile installs: the repository's own. */
  async function toolVersions() {
    const pkg = await fs.readJson(path.join(REPO_ROOT, 'package.json'));
    const pnpm = /^pnpm@([^+]+)/.exec(pkg.packageManager ?? '')?.[1];
    if (!pnpm)
      throw new ScriptError(
        'package.json has no "packageManager": "pnpm@<version>"',
        undefined,
        'add it; the Dockerfiles install that pnpm',
      );
    const turboPkg = path.join(REPO_ROOT, 'node_modules', 'turbo', 'package.json');
    if (!(await fs.pathExists(turboPkg)))
      throw missingError('turbo is not installed in the repository', 'run pnpm install first');
    return { pnpm, turbo: String((await fs.readJson(turboPkg)).version) };
  }

  /** The reference the current inputs give. */
  async function computeReference() {
    const nodeImage = await log.step('resolve the base image', resolveNodeImage);
    const nodeImageId = (await docker.imageExists(nodeImage))
      ? (await docker.inspectImage(nodeImage)).id
      : 'absent';
    const versions = await toolVersions();
    const buildArgs = { NODE_IMAGE: nodeImage, PNPM_VERSION: versions.pnpm, TURBO_VERSION: versions.turbo };
    const dockerfile = path.join(REPO_ROOT, 'apps', opts.app, 'Dockerfile');
    if (!(await fs.pathExists(dockerfile)))
      throw missingError(`${path.relative(REPO_ROOT, dockerfile)} does not exist`);
    const hashed = await log.step('hash the inputs (turbo prune + Dockerfile + lockfile + build args)', () =>
      imageInputsHash({
        runner,
        repoRoot: REPO_ROOT,
        app: opts.app,
        dockerfile,
        buildArgs,
        extra: { nodeImageId },
      }),
    );
    await fs.remove(hashed.prunedDir);
    const tag = hashed.hash.slice(0, 12);
    const ref = `${opts.repository}:${tag}`;
    log.detail(`${ref} (${hashed.files} input files, base ${nodeImage} ${nodeImageId.slice(7, 19)})`);
    return { ref, tag, hash: hashed.hash, nodeImage, nodeImageId, buildArgs, dockerfile };
  }

  /** Writes the tag file (+ a .gitignore so the tag never becomes a turbo input or a commit). */
  async function writeTagFile(/** @type {string} */ ref, /** @type {Record<string, unknown>} */ facts) {
    const file = tagFile(opts.app);
    await fs.mkdirp(path.dirname(file));
    await fs.writeFile(path.join(path.dirname(file), '.gitignore'), '*\n');
    await fs.writeFile(file, `${ref}\n`);
    await fs.writeJson(path.join(path.dirname(file), 'inputs.json'), facts, { spaces: 2 });
  }

  /** Builds (unless present) and records the image; prints its reference on stdout. */
  async function build() {
    const started = performance.now();
    const c = await computeReference();
    if (opts.print) {
      process.stdout.write(`${c.ref}\n`);
      return;
    }
    if ((await docker.imageExists(c.ref)) && !opts.force) {
      log.detail(`${c.ref} is already in the engine: build skipped`);
    } else if (opts.dryRun) {
      log.detail(
        `[dry-run] would build ${c.ref} from ${path.relative(REPO_ROOT, c.dockerfile)} with ${JSON.stringify(c.buildArgs)}`,
      );
    } else {
      await log.step(`docker build ${c.ref} (BuildKit)`, () =>
        docker.buildImage({
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
      log.detail(`${c.ref}: ${((await docker.inspectImage(c.ref)).size / 1e6).toFixed(1)} MB`);
    }
    if (opts.dryRun)
      log.detail(`[dry-run] would write ${path.relative(REPO_ROOT, tagFile(opts.app))}: ${c.ref}`);
    else
      await writeTagFile(c.ref, {
        ref: c.ref,
        hash: c.hash,
        nodeImage: c.nodeImage,
        nodeImageId: c.nodeImageId,
        pnpm: c.buildArgs.PNPM_VERSION,
        turbo: c.buildArgs.TURBO_VERSION,
      });
    log.detail(`${opts.app} image ready in ${formatDuration(performance.now() - started)}`);
    process.stdout.write(`${c.ref}\n`);
  }

  /** --ensure: the image named by the tag file is in the engine (rebuilt when it is not). */
  async function ensure() {
    const file = tagFile(opts.app);
    if (await fs.pathExists(file)) {
      const ref = (await fs.readFile(file, 'utf8')).trim();
      if (ref && (await docker.imageExists(ref))) {
        log.detail(`${ref} is in the engine`);
        process.stdout.write(`${ref}\n`);
        return;
      }
      log.detail(`${ref || '(empty tag file)'} is not in the engine: rebuilding`);
    } else {
      log.detail(`no ${path.relative(REPO_ROOT, file)} yet: building`);
    }
    await build();
  }

  return { docker, build, ensure, computeReference };
}
