// @ts-check
// doctor's cluster checks: the Minikube profile (exists, runs, big enough) and the cluster
// itself (reachable through the pinned context, enough allocatable CPU and memory).
import { kubectlArgs, pinContext } from '../cluster.mjs';
import { firstError } from '../exec.mjs';
import { parseMinikubeProfile } from '../url.mjs';
import { checkTool } from './tools.mjs';

/** @typedef {import('./tools.mjs').Check} Check @typedef {import('./tools.mjs').DoctorContext} DoctorContext */

const MIN_CPUS = 2;
const MIN_MEMORY_MIB = 3900; // "4 GiB" as Minikube and Docker Desktop report it

/** Parses a Kubernetes quantity of memory into MiB. @param {string} q */
export function memoryMiB(q) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|[kmgt])?$/.exec(q.trim());
  if (!m) return 0;
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
  return Number(m[1]) * (f[m[2] ?? ''] ?? 0);
}

/** @param {string} q */
export function cpuCores(q) {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

/**
 * What a profile that is not running means, and its fix.
 * @param {{ name: string, status: string, driver: string }} p @param {string} start
 */
function profileProblem(p, start) {
  switch (p.status) {
    case 'InsufficientStorage': {
      // minikube's word for a node whose /var is 99% full (df); Kubernetes then evicts pods
      const mk = `minikube -p ${p.name}`;
      const where =
        p.driver === 'none'
          ? "on this machine (the none driver's node is this machine: `df -h /var`; e.g. `docker image prune`, `docker builder prune`)"
          : `in the node (\`${mk} ssh -- df -h /var\`; \`${mk} ssh -- sudo crictl rmi --prune\` removes unused images)`;
      return `Minikube profile "${p.name}": the node's disk (/var) is full, so the cluster cannot pull images or keep pods. Free space ${where}, or rebuild the cluster from nothing with \`pnpm scripts/reset.mjs\``;
    }
    case 'Paused':
      return `Minikube profile "${p.name}" is paused: run \`minikube unpause -p ${p.name}\``;
    default:
      return `Minikube profile "${p.name}" is ${p.status || 'not running'}: run ${start}`;
  }
}

/**
 * The minikube tool, then its profile: present, running, with enough CPUs and memory.
 * @param {DoctorContext} ctx @param {import('./tools.mjs').ToolSpec} tool
 * @returns {Promise<Check[]>}
 */
export async function checkMinikube(ctx, tool) {
  const { runner, cfg, target } = ctx;
  const version = await checkTool(ctx, tool);
  if (!version.ok || runner.dryRun) return [version];
  const r = await runner.run('minikube', ['profile', 'list', '--output', 'json']);
  const p = parseMinikubeProfile(r.stdout, target.minikubeProfile);
  const start = `\`minikube start -p ${target.minikubeProfile} --cpus ${cfg.get('MINIKUBE_CPUS')} --memory ${cfg.get('MINIKUBE_MEMORY')}\` (or \`pnpm scripts/reset.mjs\`)`;
  const name = 'minikube-profile';
  if (!p)
    return [
      version,
      {
        name,
        ok: false,
        blocker: true,
        message: `Minikube profile "${target.minikubeProfile}" does not exist: run ${start}`,
      },
    ];
  if (p.status !== 'Running' && p.status !== 'OK')
    return [version, { name, ok: false, blocker: true, message: profileProblem(p, start) }];
  /** @type {Check[]} */
  const out = [
    version,
    {
      name,
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
}

/**
 * The cluster itself: reachable through the pinned context, and its allocatable resources.
 * @param {DoctorContext} ctx
 * @returns {Promise<Check[]>}
 */
export async function checkCluster(ctx) {
  const { runner } = ctx;
  let t = ctx.target;
  try {
    t = await pinContext(t, runner);
  } catch (e) {
    return [
      { name: 'cluster', ok: false, blocker: true, message: e instanceof Error ? e.message : String(e) },
    ];
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
  if (r.dry) return [{ name: 'cluster', ok: true, message: 'cluster: (dry run)' }];
  if (r.missing) return [{ name: 'cluster', ok: true, message: 'cluster: not checked (no kubectl)' }];
  if (!r.ok)
    return [
      {
        name: 'cluster',
        ok: false,
        blocker: true,
        message: `cannot reach the cluster through context "${t.context}" (${firstError(r)}): start it, or pick another with CLUSTER / KUBE_CONTEXT`,
      },
    ];
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
}
