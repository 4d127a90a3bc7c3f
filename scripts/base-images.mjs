#!/usr/bin/env node
import { buildBaseImages } from './lib/base-images/build.mjs';
// @ts-check
// `pnpm images:base`: registry-less stand-ins for the base images, built from Debian's archive
// and the npm registry where the official images cannot be pulled (no registry, air-gapped
// sites). The work is in lib/base-images/; `--help` lists the images and options.
import { BASE_IMAGES_CLI, baseImageOptions } from './lib/base-images/cli.mjs';
import { formatDuration } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';

await runScript(BASE_IMAGES_CLI, async (ctx) => {
  const started = performance.now();
  await buildBaseImages(ctx, baseImageOptions(ctx.cli, ctx.cfg.all));
  ctx.log.detail(`done in ${formatDuration(performance.now() - started)}`);
});
