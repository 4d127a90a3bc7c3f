#!/usr/bin/env node
// @ts-check
// Checks the machine before a deploy: tools present with supported versions, Docker daemon up,
// the cluster running and reachable, enough resources. One line per check; one actionable line
// per problem; exit 3 when something blocks the deploy.
import { performance } from 'node:perf_hooks';
import { describeTarget, kubectlArgs, pinContext, resolveTarget } from './lib/cluster.mjs';
import { EXIT, ScriptError } from './lib/errors.mjs';
import { firstError } from './lib/exec.mjs';
import { compareVersions, helmVersion, parseVersion } from './lib/helm.mjs';
import { formatDuration } from './lib/log.mjs';
import { runScript } from './lib/main.mjs';
import { parseMinikubeProfile } from './lib/url.mjs';

/** @typedef {{ name: string, ok: boolean, blocker?: boolean, message: string }} Check */

export const MIN = {
  node: [24, 0, 0],
  // BuildKit builds with cache mounts (the Dockerfiles' pnpm store)
  docker: [20, 10, 0],
  pnpm: [10, 0, 0],
  minikube: [1, 33, 0],
  kubectl: [1, 28, 0],
  kind: [0, 20, 0],
};
const MIN_CPUS = 2;
const MIN_MEMORY_MIB = 3900; // "4 GiB" as Minikube and Docker Desktop report it

/**
 * Parses a Kubernetes quantity of memory into MiB. @param {string} q
 */
export function memoryMiB(q) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|[kmgt])?$/.exec(q.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  /** @type {Record<string, number>} */
  const f = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 * 1024,
    k: 1000 / 1048576,
    K: 1000 / 1048576,
    M: 1e6 / 1048576,
    G: 1e9 / 1048576,
    '': 1 / 1048576,
  };
  return n * (f[unit] ?? 0);
}

