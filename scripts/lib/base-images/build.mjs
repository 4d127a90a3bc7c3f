// @ts-check
// What `pnpm images:base` does, in order: check the prerequisites, take the cache lock, and for
// each wanted stand-in skip it (present, or the official image is usable) or build it.
import { fs, which } from 'zx';
import { dockerClient } from '../docker.mjs';
import { missingError } from '../errors.mjs';
import { IMAGES } from './images.mjs';
import { lock } from './lock.mjs';
import { buildNode } from './node-image.mjs';
import { buildPostgres } from './postgres-image.mjs';

const BUILDERS = { node: buildNode, postgres: buildPostgres };

/**
 * @param {import('../main.mjs').ScriptContext} script
 * @param {import('./cli.mjs').BaseImageOptions} opts
 */
export async function buildBaseImages({ runner, log, cfg }, opts) {
  /** @type {import('./rootfs.mjs').BuildContext} */
  const ctx = { runner, log, docker: dockerClient(runner, cfg.get('DOCKER')) };
  await log.step('check prerequisites', async () => {
    await ctx.docker.requireEngine();
    if (opts.dryRun) return;
    if (process.getuid?.() !== 0)
      throw missingError(
        'building stand-in images needs root (debootstrap, chroot, mount)',
        'run it as root, e.g. sudo pnpm images:base',
      );
    for (const tool of ['debootstrap', 'tar', 'chroot', 'npm']) {
      if (!(await which(tool, { nothrow: true })))
        throw missingError(
          `${tool} is not installed`,
          tool === 'debootstrap' ? 'apt-get install debootstrap' : `install ${tool}`,
        );
    }
    await fs.mkdirp(opts.cacheDir);
  });
  const release = opts.dryRun ? async () => {} : await lock(opts.cacheDir, log);
  try {
    for (const which of opts.only) await buildOne(ctx, opts, which);
  } finally {
    await release();
  }
}

/**
 * @param {import('./rootfs.mjs').BuildContext} ctx
 * @param {import('./cli.mjs').BaseImageOptions} opts
 * @param {import('./images.mjs').BaseImage} which
 */
async function buildOne(ctx, opts, which) {
  const { docker, log } = ctx;
  const { standIn, official } = IMAGES[which];
  if (!opts.force && (await docker.imageExists(standIn))) {
    log.detail(`${standIn} is present: skipped (--force rebuilds it)`);
    return;
  }
  if (
    !opts.force &&
    (await log.step(`official ${official} usable?`, () => officialUsable(ctx, official, opts.pull)))
  ) {
    log.detail(`${official} is available: no stand-in needed (--force builds ${standIn} anyway)`);
    return;
  }
  const previous = (await docker.imageExists(standIn)) ? (await docker.inspectImage(standIn)).id : undefined;
  await log.step(`build ${standIn}`, () => BUILDERS[which](ctx, opts));
  if (opts.dryRun) return;
  const facts = await docker.inspectImage(standIn);
  // a --force rebuild leaves the old image untagged: remove it unless something still uses it
  if (previous && previous !== facts.id) await docker.removeImage(previous);
  log.detail(`${standIn}: ${(facts.size / 1e6).toFixed(1)} MB, ${facts.id.slice(7, 19)}`);
}

/**
 * Whether the official image is usable (present, or pulled now).
 * @param {import('./rootfs.mjs').BuildContext} ctx @param {string} ref @param {boolean} pull
 */
async function officialUsable(ctx, ref, pull) {
  if (await ctx.docker.imageExists(ref)) return true;
  if (!pull) return false;
  const r = await ctx.docker.pull(ref);
  if (r.ok) return true;
  if (!r.last.startsWith('[dry-run]')) ctx.log.detail(`cannot pull ${ref}: ${r.last}`);
  return false;
}
