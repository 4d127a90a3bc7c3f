#!/usr/bin/env node
import { performance } from 'node:perf_hooks';
// @ts-check
// Rebuilds the Minikube cluster from nothing: delete → start (driver, CPUs, memory from .env) →
// full deploy → wait until the app answers through its NodePort → total time. Destructive, so it
// asks first (or takes --yes), refuses without a terminal and without --yes, and refuses any
// kubectl context that is not this Minikube profile.
import { createInterface } from 'node:readline/promises';
import { resolveTarget } from './lib/cluster.mjs';
import { intSetting } from './lib/env.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { formatDuration } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';
import { isLoopbackHost, waitForHttp } from './lib/net.mjs';
import { REPO_ROOT } from './lib/repo.mjs';
import { appUrl, parseMinikubeProfile, withReachableUrl } from './lib/url.mjs';
import { registryHost } from './lib/values.mjs';

// minikube's storage-provisioner keeps each PersistentVolume in a folder of the node; with the none
// driver the node is this host, so `minikube delete` leaves the data behind and a new cluster's
// PostgreSQL would start on the old files (with a password the new release does not know).
const NONE_DRIVER_VOLUMES = '/tmp/hostpath-provisioner';

await runScript(
  {
    name: 'reset',
    summary: 'delete and recreate the Minikube cluster, deploy everything, wait until the app answers',
    usage: 'pnpm scripts/reset.mjs [--yes] [--dry-run]',
    options: {
      yes: {
        type: 'boolean',
        short: 'y',
        description: 'do not ask for confirmation (needed without a terminal)',
      },
    },
    examples: ['pnpm scripts/reset.mjs', 'pnpm scripts/reset.mjs --yes'],
  },
  async ({ cli, cfg, log, runner }) => {
    const t0 = performance.now();
    const target = resolveTarget(cfg);
    if (target.cluster !== 'minikube') {
      throw new ScriptError(
        `reset only recreates Minikube clusters, and CLUSTER=${target.cluster}: nothing was touched.`,
        EXIT.REFUSED,
      );
    }
    const profile = target.minikubeProfile;
    const cpus = intSetting(cfg, 'MINIKUBE_CPUS');
    const memory = intSetting(cfg, 'MINIKUBE_MEMORY');

    // Safety: the current kubectl context must be this Minikube profile (or there is none yet).
    const ctx = await runner.run('kubectl', ['config', 'current-context']);
    const current = ctx.ok ? ctx.stdout.trim() : '';
    if (current && current !== profile) {
      throw new ScriptError(
        `the current kubectl context is "${current}", not the Minikube profile "${profile}": reset refuses to touch anything else. Switch with \`kubectl config use-context ${profile}\`, or set MINIKUBE_PROFILE.`,
        EXIT.REFUSED,
      );
    }
    let previousDriver = '';
    if (current) {
      const prof = await runner.run('minikube', ['profile', 'list', '--output', 'json']);
      previousDriver = parseMinikubeProfile(prof.stdout, profile)?.driver ?? '';
      let names = [];
      try {
        const d = JSON.parse(prof.stdout);
        names = [...(d.valid ?? []), ...(d.invalid ?? [])].map((p) => p.Name);
      } catch {
        names = [];
      }
      if (!runner.dryRun && !names.includes(current)) {
        throw new ScriptError(
          `the current kubectl context "${current}" is not a Minikube profile (minikube knows: ${names.join(', ') || 'none'}): reset refuses to touch it.`,
          EXIT.REFUSED,
        );
      }
    }

    if (!cli.values.yes && !runner.dryRun) {
      if (!process.stdin.isTTY) {
        throw new ScriptError(
          'reset deletes the cluster and there is no terminal to confirm: run it again with --yes.',
          EXIT.REFUSED,
        );
      }
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(
        `Delete Minikube profile "${profile}" with everything in it, then rebuild it? [y/N] `,
      );
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        log.info('reset: cancelled, nothing was touched');
        return EXIT.REFUSED;
      }
    }

    await log.step(`delete Minikube profile "${profile}"`, async () => {
      const r = await runner.run('minikube', ['delete', '-p', profile], { change: true, stream: true });
      if (r.missing)
        throw new ScriptError(
          'minikube is not installed: see https://minikube.sigs.k8s.io/docs/start/',
          EXIT.PREREQ,
        );
      if (!r.ok) throw new ScriptError(`minikube delete failed: ${firstError(r)}`, EXIT.CLUSTER);
    });
    const driver = cfg.get('MINIKUBE_DRIVER');
    if (driver === 'none' || previousDriver === 'none') {
      await log.step(`remove the none driver's volume data (${NONE_DRIVER_VOLUMES})`, async () => {
        const r =
          process.getuid?.() === 0
            ? await runner.run('rm', ['-rf', NONE_DRIVER_VOLUMES], { change: true })
            : await runner.run('sudo', ['rm', '-rf', NONE_DRIVER_VOLUMES], { change: true });
        if (!r.ok)
          throw new ScriptError(`cannot remove ${NONE_DRIVER_VOLUMES}: ${firstError(r)}`, EXIT.CLUSTER);
      });
    }
    const k8s = cfg.get('MINIKUBE_KUBERNETES_VERSION');
    const runtime = cfg.get('MINIKUBE_CONTAINER_RUNTIME');
    await log.step(`start Minikube (${cpus} CPUs, ${memory} MiB${driver ? `, ${driver}` : ''})`, async () => {
      const args = ['start', '-p', profile, '--cpus', String(cpus), '--memory', `${memory}mb`];
      if (driver) args.push('--driver', driver);
      if (k8s) args.push('--kubernetes-version', k8s);
      if (runtime) args.push('--container-runtime', runtime);
      // a loopback registry for IMAGE_LOADER=registry (the fast inner loop, docs/deployment.md):
      // the node's runtime may reach it over plain HTTP, as Docker does
      const registry = target.loader === 'registry' && target.registry ? registryHost(target.registry) : '';
      if (registry && isLoopbackHost(registry)) args.push('--insecure-registry', registry);
      const r = await runner.run('minikube', args, { change: true, stream: true });
      if (!r.ok) {
        const hint =
          driver === 'none'
            ? 'the none driver runs Kubernetes on this host as root: see "Minikube without a VM" in docs/deployment.md'
            : `check that Docker has at least ${cpus} CPUs and ${memory} MiB`;
        throw new ScriptError(
          `minikube start failed: ${firstError(r)}. \`minikube logs -p ${profile}\` has the details; ${hint}.`,
          EXIT.CLUSTER,
        );
      }
    });
    await log.step('deploy everything (pnpm turbo deploy)', async () => {
      const r = await runner.run('pnpm', ['turbo', 'run', 'deploy'], {
        change: true,
        inherit: true,
        cwd: REPO_ROOT,
      });
      if (!r.ok)
        throw new ScriptError(
          `the deploy failed (exit ${r.exitCode}); its output above says why. \`pnpm diagnose\` shows the pods.`,
          EXIT.DEPLOY,
        );
    });
    if (runner.dryRun) return EXIT.OK;
    const timeoutMs = intSetting(cfg, 'APP_READY_TIMEOUT') * 1000;
    const url = await log.step('wait until the app answers', async () => {
      const u = await appUrl(target, runner, cfg);
      return withReachableUrl(u, async (base) => {
        const r = await waitForHttp(`${base}/api/healthz`, { timeoutMs, intervalMs: 2000 });
        if (!r.ok)
          throw new ScriptError(
            `the app did not answer at ${base} within ${timeoutMs / 1000}s (${r.last}): run \`pnpm diagnose\`.`,
            EXIT.UNHEALTHY,
          );
        return (
          u.url ??
          `${base} (through \`${u.tunnelCommand?.[0]} ${u.tunnelCommand?.[1].join(' ')}\`, which you need to keep open)`
        );
      });
    });
    log.ok(`reset done in ${formatDuration(performance.now() - t0)}: the app answers at ${url}`);
    return EXIT.OK;
  },
);