/** @param {string} q */
export function cpuCores(q) {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

await runScript(
  {
    name: 'doctor',
    summary: 'check tools, versions, the cluster and its resources before a deploy',
    usage: 'node scripts/doctor.mjs [--dry-run]',
    env: {
      CLUSTER: 'minikube (default) | kind | current: decides which tools are needed',
      IMAGE_LOADER: 'minikube | kind | registry | containerd | none',
    },
    examples: ['pnpm run doctor'],
  },
  async ({ cfg, log, runner }) => {
    const target = resolveTarget(cfg);
    log.info(`doctor: ${describeTarget(target)}`);
    const t0 = performance.now();
    /** @type {Promise<Check | Check[]>[]} */
    const checks = [];
    /**
     * @param {string} name @param {string} bin @param {string[]} args
     * @param {readonly number[]} min @param {string} install
     * @returns {Promise<Check>}
     */
    const versionCheck = async (name, bin, args, min, install) => {
      const r = await runner.run(bin, args);
      if (r.dry) return { name, ok: true, message: `${name}: (dry run)` };
      if (r.missing)
        return { name, ok: false, blocker: true, message: `${name} is not installed: ${install}` };
      const v = parseVersion(r.stdout);
      if (!r.ok || !v)
        return {
          name,
          ok: false,
          blocker: true,
          message: `${name} does not answer (${firstError(r)}): reinstall it: ${install}`,
        };
      if (compareVersions(v, min) < 0) {
        return {
          name,
          ok: false,
          blocker: true,
          message: `${name} ${v.join('.')} is too old: install ${min.join('.')} or newer: ${install}`,
        };
      }
      return { name, ok: true, message: `${name} ${v.join('.')}` };
    };

    checks.push(
      (async () => {
        const v = parseVersion(process.version) ?? [0, 0, 0];
        if (v[0] !== 24) {
          return {
            name: 'node',
            ok: false,
            blocker: v[0] < 24,
            message: `Node ${process.version} is not Node 24 LTS: install Node 24 (e.g. \`nvm install 24\`; the repository's .nvmrc says 24)`,
          };
        }
        return { name: 'node', ok: true, message: `node ${process.version}` };
      })(),
    );
    const pnpmInstall =
      'run `corepack enable` (the version is pinned in package.json), or `npm i -g pnpm@10`';
    // Under pnpm (turbo tasks, `pnpm run doctor`) the user agent names its version: no process to start.
    const agent = /\bpnpm\/(\d+\.\d+\.\d+)/.exec(process.env.npm_config_user_agent ?? '');
    const agentVersion = agent?.[1] ? parseVersion(agent[1]) : null;
    if (agentVersion && compareVersions(agentVersion, MIN.pnpm) >= 0) {
      checks.push(Promise.resolve({ name: 'pnpm', ok: true, message: `pnpm ${agentVersion.join('.')}` }));
    } else checks.push(versionCheck('pnpm', 'pnpm', ['--version'], MIN.pnpm, pnpmInstall));
    checks.push(
      (async () => {
        const r = await runner.run('docker', ['version', '--format', '{{.Server.Version}}']);
        if (r.dry) return { name: 'docker', ok: true, message: 'docker: (dry run)' };
        if (r.missing)
          return {
            name: 'docker',
            ok: false,
            blocker: true,
            message:
              'docker is not installed: install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/)',
          };
        if (!r.ok || !r.stdout.trim()) {
          return {
            name: 'docker',
            ok: false,
            blocker: true,
            message: `the Docker daemon is not running (${firstError(r)}): start Docker Desktop, or \`sudo systemctl start docker\``,
          };
        }
        const version = parseVersion(r.stdout.trim());
        if (version && compareVersions(version, MIN.docker) < 0) {
          return {
            name: 'docker',
            ok: false,
            blocker: true,
            message: `Docker ${r.stdout.trim()} is too old: the image builds need ${MIN.docker.join('.')}+ (BuildKit cache mounts); upgrade Docker`,
          };
        }
        return { name: 'docker', ok: true, message: `docker daemon ${r.stdout.trim()}` };
      })(),
    );
    checks.push(
      helmVersion(runner).then(
        (h) => ({ name: 'helm', ok: true, message: `helm ${h.version}` }),
        (e) => ({
          name: 'helm',
          ok: false,
          blocker: true,
          message: e instanceof ScriptError ? e.message : String(e),
        }),
      ),
    );
    checks.push(
      (async () => {
        const r = await runner.run('kubectl', ['version', '--client', '--output', 'json']);
        if (r.dry) return { name: 'kubectl', ok: true, message: 'kubectl: (dry run)' };
        if (r.missing)
          return {
            name: 'kubectl',
            ok: false,
            blocker: true,
            message:
              'kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (or use `minikube kubectl --`)',
          };
        let v = null;
        try {
          v = parseVersion(JSON.parse(r.stdout).clientVersion?.gitVersion ?? '');
        } catch {
          v = parseVersion(r.stdout);
        }
        if (!r.ok || !v)
          return {
            name: 'kubectl',
            ok: false,
            blocker: true,
            message: `kubectl does not answer (${firstError(r)}): reinstall it`,
          };
        if (compareVersions(v, MIN.kubectl) < 0)
          return {
            name: 'kubectl',
            ok: false,
            blocker: true,
            message: `kubectl ${v.join('.')} is too old: install ${MIN.kubectl.join('.')} or newer`,
          };
        return { name: 'kubectl', ok: true, message: `kubectl ${v.join('.')}` };
      })(),
    );

    if (target.cluster === 'minikube') {
      checks.push(
        (async () => {
          const tool = await versionCheck(
            'minikube',
            'minikube',
            ['version', '--short'],
            MIN.minikube,
            'https://minikube.sigs.k8s.io/docs/start/',
          );
          if (!tool.ok || runner.dryRun) return [tool];
          const r = await runner.run('minikube', ['profile', 'list', '--output', 'json']);
          const p = parseMinikubeProfile(r.stdout, target.minikubeProfile);
          const start = `\`minikube start -p ${target.minikubeProfile} --cpus ${cfg.get('MINIKUBE_CPUS') ?? 2} --memory ${cfg.get('MINIKUBE_MEMORY') ?? 4096}\` (or \`pnpm scripts/reset.mjs\`)`;
          if (!p)
            return [
              tool,
              {
                name: 'minikube-profile',
                ok: false,
                blocker: true,
                message: `Minikube profile "${target.minikubeProfile}" does not exist: run ${start}`,
              },
            ];
          if (p.status !== 'Running' && p.status !== 'OK') {
            return [
              tool,
              {
                name: 'minikube-profile',
                ok: false,
                blocker: true,
                message: `Minikube profile "${p.name}" is ${p.status || 'not running'}: run ${start}`,
              },
            ];
          }
          /** @type {Check[]} */
          const out = [
            tool,
            {
              name: 'minikube-profile',
              ok: true,
              message: `minikube "${p.name}" running (${p.driver}, ${p.cpus} CPUs, ${p.memory} MiB)`,
            },
          ];
          if (p.cpus && p.cpus < MIN_CPUS)
            out.push({
              name: 'minikube-cpus',
              ok: false,
              message: `Minikube has ${p.cpus} CPU(s), the stack needs ${MIN_CPUS}: set MINIKUBE_CPUS=2 in .env and run \`pnpm scripts/reset.mjs\``,
            });
          if (p.memory && p.memory < MIN_MEMORY_MIB)
            out.push({
              name: 'minikube-memory',
              ok: false,
              message: `Minikube has ${p.memory} MiB, the stack needs 4 GiB: set MINIKUBE_MEMORY=4096 in .env and run \`pnpm scripts/reset.mjs\``,
            });
          return out;
        })(),
      );
    }
    if (target.cluster === 'kind' || target.loader === 'kind') {
      checks.push(
        versionCheck(
          'kind',
          'kind',
          ['version'],
          MIN.kind,
          'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
        ),
      );
    }
    if (target.loader === 'containerd') {
      checks.push(
        (async () => {
          const r = await runner.run('ctr', ['--address', target.containerdAddress, 'version']);
          if (r.dry) return { name: 'ctr', ok: true, message: 'ctr: (dry run)' };
          if (r.missing)
            return {
              name: 'ctr',
              ok: false,
              blocker: true,
              message:
                'ctr is not installed: it comes with containerd (apt-get install containerd), or choose another IMAGE_LOADER',
            };
          if (!r.ok)
            return {
              name: 'ctr',
              ok: false,
              blocker: true,
              message: `containerd does not answer at ${target.containerdAddress} (${firstError(r)}): set CONTAINERD_ADDRESS, and run as a user allowed to use that socket`,
            };
          return { name: 'ctr', ok: true, message: `containerd at ${target.containerdAddress}` };
        })(),
      );
    }
    // The cluster itself: reachable through the pinned context, and its free resources.
    checks.push(
      (async () => {
        let t = target;
        try {
          t = await pinContext(target, runner);
        } catch (e) {
          return {
            name: 'cluster',
            ok: false,
            blocker: true,
            message: e instanceof Error ? e.message : String(e),
          };
        }
        const r = await runner.run('kubectl', [
          ...kubectlArgs(t, { namespaced: false }),
          'get',
          'nodes',
          '--output',
          'json',
          '--request-timeout',
          '10s',
        ]);
        if (r.dry) return { name: 'cluster', ok: true, message: 'cluster: (dry run)' };
        if (r.missing) return { name: 'cluster', ok: true, message: 'cluster: not checked (no kubectl)' };
        if (!r.ok) {
          return {
            name: 'cluster',
            ok: false,
            blocker: true,
            message: `cannot reach the cluster through context "${t.context}" (${firstError(r)}): start it, or pick another with CLUSTER / KUBE_CONTEXT`,
          };
        }
        let cpu = 0;
        let mem = 0;
        try {
          for (const n of JSON.parse(r.stdout).items ?? []) {
            cpu += cpuCores(String(n.status?.allocatable?.cpu ?? '0'));
            mem += memoryMiB(String(n.status?.allocatable?.memory ?? '0'));
          }
        } catch {
          // unreadable answer: reachability is what matters here
        }
        /** @type {Check[]} */
        const out = [
          {
            name: 'cluster',
            ok: true,
            message: `cluster "${t.context}" reachable (${cpu} CPU, ${Math.round(mem)} MiB allocatable)`,
          },
        ];
        if (cpu && cpu < MIN_CPUS)
          out.push({
            name: 'cluster-cpu',
            ok: false,
            message: `the cluster has ${cpu} allocatable CPU(s); the stack requests need ${MIN_CPUS}: give it more CPUs (Minikube: MINIKUBE_CPUS, then \`pnpm scripts/reset.mjs\`)`,
          });
        if (mem && mem < MIN_MEMORY_MIB * 0.85)
          out.push({
            name: 'cluster-memory',
            ok: false,
            message: `the cluster has ${Math.round(mem)} MiB allocatable; the stack needs about 4 GiB: give it more memory (Minikube: MINIKUBE_MEMORY, then \`pnpm scripts/reset.mjs\`)`,
          });
        return out;
      })(),
    );

    // Every check started at t0 and ran in parallel: each line shows when its answer arrived.
    const timed = checks.map((p) => p.then((r) => ({ r, ms: performance.now() - t0 })));
    const answered = await Promise.all(timed);
    const results = answered.flatMap(({ r }) => r);
    let blockers = 0;
    for (const { r, ms } of answered) {
      for (const c of [r].flat()) {
        const line = `${c.message} (${formatDuration(ms)})`;
        if (c.ok) log.ok(line);
        else if (c.blocker) {
          blockers++;
          log.problem(line);
        } else log.warn(line);
      }
    }
    if (blockers) {
      log.problem(
        `doctor: ${blockers} problem(s) block the deploy; fix the line(s) marked ✗ and run \`pnpm run doctor\` again.`,
      );
      return EXIT.PREREQ;
    }
    log.ok(`doctor: ready to deploy (${results.filter((c) => !c.ok).length} warning(s))`);
    return EXIT.OK;
  },
);
