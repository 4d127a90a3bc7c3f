#!/usr/bin/env node
// @ts-check
// `pnpm release`: publishes the version `pnpm version-packages` wrote (apps and charts share one
// version, changesets' fixed group). Each app image is pushed to IMAGE_REGISTRY twice: tagged with
// its content hash (what a deploy from the working tree pushes too) and with the version; each
// chart is packaged with its image pinned (values: image.repository in the registry, image.tag the
// content hash; Chart.yaml: appVersion the version, the image's other tag) and pushed to
// CHART_SOURCE. A released version is immutable: pushing it again needs --force.
// Then `CHART_SOURCE=… CHART_VERSION=<version> pnpm turbo deploy` installs exactly that.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chartSource, helmRegistryFlags, helmRegistryLogin } from './lib/chart-source.mjs';
import { onCleanup } from './lib/cleanup.mjs';
import { resolveTarget } from './lib/cluster.mjs';
import { dockerLogin, imagePresent, readImageTag, splitImageRef } from './lib/cluster-images.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { runScript } from './lib/main.mjs';
import { pinImage, releaseVersion } from './lib/release.mjs';
import { chartDir, deployOrder, REPO_ROOT } from './lib/repo.mjs';

await runScript(
  {
    name: 'release',
    summary:
      'publish this version: app images pushed with it and their content hash, the charts pushed as OCI artifacts',
    usage: 'node scripts/release.mjs [--dry-run] [--force] [--allow-dirty]',
    description: [
      'Run after `pnpm version-packages` (and its commit). `pnpm release` first builds the images and',
      "packages the library chart (turbo's image and chart:deps tasks). Deploy the result with",
      '`CHART_SOURCE=<the same> CHART_VERSION=<version> pnpm turbo deploy`.',
    ],
    options: {
      force: { type: 'boolean', description: 'push even when this version is already in the registries' },
      'allow-dirty': {
        type: 'boolean',
        description: 'release with uncommitted changes under apps/ or charts/',
      },
    },
    examples: [
      'IMAGE_REGISTRY=ghcr.io/acme CHART_SOURCE=oci://ghcr.io/acme/charts pnpm release',
      'IMAGE_REGISTRY=localhost:5000 CHART_SOURCE=oci://localhost:5000/charts pnpm release --dry-run',
    ],
  },
  async ({ cli, cfg, log, runner }) => {
    const registry = cfg.get('IMAGE_REGISTRY')?.replace(/\/+$/, '');
    const source = chartSource(cfg);
    if (!registry || !source) {
      throw new ScriptError(
        'a release needs IMAGE_REGISTRY (where the images go) and CHART_SOURCE (oci://…, where the charts go).',
        EXIT.USAGE,
      );
    }
    const version = releaseVersion();
    log.info(`release ${version}: images to ${registry}, charts to ${source}`);
    await log.step('working tree committed', async () => {
      const r = await runner.run('git', ['status', '--porcelain', '--', 'apps', 'charts', 'packages'], {
        cwd: REPO_ROOT,
      });
      if (r.dry) return 'not checked (dry run)';
      if (!r.ok) return `not a git checkout (${firstError(r)}): not checked`;
      const dirty = r.stdout
        .split('\n')
        .filter((l) => l.trim() && !/\/(charts\/[^/]+\.tgz|Chart\.lock)$/.test(l));
      if (dirty.length && !cli.values['allow-dirty']) {
        throw new ScriptError(
          `uncommitted changes would not be in the release (${dirty.slice(0, 3).join('; ').trim()}…): commit them, or pass --allow-dirty.`,
          EXIT.REFUSED,
        );
      }
      return dirty.length ? `${dirty.length} uncommitted change(s), allowed` : 'clean';
    });

    const target = { ...resolveTarget(cfg), loader: /** @type {const} */ ('registry'), registry };
    await dockerLogin(target, runner);
    await helmRegistryLogin(cfg, runner, source);
    const force = Boolean(cli.values.force);

    /** @type {Record<string, { repository: string, tag: string }>} */
    const pinned = {};
    for (const { name: chart, app } of deployOrder()) {
      if (!app) continue;
      const local = readImageTag(app);
      const { repository, tag: hash } = splitImageRef(local);
      const remote = `${registry}/${repository}`;
      pinned[chart] = { repository: remote, tag: hash };
      await log.step(`image ${remote}:${version} (= :${hash})`, async () => {
        if (!force && (await imagePresent(target, runner, `${repository}:${version}`))) {
          throw new ScriptError(
            `${remote}:${version} is already released: bump the version (\`pnpm changeset\`, \`pnpm version-packages\`), or pass --force to overwrite it.`,
            EXIT.REFUSED,
          );
        }
        const inspect = await runner.run('docker', ['image', 'inspect', '--format', '{{.Id}}', local]);
        if (!inspect.ok && !inspect.dry) {
          throw new ScriptError(
            `${local} is not in the local Docker engine: build it with \`pnpm turbo image --filter ${app}\` (\`pnpm release\` does).`,
            EXIT.PREREQ,
          );
        }
        const pushed = [];
        for (const tag of [hash, version]) {
          const ref = `${remote}:${tag}`;
          if (tag === hash && (await imagePresent(target, runner, local))) continue;
          for (const args of [
            ['tag', local, ref],
            ['push', ref],
          ]) {
            const r = await runner.run('docker', args, { change: true, stream: args[0] === 'push' });
            if (!r.ok)
              throw new ScriptError(`docker ${args[0]} ${ref} failed: ${firstError(r)}`, EXIT.CLUSTER);
          }
          pushed.push(tag);
        }
        return pushed.length ? `pushed ${pushed.map((t) => `:${t}`).join(' and ')}` : 'already there';
      });
    }

    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-release-'));
    onCleanup(() => fs.rmSync(stage, { recursive: true, force: true }), { signals: false });
    const flags = helmRegistryFlags(cfg, source);
    for (const { name: chart } of deployOrder()) {
      await log.step(`chart ${source}/${chart}:${version}`, async () => {
        const dir = path.join(stage, chart);
        fs.cpSync(chartDir(chart), dir, {
          recursive: true,
          filter: (f) => !/[/\\](node_modules|\.turbo)$/.test(f),
        });
        if (
          !fs
            .readdirSync(path.join(dir, 'charts'), { withFileTypes: true })
            .some((e) => e.name.endsWith('.tgz'))
        ) {
          throw new ScriptError(
            `charts/${chart}/charts/ holds no packaged library chart: run \`pnpm turbo chart:deps\` (\`pnpm release\` does).`,
            EXIT.PREREQ,
          );
        }
        const image = pinned[chart];
        if (image) {
          const values = path.join(dir, 'values.yaml');
          fs.writeFileSync(values, pinImage(fs.readFileSync(values, 'utf8'), image));
        }
        const show = await runner.run(
          'helm',
          ['show', 'chart', `${source}/${chart}`, '--version', version, ...flags],
          {
            timeoutMs: 120_000,
          },
        );
        if (show.ok && !show.dry && !force) {
          throw new ScriptError(
            `${source}/${chart} ${version} is already released: bump the version, or pass --force to overwrite it.`,
            EXIT.REFUSED,
          );
        }
        const out = path.join(stage, 'packages');
        const pack = await runner.run('helm', ['package', dir, '--destination', out], { change: true });
        if (!pack.ok) throw new ScriptError(`helm package ${chart} failed: ${firstError(pack)}`, EXIT.ERROR);
        const file = path.join(out, `${chart}-${version}.tgz`);
        const push = await runner.run('helm', ['push', file, source, ...flags], {
          change: true,
          timeoutMs: 300_000,
        });
        if (!push.ok) throw new ScriptError(`helm push ${chart} failed: ${firstError(push)}`, EXIT.CLUSTER);
        return image ? `image ${image.repository}:${image.tag}` : 'pushed';
      });
    }
    log.ok(
      `released ${version}. Deploy it: CHART_SOURCE=${source} CHART_VERSION=${version} pnpm turbo deploy`,
    );
  },
);
