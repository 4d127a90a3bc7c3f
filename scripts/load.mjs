#!/usr/bin/env node
// @ts-check
// `load` task of an app: puts the image named by apps/<app>/.image/tag into the cluster, only
// when the cluster does not have that tag yet (tags are content hashes, so "present" means
// "identical"). With IMAGE_LOADER=registry "the cluster" is IMAGE_REGISTRY: pushed there. Nothing
// to do for charts released to CHART_SOURCE (their images are pinned and already pushed).
import path from 'node:path';
import { describeTarget, pinContext, resolveTarget } from './lib/cluster.mjs';
import { ensureImage, ensureLocalAppImage, readImageTag } from './lib/cluster-images.mjs';
import { runScript } from './lib/main.mjs';
import { appNames, REPO_ROOT } from './lib/repo.mjs';

await runScript(
  {
    name: 'load',
    summary: "load an app's image into the cluster when the cluster does not have it yet",
    usage: 'node scripts/load.mjs <app> [--dry-run]',
    positionals: [
      { name: 'app', description: 'the app whose image to load', required: true, choices: appNames() },
    ],
    examples: ['pnpm turbo load', 'node scripts/load.mjs backend --dry-run'],
  },
  async ({ cli, cfg, log, runner }) => {
    const app = /** @type {string} */ (cli.positionals[0]);
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`load ${app}: ${describeTarget(target)}`);
    if (cfg.get('CHART_SOURCE')) {
      log.ok(`${app}: nothing to load, the released charts of CHART_SOURCE pin their images`);
      return;
    }
    const ref = await log.step(`read image tag of ${app}`, () => readImageTag(app));
    await log.step(`image ${ref} in the cluster`, () =>
      ensureImage(
        target,
        runner,
        ref,
        ensureLocalAppImage(runner, app, path.join(REPO_ROOT, 'scripts', 'image.mjs')),
      ),
    );
  },
);
