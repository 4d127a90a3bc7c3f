#!/usr/bin/env node
// @ts-check
// Releases, pods and the URL that works on this machine's cluster and Minikube driver.
import { describeTarget, helmTargetArgs, kubectlArgs, pinContext, resolveTarget } from './lib/cluster.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { runScript } from './lib/main.mjs';
import { EVERY_STATUS } from './lib/plan.mjs';
import { appUrl, withReachableUrl } from './lib/url.mjs';

await runScript(
  {
    name: 'status',
    summary: "show the releases, the pods and the app's URL",
    usage: 'node scripts/status.mjs [--tunnel] [--dry-run]',
    options: {
      tunnel: {
        type: 'boolean',
        description:
          'when the URL needs a tunnel (Minikube Docker driver on macOS/Windows), keep it open until Ctrl-C',
      },
    },
    examples: ['pnpm status', 'pnpm status --tunnel'],
  },
  async ({ cli, cfg, log, runner }) => {
    const target = await pinContext(resolveTarget(cfg), runner);
    log.info(`status: ${describeTarget(target)}`);
    const rel = await log.step(
      'helm list',
      () => runner.run('helm', ['list', ...helmTargetArgs(target), ...EVERY_STATUS, '--output', 'json']),
      (r) => (r.ok ? '' : 'failed'),
    );
    if (!rel.ok)
      throw new ScriptError(
        `cannot list releases (${firstError(rel)}): is the cluster running? Try \`pnpm run doctor\`.`,
        EXIT.CLUSTER,
      );
    /** @type {{ name: string, revision: string, status: string, chart: string, app_version: string }[]} */
    let releases = [];
    try {
      releases = JSON.parse(rel.stdout || '[]');
    } catch {
      releases = [];
    }
    log.info('releases:');
    if (!releases.length) log.detail('none: deploy with `pnpm turbo deploy`');
    for (const r of releases)
      log.detail(
        `${r.name.padEnd(15)} rev ${String(r.revision).padEnd(4)} ${r.status.padEnd(10)} ${r.chart} (app ${r.app_version})`,
      );
    const pods = await log.step('kubectl get pods', () =>
      runner.run('kubectl', [...kubectlArgs(target), 'get', 'pods', '--output', 'wide']),
    );
    log.info('pods:');
    if (pods.stdout.trim()) log.output(pods.stdout);
    else log.detail(pods.ok ? 'none' : `cannot list pods: ${firstError(pods)}`);
    const u = await log.step('app URL', () => appUrl(target, runner, cfg));
    let unhealthy = releases.some((r) => r.status !== 'deployed');
    if (u.url) log.ok(`app: ${u.url}  (${u.how})`);
    else if (u.tunnelCommand) {
      const cmd = [u.tunnelCommand[0], ...u.tunnelCommand[1]].join(' ');
      if (cli.values.tunnel && !runner.dryRun) {
        await withReachableUrl(u, async (url, tunnel) => {
          log.ok(`app: ${url}  (tunnel open; Ctrl-C to close)`);
          if (tunnel) await new Promise((resolve) => tunnel.child.once('close', resolve));
          log.warn('the tunnel closed');
        });
      } else log.ok(`app: ${u.how}: run \`${cmd}\` (or \`pnpm status --tunnel\`) and open the URL it prints`);
    } else {
      log.warn(`app URL unknown: ${u.how}`);
      unhealthy = true;
    }
    return unhealthy ? EXIT.UNHEALTHY : EXIT.OK;
  },
);
