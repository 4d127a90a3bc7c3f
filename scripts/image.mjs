#!/usr/bin/env node
// @ts-check
// The `image` turbo task of an app: builds todo-<app>:<content hash> unless the engine has it and
// writes apps/<app>/.image/tag. The work is in lib/app-image.mjs; `--help` says what it does.
import { appImage, IMAGE_CLI, imageOptions } from './lib/app-image.mjs';
import { runScript } from './lib/main.mjs';

await runScript(IMAGE_CLI, async (ctx) => {
  // the process environment over the repository's .env, like every pipeline script
  const opts = imageOptions(ctx.cli, ctx.cfg.all);
  const image = appImage(ctx, opts);
  if (!opts.dryRun && !opts.print) await ctx.log.step('check the Docker engine', image.docker.requireEngine);
  if (opts.ensure) await image.ensure();
  else await image.build();
});
