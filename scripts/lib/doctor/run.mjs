// @ts-check
// doctor's table of checks and the one way to run it: `pnpm run doctor` prints every line, a
// deploy that is about to change the cluster runs the same checks first (scripts/lib/rollout.mjs)
// and stops on a blocker. Every check starts at once; they run side by side.
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../log.mjs';
import { checkCluster, checkMinikube } from './cluster.mjs';
import { checkDisk } from './disk.mjs';
import { checkContainerd, checkDocker, checkHelm, checkNode, checkPnpm, checkTool, TOOLS } from './tools.mjs';

/** @typedef {import('./tools.mjs').Check} Check @typedef {import('./tools.mjs').DoctorContext} DoctorContext */

/** @param {string} name */
const tool = (name) => /** @type {import('./tools.mjs').ToolSpec} */ (TOOLS[name]);

/**
 * What doctor checks, and when.
 * @type {{ name: string, when?: (t: import('../cluster.mjs').Target) => boolean, run: (ctx: DoctorContext) => Promise<Check | Check[]> | Check }[]}
 */
export const CHECKS = [
  { name: 'node', run: () => checkNode() },
  { name: 'pnpm', run: (ctx) => checkPnpm(ctx, tool('pnpm')) },
  { name: 'docker', run: checkDocker },
  { name: 'helm', run: checkHelm },
  { name: 'kubectl', run: (ctx) => checkTool(ctx, tool('kubectl')) },
  {
    name: 'minikube',
    when: (t) => t.cluster === 'minikube',
    run: (ctx) => checkMinikube(ctx, tool('minikube')),
  },
  {
    name: 'kind',
    when: (t) => t.cluster === 'kind' || t.loader === 'kind',
    run: (ctx) => checkTool(ctx, tool('kind')),
  },
  { name: 'ctr', when: (t) => t.loader === 'containerd', run: checkContainerd },
  { name: 'cluster', run: checkCluster },
  { name: 'disk', run: () => checkDisk() },
];

/**
 * Runs every check that applies to the target; each answer carries when it arrived.
 * @param {DoctorContext} ctx
 * @returns {Promise<{ checks: Check[], ms: number }[]>}
 */
export async function runChecks(ctx) {
  const t0 = performance.now();
  return Promise.all(
    CHECKS.filter((c) => c.when?.(ctx.target) ?? true).map(async (c) => ({
      checks: [await c.run(ctx)].flat(),
      ms: performance.now() - t0,
    })),
  );
}

/**
 * Prints the answers (`quiet`: only the problems and warnings) and counts them.
 * @param {import('../log.mjs').Log} log
 * @param {{ checks: Check[], ms: number }[]} answered
 * @param {{ quiet?: boolean }} [o]
 */
export function reportChecks(log, answered, o = {}) {
  let blockers = 0;
  let warnings = 0;
  for (const { checks, ms } of answered) {
    for (const c of checks) {
      const line = `${c.message} (${formatDuration(ms)})`;
      if (c.ok) {
        if (!o.quiet) log.ok(line);
      } else if (c.blocker) {
        blockers++;
        log.problem(line);
      } else {
        warnings++;
        log.warn(line);
      }
    }
  }
  return { blockers, warnings, count: answered.reduce((n, a) => n + a.checks.length, 0) };
}
